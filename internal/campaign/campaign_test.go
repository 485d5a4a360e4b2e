package campaign

import (
	"context"
	"testing"
	"time"

	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/store/storetest"
	"github.com/relais/relais/internal/valid"
	"github.com/stretchr/testify/require"
)

var ctx = context.Background()

func TestInputChecks(t *testing.T) {
	t.Parallel()
	st := storetest.OpenSQLite(t)
	u := storetest.NewUser(t, st, "camp@check.example")
	w := storetest.NewWorkspace(t, st, "camp-check", u.ID)
	s := &Service{Store: st}
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	before := start.Add(-time.Hour)
	for _, tc := range []struct {
		in          Input
		field, code string
	}{
		{Input{Name: " "}, "name", "required"},
		{Input{Name: "x", StartsAt: &start, EndsAt: &before}, "ends_at", "before_start"},
		{Input{Name: "x", Goals: []store.CampaignGoal{{Metric: "vibes", Target: 1}}}, "goals[0].metric", "unknown"},
		{Input{Name: "x", Goals: []store.CampaignGoal{{Metric: "clicks", Target: 1}, {Metric: "clicks", Target: 2}}}, "goals[1].metric", "duplicate"},
		{Input{Name: "x", Goals: []store.CampaignGoal{{Metric: "clicks", Target: 0}}}, "goals[0].target", "range"},
		{Input{Name: "x", BudgetCents: -1}, "budget", "range"},
		{Input{Name: "x", Currency: "euro"}, "currency", "format"},
	} {
		_, err := s.Create(ctx, w.ID, u.ID, tc.in)
		ve, ok := valid.As(err)
		require.True(t, ok, "%+v: %v", tc.in, err)
		require.Equal(t, tc.field, ve.Field)
		require.Equal(t, tc.code, ve.Code)
	}
	c, err := s.Create(ctx, w.ID, u.ID, Input{Name: " Spring ", Currency: "eur", BudgetCents: 5000})
	require.NoError(t, err)
	require.Equal(t, "Spring", c.Name)
	require.Equal(t, "EUR", c.Currency)
	c, err = s.Update(ctx, w.ID, c.ID, Input{Name: "Spring 2", Goals: []store.CampaignGoal{{Metric: "reach", Target: 1000}}})
	require.NoError(t, err)
	got, err := st.Campaign(ctx, w.ID, c.ID)
	require.NoError(t, err)
	require.Equal(t, c, got)
}

func TestResultsAgainstGoals(t *testing.T) {
	t.Parallel()
	st := storetest.OpenSQLite(t)
	u := storetest.NewUser(t, st, "camp@results.example")
	w := storetest.NewWorkspace(t, st, "camp-results", u.ID)
	ch := storetest.NewChannel(t, st, w.ID, "mastodon", "r1")
	posts := storetest.NewPosts(t, st, w.ID, 2, ch.ID)
	now := time.Date(2026, 4, 10, 12, 0, 0, 0, time.UTC)
	s := &Service{Store: st, NowFunc: func() time.Time { return now }}
	start := now.Add(-72 * time.Hour)
	c, err := s.Create(ctx, w.ID, u.ID, Input{Name: "Launch", StartsAt: &start, Goals: []store.CampaignGoal{
		{Metric: MetricClicks, Target: 4}, {Metric: MetricUniqueClicks, Target: 10}, {Metric: "reach", Target: 1000}}})
	require.NoError(t, err)
	require.NoError(t, st.AttachCampaignPost(ctx, w.ID, c.ID, posts[0].ID))
	l := store.Link{WorkspaceID: w.ID, Code: "launch1", TargetURL: "https://a.example/", PostID: posts[0].ID}
	require.NoError(t, st.CreateLink(ctx, &l))
	other := store.Link{WorkspaceID: w.ID, Code: "other1", TargetURL: "https://b.example/", PostID: posts[1].ID}
	require.NoError(t, st.CreateLink(ctx, &other))
	require.NoError(t, st.RecordClicks(ctx, []store.Click{
		{LinkID: l.ID, WorkspaceID: w.ID, At: now.Add(-time.Hour), Visitor: "a"},
		{LinkID: l.ID, WorkspaceID: w.ID, At: now.Add(-time.Hour), Visitor: "b"},
		{LinkID: l.ID, WorkspaceID: w.ID, At: now.Add(-time.Hour), Visitor: "b"},
		{LinkID: l.ID, WorkspaceID: w.ID, At: now.Add(-100 * time.Hour), Visitor: "c"},
		{LinkID: l.ID, WorkspaceID: w.ID, At: now.Add(-time.Hour), Visitor: "bot", Bot: "Slackbot"},
		{LinkID: other.ID, WorkspaceID: w.ID, At: now.Add(-time.Hour), Visitor: "d"},
	}))

	r, err := s.Results(ctx, w.ID, c.ID)
	require.NoError(t, err)
	require.Equal(t, []int64{posts[0].ID}, r.PostIDs)
	require.Len(t, r.Links, 1)
	require.Equal(t, store.ClickCount{Clicks: 3, Unique: 2, Bots: 1}, r.Clicks, "within the campaign's dates, bots apart")
	require.Len(t, r.Goals, 3)
	require.Equal(t, 3.0, *r.Goals[0].Actual)
	require.Equal(t, 0.75, *r.Goals[0].Progress)
	require.Equal(t, 0.2, *r.Goals[1].Progress)
	require.Nil(t, r.Goals[2].Actual, "reach is unknown without analytics, never zero")

	s.MetricFunc = func(_ context.Context, ws int64, ids []int64, metric string, from, to time.Time) (float64, bool, error) {
		require.Equal(t, w.ID, ws)
		require.Equal(t, []int64{posts[0].ID}, ids)
		require.True(t, from.Equal(start))
		return 1500, metric == "reach", nil
	}
	r, err = s.Results(ctx, w.ID, c.ID)
	require.NoError(t, err)
	require.Equal(t, 1.5, *r.Goals[2].Progress)

	_, err = s.Results(ctx, w.ID+1, c.ID)
	require.ErrorIs(t, err, store.ErrNotFound)
}
