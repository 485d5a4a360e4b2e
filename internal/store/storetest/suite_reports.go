package storetest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/store"
)

func testReportSchedules(t *testing.T, s store.Store) {
	u := NewUser(t, s, "schedules@reports.example")
	wa := NewWorkspace(t, s, "schedules-a", u.ID)
	wb := NewWorkspace(t, s, "schedules-b", u.ID)
	d := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	weekly := store.ReportSchedule{WorkspaceID: wa.ID, Frequency: "weekly", Language: "fr", Recipients: []string{"a@client.example", "b@client.example"}, CreatedAt: d}
	monthly := store.ReportSchedule{WorkspaceID: wb.ID, Frequency: "monthly", Language: "de", Recipients: []string{"c@client.example"}, CreatedAt: d}
	require.NoError(t, s.CreateReportSchedule(ctx, &weekly))
	require.NoError(t, s.CreateReportSchedule(ctx, &monthly))
	require.NotZero(t, weekly.ID)

	got, err := s.ReportSchedules(ctx, wa.ID)
	require.NoError(t, err)
	require.Len(t, got, 1)
	require.Equal(t, []string{"a@client.example", "b@client.example"}, got[0].Recipients)
	require.Equal(t, "fr", got[0].Language)
	require.True(t, got[0].LastPeriod.IsZero(), "nothing sent yet")
	all, err := s.ReportSchedules(ctx, 0)
	require.NoError(t, err)
	require.Len(t, all, 2, "the job lists every workspace's")

	// Two instances claim the same period: one wins.
	week := time.Date(2026, 2, 23, 0, 0, 0, 0, time.UTC)
	ok, err := s.ClaimReportPeriod(ctx, weekly.ID, time.Time{}, week)
	require.NoError(t, err)
	require.True(t, ok)
	ok, err = s.ClaimReportPeriod(ctx, weekly.ID, time.Time{}, week)
	require.NoError(t, err)
	require.False(t, ok, "claimed already")
	got, err = s.ReportSchedules(ctx, wa.ID)
	require.NoError(t, err)
	require.True(t, week.Equal(got[0].LastPeriod))
	// A failed sending releases it.
	ok, err = s.ClaimReportPeriod(ctx, weekly.ID, week, time.Time{})
	require.NoError(t, err)
	require.True(t, ok)
	got, err = s.ReportSchedules(ctx, wa.ID)
	require.NoError(t, err)
	require.True(t, got[0].LastPeriod.IsZero())

	require.ErrorIs(t, s.DeleteReportSchedule(ctx, wb.ID, weekly.ID), store.ErrNotFound, "another workspace cannot delete it")
	require.NoError(t, s.DeleteReportSchedule(ctx, wa.ID, weekly.ID))
	got, err = s.ReportSchedules(ctx, wa.ID)
	require.NoError(t, err)
	require.Empty(t, got)
}

func testReportBrand(t *testing.T, s store.Store) {
	u := NewUser(t, s, "brand@reports.example")
	wa := NewWorkspace(t, s, "brand-a", u.ID)
	wb := NewWorkspace(t, s, "brand-b", u.ID)
	none, err := s.ReportBrand(ctx, wa.ID)
	require.NoError(t, err)
	require.Equal(t, store.ReportBrand{WorkspaceID: wa.ID}, none, "no brand yet")

	logo := NewMedia(t, s, wa.ID, store.MediaImage, "logo-a")
	foreign := NewMedia(t, s, wb.ID, store.MediaImage, "logo-b")
	d := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	b := store.ReportBrand{WorkspaceID: wa.ID, DisplayName: "Agence Lune", AccentColor: "#aa3300", LogoMediaID: logo.ID, Footer: "Prepared by Agence Lune", UpdatedAt: d}
	require.NoError(t, s.SaveReportBrand(ctx, &b))
	got, err := s.ReportBrand(ctx, wa.ID)
	require.NoError(t, err)
	require.Equal(t, b, got)

	b.LogoMediaID = foreign.ID
	require.ErrorIs(t, s.SaveReportBrand(ctx, &b), store.ErrNotFound, "another workspace's logo")
	b.LogoMediaID, b.DisplayName = 0, "Agence Soleil"
	require.NoError(t, s.SaveReportBrand(ctx, &b))
	got, err = s.ReportBrand(ctx, wa.ID)
	require.NoError(t, err)
	require.Equal(t, "Agence Soleil", got.DisplayName)
	require.Zero(t, got.LogoMediaID)
	other, err := s.ReportBrand(ctx, wb.ID)
	require.NoError(t, err)
	require.Empty(t, other.DisplayName)
}
