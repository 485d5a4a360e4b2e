package storetest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/store"
)

// RunInsights runs the conformance suite of the daily channel insights.
func RunInsights(t *testing.T, open func(t testing.TB) store.Store) {
	t.Run("Insights", func(t *testing.T) {
		t.Parallel()
		testInsights(t, open(t))
	})
}

func testInsights(t *testing.T, s store.Store) {
	u := NewUser(t, s, "insights@gbp.example")
	wa := NewWorkspace(t, s, "insights-a", u.ID)
	wb := NewWorkspace(t, s, "insights-b", u.ID)
	ca := store.Channel{WorkspaceID: wa.ID, Network: "google_business", RemoteID: "locations/1", Handle: "Café", Status: store.ChannelOK}
	ca2 := store.Channel{WorkspaceID: wa.ID, Network: "google_business", RemoteID: "locations/2", Handle: "Gare", Status: store.ChannelOK}
	cb := store.Channel{WorkspaceID: wb.ID, Network: "google_business", RemoteID: "locations/3", Handle: "Port", Status: store.ChannelOK}
	for _, c := range []*store.Channel{&ca, &ca2, &cb} {
		require.NoError(t, s.CreateChannel(ctx, c))
	}
	d0 := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	taken := d0.Add(72 * time.Hour)
	rows := []store.ChannelInsight{
		{WorkspaceID: wa.ID, ChannelID: ca.ID, Day: d0.Add(5 * time.Hour), Metric: "CALL_CLICKS", Value: 3, TakenAt: taken},
		{WorkspaceID: wa.ID, ChannelID: ca.ID, Day: d0, Metric: "WEBSITE_CLICKS", Value: 9, TakenAt: taken},
		{WorkspaceID: wa.ID, ChannelID: ca.ID, Day: d0.AddDate(0, 0, 1), Metric: "CALL_CLICKS", Value: 4, TakenAt: taken},
		{WorkspaceID: wa.ID, ChannelID: ca2.ID, Day: d0, Metric: "CALL_CLICKS", Value: 1, TakenAt: taken},
		// Another workspace's channel named under this workspace: not written.
		{WorkspaceID: wa.ID, ChannelID: cb.ID, Day: d0, Metric: "CALL_CLICKS", Value: 100, TakenAt: taken},
	}
	require.NoError(t, s.SaveChannelInsights(ctx, rows))
	require.NoError(t, s.SaveChannelInsights(ctx, nil))

	got, err := s.ChannelInsights(ctx, wa.ID, ca.ID, d0, d0.AddDate(0, 0, 7))
	require.NoError(t, err)
	require.Len(t, got, 3)
	require.Equal(t, "CALL_CLICKS", got[0].Metric, "by day, then metric")
	require.True(t, got[0].Day.Equal(d0), "the day is its UTC midnight: %s", got[0].Day)
	require.Equal(t, int64(9), got[1].Value)
	require.True(t, got[0].TakenAt.Equal(taken))

	// A later reading replaces the day's value.
	require.NoError(t, s.SaveChannelInsights(ctx, []store.ChannelInsight{{WorkspaceID: wa.ID, ChannelID: ca.ID, Day: d0, Metric: "CALL_CLICKS", Value: 5, TakenAt: taken.Add(time.Hour)}}))
	got, err = s.ChannelInsights(ctx, wa.ID, ca.ID, d0, d0.AddDate(0, 0, 1))
	require.NoError(t, err)
	require.Len(t, got, 2, "[from, to): the next day is left out")
	require.Equal(t, int64(5), got[0].Value)

	all, err := s.ChannelInsights(ctx, wa.ID, 0, d0, d0.AddDate(0, 0, 7))
	require.NoError(t, err)
	require.Len(t, all, 4, "every channel of the workspace")
	for _, r := range all {
		require.NotEqual(t, cb.ID, r.ChannelID)
	}
	none, err := s.ChannelInsights(ctx, wb.ID, ca.ID, d0, d0.AddDate(0, 0, 7))
	require.NoError(t, err)
	require.Empty(t, none, "another workspace's channel is out of reach")
	none, err = s.ChannelInsights(ctx, wb.ID, 0, d0, d0.AddDate(0, 0, 7))
	require.NoError(t, err)
	require.Empty(t, none, "the forged row was not written")
}
