package web

import (
	"context"
	"fmt"
	"html"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

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

	res = br.get("/workspaces/brand/inbox")
	require.Contains(t, res.Body, `href="/workspaces/brand/inbox/saved-replies"`, "the inbox links to the saved replies")
	require.Contains(t, res.Body, `href="/workspaces/brand/inbox?label=needs-review"`, "and to what rules flagged for review")
}
