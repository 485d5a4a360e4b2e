package main_test

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/relais/relais/client"
	"github.com/relais/relais/internal/inbox"
	"github.com/relais/relais/internal/network/gbp/gbptest"
	"github.com/relais/relais/internal/network/linkedin/linkedintest"
	"github.com/stretchr/testify/require"
)

// publishOnce creates a post for one channel through the API, publishes it
// and waits until it is published.
func publishOnce(t *testing.T, c *client.Client, channelID int64, text string) client.Post {
	t.Helper()
	ctx := context.Background()
	post, err := c.CreatePost(ctx, client.PostInput{Text: text, Variants: []client.VariantInput{{ChannelID: channelID}}})
	require.NoError(t, err)
	_, err = c.PublishNow(ctx, post.ID)
	require.NoError(t, err)
	var got client.Post
	ok := assertEventually(60*time.Second, func() bool {
		got, err = c.Post(ctx, post.ID)
		return err == nil && got.State == "published"
	})
	require.True(t, ok, "post state %q, variants %+v", got.State, got.Variants)
	return got
}

// startWith connects a channel with the CLI (token on stdin plus --set
// fields), serves, and returns an API client and the channel id.
func startWith(t *testing.T, env []string, addr, token, network string, set ...string) (*client.Client, int64) {
	t.Helper()
	for _, args := range [][]string{
		{"user", "create", "--email", "o@example.com", "--password-stdin"},
		{"workspace", "create", "--name", "Local", "--slug", "local", "--owner", "o@example.com"},
	} {
		_, stderr, err := run(t, env, "a long enough password\n", args...)
		require.NoError(t, err, stderr)
	}
	args := []string{"channel", "add", network, "--workspace", "local", "--token-stdin"}
	for _, s := range set {
		args = append(args, "--set", s)
	}
	out, stderr, err := run(t, env, token+"\n", args...)
	require.NoError(t, err, stderr)
	channelID, err := strconv.ParseInt(strings.TrimSpace(out), 10, 64)
	require.NoError(t, err)
	tok, stderr, err := run(t, env, "", "token", "create", "--email", "o@example.com", "--workspace", "local")
	require.NoError(t, err, stderr)
	base, _ := serveAt(t, env, addr)
	return client.New(base, strings.TrimSpace(tok)), channelID
}

// TestLinkedInEndToEnd runs the binary against the LinkedIn fake: a
// channel added with `relais channel add linkedin` as an organization page
// publishes exactly once with the configured LinkedIn-Version; a sunset
// version fails the post with the setting named.
func TestLinkedInEndToEnd(t *testing.T) {
	t.Parallel()
	fake := linkedintest.New(t, linkedintest.Options{})
	access, _ := fake.Tokens()
	id, secret := fake.App()
	addr := freeAddr(t)
	env := append(dataEnv(t, "sqlite"), "RELAIS_ALLOW_PRIVATE_HOSTS=true", "RELAIS_BASE_URL=http://"+addr,
		"RELAIS_LINKEDIN_API_URL="+fake.URL, "RELAIS_LINKEDIN_CLIENT_ID="+id, "RELAIS_LINKEDIN_CLIENT_SECRET="+secret, "RELAIS_LINKEDIN_VERSION=202610")
	c, channelID := startWith(t, env, addr, access, "linkedin", "as=organization", "organization=relais-coop")
	got := publishOnce(t, c, channelID, "Portes ouvertes samedi (10h-18h) #coop")
	posts := fake.Posts()
	require.Len(t, posts, 1)
	require.Equal(t, "urn:li:organization:2414183", posts[0].Author)
	require.Equal(t, posts[0].ID, got.Variants[0].Publication.RemoteID)
	require.Equal(t, "https://www.linkedin.com/feed/update/"+posts[0].ID+"/", got.Variants[0].Publication.URL)
	for _, r := range fake.Requests() {
		if r.Route == "POST /rest/posts" {
			require.Equal(t, "202610", r.Header.Get("LinkedIn-Version"))
		}
	}
	bad := append(append([]string(nil), env...), "RELAIS_LINKEDIN_VERSION=2026-10")
	_, stderr, err := run(t, bad, "", "token", "create", "--email", "o@example.com", "--workspace", "local")
	require.Error(t, err)
	require.Contains(t, stderr, "--linkedin-version")
}

// TestGoogleBusinessEndToEnd runs the binary against the Business Profile
// fake: `relais channel add google_business` picks the location, a post
// publishes once as a local post, a review comes into the inbox with its
// stars and is answered from the CLI.
func TestGoogleBusinessEndToEnd(t *testing.T) {
	t.Parallel()
	fake := gbptest.New(t, gbptest.Options{Locations: []gbptest.Location{{ID: "1", Title: "Café du Port"}, {ID: "2", Title: "Café de la Gare"}}})
	access, _ := fake.Tokens()
	id, secret := fake.App()
	addr := freeAddr(t)
	env := append(dataEnv(t, "sqlite"), "RELAIS_ALLOW_PRIVATE_HOSTS=true", "RELAIS_BASE_URL=http://"+addr,
		"RELAIS_GOOGLE_API_URL="+fake.URL, "RELAIS_GOOGLE_CLIENT_ID="+id, "RELAIS_GOOGLE_CLIENT_SECRET="+secret)
	c, channelID := startWith(t, env, addr, access, "google_business", "location=Café de la Gare")
	got := publishOnce(t, c, channelID, "Nouveau : le pain au levain du dimanche")
	posts := fake.Posts()
	require.Len(t, posts, 1)
	require.Equal(t, "2", posts[0].Location)
	require.Equal(t, "STANDARD", posts[0].Body["topicType"])
	require.Equal(t, posts[0].Name, got.Variants[0].Publication.RemoteID)

	review := fake.AddReview("2", "Marie Curie", "FOUR", "Très bon pain, accueil un peu lent")
	out, stderr, err := run(t, env, "", "inbox", "sync", "--workspace", "local", "--json")
	require.NoError(t, err, stderr)
	var res inbox.SyncResult
	require.NoError(t, json.Unmarshal([]byte(out), &res))
	require.Equal(t, 1, res.New, out)
	out, stderr, err = run(t, env, "", "inbox", "list", "--workspace", "local", "--json")
	require.NoError(t, err, stderr)
	var list []inbox.MessageView
	require.NoError(t, json.Unmarshal([]byte(out), &list), out)
	require.Len(t, list, 1)
	require.Equal(t, "★★★★☆ 4/5\nTrès bon pain, accueil un peu lent", list[0].Text)
	require.Equal(t, "Marie Curie", list[0].AuthorName)
	_, stderr, err = run(t, env, "", "inbox", "reply", strconv.FormatInt(list[0].ID, 10), "--text", "Merci Marie, nous accélérons le service !")
	require.NoError(t, err, stderr)
	rv, ok := fake.Review(review)
	require.True(t, ok)
	require.Equal(t, "Merci Marie, nous accélérons le service !", rv.Reply)

	// Performance: collected with the channels, printed per day and metric.
	fake.SetMetric("2", "WEBSITE_CLICKS", 6)
	_, stderr, err = run(t, env, "", "analytics", "collect", "--workspace", "local")
	require.NoError(t, err, stderr)
	out, stderr, err = run(t, env, "", "analytics", "insights", "--workspace", "local", "--json")
	require.NoError(t, err, stderr)
	var points []struct {
		ChannelID int64  `json:"channel_id"`
		Metric    string `json:"metric"`
		Value     int64  `json:"value"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &points), out)
	require.NotEmpty(t, points)
	for _, p := range points {
		require.Equal(t, channelID, p.ChannelID)
		require.Equal(t, "WEBSITE_CLICKS", p.Metric)
		require.Equal(t, int64(6), p.Value)
	}
}
