package api_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/store"
)

// TestInboxAPI: filters, one reply per idempotency key, a reason to hide,
// and no reach into another workspace's inbox.
func TestInboxAPI(t *testing.T) {
	t.Parallel()
	e := setup(t, "sqlite")
	ch, err := e.a.ConnectChannel(ctx, string(apiTestKind), map[string]string{"name": "inboxapi"})
	require.NoError(t, err)
	ms := []*store.Message{
		{WorkspaceID: e.wsA.ID, ChannelID: ch.ID, Network: string(apiTestKind), RemoteID: "c1", Kind: store.KindReply, AuthorHandle: "@ann",
			Text: "My parcel never arrived, this is awful", Language: "en", Sentiment: "negative"},
		{WorkspaceID: e.wsA.ID, ChannelID: ch.ID, Network: string(apiTestKind), RemoteID: "c2", Kind: store.KindMention, AuthorHandle: "@bob",
			Text: "Love the new collection", Language: "en", Sentiment: "positive"},
	}
	_, err = e.st.InsertMessages(ctx, ms)
	require.NoError(t, err)
	neg := idStr(ms[0].ID)

	var page struct {
		Messages []map[string]any `json:"messages"`
	}
	require.Equal(t, 200, send(t, e, e.tokA, "GET", "/inbox?sentiment=negative", "", "", &page))
	require.Len(t, page.Messages, 1)
	require.Equal(t, "@ann", page.Messages[0]["author"])
	require.Equal(t, 200, send(t, e, e.tokA, "GET", "/inbox?q=collection", "", "", &page))
	require.Len(t, page.Messages, 1)
	require.Equal(t, "c2", page.Messages[0]["remote_id"])
	require.Equal(t, 200, send(t, e, e.tokA, "GET", "/inbox?limit=1", "", "", &page))
	require.Len(t, page.Messages, 1)

	// One reply per key: the same request twice is one reply.
	var r1, r2 map[string]any
	require.Equal(t, 200, send(t, e, e.tokA, "POST", "/inbox/"+neg+"/reply", "application/json", `{"text":"Sorry, we are on it"}`, &r1))
	require.Equal(t, "sent", r1["state"])
	require.Equal(t, "https://apitest.example/reply-to-c1", r1["url"])
	require.Equal(t, 200, send(t, e, e.tokA, "POST", "/inbox/"+neg+"/reply", "application/json", `{"text":"Sorry, we are on it"}`, &r2))
	require.Equal(t, r1["id"], r2["id"])
	var th struct {
		Message map[string]any   `json:"message"`
		Replies []map[string]any `json:"replies"`
	}
	require.Equal(t, 200, send(t, e, e.tokA, "GET", "/inbox/"+neg, "", "", &th))
	require.Len(t, th.Replies, 1)
	require.Equal(t, true, th.Message["answered"])

	var bad struct {
		Error struct{ Code, Field, Message string } `json:"error"`
	}
	for _, tc := range []struct {
		path, body, field string
	}{
		{"/inbox/" + neg + "/hide", `{"reason":"  "}`, "reason"},
		{"/inbox/" + neg + "/reply", `{"text":""}`, "text"},
		{"/inbox/" + neg + "/assign", `{"assignee":"nobody@example.com"}`, "assignee"},
		{"/inbox/" + neg + "/labels", `{"add":"no spaces allowed"}`, "add_label"},
	} {
		require.Equal(t, 422, send(t, e, e.tokA, "POST", tc.path, "application/json", tc.body, &bad), tc.path)
		require.Equal(t, tc.field, bad.Error.Field, tc.path)
	}
	var mod map[string]any
	require.Equal(t, 200, send(t, e, e.tokA, "POST", "/inbox/"+neg+"/hide", "application/json", `{"reason":"Shares a customer's address"}`, &mod))
	require.Equal(t, "done", mod["outcome"])
	require.Equal(t, "a@example.com", mod["by"])

	// Workspace B sees nothing of A's inbox.
	require.Equal(t, 404, send(t, e, e.tokB, "GET", "/inbox/"+neg, "", "", nil))
	require.Equal(t, 404, send(t, e, e.tokB, "POST", "/inbox/"+neg+"/reply", "application/json", `{"text":"Hi"}`, nil))
	var changed struct {
		Changed int `json:"changed"`
	}
	require.Equal(t, 200, send(t, e, e.tokB, "POST", "/inbox/bulk", "application/json", `{"ids":[`+neg+`],"state":"closed"}`, &changed))
	require.Zero(t, changed.Changed)
	require.Equal(t, 200, send(t, e, e.tokB, "GET", "/inbox", "", "", &page))
	require.Empty(t, page.Messages)
}

// TestInboxCriticismAPI: the report of criticism left unanswered lists the
// negative message nobody answered, and not the answered one; another
// workspace sees none of it, and its channel id is not found.
func TestInboxCriticismAPI(t *testing.T) {
	t.Parallel()
	e := setup(t, "sqlite")
	ch, err := e.a.ConnectChannel(ctx, string(apiTestKind), map[string]string{"name": "criticismapi"})
	require.NoError(t, err)
	ms := []*store.Message{
		{WorkspaceID: e.wsA.ID, ChannelID: ch.ID, Network: string(apiTestKind), RemoteID: "k1", Kind: store.KindReply, AuthorHandle: "@ann",
			Text: "Broken on arrival", Language: "en", Sentiment: "negative"},
		{WorkspaceID: e.wsA.ID, ChannelID: ch.ID, Network: string(apiTestKind), RemoteID: "k2", Kind: store.KindReply, AuthorHandle: "@bob",
			Text: "Worst service ever", Language: "en", Sentiment: "negative"},
	}
	_, err = e.st.InsertMessages(ctx, ms)
	require.NoError(t, err)
	require.Equal(t, 200, send(t, e, e.tokA, "POST", "/inbox/"+idStr(ms[1].ID)+"/reply", "application/json", `{"text":"Sorry, calling you now"}`, nil))

	var rep struct {
		Total     int              `json:"total"`
		ByChannel []map[string]any `json:"by_channel"`
		Messages  []map[string]any `json:"messages"`
	}
	require.Equal(t, 200, send(t, e, e.tokA, "GET", "/inbox/criticism", "", "", &rep))
	require.Equal(t, 1, rep.Total)
	require.Len(t, rep.Messages, 1)
	require.Equal(t, "@ann", rep.Messages[0]["author"])
	require.Len(t, rep.ByChannel, 1)
	require.EqualValues(t, ch.ID, rep.ByChannel[0]["channel_id"])
	require.EqualValues(t, 1, rep.ByChannel[0]["count"])
	require.Equal(t, 200, send(t, e, e.tokA, "GET", "/inbox/criticism?channel_id="+idStr(ch.ID)+"&limit=1", "", "", &rep))
	require.Len(t, rep.Messages, 1)

	var bad struct {
		Error struct{ Code, Field, Message string } `json:"error"`
	}
	require.Equal(t, 422, send(t, e, e.tokA, "GET", "/inbox/criticism?limit=501", "", "", &bad))
	require.Equal(t, 200, send(t, e, e.tokB, "GET", "/inbox/criticism", "", "", &rep))
	require.Zero(t, rep.Total)
	require.Empty(t, rep.Messages)
	require.Equal(t, 404, send(t, e, e.tokB, "GET", "/inbox/criticism?channel_id="+idStr(ch.ID), "", "", nil))
}
