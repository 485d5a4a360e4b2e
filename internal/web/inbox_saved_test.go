package web

import (
	"context"
	"fmt"
	"html"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/inboxrules"
	"github.com/relais/relais/internal/moderation"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/store/storetest"
)

// TestReplyBoxOffersSavedReplies: the message page's reply box offers the
// workspace's saved replies, those in the message's language first, with
// the message's placeholders filled and the unfillable ones left to write,
// and links to the saved replies page.
func TestReplyBoxOffersSavedReplies(t *testing.T) {
	t.Parallel()
	b := setup(t)
	br := b.browser(t)
	owner := br.signIn("owner@saved.example")
	ws := b.workspace(t, owner, "Brand", "brand")
	ctx := context.Background()
	ch := storetest.NewChannel(t, b.st, ws.ID, "mastodon", "brand")
	for _, r := range []store.SavedReply{
		{Name: "Thanks", Lang: "en", Body: "Thank you {first_name}!"},
		{Name: "Merci", Lang: "fr", Body: "Merci {first_name}, {channel} s'en occupe."},
		{Name: "Suivi", Lang: "fr", Body: "Votre suivi : {order_link}"},
	} {
		r.WorkspaceID = ws.ID
		require.NoError(t, b.st.CreateSavedReply(ctx, &r))
	}
	m := &store.Message{WorkspaceID: ws.ID, ChannelID: ch.ID, Network: "mastodon", RemoteID: "c1", Kind: store.KindReply,
		AuthorHandle: "@claire@example.org", AuthorName: "Claire Dupont", Text: "Où est mon colis ?", Language: "fr", Sentiment: "negative"}
	_, err := b.st.InsertMessages(ctx, []*store.Message{m})
	require.NoError(t, err)

	// What a rule did is signed by the rule (user 0).
	require.NoError(t, b.st.AddNote(ctx, &store.Note{WorkspaceID: ws.ID, MessageID: m.ID, Text: "Rule \"Hide\": flagged for review"}))

	res := br.get(fmt.Sprintf("/workspaces/brand/inbox/%d", m.ID))
	require.Equal(t, 200, res.StatusCode)
	body := html.UnescapeString(res.Body)
	merci := `<option value="Merci Claire, @brand s'en occupe.">Merci (fr)</option>`
	require.Contains(t, body, merci, "filled with the message's values")
	require.Contains(t, body, `<option value="Votre suivi : {order_link}">Suivi (fr) · placeholders to fill</option>`)
	thanks := `<option value="Thank you Claire!">Thanks (en)</option>`
	require.Contains(t, body, thanks)
	require.Less(t, strings.Index(body, merci), strings.Index(body, thanks), "the message's language first")
	require.Contains(t, body, `href="/workspaces/brand/inbox/saved-replies"`)
	require.Contains(t, body, `a moderation rule · `)

	res = br.get("/workspaces/brand/inbox")
	require.Contains(t, res.Body, `href="/workspaces/brand/inbox/saved-replies"`, "the inbox links to the saved replies")
	require.Contains(t, res.Body, `href="/workspaces/brand/inbox?label=needs-review"`, "and to what rules flagged for review")
}

// TestDashboardResponseTimes: the dashboard shows the inbox's response rate
// over 30 days against the workspace's target, from the replies sent.
func TestDashboardResponseTimes(t *testing.T) {
	t.Parallel()
	b := setupDeps(t, func(d *Deps) {
		d.Moderation = &moderation.Service{Store: d.Store, Records: inboxrules.Source{Store: d.Store}}
	})
	br := b.browser(t)
	owner := br.signIn("owner@sla.example")
	ws := b.workspace(t, owner, "Brand", "brand")
	ctx := context.Background()

	res := br.get("/workspaces/brand/")
	require.Contains(t, res.Body, "No inbox messages in 30 days")

	ch := storetest.NewChannel(t, b.st, ws.ID, "mastodon", "brand")
	now := time.Now().UTC()
	answered := &store.Message{WorkspaceID: ws.ID, ChannelID: ch.ID, Network: "mastodon", RemoteID: "a", Kind: store.KindReply, Text: "?", ReceivedAt: now.Add(-time.Hour)}
	waiting := &store.Message{WorkspaceID: ws.ID, ChannelID: ch.ID, Network: "mastodon", RemoteID: "b", Kind: store.KindReply, Text: "?", ReceivedAt: now.Add(-time.Hour)}
	_, err := b.st.InsertMessages(ctx, []*store.Message{answered, waiting})
	require.NoError(t, err)
	r := store.Reply{WorkspaceID: ws.ID, MessageID: answered.ID, AuthorID: owner.ID, Text: "!", IdempotencyKey: "k", CreatedAt: now}
	require.NoError(t, b.st.CreateReply(ctx, &r))
	sent := now.Add(-40 * time.Minute)
	r.State, r.SentAt = store.ReplySent, &sent
	require.NoError(t, b.st.FinishReply(ctx, r))

	res = br.get("/workspaces/brand/")
	body := html.UnescapeString(res.Body)
	require.Contains(t, body, "50 %")
	require.Contains(t, body, "1 of 2 messages answered in 30 days")
	require.Contains(t, body, "50 % within the 60-minute target · median first response 20 min")
}
