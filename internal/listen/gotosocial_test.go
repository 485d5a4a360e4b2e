package listen_test

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"testing"

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
