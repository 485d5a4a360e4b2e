package moderation_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/moderation"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/store/storetest"
	"github.com/relais/relais/internal/valid"
)

func TestService(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := storetest.OpenSQLite(t)
	owner := storetest.NewUser(t, s, "owner@moderation.example")
	editor := storetest.NewUser(t, s, "editor@moderation.example")
	stranger := storetest.NewUser(t, s, "stranger@moderation.example")
	ws := storetest.NewWorkspace(t, s, "moderation-svc", owner.ID) // Europe/Paris
	require.NoError(t, s.AddMember(ctx, ws.ID, editor.ID, store.RoleEditor))
	storetest.NewWorkspace(t, s, "moderation-other", stranger.ID)

	now := time.Date(2026, 12, 6, 21, 30, 0, 0, time.UTC) // 22:30 in Paris
	msgs := []moderation.Message{
		{ID: 1, WorkspaceID: ws.ID, Text: "refund is late, scam", Sentiment: "negative", ReceivedAt: now.Add(-10 * time.Minute)},
		{ID: 2, WorkspaceID: ws.ID, Text: "love it", Sentiment: "positive", ReceivedAt: now.Add(-2 * time.Hour)},
	}
	svc := &moderation.Service{Store: s, Now: func() time.Time { return now }, CacheFor: time.Hour,
		Source: moderation.SourceFunc(func(context.Context, int64, time.Time) ([]moderation.Message, error) { return msgs, nil })}

	reply, err := svc.CreateSavedReply(ctx, ws.ID, store.SavedReply{Name: "Refund", Lang: "en", Body: "Hi {first_name}, we are on it."})
	require.NoError(t, err)
	_, err = svc.CreateSavedReply(ctx, ws.ID, store.SavedReply{Name: "Refund", Lang: "EN", Body: "again"})
	ve, ok := valid.As(err)
	require.True(t, ok, "%v", err)
	require.Equal(t, "name", ve.Field)
	fr, err := svc.CreateSavedReply(ctx, ws.ID, store.SavedReply{Name: "Refund", Lang: "fr", Body: "Bonjour {first_name}, nous regardons."})
	require.NoError(t, err)
	for lang, want := range map[string]int64{"fr": fr.ID, "en": reply.ID, "de": reply.ID, "other": reply.ID} {
		got, err := svc.ReplyFor(ctx, ws.ID, reply.ID, lang)
		require.NoError(t, err)
		require.Equal(t, want, got.ID, "an auto-reply to a message in %s", lang)
	}
	_, err = svc.ReplyFor(ctx, ws.ID+1, reply.ID, "fr")
	require.ErrorIs(t, err, store.ErrNotFound)
	text, err := svc.RenderSavedReply(ctx, ws.ID, reply.ID, map[string]string{"first_name": "Anna"})
	require.NoError(t, err)
	require.Equal(t, "Hi Anna, we are on it.", text)

	// Actions name members and saved replies of the workspace only.
	for _, tc := range []struct {
		act   moderation.Action
		field string
	}{
		{moderation.Action{Kind: moderation.ActAssign, Value: strconv.FormatInt(stranger.ID, 10)}, "actions[0].value"},
		{moderation.Action{Kind: moderation.ActNotify, Value: "999"}, "actions[0].value"},
		{moderation.Action{Kind: moderation.ActAutoReply, Value: "999"}, "actions[0].value"},
	} {
		_, err := svc.CreateRule(ctx, ws.ID, moderation.Rule{Name: "bad", Enabled: true, Actions: []moderation.Action{tc.act}})
		ve, ok := valid.As(err)
		require.True(t, ok, "%v", err)
		require.Equal(t, tc.field, ve.Field)
	}

	hide, err := svc.CreateRule(ctx, ws.ID, moderation.Rule{Name: "Hide scams", Enabled: true,
		Conditions: moderation.Conditions{Keywords: "scam", TimeFrom: "22:00", TimeTo: "23:00"},
		Actions:    []moderation.Action{{Kind: moderation.ActHide}, {Kind: moderation.ActAssign, Value: strconv.FormatInt(editor.ID, 10)}}})
	require.NoError(t, err)
	refund, err := svc.CreateRule(ctx, ws.ID, moderation.Rule{Name: "Refunds", Enabled: true, StopAfterMatch: true,
		Conditions: moderation.Conditions{Keywords: `refund AND (late OR "not arrived")`},
		Actions:    []moderation.Action{{Kind: moderation.ActAutoReply, Value: strconv.FormatInt(reply.ID, 10)}, {Kind: moderation.ActPriority, Value: "high"}}})
	require.NoError(t, err)
	require.Equal(t, []int{1, 2}, []int{hide.Position, refund.Position})

	m := moderation.Message{WorkspaceID: ws.ID, Text: "My refund is late. Scam!", Sentiment: "negative", ReceivedAt: now}
	out, err := svc.Evaluate(ctx, m)
	require.NoError(t, err)
	require.Equal(t, []int64{hide.ID, refund.ID}, out.Matched, "time of day read in Paris")
	require.Equal(t, moderation.ActFlagReview, out.Actions[0].Kind, "criticism needs a person by default")

	// Reordering through the service is seen at once despite the cache.
	require.NoError(t, svc.MoveRule(ctx, ws.ID, refund.ID, -1))
	out, err = svc.Evaluate(ctx, m)
	require.NoError(t, err)
	require.Equal(t, []int64{refund.ID}, out.Matched, "the refund rule now runs first and stops")
	err = svc.ReorderRules(ctx, ws.ID, []int64{refund.ID})
	ve, ok = valid.As(err)
	require.True(t, ok)
	require.Equal(t, "ids", ve.Field)

	// Only an owner turns the criticism policy off; an editor may change the target.
	_, err = svc.SaveSettings(ctx, ws.ID, store.RoleAdmin, 45, false)
	require.ErrorIs(t, err, moderation.ErrOwnerOnly)
	set, err := svc.SaveSettings(ctx, ws.ID, store.RoleEditor, 45, true)
	require.NoError(t, err)
	require.Equal(t, 45, set.SLAMinutes)
	_, err = svc.SaveSettings(ctx, ws.ID, store.RoleOwner, 0, true)
	ve, ok = valid.As(err)
	require.True(t, ok)
	require.Equal(t, "sla_minutes", ve.Field)
	set, err = svc.SaveSettings(ctx, ws.ID, store.RoleOwner, 45, false)
	require.NoError(t, err)
	require.False(t, set.CriticismNeedsPerson)

	require.NoError(t, svc.ReorderRules(ctx, ws.ID, []int64{hide.ID, refund.ID}))
	rep, err := svc.DryRun(ctx, ws.ID)
	require.NoError(t, err)
	require.Equal(t, 2, rep.Messages)
	require.Equal(t, 1, rep.Rules[0].Matched)
	require.Equal(t, map[string]int{moderation.ActHide: 1, moderation.ActAssign: 1}, rep.Rules[0].Actions, "policy off: the hide stays a hide")

	// Another workspace reaches nothing.
	_, err = svc.Rule(ctx, ws.ID+1, hide.ID)
	require.ErrorIs(t, err, store.ErrNotFound)
	require.ErrorIs(t, svc.DeleteRule(ctx, ws.ID+1, hide.ID), store.ErrNotFound)
	require.NoError(t, svc.DeleteRule(ctx, ws.ID, hide.ID))
	rules, err := svc.Rules(ctx, ws.ID)
	require.NoError(t, err)
	require.Len(t, rules, 1)
}
