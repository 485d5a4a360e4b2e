package inbox_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/channel"
	"github.com/relais/relais/internal/inbox"
	"github.com/relais/relais/internal/network"
	_ "github.com/relais/relais/internal/network/mastodon" // registers the provider
	"github.com/relais/relais/internal/network/mastodon/gotosocialtest"
	"github.com/relais/relais/internal/secret"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/store/storetest"
)

func TestMain(m *testing.M) {
	// The test servers run on loopback; set once here because t.Setenv and
	// t.Parallel do not mix.
	os.Setenv("RELAIS_ALLOW_PRIVATE_HOSTS", "true")
	os.Exit(m.Run())
}

// heard records the messages a hook hears about.
type heard struct {
	mu  sync.Mutex
	ids []int64
}

func (h *heard) Received(_ context.Context, m inbox.Message) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.ids = append(h.ids, m.ID)
	return nil
}

func (h *heard) count(id int64) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for _, x := range h.ids {
		if x == id {
			n++
		}
	}
	return n
}

type fixture struct {
	st    store.Store
	chans *channel.Service
	svc   *inbox.Service
	hook  *heard
	p     auth.Principal
	ch    store.Channel
}

func setup(t *testing.T, dialect, gts string) fixture {
	return setupWith(t, dialect, gts, gotosocialtest.Zork.Token)
}

// setupWith connects a Mastodon-API channel on the instance with the token.
func setupWith(t *testing.T, dialect, instance, token string) fixture {
	return setupChannel(t, dialect, network.Mastodon, map[string]string{"instance": instance, "access_token": token})
}

// setupChannel connects a channel of the network with the connect form's input.
func setupChannel(t *testing.T, dialect string, kind network.Kind, input map[string]string) fixture {
	ctx := context.Background()
	st := storetest.Open(t, dialect)
	kr, err := secret.New("k1", map[string][]byte{"k1": bytes.Repeat([]byte{5}, 32)})
	require.NoError(t, err)
	allow := true
	chans := &channel.Service{Store: st, Keyring: kr, Env: network.Env{HTTP: network.NewHTTPClient(network.HTTPOptions{AllowPrivate: &allow})}}
	owner := storetest.NewUser(t, st, "owner@inbox.example")
	ws := store.Workspace{Name: "Brand", Slug: "brand", Timezone: "UTC"}
	require.NoError(t, st.CreateWorkspace(ctx, &ws, owner.ID))
	p, err := auth.NewService(st).Principal(ctx, owner, ws.ID)
	require.NoError(t, err)
	ch, err := chans.Connect(ctx, p, kind, input)
	require.NoError(t, err)
	h := &heard{}
	return fixture{st: st, chans: chans, svc: &inbox.Service{Store: st, Connectors: chans, Hooks: []inbox.Hook{h}}, hook: h, p: p, ch: ch}
}

// publish puts a relais post on the channel through its connector and
// records the publication as the engine does.
func (f fixture) publish(t *testing.T, text string) (store.Post, store.Publication) {
	ctx := context.Background()
	ws := f.p.Workspace.ID
	post := storetest.NewPosts(t, f.st, ws, 1, f.ch.ID)[0]
	now := time.Now().UTC()
	_, err := f.st.SchedulePosts(ctx, ws, []int64{post.ID}, now, "UTC", now)
	require.NoError(t, err)
	jobs, err := f.st.ClaimDue(ctx, "test", now, now.Add(time.Minute), now, 10)
	require.NoError(t, err)
	require.Len(t, jobs, 1)
	_, err = f.st.MarkPublishing(ctx, []store.ClaimRef{{ID: jobs[0].ID, Claim: jobs[0].Claim}}, now.Add(time.Minute), now)
	require.NoError(t, err)
	pubs, err := f.st.Publications(ctx, ws, post.ID)
	require.NoError(t, err)
	conn, _, err := f.chans.Connector(ctx, ws, f.ch.ID)
	require.NoError(t, err)
	res, err := conn.Publish(ctx, network.PublishRequest{IdempotencyKey: pubs[0].IdempotencyKey, CreatedAt: pubs[0].CreatedAt, Parts: []network.Part{{Text: text}}})
	require.NoError(t, err)
	done, _ := json.Marshal(res.Parts)
	_, err = f.st.SaveResults(ctx, []store.PublishResult{{ID: pubs[0].ID, Claim: pubs[0].Claim, From: store.PubPublishing, State: store.PubPublished,
		RemoteID: res.Parts[0].ID, URL: res.Parts[0].URL, DoneParts: done}}, now)
	require.NoError(t, err)
	pub, err := f.st.Publication(ctx, ws, pubs[0].ID)
	require.NoError(t, err)
	return post, pub
}

// waitMessage syncs until the message with the word is in the inbox.
func (f fixture) waitMessage(t *testing.T, word string) inbox.Message {
	ctx := context.Background()
	deadline := time.Now().Add(30 * time.Second)
	for {
		_, err := f.svc.SyncWorkspace(ctx, f.p.Workspace.ID)
		require.NoError(t, err)
		l, err := f.svc.List(ctx, f.p, store.MessageFilter{Search: word})
		require.NoError(t, err)
		if len(l) > 0 {
			require.Len(t, l, 1, "one message, however often it was read")
			return l[0]
		}
		require.True(t, time.Now().Before(deadline), "the reply with %q never reached the inbox", word)
		time.Sleep(500 * time.Millisecond)
	}
}

// TestNegativeCommentAnsweredOnGoToSocial: a follower answers a relais post
// with a complaint on the real GoToSocial server; the sync brings it into the
// inbox once, classified and threaded under the post; the reply from the
// inbox is on the server as an answer to the comment, exactly once.
func TestNegativeCommentAnsweredOnGoToSocial(t *testing.T) {
	t.Parallel()
	gts := gotosocialtest.URL(t)
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			f := setup(t, d, gts)
			word := gotosocialtest.Unique("inboxword")
			post, pub := f.publish(t, "Our new parcel service starts today "+word)
			comment := gotosocialtest.Post(t, gts, gotosocialtest.Mogul, "@the_mighty_zork This is terrible, my parcel never arrived and nobody answers. "+word, pub.RemoteID)

			m := f.waitMessage(t, word)
			require.Equal(t, comment.ID, m.RemoteID)
			require.Equal(t, store.KindReply, m.Kind)
			require.Equal(t, post.ID, m.PostID, "threaded under the relais post")
			require.Equal(t, pub.ID, m.PublicationID)
			require.Equal(t, pub.RemoteID, m.RootRemoteID)
			require.Equal(t, "negative", m.Sentiment)
			require.Equal(t, "en", m.Language)
			require.Contains(t, m.Themes, "delivery")
			require.Equal(t, "@media_mogul", m.AuthorHandle)
			require.Equal(t, store.MessageOpen, m.State)
			require.NotEmpty(t, m.URL)
			require.Equal(t, 1, f.hook.count(m.ID))

			// Read again: nothing new, the hook is not called twice.
			_, err := f.svc.SyncWorkspace(ctx, f.p.Workspace.ID)
			require.NoError(t, err)
			require.Equal(t, 1, f.hook.count(m.ID))

			th, err := f.svc.Get(ctx, f.p, m.ID)
			require.NoError(t, err)
			require.NotNil(t, th.Post)
			require.Equal(t, post.ID, th.Post.ID)
			require.NotNil(t, th.Publication)

			text := "We are sorry, a colleague is looking for your parcel now. " + word
			r, err := f.svc.Reply(ctx, f.p, m.ID, text, "")
			require.NoError(t, err)
			require.Equal(t, store.ReplySent, r.State)
			require.NotEmpty(t, r.URL)
			got := gotosocialtest.GetStatus(t, gts, gotosocialtest.Zork, r.RemoteID)
			require.Equal(t, comment.ID, got.InReplyToID, "a reply to the comment")
			require.Contains(t, got.Content, "looking for your parcel")

			// Asked again (a form sent twice): the same reply, nothing new on the server.
			again, err := f.svc.Reply(ctx, f.p, m.ID, text, "")
			require.NoError(t, err)
			require.Equal(t, r.ID, again.ID)
			require.Len(t, gotosocialtest.RepliesBy(t, gts, gotosocialtest.Zork, comment.ID, ""), 1)

			th, err = f.svc.Get(ctx, f.p, m.ID)
			require.NoError(t, err)
			require.True(t, th.Message.Answered)
			require.Len(t, th.Replies, 1)
			require.Equal(t, r.URL, th.Replies[0].URL)

			// Our own reply never comes back into the inbox as a message.
			_, err = f.svc.SyncWorkspace(ctx, f.p.Workspace.ID)
			require.NoError(t, err)
			l, err := f.svc.List(ctx, f.p, store.MessageFilter{Search: word})
			require.NoError(t, err)
			require.Len(t, l, 1)
		})
	}
}

// TestReplyRecoveredAfterCrash: a reply recorded and then cut short — before
// the call, or after the server took it but before relais heard the answer —
// is settled by the recovery without a second copy on the server.
func TestReplyRecoveredAfterCrash(t *testing.T) {
	t.Parallel()
	gts := gotosocialtest.URL(t)
	ctx := context.Background()
	f := setup(t, "sqlite", gts)
	word := gotosocialtest.Unique("inboxcrash")
	_, pub := f.publish(t, "A post to crash on "+word)
	comment := gotosocialtest.Post(t, gts, gotosocialtest.Mogul, "@the_mighty_zork where is my order? "+word, pub.RemoteID)
	m := f.waitMessage(t, word)
	ws := f.p.Workspace.ID

	for _, tc := range []struct {
		name      string
		sentFirst bool
	}{
		{"crash before the call", false},
		{"crash after the call", true},
	} {
		text := "Answer " + tc.name + " " + word
		r := store.Reply{WorkspaceID: ws, MessageID: m.ID, AuthorID: f.p.User.ID, Text: text, IdempotencyKey: inbox.ReplyKey(m.ID, text)}
		require.NoError(t, f.st.CreateReply(ctx, &r))
		if tc.sentFirst {
			conn, _, err := f.chans.Connector(ctx, ws, f.ch.ID)
			require.NoError(t, err)
			_, err = conn.(network.Replier).Reply(ctx, comment.ID, text)
			require.NoError(t, err)
		}
		n, err := f.svc.RecoverReplies(ctx, 0)
		require.NoError(t, err, tc.name)
		require.Equal(t, 1, n, tc.name)
		got, err := f.st.ReplyByKey(ctx, ws, r.IdempotencyKey)
		require.NoError(t, err)
		require.Equal(t, store.ReplySent, got.State, tc.name)
		require.NotEmpty(t, got.URL, tc.name)
		require.Len(t, gotosocialtest.RepliesBy(t, gts, gotosocialtest.Zork, comment.ID, tc.name), 1, "%s: exactly one reply on the server", tc.name)
		// Asked again with the same text: the recorded reply, no new call.
		again, err := f.svc.Reply(ctx, f.p, m.ID, text, "")
		require.NoError(t, err)
		require.Equal(t, got.ID, again.ID)
	}
	require.Len(t, gotosocialtest.RepliesBy(t, gts, gotosocialtest.Zork, comment.ID, ""), 2)
}
