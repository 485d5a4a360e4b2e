package storetest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/store"
)

// RunModeration runs the conformance suite of moderation rules, saved replies and inbox settings.
func RunModeration(t *testing.T, open func(t testing.TB) store.Store) {
	for _, tc := range []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"InboxRules", testInboxRules},
		{"SavedReplies", testSavedReplies},
		{"InboxSettings", testInboxSettings},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, open(t))
		})
	}
}

func testInboxRules(t *testing.T, s store.Store) {
	u := NewUser(t, s, "rules@moderation.example")
	wa := NewWorkspace(t, s, "rules-a", u.ID)
	wb := NewWorkspace(t, s, "rules-b", u.ID)
	var ids []int64
	for i, name := range []string{"refunds", "spam", "night"} {
		r := store.InboxRule{WorkspaceID: wa.ID, Name: name, Enabled: i != 1, StopAfterMatch: i == 2,
			Conditions: []byte(`{"keywords":"` + name + `"}`), Actions: []byte(`[{"kind":"label","value":"` + name + `"}]`)}
		require.NoError(t, s.CreateInboxRule(ctx, &r))
		require.NotZero(t, r.ID)
		require.Equal(t, i+1, r.Position, "appended after the last rule")
		ids = append(ids, r.ID)
	}
	other := store.InboxRule{WorkspaceID: wb.ID, Name: "other", Enabled: true, Conditions: []byte(`{}`), Actions: []byte(`[]`)}
	require.NoError(t, s.CreateInboxRule(ctx, &other))
	require.Equal(t, 1, other.Position, "positions are per workspace")

	got, err := s.InboxRules(ctx, wa.ID)
	require.NoError(t, err)
	require.Len(t, got, 3)
	require.Equal(t, "refunds", got[0].Name)
	require.True(t, got[0].Enabled)
	require.False(t, got[1].Enabled)
	require.True(t, got[2].StopAfterMatch)
	require.JSONEq(t, `{"keywords":"night"}`, string(got[2].Conditions))
	require.JSONEq(t, `[{"kind":"label","value":"night"}]`, string(got[2].Actions))
	require.False(t, got[0].CreatedAt.IsZero())

	r := got[1]
	r.Name, r.Enabled, r.Conditions = "spam words", true, []byte(`{"keywords":"buy AND followers"}`)
	r.UpdatedAt = time.Now().Add(time.Minute).UTC()
	require.NoError(t, s.UpdateInboxRule(ctx, r))
	one, err := s.InboxRule(ctx, wa.ID, r.ID)
	require.NoError(t, err)
	require.Equal(t, "spam words", one.Name)
	require.True(t, one.Enabled)
	require.Equal(t, 2, one.Position)
	require.JSONEq(t, `{"keywords":"buy AND followers"}`, string(one.Conditions))
	require.WithinDuration(t, r.UpdatedAt, one.UpdatedAt, time.Millisecond)

	// Another workspace's rule is out of reach.
	_, err = s.InboxRule(ctx, wb.ID, r.ID)
	require.ErrorIs(t, err, store.ErrNotFound)
	r.WorkspaceID = wb.ID
	require.ErrorIs(t, s.UpdateInboxRule(ctx, r), store.ErrNotFound)
	require.ErrorIs(t, s.DeleteInboxRule(ctx, wb.ID, r.ID), store.ErrNotFound)
	require.ErrorIs(t, s.ReorderInboxRules(ctx, wa.ID, []int64{ids[2], other.ID, ids[0]}), store.ErrNotFound)
	got, err = s.InboxRules(ctx, wa.ID)
	require.NoError(t, err)
	require.Equal(t, []int64{ids[0], ids[1], ids[2]}, ruleIDs(got), "a failed reorder changes nothing")

	require.NoError(t, s.ReorderInboxRules(ctx, wa.ID, []int64{ids[2], ids[0], ids[1]}))
	got, err = s.InboxRules(ctx, wa.ID)
	require.NoError(t, err)
	require.Equal(t, []int64{ids[2], ids[0], ids[1]}, ruleIDs(got))

	require.NoError(t, s.DeleteInboxRule(ctx, wa.ID, ids[0]))
	_, err = s.InboxRule(ctx, wa.ID, ids[0])
	require.ErrorIs(t, err, store.ErrNotFound)
	next := store.InboxRule{WorkspaceID: wa.ID, Name: "last", Enabled: true}
	require.NoError(t, s.CreateInboxRule(ctx, &next))
	require.Equal(t, 4, next.Position)
	got, err = s.InboxRules(ctx, wa.ID)
	require.NoError(t, err)
	require.Equal(t, []int64{ids[2], ids[1], next.ID}, ruleIDs(got))
	require.JSONEq(t, `{}`, string(got[2].Conditions), "empty conditions are stored as an empty object")
	require.JSONEq(t, `[]`, string(got[2].Actions))
}

func ruleIDs(rs []store.InboxRule) []int64 {
	var out []int64
	for _, r := range rs {
		out = append(out, r.ID)
	}
	return out
}

func testSavedReplies(t *testing.T, s store.Store) {
	u := NewUser(t, s, "replies@moderation.example")
	wa := NewWorkspace(t, s, "replies-a", u.ID)
	wb := NewWorkspace(t, s, "replies-b", u.ID)
	mk := func(ws int64, name, lang, body string) store.SavedReply {
		r := store.SavedReply{WorkspaceID: ws, Name: name, Lang: lang, Body: body}
		require.NoError(t, s.CreateSavedReply(ctx, &r))
		require.NotZero(t, r.ID)
		return r
	}
	fr := mk(wa.ID, "Late parcel", "fr", "Bonjour {first_name}, voici le suivi : {order_link}")
	en := mk(wa.ID, "Late parcel", "en", "Hi {first_name}, here is the tracking: {order_link}")
	mk(wa.ID, "Apology", "de", "Hallo {first_name}, das tut uns leid.")
	mk(wb.ID, "Late parcel", "fr", "autre espace")

	dup := store.SavedReply{WorkspaceID: wa.ID, Name: "Late parcel", Lang: "fr", Body: "x"}
	require.ErrorIs(t, s.CreateSavedReply(ctx, &dup), store.ErrConflict)

	got, err := s.SavedReplies(ctx, wa.ID)
	require.NoError(t, err)
	require.Len(t, got, 3)
	require.Equal(t, []string{"Apology/de", "Late parcel/en", "Late parcel/fr"},
		[]string{got[0].Name + "/" + got[0].Lang, got[1].Name + "/" + got[1].Lang, got[2].Name + "/" + got[2].Lang})

	fr.Body = "Bonjour {first_name} !"
	require.NoError(t, s.UpdateSavedReply(ctx, fr))
	one, err := s.SavedReply(ctx, wa.ID, fr.ID)
	require.NoError(t, err)
	require.Equal(t, "Bonjour {first_name} !", one.Body)
	fr.Lang = "en"
	require.ErrorIs(t, s.UpdateSavedReply(ctx, fr), store.ErrConflict, "the name is taken in that language")

	_, err = s.SavedReply(ctx, wb.ID, en.ID)
	require.ErrorIs(t, err, store.ErrNotFound)
	en.WorkspaceID = wb.ID
	require.ErrorIs(t, s.UpdateSavedReply(ctx, en), store.ErrNotFound)
	require.ErrorIs(t, s.DeleteSavedReply(ctx, wb.ID, en.ID), store.ErrNotFound)
	require.NoError(t, s.DeleteSavedReply(ctx, wa.ID, en.ID))
	got, err = s.SavedReplies(ctx, wa.ID)
	require.NoError(t, err)
	require.Len(t, got, 2)
}

func testInboxSettings(t *testing.T, s store.Store) {
	u := NewUser(t, s, "settings@moderation.example")
	wa := NewWorkspace(t, s, "inbox-settings-a", u.ID)
	wb := NewWorkspace(t, s, "inbox-settings-b", u.ID)
	got, err := s.InboxSettings(ctx, wa.ID)
	require.NoError(t, err)
	require.Equal(t, store.DefaultInboxSettings(wa.ID), got)
	require.True(t, got.CriticismNeedsPerson, "on by default")

	require.NoError(t, s.SaveInboxSettings(ctx, store.InboxSettings{WorkspaceID: wa.ID, SLAMinutes: 30, CriticismNeedsPerson: false}))
	got, err = s.InboxSettings(ctx, wa.ID)
	require.NoError(t, err)
	require.Equal(t, 30, got.SLAMinutes)
	require.False(t, got.CriticismNeedsPerson)
	other, err := s.InboxSettings(ctx, wb.ID)
	require.NoError(t, err)
	require.Equal(t, store.DefaultInboxSettings(wb.ID), other, "settings are per workspace")

	hour := time.Date(2026, 12, 6, 14, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		ws   int64
		hour time.Time
		want bool
	}{
		{wa.ID, hour, true},
		{wa.ID, hour, false},                 // same hour: once
		{wa.ID, hour.Add(-time.Hour), false}, // an earlier hour: never again
		{wa.ID, hour.Add(time.Hour), true},   // the next hour
		{wb.ID, hour, true},                  // a workspace without a settings row
		{wb.ID, hour.Add(time.Minute), true}, // later, even within the hour: the caller passes whole hours
	} {
		ok, err := s.ClaimCrisisAlert(ctx, tc.ws, tc.hour)
		require.NoError(t, err)
		require.Equal(t, tc.want, ok, "%d %s", tc.ws, tc.hour)
	}
	got, err = s.InboxSettings(ctx, wa.ID)
	require.NoError(t, err)
	require.Equal(t, 30, got.SLAMinutes, "a claim keeps the settings")
	require.Equal(t, hour.Add(time.Hour), *got.CrisisAlertedAt)
	other, err = s.InboxSettings(ctx, wb.ID)
	require.NoError(t, err)
	require.Equal(t, 60, other.SLAMinutes)
	require.True(t, other.CriticismNeedsPerson, "a claim on a fresh workspace keeps the defaults")
}
