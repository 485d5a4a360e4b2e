package compose_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/channel"
	"github.com/relais/relais/internal/compose"
	"github.com/relais/relais/internal/network"
	_ "github.com/relais/relais/internal/network/bluesky" // registers the provider
	_ "github.com/relais/relais/internal/network/mastodon"
	"github.com/relais/relais/internal/network/mastodon/gotosocialtest"
	"github.com/relais/relais/internal/network/webhook"
	"github.com/relais/relais/internal/network/webhook/webhooktest"
	"github.com/relais/relais/internal/publish"
	"github.com/relais/relais/internal/secret"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/store/storetest"
	"github.com/relais/relais/internal/valid"
)

func TestMain(m *testing.M) {
	// The webhook receiver and the test servers run on loopback; set once
	// here because t.Setenv and t.Parallel do not mix.
	os.Setenv("RELAIS_ALLOW_PRIVATE_HOSTS", "true")
	os.Exit(m.Run())
}

// events records the notifications a service sends.
type events struct {
	mu  sync.Mutex
	got []publish.Event
}

func (e *events) Notify(_ context.Context, ev publish.Event) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.got = append(e.got, ev)
	return nil
}

// pdsURL is the local Bluesky PDS; like the GoToSocial server, it is skipped
// on a workstation without it and required in CI.
func pdsURL(t *testing.T) string {
	t.Helper()
	u := os.Getenv("ATPROTO_PDS_URL")
	if u == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("ATPROTO_PDS_URL is not set: scripts/test starts the local PDS")
		}
		t.Skip("ATPROTO_PDS_URL is not set (scripts/test starts the local PDS)")
	}
	return strings.TrimRight(u, "/")
}

func xrpc(t *testing.T, base, method, token string, body, out any) int {
	t.Helper()
	var req *http.Request
	var err error
	if body == nil {
		req, err = http.NewRequest(http.MethodGet, base+"/xrpc/"+method, nil)
	} else {
		b, _ := json.Marshal(body)
		req, err = http.NewRequest(http.MethodPost, base+"/xrpc/"+method, bytes.NewReader(b))
		req.Header.Set("Content-Type", "application/json")
	}
	require.NoError(t, err)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	if out != nil && resp.StatusCode == 200 {
		require.NoError(t, json.NewDecoder(resp.Body).Decode(out))
	}
	return resp.StatusCode
}

// TestDeletePublishedPostOnTheNetworks publishes one post on the real
// GoToSocial server, the local Bluesky PDS and a webhook receiver that
// refuses the deletion, then deletes it with remote deletion: the statuses
// are gone from both servers, the webhook's failure is reported and logged,
// the post stays until every network deleted it, and post.deleted is sent.
func TestDeletePublishedPostOnTheNetworks(t *testing.T) {
	t.Parallel()
	gts := gotosocialtest.URL(t)
	pds := pdsURL(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	st := storetest.OpenSQLite(t)
	kr, err := secret.New("k1", map[string][]byte{"k1": bytes.Repeat([]byte{3}, 32)})
	require.NoError(t, err)
	allow := true
	chans := &channel.Service{Store: st, Keyring: kr, Env: network.Env{HTTP: network.NewHTTPClient(network.HTTPOptions{AllowPrivate: &allow})}}
	svc := compose.NewService(st, chans, "https://relais.example")
	heard := &events{}
	svc.Notifier = heard
	owner := storetest.NewUser(t, st, "owner@delete.example")
	ws := store.Workspace{Name: "Brand", Slug: "brand", Timezone: "UTC"}
	require.NoError(t, st.CreateWorkspace(ctx, &ws, owner.ID))
	p, err := auth.NewService(st).Principal(ctx, owner, ws.ID)
	require.NoError(t, err)

	// The three channels, connected for real.
	masto, err := chans.Connect(ctx, p, network.Mastodon, map[string]string{"instance": gts, "access_token": gotosocialtest.Zork.Token})
	require.NoError(t, err)
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	handle := "del" + hex.EncodeToString(b) + ".test"
	var acct struct{ AccessJwt, Did string }
	require.Equal(t, 200, xrpc(t, pds, "com.atproto.server.createAccount", "", map[string]string{"handle": handle, "email": handle + "@example.com", "password": "account-password-1"}, &acct))
	var ap struct{ Password string }
	require.Equal(t, 200, xrpc(t, pds, "com.atproto.server.createAppPassword", acct.AccessJwt, map[string]string{"name": "relais"}, &ap))
	bsky, err := chans.Connect(ctx, p, network.Bluesky, map[string]string{"handle": handle, "app_password": ap.Password, "pds_url": pds})
	require.NoError(t, err)
	hookSecret, err := webhook.NewSecret()
	require.NoError(t, err)
	receiver := webhooktest.New(t, hookSecret)
	hook, err := chans.Connect(ctx, p, network.Webhook, map[string]string{"url": receiver.URL(), "secret": hookSecret})
	require.NoError(t, err)

	// The post, published on the three through their connectors.
	word := "relaisdelete" + hex.EncodeToString(b)
	post := storetest.NewPosts(t, st, ws.ID, 1, masto.ID, bsky.ID, hook.ID)[0]
	now := time.Now().UTC()
	_, err = st.SchedulePosts(ctx, ws.ID, []int64{post.ID}, now, "UTC", now)
	require.NoError(t, err)
	jobs, err := st.ClaimDue(ctx, "test", now, now.Add(time.Minute), now, 10)
	require.NoError(t, err)
	require.Len(t, jobs, 3)
	_, err = st.MarkPublishing(ctx, []store.ClaimRef{{ID: jobs[0].ID, Claim: jobs[0].Claim}, {ID: jobs[1].ID, Claim: jobs[1].Claim}, {ID: jobs[2].ID, Claim: jobs[2].Claim}}, now.Add(time.Minute), now)
	require.NoError(t, err)
	pubs, err := st.Publications(ctx, ws.ID, post.ID)
	require.NoError(t, err)
	remote := map[string]string{}
	var results []store.PublishResult
	for _, pub := range pubs {
		c, _, err := chans.Connector(ctx, ws.ID, pub.ChannelID)
		require.NoError(t, err)
		res, err := c.Publish(ctx, network.PublishRequest{IdempotencyKey: pub.IdempotencyKey, CreatedAt: pub.CreatedAt, Parts: []network.Part{{Text: "Soon gone " + word}}})
		require.NoError(t, err, pub.Network)
		done, _ := json.Marshal(res.Parts)
		remote[pub.Network] = res.Parts[0].ID
		results = append(results, store.PublishResult{ID: pub.ID, Claim: pub.Claim, From: store.PubPublishing, State: store.PubPublished,
			RemoteID: res.Parts[0].ID, URL: res.Parts[0].URL, DoneParts: done})
	}
	applied, err := st.SaveResults(ctx, results, now)
	require.NoError(t, err)
	require.Len(t, applied, 3)
	statusURL := gts + "/api/v1/statuses/" + url.PathEscape(remote["mastodon"])
	require.Equal(t, 200, gtsGet(t, statusURL))
	rkey := remote["bluesky"][strings.LastIndex(remote["bluesky"], "/")+1:]
	recordPath := "com.atproto.repo.getRecord?repo=" + url.QueryEscape(acct.Did) + "&collection=app.bsky.feed.post&rkey=" + url.QueryEscape(rkey)
	require.Equal(t, 200, xrpc(t, pds, recordPath, "", nil, nil))

	// Roles that may not publish may not take posts down.
	for _, r := range []store.Role{store.RoleViewer, store.RoleApprover} {
		_, err = svc.DeletePost(ctx, withRole(p, r), post.ID, true)
		require.ErrorIs(t, err, auth.ErrForbidden, r)
	}

	// The webhook receiver fails the deletion.
	receiver.Respond(webhooktest.Response{Status: 503, Body: `{"message":"try later"}`})
	rep, err := svc.DeletePost(ctx, p, post.ID, true)
	require.NoError(t, err)
	require.False(t, rep.Removed, "a network still has it: the post stays in relais")
	byNetwork := map[string]compose.RemoteOutcome{}
	for _, o := range rep.Remote {
		byNetwork[o.Network] = o
	}
	require.Equal(t, compose.RemoteDeleted, byNetwork["mastodon"].Outcome, byNetwork["mastodon"].Message)
	require.Equal(t, compose.RemoteDeleted, byNetwork["bluesky"].Outcome, byNetwork["bluesky"].Message)
	require.Equal(t, compose.RemoteFailed, byNetwork["webhook"].Outcome)
	require.Equal(t, "HTTP 503: try later", byNetwork["webhook"].Message)
	require.Equal(t, 404, gtsGet(t, statusURL), "gone from GoToSocial")
	require.NotEqual(t, 200, xrpc(t, pds, recordPath, "", nil, nil), "gone from the PDS")
	d := receiver.Deliveries()
	require.Equal(t, "post.deleted", d[len(d)-1].Event.Event)
	require.Equal(t, remote["webhook"], d[len(d)-1].Event.RemoteID)
	require.NoError(t, d[len(d)-1].VerifyErr)

	// Logged: the attempt log of each publication, one history entry.
	for _, pub := range pubs {
		att, err := st.Attempts(ctx, ws.ID, pub.ID)
		require.NoError(t, err)
		last := att[len(att)-1]
		got, err := st.Publication(ctx, ws.ID, pub.ID)
		require.NoError(t, err)
		if pub.Network == "webhook" {
			require.Equal(t, compose.RemoteFailed, last.Outcome)
			require.Equal(t, 503, last.HTTPStatus)
			require.Equal(t, store.PubPublished, got.State)
		} else {
			require.Equal(t, compose.RemoteDeleted, last.Outcome)
			require.Equal(t, store.PubDeleted, got.State)
		}
	}
	hist, err := st.History(ctx, ws.ID, post.ID)
	require.NoError(t, err)
	require.Equal(t, "deleted_remote", hist[len(hist)-1].Action)
	require.Contains(t, hist[len(hist)-1].Detail, "Mastodon: deleted")
	require.Contains(t, hist[len(hist)-1].Detail, "Webhook: failed (HTTP 503: try later)")
	heard.mu.Lock()
	require.Len(t, heard.got, 1)
	require.Equal(t, "post.deleted", heard.got[0].Kind)
	require.Equal(t, post.ID, heard.got[0].PostID)
	heard.mu.Unlock()

	// Tried again, only the webhook is called; now everything is deleted and the post goes.
	rep, err = svc.DeletePost(ctx, p, post.ID, true)
	require.NoError(t, err)
	require.True(t, rep.Removed)
	require.Len(t, rep.Remote, 1)
	require.Equal(t, compose.RemoteOutcome{PublicationID: byNetwork["webhook"].PublicationID, ChannelID: hook.ID, Network: "webhook", Outcome: compose.RemoteDeleted}, rep.Remote[0])
	_, err = st.Post(ctx, ws.ID, post.ID)
	require.ErrorIs(t, err, store.ErrNotFound)
}

func TestDeletePublishedPostFromRelaisOnly(t *testing.T) {
	t.Parallel()
	f := newFixture(t, false)
	post := storetest.NewPosts(t, f.st, f.ws.ID, 1, f.masto)[0]
	now := time.Now().UTC()
	_, err := f.st.SchedulePosts(ctx, f.ws.ID, []int64{post.ID}, now, "UTC", now)
	require.NoError(t, err)
	jobs, err := f.st.ClaimDue(ctx, "test", now, now.Add(time.Minute), now, 10)
	require.NoError(t, err)
	marked, err := f.st.MarkPublishing(ctx, []store.ClaimRef{{ID: jobs[0].ID, Claim: jobs[0].Claim}}, now.Add(time.Minute), now)
	require.NoError(t, err)
	require.Len(t, marked, 1)

	// While it is being published, neither way is possible.
	for _, remote := range []bool{false, true} {
		_, err = f.svc.DeletePost(ctx, f.as[store.RoleOwner], post.ID, remote)
		e, ok := valid.As(err)
		require.True(t, ok, "%v", err)
		require.Equal(t, "state", e.Field)
	}
	pub, err := f.st.Publication(ctx, f.ws.ID, jobs[0].ID)
	require.NoError(t, err)
	_, err = f.st.SaveResults(ctx, []store.PublishResult{{ID: pub.ID, Claim: pub.Claim, From: store.PubPublishing, State: store.PubPublished, RemoteID: "107"}}, now)
	require.NoError(t, err)

	// Published: an editor removes it from relais only (it stays on the network).
	rep, err := f.svc.DeletePost(ctx, f.as[store.RoleEditor], post.ID, false)
	require.NoError(t, err)
	require.Equal(t, compose.DeleteReport{Removed: true, Remote: []compose.RemoteOutcome{}}, rep)
	_, err = f.st.Post(ctx, f.ws.ID, post.ID)
	require.ErrorIs(t, err, store.ErrNotFound)
}

func gtsGet(t *testing.T, u string) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+gotosocialtest.Zork.Token)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	return resp.StatusCode
}

func withRole(p auth.Principal, r store.Role) auth.Principal {
	p.Role = r
	return p
}
