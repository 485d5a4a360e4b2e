package mastodon

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/network/mastodon/mastodontest"
)

// TestStreamDeliversMentions: the connector opens the user:notification
// stream at the origin the instance announces and turns each pushed mention
// notification into an event carrying the status as a comment; when the
// server cuts the connection Stream returns a retryable error.
func TestStreamDeliversMentions(t *testing.T) {
	t.Parallel()
	b := setup(t, mastodontest.Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	events := make(chan network.StreamEvent, 8)
	connected := make(chan struct{}, 1)
	ended := make(chan error, 1)
	go func() {
		ended <- b.conn.Stream(ctx, network.Stream{Name: "user:notification"}, func() { connected <- struct{}{} }, func(ev network.StreamEvent) { events <- ev })
	}()
	recv(t, connected, "the stream to connect")
	id := b.srv.AddMention("bob@remote.example", "@alice your parcel never came")
	ev := recv(t, events, "the mention's event")
	require.Equal(t, "notification", ev.Type)
	require.Equal(t, "mention", ev.Notification)
	require.NotNil(t, ev.Comment)
	require.Equal(t, id, ev.Comment.RemoteID)
	require.Equal(t, "mention", ev.Comment.Kind)
	require.Equal(t, "@bob@remote.example", ev.Comment.AuthorHandle)
	require.Contains(t, ev.Comment.Text, "your parcel never came")

	require.Equal(t, 1, b.srv.DropStreams())
	err := recv(t, ended, "the stream to end")
	requireClass(t, err, network.Retryable)
	require.NotContains(t, err.Error(), b.srv.Token(), "the token never shows in an error")
	// The fake records a request when its handler returns, which for a
	// stream can be just after the client saw the connection end.
	require.Eventually(t, func() bool { return b.srv.Count("GET /api/v1/streaming") == 1 }, 5*time.Second, 10*time.Millisecond)
	for _, r := range b.srv.Requests() {
		if r.Route == "GET /api/v1/streaming" {
			require.Equal(t, "user:notification", r.Query.Get("stream"))
			require.Equal(t, http.StatusSwitchingProtocols, r.Status)
		}
	}
}

// TestStreamRefusals: a refused token needs reconnecting, an unknown
// stream is invalid, and a hashtag stream sends its tag.
func TestStreamRefusals(t *testing.T) {
	t.Parallel()
	b := setup(t, mastodontest.Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := b.conn.Stream(ctx, network.Stream{Name: "nonsense"}, nil, nil)
	requireClass(t, err, network.InvalidContent)

	connected := make(chan struct{})
	go func() {
		_ = b.conn.Stream(ctx, network.Stream{Name: "hashtag", Tag: "#relais"}, func() { close(connected) }, nil)
	}()
	recv(t, connected, "the hashtag stream to connect")
	var tag string
	for _, r := range b.srv.Requests() {
		if r.Route == "GET /api/v1/streaming" && r.Query.Get("stream") == "hashtag" {
			tag = r.Query.Get("tag")
		}
	}
	b.srv.DropStreams()
	require.Eventually(t, func() bool {
		for _, r := range b.srv.Requests() {
			if r.Route == "GET /api/v1/streaming" && r.Query.Get("stream") == "hashtag" {
				tag = r.Query.Get("tag")
			}
		}
		return tag != ""
	}, 5*time.Second, 10*time.Millisecond)
	require.Equal(t, "relais", tag)

	b.srv.Revoke(b.srv.Token())
	err = b.conn.Stream(ctx, network.Stream{}, nil, nil)
	ne := requireClass(t, err, network.AuthReconnect)
	require.Contains(t, ne.Message, "revoked", "the server's own words")
}

// recv waits for one value on c, failing the test after 10 s instead of
// hanging the package until the suite's timeout.
func recv[T any](t *testing.T, c <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-c:
		return v
	case <-time.After(10 * time.Second):
		t.Fatalf("waited 10 s for %s", what)
		panic("unreachable")
	}
}

func TestStreamOrigin(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ announced, instance, domain, want string }{
		// GoToSocial's test data announces its public name; the API address is used.
		{"wss://localhost:8080", "http://127.0.0.1:18080", "localhost:8080", "ws://127.0.0.1:18080"},
		// A separate streaming server is used as announced.
		{"wss://streaming.example.social", "https://example.social", "example.social", "wss://streaming.example.social"},
		{"https://streaming.example.social/", "https://example.social", "example.social", "wss://streaming.example.social"},
		// Nothing announced (older servers): the API's origin.
		{"", "https://pleroma.example", "pleroma.example", "wss://pleroma.example"},
	} {
		require.Equal(t, c.want, streamOrigin(c.announced, c.instance, c.domain), c)
	}
}

func TestDecodeStreamEvent(t *testing.T) {
	t.Parallel()
	ev, ok := decodeStreamEvent([]byte(`{"stream":["public"],"event":"update","payload":"{\"id\":\"42\",\"content\":\"<p>hi #relais</p>\",\"account\":{\"id\":\"7\",\"acct\":\"eve@x.example\"}}"}`))
	require.True(t, ok)
	require.Equal(t, "update", ev.Type)
	require.Equal(t, "42", ev.ID)
	require.Equal(t, "hi #relais", ev.Comment.Text)
	_, isPost := ev.Data.(PublicPost)
	require.True(t, isPost, "an update carries the public post for listening")
	ev, ok = decodeStreamEvent([]byte(`{"stream":["hashtag","relais"],"event":"update","payload":"{\"id\":\"43\",\"uri\":\"https://x.example/s/43\",\"content\":\"<p>#relais rocks @zork</p>\",\"account\":{\"id\":\"7\",\"acct\":\"eve@x.example\",\"followers_count\":1200},\"tags\":[{\"name\":\"relais\"}],\"mentions\":[{\"acct\":\"zork\"}]}"}`))
	require.True(t, ok)
	p, isPost := ev.Data.(PublicPost)
	require.True(t, isPost, "the hashtag stream's post")
	require.Equal(t, "https://x.example/s/43", p.URI)
	require.Equal(t, int64(1200), p.Followers)
	require.Equal(t, []string{"relais"}, p.Tags)
	require.Equal(t, []string{"zork"}, p.Mentions)
	ev, ok = decodeStreamEvent([]byte(`{"stream":["public"],"event":"update","payload":"{\"id\":\"44\",\"content\":\"\",\"account\":{\"id\":\"8\",\"acct\":\"bob\"},\"reblog\":{\"id\":\"43\"}}"}`))
	require.True(t, ok)
	require.Nil(t, ev.Data, "a boost is read where it was posted")
	ev, ok = decodeStreamEvent([]byte(`{"stream":["public"],"event":"delete","payload":"42"}`))
	require.True(t, ok)
	require.Equal(t, network.StreamEvent{Type: "delete", ID: "42"}, ev)
	_, ok = decodeStreamEvent([]byte(`{"event":"notification","payload":"not json"}`))
	require.False(t, ok)
	_, ok = decodeStreamEvent([]byte(`:thump`))
	require.False(t, ok)
}
