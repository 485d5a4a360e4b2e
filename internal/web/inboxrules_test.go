package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/crisis"
	"github.com/relais/relais/internal/moderation"
	"github.com/relais/relais/internal/store"
)

// spikeSource has four weeks of 2 negatives an hour, then 40 in the hour in progress.
type spikeSource struct{}

func (spikeSource) WatchedWorkspaces(context.Context) ([]int64, error) { return nil, nil }

func (spikeSource) NegativeCounts(_ context.Context, _ int64, from, to time.Time) ([]int, error) {
	var out []int
	now := time.Now().UTC().Truncate(time.Hour)
	for h := from; h.Before(to); h = h.Add(time.Hour) {
		out = append(out, map[bool]int{true: 40, false: 2}[h.Equal(now)])
	}
	return out, nil
}

func (spikeSource) NegativeMessages(_ context.Context, _ int64, from, to time.Time) ([]crisis.Message, error) {
	if to.Sub(from) > 2*time.Hour {
		return []crisis.Message{{Text: "slow delivery"}}, nil
	}
	var out []crisis.Message
	for i := range 40 {
		out = append(out, crisis.Message{ID: int64(i + 1), Author: fmt.Sprintf("@angry%d", i), Text: "Rappel produit : scandale, boycott", URL: "https://social.example/@angry/1", ReceivedAt: from})
	}
	return out, nil
}

func TestInboxRulesPages(t *testing.T) {
	t.Parallel()
	now := time.Now()
	src := moderation.SourceFunc(func(_ context.Context, ws int64, _ time.Time) ([]moderation.Message, error) {
		return []moderation.Message{
			{ID: 1, WorkspaceID: ws, Author: "@anna", Text: "Mon remboursement est en retard, arnaque", Sentiment: "negative", Language: "fr", ReceivedAt: now.Add(-time.Hour)},
			{ID: 2, WorkspaceID: ws, Author: "@bob", Text: "remboursement reçu, merci", Sentiment: "positive", Language: "fr", ReceivedAt: now.Add(-2 * time.Hour)},
		}, nil
	})
	var mod *moderation.Service
	b := setupDeps(t, func(d *Deps) {
		mod = &moderation.Service{Store: d.Store, Source: src}
		d.Moderation, d.CrisisSource = mod, spikeSource{}
	})
	br := b.browser(t)
	owner := br.signIn("owner@rules.example")
	ws := b.workspace(t, owner, "Brand", "brand")
	ctx := context.Background()

	res := br.get("/workspaces/brand/settings")
	require.Contains(t, res.Body, `href="/workspaces/brand/inbox/rules"`)
	res = br.get("/workspaces/brand/inbox/rules")
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Contains(t, res.Body, "No rules yet")

	// A saved reply, then a rule using it.
	res = br.post("/workspaces/brand/inbox/saved-replies", form("name", "Désolé", "lang", "fr", "body", "Bonjour {prenom}"))
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode)
	require.Contains(t, res.Body, "Unknown placeholder {prenom}")
	require.Contains(t, res.Body, `value="Désolé"`)
	res = br.post("/workspaces/brand/inbox/saved-replies", form("name", "Désolé", "lang", "fr", "body", "Bonjour {first_name}, nous regardons."))
	require.Equal(t, http.StatusSeeOther, res.StatusCode)
	replies, err := b.st.SavedReplies(ctx, ws.ID)
	require.NoError(t, err)
	require.Len(t, replies, 1)

	res = br.get("/workspaces/brand/inbox/rules/new")
	require.Contains(t, res.Body, fmt.Sprintf(`value="auto_reply:%d"`, replies[0].ID))
	res = br.post("/workspaces/brand/inbox/rules", form("name", "Remboursements", "keywords", "remboursement AND (", "action0", "hide"))
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode)
	require.Contains(t, res.Body, "a word or phrase is missing at the end")
	require.Contains(t, res.Body, `<option value="hide" selected>`, "the form keeps the choices")
	res = br.post("/workspaces/brand/inbox/rules", form("name", "Remboursements", "keywords", "remboursement AND NOT merci", "sentiment", "negative",
		"action0", "hide", "action1", fmt.Sprintf("auto_reply:%d", replies[0].ID), "labels", "remboursement, urgent", "enabled", "on"))
	require.Equal(t, http.StatusSeeOther, res.StatusCode, res.Body)
	res = br.post("/workspaces/brand/inbox/rules", form("name", "Tout", "action0", "priority:low", "enabled", "on", "stop", "on"))
	require.Equal(t, http.StatusSeeOther, res.StatusCode, res.Body)
	rules, err := mod.Rules(ctx, ws.ID)
	require.NoError(t, err)
	require.Len(t, rules, 2)
	first := rules[0]
	require.Equal(t, []moderation.Action{{Kind: "hide"}, {Kind: "auto_reply", Value: fmt.Sprint(replies[0].ID)}, {Kind: "label", Value: "remboursement"}, {Kind: "label", Value: "urgent"}}, first.Actions)
	require.Equal(t, []string{"negative"}, first.Conditions.Sentiments)

	res = br.get("/workspaces/brand/inbox/rules")
	require.Contains(t, res.Body, "Remboursements")
	require.Contains(t, res.Body, "Answer, don&#39;t delete: a rule cannot hide criticism", "the policy is shown")

	// Edit keeps the position; move changes it.
	res = br.get(fmt.Sprintf("/workspaces/brand/inbox/rules/%d", first.ID))
	require.Contains(t, res.Body, `value="remboursement AND NOT merci"`)
	require.Contains(t, res.Body, "remboursement, urgent")
	res = br.post(fmt.Sprintf("/workspaces/brand/inbox/rules/%d/save", first.ID), form("name", "Remboursements (fr)", "keywords", "remboursement", "language", "fr", "action0", "hide", "enabled", "on"))
	require.Equal(t, http.StatusSeeOther, res.StatusCode, res.Body)
	res = br.post(fmt.Sprintf("/workspaces/brand/inbox/rules/%d/move", first.ID), form("dir", "down"))
	require.Equal(t, http.StatusSeeOther, res.StatusCode)
	rules, err = mod.Rules(ctx, ws.ID)
	require.NoError(t, err)
	require.Equal(t, "Tout", rules[0].Name)
	require.Equal(t, "Remboursements (fr)", rules[1].Name)

	// Dry run: "Tout" stops first now; moved back up, the refund rule flags criticism.
	res = br.post(fmt.Sprintf("/workspaces/brand/inbox/rules/%d/move", first.ID), form("dir", "up"))
	require.Equal(t, http.StatusSeeOther, res.StatusCode)
	res = br.get("/workspaces/brand/inbox/rules/dry-run")
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Contains(t, res.Body, "the 2 messages of the last 30 days (2 matched")
	require.Contains(t, res.Body, "Flag for review × 1")
	require.Contains(t, res.Body, "Hide × 1", "the praising message is hidden: it is no criticism")
	require.Contains(t, res.Body, "Mon remboursement est en retard")

	// Settings: the owner may turn the policy off; an admin may not.
	res = br.get("/workspaces/brand/inbox/settings")
	require.Contains(t, res.Body, `value="60"`)
	res = br.post("/workspaces/brand/inbox/settings", form("sla_minutes", "0", "criticism", "on"))
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode)
	require.Contains(t, res.Body, "between 1 and 10080 minutes")
	res = br.post("/workspaces/brand/inbox/settings", form("sla_minutes", "45"))
	require.Equal(t, http.StatusSeeOther, res.StatusCode)
	set, err := b.st.InboxSettings(ctx, ws.ID)
	require.NoError(t, err)
	require.Equal(t, 45, set.SLAMinutes)
	require.False(t, set.CriticismNeedsPerson)

	admin := b.browser(t)
	au := admin.signIn("admin@rules.example")
	require.NoError(t, b.st.AddMember(ctx, ws.ID, au.ID, store.RoleAdmin))
	res = admin.get("/workspaces/brand/inbox/settings")
	require.Contains(t, res.Body, "disabled")
	res = admin.post("/workspaces/brand/inbox/settings", form("sla_minutes", "30", "criticism", "on"))
	require.Equal(t, http.StatusSeeOther, res.StatusCode)
	set, err = b.st.InboxSettings(ctx, ws.ID)
	require.NoError(t, err)
	require.Equal(t, 30, set.SLAMinutes)
	require.False(t, set.CriticismNeedsPerson, "an admin's box is ignored: the owner's choice stays")

	// A viewer sees saved replies and the crisis view, not the rules.
	viewer := b.browser(t)
	vu := viewer.signIn("viewer@rules.example")
	require.NoError(t, b.st.AddMember(ctx, ws.ID, vu.ID, store.RoleViewer))
	require.Equal(t, http.StatusNotFound, viewer.get("/workspaces/brand/inbox/rules").StatusCode)
	require.Equal(t, http.StatusNotFound, viewer.post("/workspaces/brand/inbox/rules", form("name", "x", "action0", "spam")).StatusCode)
	res = viewer.get("/workspaces/brand/inbox/saved-replies")
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Contains(t, res.Body, "nous regardons")
	require.NotContains(t, res.Body, "Add saved reply")

	// The crisis view runs the test on the hour in progress.
	res = viewer.get("/workspaces/brand/inbox/crisis")
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Contains(t, res.Body, "Spike of negative messages")
	require.Contains(t, res.Body, "40 negative messages this hour")
	require.Contains(t, res.Body, "boycott")
	require.Contains(t, res.Body, "@angry0")
	require.Contains(t, res.Body, `class="card crisis-group"`, "the messages grouped by spiking term")

	// Removing.
	res = br.post(fmt.Sprintf("/workspaces/brand/inbox/rules/%d/remove", first.ID), nil)
	require.Equal(t, http.StatusSeeOther, res.StatusCode)
	res = br.post(fmt.Sprintf("/workspaces/brand/inbox/saved-replies/%d/remove", replies[0].ID), nil)
	require.Equal(t, http.StatusSeeOther, res.StatusCode)
	other := b.browser(t)
	other.signIn("other@rules.example")
	require.Equal(t, http.StatusNotFound, other.get(fmt.Sprintf("/workspaces/brand/inbox/rules/%d", rules[0].ID)).StatusCode)
}

// A French owner reads the rule form's refusals in French.
func TestInboxRuleErrorsInFrench(t *testing.T) {
	t.Parallel()
	b := setup(t)
	br := b.browser(t)
	br.lang = "fr"
	u := br.signIn("gerante@rules.example")
	b.workspace(t, u, "Boutique", "boutique")
	for _, tc := range []struct {
		form url.Values
		want string
	}{
		{form("name", "R", "keywords", "remboursement AND (", "action0", "spam"), "Les mots-clés ne se lisent pas"},
		{form("name", "R", "from", "22:00", "action0", "spam"), "Une plage horaire a besoin d&#39;un début et d&#39;une fin"},
		{form("name", "R"), "Une règle a besoin d&#39;au moins une action"},
	} {
		res := br.post("/workspaces/boutique/inbox/rules", tc.form)
		require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode)
		require.Contains(t, res.Body, tc.want)
	}
	res := br.post("/workspaces/boutique/inbox/saved-replies", form("name", "Merci", "lang", "fr", "body", "Merci {prenom}"))
	require.Contains(t, res.Body, "Champ à remplacer inconnu ou incomplet")
}
