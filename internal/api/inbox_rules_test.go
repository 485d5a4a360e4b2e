package api_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/api"
	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/crisis"
	"github.com/relais/relais/internal/moderation"
	"github.com/relais/relais/internal/sla"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/store/storetest"
)

// setupInboxRules serves the API with a dry-run source of three messages.
func setupInboxRules(t *testing.T) (e *hookEnv, tokAdmin string) {
	t.Helper()
	st := storetest.OpenSQLite(t)
	svc := auth.NewService(st)
	now := time.Now().UTC()
	src := moderation.SourceFunc(func(_ context.Context, ws int64, since time.Time) ([]moderation.Message, error) {
		return []moderation.Message{
			{ID: 1, WorkspaceID: ws, Author: "@anna", Text: "Where is my refund? The parcel has not arrived", Sentiment: "negative", ReceivedAt: now.Add(-time.Hour)},
			{ID: 2, WorkspaceID: ws, Author: "@bob", Text: "refund please, it is late", Sentiment: "neutral", ReceivedAt: now.Add(-2 * time.Hour)},
			{ID: 3, WorkspaceID: ws, Author: "@carl", Text: "Love the new colours", Sentiment: "positive", ReceivedAt: now.Add(-3 * time.Hour)},
		}, nil
	})
	h := api.New(api.Deps{Store: st, Auth: svc, BaseURL: "http://relais.test", Version: "test", Moderation: &moderation.Service{Store: st, Source: src}})
	srv := httptest.NewServer(validating(t, h))
	t.Cleanup(srv.Close)
	e = &hookEnv{srv: srv, st: st}
	token := func(email string, ws int64, role store.Role) (string, store.User, int64) {
		u, err := svc.CreateUser(ctx, email, "", "a long enough password", false)
		require.NoError(t, err)
		if ws == 0 {
			w, err := svc.CreateWorkspace(ctx, u, "Rules "+email, "", "Europe/Paris")
			require.NoError(t, err)
			ws = w.ID
			e.wsA = w
		} else {
			require.NoError(t, st.AddMember(ctx, ws, u.ID, role))
		}
		p, err := svc.Principal(ctx, u, ws)
		require.NoError(t, err)
		tok, _, err := svc.CreateToken(ctx, p, "test")
		require.NoError(t, err)
		return tok, u, ws
	}
	var ws int64
	e.tokA, _, ws = token("owner@rules.example", 0, "")
	tokAdmin, _, _ = token("admin@rules.example", ws, store.RoleAdmin)
	e.tokViewA, _, _ = token("viewer@rules.example", ws, store.RoleViewer)
	wsA := e.wsA
	e.tokB, _, _ = token("other@rules.example", 0, "")
	e.wsA = wsA
	return e, tokAdmin
}

func TestInboxRulesAPI(t *testing.T) {
	t.Parallel()
	e, tokAdmin := setupInboxRules(t)

	// Saved replies.
	status, reply := e.do(t, e.tokA, "POST", "/api/v1/inbox/saved-replies", `{"name":"Refund","lang":"fr","body":"Bonjour {first_name}, voici le suivi : {order_link}"}`)
	require.Equal(t, http.StatusCreated, status, reply)
	require.Equal(t, []any{"first_name", "order_link"}, reply["placeholders"])
	replyID := strconv.FormatInt(int64(reply["id"].(float64)), 10)
	status, bad := e.do(t, e.tokA, "POST", "/api/v1/inbox/saved-replies", `{"name":"Oops","lang":"en","body":"Hi {firstname}"}`)
	require.Equal(t, http.StatusUnprocessableEntity, status)
	require.Equal(t, "body", bad["error"].(map[string]any)["field"])
	require.Contains(t, bad["error"].(map[string]any)["message"], "Unknown placeholder {firstname}")
	status, out := e.do(t, e.tokA, "POST", "/api/v1/inbox/saved-replies/"+replyID+"/render", `{"values":{"first_name":"Anna"}}`)
	require.Equal(t, http.StatusUnprocessableEntity, status)
	require.Contains(t, out["error"].(map[string]any)["message"], "needs a value for {order_link}")
	status, out = e.do(t, e.tokA, "POST", "/api/v1/inbox/saved-replies/"+replyID+"/render", `{"values":{"first_name":"Anna","order_link":"https://shop.example/o/1"}}`)
	require.Equal(t, http.StatusOK, status, out)
	require.Equal(t, "Bonjour Anna, voici le suivi : https://shop.example/o/1", out["text"])

	// Rules: the brief's example with an auto-reply and a hide.
	rule := `{"name":"Late refunds","conditions":{"keywords":"refund AND (late OR \"not arrived\") AND NOT spam"},
		"actions":[{"kind":"hide"},{"kind":"auto_reply","value":"` + replyID + `"},{"kind":"priority","value":"high"}]}`
	status, created := e.do(t, e.tokA, "POST", "/api/v1/inbox/rules", rule)
	require.Equal(t, http.StatusCreated, status, created)
	require.Equal(t, true, created["enabled"])
	require.EqualValues(t, 1, created["position"])
	first := strconv.FormatInt(int64(created["id"].(float64)), 10)
	status, second := e.do(t, e.tokA, "POST", "/api/v1/inbox/rules", `{"name":"Praise","conditions":{"sentiments":["positive"]},"actions":[{"kind":"label","value":"praise"}],"stop_after_match":true}`)
	require.Equal(t, http.StatusCreated, status, second)
	secondID := strconv.FormatInt(int64(second["id"].(float64)), 10)

	status, bad = e.do(t, e.tokA, "POST", "/api/v1/inbox/rules", `{"name":"Broken","conditions":{"keywords":"refund AND (late"},"actions":[{"kind":"label","value":"x"}]}`)
	require.Equal(t, http.StatusUnprocessableEntity, status)
	require.Equal(t, "conditions.keywords", bad["error"].(map[string]any)["field"])
	status, _ = e.do(t, e.tokViewA, "POST", "/api/v1/inbox/rules", rule)
	require.Equal(t, http.StatusForbidden, status, "a viewer reads rules but does not write them")
	status, list := e.do(t, e.tokViewA, "GET", "/api/v1/inbox/rules", "")
	require.Equal(t, http.StatusOK, status)
	require.Len(t, list["rules"], 2)

	// The dry run: criticism is flagged for review, not hidden.
	status, rep := e.do(t, e.tokA, "POST", "/api/v1/inbox/rules/dry-run", "")
	require.Equal(t, http.StatusOK, status, rep)
	require.EqualValues(t, 3, rep["messages"])
	rules := rep["rules"].([]any)
	late := rules[0].(map[string]any)
	require.EqualValues(t, 2, late["matched"])
	require.Equal(t, map[string]any{"flag_review": 1.0, "hide": 1.0, "auto_reply": 2.0, "priority": 2.0}, late["actions"])
	require.Len(t, late["examples"], 2)
	require.EqualValues(t, 1, rules[1].(map[string]any)["matched"])

	// A dry run of unsaved rules.
	status, rep = e.do(t, e.tokA, "POST", "/api/v1/inbox/rules/dry-run", `{"rules":[{"name":"Colours","conditions":{"keywords":"colour*"},"actions":[{"kind":"label","value":"colours"}]}]}`)
	require.Equal(t, http.StatusOK, status, rep)
	require.EqualValues(t, 1, rep["rules"].([]any)[0].(map[string]any)["matched"])
	status, bad = e.do(t, e.tokA, "POST", "/api/v1/inbox/rules/dry-run", `{"rules":[{"name":"Bad","actions":[{"kind":"assign","value":"99999"}]}]}`)
	require.Equal(t, http.StatusUnprocessableEntity, status)
	require.Equal(t, "rules[0].actions[0].value", bad["error"].(map[string]any)["field"])

	// Order, update, another workspace, delete.
	status, list = e.do(t, e.tokA, "PUT", "/api/v1/inbox/rules/order", `{"ids":[`+secondID+`,`+first+`]}`)
	require.Equal(t, http.StatusOK, status, list)
	require.Equal(t, "Praise", list["rules"].([]any)[0].(map[string]any)["name"])
	status, upd := e.do(t, e.tokA, "PUT", "/api/v1/inbox/rules/"+first, `{"name":"Late refunds (off)","enabled":false,"actions":[{"kind":"label","value":"refund"}]}`)
	require.Equal(t, http.StatusOK, status, upd)
	require.Equal(t, false, upd["enabled"])
	require.EqualValues(t, 2, upd["position"])
	status, _ = e.do(t, e.tokB, "GET", "/api/v1/inbox/rules/"+first, "")
	require.Equal(t, http.StatusNotFound, status)
	status, _ = e.do(t, e.tokB, "DELETE", "/api/v1/inbox/rules/"+first, "")
	require.Equal(t, http.StatusNotFound, status)
	status, _ = e.do(t, e.tokA, "DELETE", "/api/v1/inbox/rules/"+first, "")
	require.Equal(t, http.StatusNoContent, status)

	// Settings: on by default; an admin changes the target, only the owner the policy.
	status, set := e.do(t, e.tokViewA, "GET", "/api/v1/inbox/settings", "")
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, map[string]any{"sla_minutes": 60.0, "criticism_needs_person": true}, set)
	status, set = e.do(t, tokAdmin, "PUT", "/api/v1/inbox/settings", `{"sla_minutes":30,"criticism_needs_person":false}`)
	require.Equal(t, http.StatusForbidden, status)
	require.Equal(t, "owner_only", set["error"].(map[string]any)["code"])
	status, set = e.do(t, tokAdmin, "PUT", "/api/v1/inbox/settings", `{"sla_minutes":30,"criticism_needs_person":true}`)
	require.Equal(t, http.StatusOK, status, set)
	require.EqualValues(t, 30, set["sla_minutes"])
	status, set = e.do(t, e.tokA, "PUT", "/api/v1/inbox/settings", `{"sla_minutes":30,"criticism_needs_person":false}`)
	require.Equal(t, http.StatusOK, status, set)
	require.Equal(t, false, set["criticism_needs_person"])
	status, _ = e.do(t, e.tokA, "PUT", "/api/v1/inbox/settings", `{"sla_minutes":0,"criticism_needs_person":false}`)
	require.Equal(t, http.StatusUnprocessableEntity, status)
}

// slaRecords are three conversations: one answered in 10 minutes, one in 2
// hours, one waiting for 50 minutes (a reminder at 80% of 60).
type slaRecords struct{ now time.Time }

func (s slaRecords) Records(_ context.Context, _ int64, from, to time.Time) ([]sla.Record, error) {
	at := func(d time.Duration) *time.Time { x := s.now.Add(d); return &x }
	all := []sla.Record{
		{ConversationID: 1, ChannelID: 7, ReceivedAt: s.now.Add(-3 * time.Hour), FirstResponseAt: at(-3*time.Hour + 10*time.Minute), Responder: 5},
		{ConversationID: 2, ChannelID: 7, ReceivedAt: s.now.Add(-4 * time.Hour), FirstResponseAt: at(-2 * time.Hour), Responder: 5},
		{ConversationID: 3, ChannelID: 8, ReceivedAt: s.now.Add(-50 * time.Minute)},
	}
	var out []sla.Record
	for _, r := range all {
		if !r.ReceivedAt.Before(from) && r.ReceivedAt.Before(to) {
			out = append(out, r)
		}
	}
	return out, nil
}

type crisisSpike struct{}

func (crisisSpike) WatchedWorkspaces(context.Context) ([]int64, error) { return nil, nil }

func (crisisSpike) NegativeCounts(_ context.Context, _ int64, from, to time.Time) ([]int, error) {
	var out []int
	for h := from; h.Before(to); h = h.Add(time.Hour) {
		out = append(out, 1)
	}
	out[len(out)-1] = 30
	return out, nil
}

func (crisisSpike) NegativeMessages(_ context.Context, _ int64, from, _ time.Time) ([]crisis.Message, error) {
	var out []crisis.Message
	for i := range 30 {
		out = append(out, crisis.Message{ID: int64(i + 1), Author: "@x", Text: "recall scandal", ReceivedAt: from})
	}
	return out, nil
}

func TestInboxSLAAndCrisisAPI(t *testing.T) {
	t.Parallel()
	st := storetest.OpenSQLite(t)
	svc := auth.NewService(st)
	now := time.Now().UTC()
	h := api.New(api.Deps{Store: st, Auth: svc, BaseURL: "http://relais.test", Version: "test", CrisisSource: crisisSpike{},
		Moderation: &moderation.Service{Store: st, Records: slaRecords{now: now}, Now: func() time.Time { return now }}})
	srv := httptest.NewServer(validating(t, h))
	t.Cleanup(srv.Close)
	u, err := svc.CreateUser(ctx, "sla@rules.example", "", "a long enough password", false)
	require.NoError(t, err)
	w, err := svc.CreateWorkspace(ctx, u, "SLA", "", "UTC")
	require.NoError(t, err)
	p, err := svc.Principal(ctx, u, w.ID)
	require.NoError(t, err)
	tok, _, err := svc.CreateToken(ctx, p, "test")
	require.NoError(t, err)
	e := &hookEnv{srv: srv, st: st}

	status, rep := e.do(t, tok, "GET", "/api/v1/inbox/sla?period=day", "")
	require.Equal(t, http.StatusOK, status, rep)
	require.EqualValues(t, 60, rep["target_minutes"])
	total := rep["total"].(map[string]any)
	require.EqualValues(t, 3, total["conversations"])
	require.EqualValues(t, 2, total["answered"])
	require.EqualValues(t, 1, total["within_target"])
	require.InDelta(t, 65.0, total["median_minutes"], 0.001, "median of 10 and 120 minutes")
	require.Len(t, rep["by_channel"], 2)
	require.Len(t, rep["by_member"], 1)

	status, rem := e.do(t, tok, "GET", "/api/v1/inbox/sla/reminders", "")
	require.Equal(t, http.StatusOK, status, rem)
	require.Len(t, rem["reminders"], 1)
	require.EqualValues(t, 3, rem["reminders"].([]any)[0].(map[string]any)["conversation_id"])

	status, bad := e.do(t, tok, "GET", "/api/v1/inbox/sla?from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z", "")
	require.Equal(t, http.StatusUnprocessableEntity, status)
	require.Equal(t, "from", bad["error"].(map[string]any)["field"])

	status, cr := e.do(t, tok, "GET", "/api/v1/inbox/crisis", "")
	require.Equal(t, http.StatusOK, status, cr)
	require.Equal(t, true, cr["ready"])
	d := cr["detail"].(map[string]any)
	require.Equal(t, true, d["spike"])
	require.EqualValues(t, 30, d["observed"])
	require.NotEmpty(t, d["terms"])
}
