package listen_test

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/channel"
	"github.com/relais/relais/internal/listen"
	"github.com/relais/relais/internal/network"
	_ "github.com/relais/relais/internal/network/mastodon" // registers the provider
	"github.com/relais/relais/internal/network/mastodon/gotosocialtest"
	"github.com/relais/relais/internal/secret"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/store/storetest"
)

func TestMain(m *testing.M) {
	os.Setenv("RELAIS_ALLOW_PRIVATE_HOSTS", "true")
	os.Exit(m.Run())
}

// Another account publishes on the real GoToSocial server; listening finds
// the post on the public timeline and on its hashtag's timeline, stores it
// once, scored, and a second poll adds nothing.
func TestGoToSocialMentionFound(t *testing.T) {
	gts := gotosocialtest.URL(t)
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			ctx := context.Background()
			st := storetest.Open(t, d)
			kr, err := secret.New("k1", map[string][]byte{"k1": bytes.Repeat([]byte{5}, 32)})
			require.NoError(t, err)
			allow := true
			chans := &channel.Service{Store: st, Keyring: kr, Env: network.Env{HTTP: network.NewHTTPClient(network.HTTPOptions{AllowPrivate: &allow})}}
			owner := storetest.NewUser(t, st, "owner@listen.example")
			ws := store.Workspace{Name: "Brand", Slug: "brand", Timezone: "UTC"}
			require.NoError(t, st.CreateWorkspace(ctx, &ws, owner.ID))
			p, err := auth.NewService(st).Principal(ctx, owner, ws.ID)
			require.NoError(t, err)
			_, err = chans.Connect(ctx, p, network.Mastodon, map[string]string{"instance": gts, "access_token": gotosocialtest.Zork.Token})
			require.NoError(t, err)

			svc := &listen.Service{Store: st, Connectors: chans, Log: slog.New(slog.DiscardHandler)}
			word := gotosocialtest.Unique("brandword")
			tag := gotosocialtest.Unique("tag")
			_, err = svc.AddQuery(ctx, ws.ID, owner.ID, listen.Spec{Name: "brand", Keywords: word + ` AND "terrible service"`})
			require.NoError(t, err)
			_, err = svc.AddQuery(ctx, ws.ID, owner.ID, listen.Spec{Name: "tag", Hashtags: []string{"#" + tag}, Networks: []string{"mastodon"}})
			require.NoError(t, err)
			// A first poll sets the cursors before the post exists.
			_, err = svc.PollMastodon(ctx)
			require.NoError(t, err)

			post := gotosocialtest.Post(t, gts, gotosocialtest.Admin, "Honestly "+word+" has a terrible service, never again #"+tag, "")
			res, err := svc.PollMastodon(ctx)
			require.NoError(t, err)
			require.Equal(t, 1, res.New, "the post is stored once though both timelines and both queries found it")

			ms, err := st.Mentions(ctx, ws.ID, store.MentionFilter{})
			require.NoError(t, err)
			var found *store.Mention
			for i := range ms {
				if ms[i].URL == post.URL {
					found = &ms[i]
				}
			}
			require.NotNil(t, found, "the post is a mention")
			require.Equal(t, "mastodon", found.Network)
			require.Equal(t, "admin", found.Author)
			require.Len(t, found.QueryIDs, 2, "both queries matched")
			require.Equal(t, "negative", found.Sentiment)
			require.Equal(t, "en", found.Lang)
			require.Equal(t, post.URI, found.RemoteID)

			res, err = svc.PollMastodon(ctx)
			require.NoError(t, err)
			require.Zero(t, res.New, "a second poll stores nothing again")
		})
	}
}

// With the streams running (and no poll), a post by another account on the
// real GoToSocial server reaches listening through the public and hashtag
// streams at once, stored once and scored.
func TestGoToSocialStreamedMention(t *testing.T) {
	gts := gotosocialtest.URL(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	st := storetest.Open(t, "sqlite")
	kr, err := secret.New("k1", map[string][]byte{"k1": bytes.Repeat([]byte{5}, 32)})
	require.NoError(t, err)
	allow := true
	chans := &channel.Service{Store: st, Keyring: kr, Env: network.Env{HTTP: network.NewHTTPClient(network.HTTPOptions{AllowPrivate: &allow})}}
	owner := storetest.NewUser(t, st, "owner@stream.example")
	ws := store.Workspace{Name: "Brand", Slug: "brand", Timezone: "UTC"}
	require.NoError(t, st.CreateWorkspace(ctx, &ws, owner.ID))
	p, err := auth.NewService(st).Principal(ctx, owner, ws.ID)
	require.NoError(t, err)
	ch, err := chans.Connect(ctx, p, network.Mastodon, map[string]string{"instance": gts, "access_token": gotosocialtest.Zork.Token})
	require.NoError(t, err)

	svc := &listen.Service{Store: st, Connectors: chans, Log: slog.New(slog.DiscardHandler)}
	word := gotosocialtest.Unique("streamword")
	tag := gotosocialtest.Unique("streamtag")
	_, err = svc.AddQuery(ctx, ws.ID, owner.ID, listen.Spec{Name: "brand", Keywords: word})
	require.NoError(t, err)
	_, err = svc.AddQuery(ctx, ws.ID, owner.ID, listen.Spec{Name: "tag", Hashtags: []string{"#" + tag}})
	require.NoError(t, err)

	streams := &listen.Streams{Service: svc, Backoff: network.Backoff{Min: 100 * time.Millisecond, Max: time.Second, Reset: time.Minute}}
	done := make(chan struct{})
	go func() { defer close(done); streams.Run(ctx) }()
	defer func() { cancel(); <-done }()
	id := strconv.FormatInt(ch.ID, 10)
	require.Eventually(t, func() bool {
		return slices.Equal(streams.Live(), []string{id + ":#" + tag, id + ":public"})
	}, 20*time.Second, 50*time.Millisecond, "both streams connect: %v", streams.Live())

	post := gotosocialtest.Post(t, gts, gotosocialtest.Admin, "Where is my parcel "+word+"? Three weeks now #"+tag, "")
	var found []store.Mention
	require.Eventually(t, func() bool {
		ms, err := st.Mentions(ctx, ws.ID, store.MentionFilter{})
		require.NoError(t, err)
		found = found[:0]
		for _, m := range ms {
			if m.URL == post.URL {
				found = append(found, m)
			}
		}
		return len(found) == 1 && len(found[0].QueryIDs) == 2
	}, 15*time.Second, 50*time.Millisecond, "the streamed post is stored once, matched by both queries: %+v", found)
	require.Equal(t, "admin", found[0].Author)
	require.Equal(t, "negative", found[0].Sentiment)
	require.Equal(t, post.URI, found[0].RemoteID)

	// A poll afterwards stores nothing again.
	res, err := svc.PollMastodon(ctx)
	require.NoError(t, err)
	require.Zero(t, res.New)
}
