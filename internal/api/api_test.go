package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/relais/relais/client"
	"github.com/relais/relais/internal/api"
	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/channel"
	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/secret"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/store/storetest"
	"github.com/stretchr/testify/require"
)

var ctx = context.Background()

const apiTestKind network.Kind = "apitest"

type fakeProvider struct{}

func (fakeProvider) Kind() network.Kind { return apiTestKind }
func (fakeProvider) Fields() []network.Field {
	return []network.Field{{Name: "name", Label: "Name", Required: true}}
}
func (fakeProvider) Connect(_ context.Context, _ network.Env, in map[string]string) (network.Account, network.Stored, error) {
	return network.Account{RemoteID: "id-" + in["name"], Handle: "@" + in["name"]}, network.Stored{Secrets: map[string]string{"t": "secret-" + in["name"]}}, nil
}
func (fakeProvider) Open(network.Env, network.Stored) (network.Connector, error) {
	return fakeConn{}, nil
}

type fakeConn struct{}

func (fakeConn) Kind() network.Kind { return apiTestKind }
func (fakeConn) Identify(context.Context) (network.Account, error) {
	return network.Account{RemoteID: "x"}, nil
}
func (fakeConn) Delete(context.Context, string) error { return nil }
func (fakeConn) Publish(context.Context, network.PublishRequest) (network.PublishResult, error) {
	return network.PublishResult{}, nil
}
func (fakeConn) Reply(_ context.Context, parent, _ string) (network.RemotePost, error) {
	return network.RemotePost{ID: "reply-to-" + parent, URL: "https://apitest.example/reply-to-" + parent}, nil
}
func (fakeConn) HideComment(context.Context, string) error { return nil }

// Comments answers two fans' comments and the walker account's own under any post.
func (fakeConn) Comments(_ context.Context, remoteID string) ([]network.Comment, error) {
	return []network.Comment{
		{RemoteID: remoteID + "-c1", AuthorID: "fan-1", AuthorHandle: "@fan1", Text: "Count me in #win"},
		{RemoteID: remoteID + "-c2", AuthorID: "fan-2", AuthorHandle: "@fan2", Text: "no keyword here"},
		{RemoteID: remoteID + "-c3", AuthorID: "id-walker", AuthorHandle: "@walker", Text: "Good luck #win"},
	}, nil
}

// fakeHookProvider has a signing secret shown once, like the webhook channel.
type fakeHookProvider struct{ fakeProvider }

const apiTestHookKind network.Kind = "apitesthook"

func (fakeHookProvider) Kind() network.Kind { return apiTestHookKind }
func (fakeHookProvider) Fields() []network.Field {
	return []network.Field{{Name: "name", Label: "Name", Required: true}, {Name: "secret", Label: "Signing secret", Secret: true, ShowOnce: true}}
}
func (fakeHookProvider) Connect(_ context.Context, _ network.Env, in map[string]string) (network.Account, network.Stored, error) {
	return network.Account{RemoteID: "hook-" + in["name"], Handle: in["name"]},
		network.Stored{Secrets: map[string]string{"url": "https://hooks.example/" + in["name"], "secret": "whsec_c2lnbmluZy1zZWNyZXQtb2YtdGhlLWhvb2s="}}, nil
}

func init() {
	network.Register(fakeProvider{})
	network.Register(fakeHookProvider{})
}

// env is one API server with two workspaces, each with an owner token.
type env struct {
	srv        *httptest.Server
	handler    *api.Handler
	st         store.Store
	a, b       *client.Client
	tokA, tokB string
	wsA        store.Workspace
}

func setup(t *testing.T, dialect string) *env {
	t.Helper()
	st := storetest.Open(t, dialect)
	kr, err := secret.New("k1", map[string][]byte{"k1": bytes.Repeat([]byte{1}, 32)})
	require.NoError(t, err)
	svc := auth.NewService(st)
	chans := &channel.Service{Store: st, Keyring: kr, Env: network.Env{BaseURL: "http://relais.test"}}
	h := api.New(api.Deps{Store: st, Auth: svc, Channels: chans, BaseURL: "http://relais.test", Version: "test"})
	srv := httptest.NewServer(validating(t, h))
	t.Cleanup(srv.Close)
	e := &env{srv: srv, handler: h, st: st}
	mk := func(email, wsName string) (string, store.Workspace) {
		u, err := svc.CreateUser(ctx, email, "", "a long enough password", false)
		require.NoError(t, err)
		w, err := svc.CreateWorkspace(ctx, u, wsName, "", "Europe/Paris")
		require.NoError(t, err)
		p, err := svc.Principal(ctx, u, w.ID)
		require.NoError(t, err)
		tok, _, err := svc.CreateToken(ctx, p, "test")
		require.NoError(t, err)
		return tok, w
	}
	e.tokA, e.wsA = mk("a@example.com", "Brand A")
	e.tokB, _ = mk("b@example.com", "Brand B")
	e.a, e.b = client.New(srv.URL, e.tokA), client.New(srv.URL, e.tokB)
	return e
}

func TestErrorsAreJSONWithField(t *testing.T) {
	t.Parallel()
	e := setup(t, "sqlite")

	// No token.
	resp, err := http.Get(e.srv.URL + "/api/v1/me")
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, 401, resp.StatusCode)
	require.JSONEq(t, `{"error":{"code":"unauthenticated","message":"Send a personal API token as 'Authorization: Bearer <token>'"}}`, string(body))

	// A bad slug names the field and changes nothing.
	bad := "Not A Slug"
	_, err = e.a.UpdateWorkspace(ctx, client.WorkspaceUpdate{Slug: &bad})
	var ce *client.Error
	require.ErrorAs(t, err, &ce)
	require.Equal(t, 422, ce.Status)
	require.Equal(t, "slug", ce.Field)
	w, err := e.st.WorkspaceByID(ctx, e.wsA.ID)
	require.NoError(t, err)
	require.Equal(t, e.wsA.Slug, w.Slug)

	// A schema violation (too long) names the field too.
	long := strings.Repeat("x", 101)
	_, err = e.a.UpdateWorkspace(ctx, client.WorkspaceUpdate{Name: &long})
	require.ErrorAs(t, err, &ce)
	require.Equal(t, 422, ce.Status)
	require.Equal(t, "name", ce.Field)

	// An oversized body is refused with 413.
	req, _ := http.NewRequest(http.MethodPatch, e.srv.URL+"/api/v1/workspace", strings.NewReader(`{"name":"`+strings.Repeat("x", 2<<20)+`"}`))
	req.Header.Set("Authorization", "Bearer "+e.tokA)
	req.Header.Set("Content-Type", "application/json")
	resp, err = http.DefaultClient.Do(req)
	require.NoError(t, err)
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, 413, resp.StatusCode, string(body))
	require.Contains(t, string(body), `"code":"too_large"`)

	// The retry maximum is bounded and named.
	zero, seven := 0, 7
	_, err = e.a.UpdateWorkspace(ctx, client.WorkspaceUpdate{MaxPublishAttempts: &zero})
	require.ErrorAs(t, err, &ce)
	require.Equal(t, "max_publish_attempts", ce.Field)
	updated, err := e.a.UpdateWorkspace(ctx, client.WorkspaceUpdate{MaxPublishAttempts: &seven})
	require.NoError(t, err)
	require.Equal(t, 7, updated.MaxPublishAttempts)
	require.Equal(t, e.wsA.Slug, updated.Slug, "omitted fields keep their value")

	// Taken slug → 422 naming slug.
	other := "brand-b"
	_, err = e.a.UpdateWorkspace(ctx, client.WorkspaceUpdate{Slug: &other})
	require.ErrorAs(t, err, &ce)
	require.Equal(t, "taken", ce.Code)

	// Malformed JSON is 400/422 with a JSON error.
	req, _ = http.NewRequest(http.MethodPost, e.srv.URL+"/api/v1/tokens", strings.NewReader(`{"name":`))
	req.Header.Set("Authorization", "Bearer "+e.tokA)
	req.Header.Set("Content-Type", "application/json")
	resp, err = http.DefaultClient.Do(req)
	require.NoError(t, err)
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Contains(t, []int{400, 422}, resp.StatusCode)
	require.Contains(t, string(body), `"error":{`)
}

func TestClientFlows(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			e := setup(t, d)
			me, err := e.a.Me(ctx)
			require.NoError(t, err)
			require.Equal(t, "owner", me.Role)
			require.Equal(t, "brand-a", me.Workspace.Slug)

			c, err := e.a.ConnectChannel(ctx, string(apiTestKind), map[string]string{"name": "shop"})
			require.NoError(t, err)
			require.Equal(t, "@shop", c.Handle)
			_, err = e.a.ConnectChannel(ctx, string(apiTestKind), map[string]string{})
			var ce *client.Error
			require.ErrorAs(t, err, &ce)
			require.Equal(t, "name", ce.Field)
			list, err := e.a.Channels(ctx)
			require.NoError(t, err)
			require.Len(t, list, 1)
			checked, err := e.a.CheckChannel(ctx, c.ID)
			require.NoError(t, err)
			require.Equal(t, "ok", checked.Status)

			inv, err := e.a.Invite(ctx, "", "editor")
			require.NoError(t, err)
			require.True(t, strings.HasPrefix(inv.URL, "http://relais.test/invite/ri_"))

			tok, err := e.a.CreateToken(ctx, "second")
			require.NoError(t, err)
			me2, err := client.New(e.srv.URL, tok.Token).Me(ctx)
			require.NoError(t, err)
			require.Equal(t, me.Workspace.ID, me2.Workspace.ID)

			require.NoError(t, e.a.RemoveChannel(ctx, c.ID))
			err = e.a.RemoveChannel(ctx, c.ID)
			require.ErrorAs(t, err, &ce)
			require.Equal(t, 404, ce.Status)
		})
	}
}

// TestConnectChannelShowsSecretOnce: the answer to connecting a webhook-like
// channel carries its signing secret, uncached; nothing later shows it.
func TestConnectChannelShowsSecretOnce(t *testing.T) {
	t.Parallel()
	e := setup(t, "sqlite")
	req, err := http.NewRequest(http.MethodPost, e.srv.URL+"/api/v1/channels", strings.NewReader(`{"network":"apitesthook","input":{"name":"n8n"}}`))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+e.tokA)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, http.StatusCreated, resp.StatusCode, string(body))
	require.Equal(t, "no-store", resp.Header.Get("Cache-Control"))
	var got map[string]any
	require.NoError(t, json.Unmarshal(body, &got))
	require.Equal(t, map[string]any{"secret": "whsec_c2lnbmluZy1zZWNyZXQtb2YtdGhlLWhvb2s="}, got["secrets"], "only the ShowOnce secret, not the url")

	// Shown once: neither the list nor the channel nor a check shows it again.
	id := int64(got["id"].(float64))
	for _, path := range []string{"/api/v1/channels", fmt.Sprintf("/api/v1/channels/%d", id)} {
		require.NotContains(t, call(t, e.srv.URL, e.tokA, "GET", path), "whsec_", path)
	}
	checked, err := e.a.CheckChannel(ctx, id)
	require.NoError(t, err)
	require.Empty(t, checked.Secrets)

	// A network without such a secret answers without "secrets".
	c, err := e.a.ConnectChannel(ctx, string(apiTestKind), map[string]string{"name": "shop"})
	require.NoError(t, err)
	require.Empty(t, c.Secrets)
}

var pathParam = regexp.MustCompile(`\{[^}]+\}`)

// TestEveryRouteIsScopedToTheTokensWorkspace walks every operation of the
// OpenAPI document with workspace B's token against workspace A's ids and
// expects 404 for every id route, and no A data in any list.
func TestEveryRouteIsScopedToTheTokensWorkspace(t *testing.T) {
	t.Parallel()
	e := setup(t, "sqlite")
	// Give workspace A one of everything, with distinctive markers.
	c, err := e.a.ConnectChannel(ctx, string(apiTestKind), map[string]string{"name": "markerchannel"})
	require.NoError(t, err)
	inv, err := e.a.Invite(ctx, "markerinvite@example.com", "viewer")
	require.NoError(t, err)
	tok, err := e.a.CreateToken(ctx, "markertoken")
	require.NoError(t, err)
	n := store.Notification{WorkspaceID: e.wsA.ID, Kind: "k", Message: "markernotification"}
	require.NoError(t, e.st.CreateNotification(ctx, &n))
	me, err := e.a.Me(ctx)
	require.NoError(t, err)
	m := storetest.NewMedia(t, e.st, e.wsA.ID, store.MediaImage, "markermedia")
	reply := store.SavedReply{WorkspaceID: e.wsA.ID, Name: "markerreply", Lang: "en", Body: "markerreply"}
	require.NoError(t, e.st.CreateSavedReply(ctx, &reply))
	rule := store.InboxRule{WorkspaceID: e.wsA.ID, Name: "markerrule", Enabled: true, Actions: []byte(`[{"kind":"label","value":"markerrule"}]`)}
	require.NoError(t, e.st.CreateInboxRule(ctx, &rule))
	camp := store.Campaign{WorkspaceID: e.wsA.ID, Name: "markercampaign"}
	require.NoError(t, e.st.CreateCampaign(ctx, &camp))
	sl := store.Link{WorkspaceID: e.wsA.ID, Code: "markerlink", TargetURL: "https://markerlink.example/", Title: "markerlink", CampaignID: camp.ID}
	require.NoError(t, e.st.CreateLink(ctx, &sl))
	msg := &store.Message{WorkspaceID: e.wsA.ID, ChannelID: c.ID, Network: string(apiTestKind), RemoteID: "markerinbox", Kind: store.KindReply, Text: "markerinbox"}
	_, err = e.st.InsertMessages(ctx, []*store.Message{msg})
	require.NoError(t, err)
	view := store.SavedView{WorkspaceID: e.wsA.ID, Name: "markerview", Filter: "state=open", CreatedBy: me.User.ID}
	require.NoError(t, e.st.SaveView(ctx, &view))
	cont := storetest.NewContest(t, e.st, e.wsA.ID, "markercontest", store.ContestCandidates)
	centry := store.ContestEntry{WorkspaceID: e.wsA.ID, ContestID: cont.ID, Title: "markercontest", Status: store.EntryApproved}
	require.NoError(t, e.st.CreateEntry(ctx, &centry))
	_, err = e.st.RecordVotes(ctx, []store.Vote{{WorkspaceID: e.wsA.ID, ContestID: cont.ID, EntryID: centry.ID, Identity: "markercontest", Period: "all"}})
	require.NoError(t, err)
	infl := store.Influencer{WorkspaceID: e.wsA.ID, Name: "markerinfluencer", Notes: "markerinfluencer"}
	require.NoError(t, e.st.CreateInfluencer(ctx, &infl))
	inflAcc := store.InfluencerAccount{WorkspaceID: e.wsA.ID, InfluencerID: infl.ID, Network: "instagram", Handle: "markerinfluencer"}
	require.NoError(t, e.st.AddInfluencerAccount(ctx, &inflAcc))
	deal := store.InfluencerDeal{WorkspaceID: e.wsA.ID, CampaignID: camp.ID, InfluencerID: infl.ID, Stage: "shortlisted", Notes: "markerinfluencer"}
	require.NoError(t, e.st.AddInfluencerDeal(ctx, &deal))
	dlv := store.InfluencerDeliverable{WorkspaceID: e.wsA.ID, DealID: deal.ID, Kind: "post", Status: "planned", Brief: "markerinfluencer"}
	require.NoError(t, e.st.CreateInfluencerDeliverable(ctx, &dlv))
	lq := store.ListenQuery{WorkspaceID: e.wsA.ID, Name: "markerlisten", Spec: `{"name":"markerlisten","keywords":"markerlisten"}`}
	require.NoError(t, e.st.CreateListenQuery(ctx, &lq))
	men := store.Mention{WorkspaceID: e.wsA.ID, Network: "bluesky", RemoteID: "markerlisten", Text: "markerlisten", QueryIDs: []int64{lq.ID}}
	_, err = e.st.SaveMention(ctx, &men)
	require.NoError(t, err)
	panel := store.CompetitorPanel{WorkspaceID: e.wsA.ID, Name: "markerlisten panel"}
	require.NoError(t, e.st.CreateCompetitorPanel(ctx, &panel))
	sched := store.ReportSchedule{WorkspaceID: e.wsA.ID, Frequency: "weekly", Language: "en", Recipients: []string{"markerschedule@example.com"}}
	require.NoError(t, e.st.CreateReportSchedule(ctx, &sched))
	require.NoError(t, e.st.SaveReportBrand(ctx, &store.ReportBrand{WorkspaceID: e.wsA.ID, DisplayName: "markerschedule brand", Footer: "markerschedule"}))
	lfeed := store.ListenFeed{WorkspaceID: e.wsA.ID, URL: "https://markerlisten.example/feed.xml"}
	require.NoError(t, e.st.CreateListenFeed(ctx, &lfeed))
	maxID := max(sched.ID, c.ID, inv.ID, tok.ID, n.ID, me.User.ID, m.ID, reply.ID, rule.ID, camp.ID, sl.ID, msg.ID, view.ID, cont.ID, centry.ID, infl.ID, inflAcc.ID, deal.ID, dlv.ID, lq.ID, men.ID, panel.ID, lfeed.ID)
	// B must not revoke its own token midway through the walk.
	var bTokens struct {
		Tokens []client.Token `json:"tokens"`
	}
	require.NoError(t, e.b.Do(ctx, "GET", "/tokens", nil, &bTokens))
	own := map[int64]bool{}
	for _, x := range bTokens.Tokens {
		own[x.ID] = true
	}

	doc := e.handler.OpenAPI()
	var paths []string
	for p := range doc.Paths {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	require.NotEmpty(t, paths)
	checked := 0
	for _, p := range paths {
		item := doc.Paths[p]
		for method, op := range map[string]any{"GET": item.Get, "POST": item.Post, "PATCH": item.Patch, "PUT": item.Put, "DELETE": item.Delete} {
			if op == nil || fmt.Sprint(op) == "<nil>" {
				continue
			}
			if !pathParam.MatchString(p) {
				if method != "GET" {
					continue // creating in one's own workspace is not a leak
				}
				body := call(t, e.srv.URL, e.tokB, method, p)
				for _, marker := range []string{"markerchannel", "markerinvite", "markertoken", "markernotification", "markermedia", "markerreply", "markerrule", "markercampaign", "markerlink", "markerinbox", "markerview", "markercontest", "markerinfluencer", "markerlisten", "markerschedule", "brand-a", "a@example.com"} {
					require.NotContains(t, body, marker, "%s %s leaks workspace A data", method, p)
				}
				checked++
				continue
			}
			// Every id of A (and a few beyond) must answer 404 to B.
			for id := int64(1); id <= maxID; id++ {
				if own[id] && strings.HasPrefix(p, "/api/v1/tokens/") {
					continue
				}
				url := pathParam.ReplaceAllString(p, fmt.Sprint(id))
				status, body := callStatus(t, e.srv.URL, e.tokB, method, url)
				if status == 404 {
					continue
				}
				// B's own rows may exist under the same ids; those are B's, not A's.
				for _, marker := range []string{"markerchannel", "markerinvite", "markertoken", "markernotification", "markermedia", "markerreply", "markerrule", "markercampaign", "markerlink", "markerinbox", "markerview", "markercontest", "markerinfluencer", "markerlisten", "markerschedule", "brand-a"} {
					require.NotContains(t, body, marker, "%s %s leaks workspace A data", method, url)
				}
				require.False(t, isAOwned(t, e, p, id), "%s %s answered %d for workspace A's id", method, url, status)
			}
			checked++
		}
	}
	require.Greater(t, checked, 15, "the walker must cover the routes")
	// And A's data is all still there.
	list, err := e.a.Channels(ctx)
	require.NoError(t, err)
	require.Len(t, list, 1)
}

// isAOwned reports whether id names a row of workspace A for the route's resource.
func isAOwned(t *testing.T, e *env, path string, id int64) bool {
	switch {
	case strings.HasPrefix(path, "/api/v1/analytics/schedules/"):
		list, _ := e.st.ReportSchedules(ctx, e.wsA.ID)
		for _, s := range list {
			if s.ID == id {
				return true
			}
		}
		return false
	case strings.HasPrefix(path, "/api/v1/channels/"):
		_, err := e.st.Channel(ctx, e.wsA.ID, id)
		return err == nil
	case strings.HasPrefix(path, "/api/v1/invitations/"):
		list, _ := e.st.Invitations(ctx, e.wsA.ID)
		for _, i := range list {
			if i.ID == id {
				return true
			}
		}
	case strings.HasPrefix(path, "/api/v1/members/"):
		_, err := e.st.Membership(ctx, e.wsA.ID, id)
		return err == nil
	case strings.HasPrefix(path, "/api/v1/notifications/"):
		list, _ := e.st.Notifications(ctx, e.wsA.ID, 0, 1000)
		for _, n := range list {
			if n.ID == id {
				return true
			}
		}
	case strings.HasPrefix(path, "/api/v1/media/"):
		_, err := e.st.Media(ctx, e.wsA.ID, id)
		return err == nil
	case strings.HasPrefix(path, "/api/v1/tokens/"):
		me, _ := e.st.UserByEmail(ctx, "a@example.com")
		list, _ := e.st.Tokens(ctx, e.wsA.ID, me.ID)
		for _, x := range list {
			if x.ID == id {
				return true
			}
		}
	case strings.HasPrefix(path, "/api/v1/posts/"):
		_, err := e.st.Post(ctx, e.wsA.ID, id)
		return err == nil
	case strings.HasPrefix(path, "/api/v1/hooks/"):
		_, err := e.st.Hook(ctx, e.wsA.ID, id)
		return err == nil
	case strings.HasPrefix(path, "/api/v1/inbox/views/"):
		list, _ := e.st.Views(ctx, e.wsA.ID)
		for _, x := range list {
			if x.ID == id {
				return true
			}
		}
	case strings.HasPrefix(path, "/api/v1/inbox/"):
		_, err := e.st.Message(ctx, e.wsA.ID, id)
		return err == nil
	case strings.HasPrefix(path, "/api/v1/snippets/"):
		list, _ := e.st.Snippets(ctx, e.wsA.ID)
		for _, x := range list {
			if x.ID == id {
				return true
			}
		}
	case strings.HasPrefix(path, "/api/v1/inbox/rules/"):
		_, err := e.st.InboxRule(ctx, e.wsA.ID, id)
		return err == nil
	case strings.HasPrefix(path, "/api/v1/inbox/saved-replies/"):
		_, err := e.st.SavedReply(ctx, e.wsA.ID, id)
		return err == nil
	case strings.HasPrefix(path, "/api/v1/links/"):
		_, err := e.st.Link(ctx, e.wsA.ID, id)
		return err == nil
	case strings.HasPrefix(path, "/api/v1/campaigns/"):
		_, err := e.st.Campaign(ctx, e.wsA.ID, id)
		return err == nil
	case strings.HasPrefix(path, "/api/v1/contests/"):
		_, err := e.st.Contest(ctx, e.wsA.ID, id)
		return err == nil
	case strings.HasPrefix(path, "/api/v1/influencers/{id}/accounts/"):
		_, err := e.st.InfluencerAccount(ctx, e.wsA.ID, id)
		_, err2 := e.st.Influencer(ctx, e.wsA.ID, id)
		return err == nil || err2 == nil
	case strings.HasPrefix(path, "/api/v1/influencers/"):
		_, err := e.st.Influencer(ctx, e.wsA.ID, id)
		return err == nil
	case strings.HasPrefix(path, "/api/v1/influencer-deals/"):
		_, err := e.st.InfluencerDeal(ctx, e.wsA.ID, id)
		return err == nil
	case strings.HasPrefix(path, "/api/v1/influencer-deliverables/"):
		_, err := e.st.InfluencerDeliverable(ctx, e.wsA.ID, id)
		return err == nil
	case strings.HasPrefix(path, "/api/v1/listen/queries/"):
		_, err := e.st.ListenQuery(ctx, e.wsA.ID, id)
		return err == nil
	case strings.HasPrefix(path, "/api/v1/competitors/panels/"):
		_, err := e.st.CompetitorPanel(ctx, e.wsA.ID, id)
		return err == nil
	case strings.HasPrefix(path, "/api/v1/listen/mentions/"):
		_, err := e.st.Mention(ctx, e.wsA.ID, id)
		return err == nil
	case strings.HasPrefix(path, "/api/v1/listen/feeds/"):
		list, _ := e.st.ListenFeeds(ctx, e.wsA.ID)
		for _, f := range list {
			if f.ID == id {
				return true
			}
		}
	default:
		// A new id route must be taught here; failing loudly keeps the walker honest.
		t.Fatalf("route walker: no ownership check for %s", path)
	}
	return false
}

func call(t *testing.T, base, token, method, path string) string {
	status, body := callStatus(t, base, token, method, path)
	require.Less(t, status, 500, "%s %s: %s", method, path, body)
	return body
}

func callStatus(t *testing.T, base, token, method, path string) (int, string) {
	t.Helper()
	var rd io.Reader
	if method != "GET" && method != "DELETE" {
		rd = strings.NewReader(validBody(method, path))
	}
	req, err := http.NewRequest(method, base+path, rd)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+token)
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestOpenAPIDocument(t *testing.T) {
	t.Parallel()
	e := setup(t, "sqlite")
	resp, err := http.Get(e.srv.URL + "/api/openapi.json")
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, 200, resp.StatusCode)
	var doc map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&doc))
	require.Equal(t, "3.1.0", doc["openapi"])
	paths := doc["paths"].(map[string]any)
	require.Contains(t, paths, "/api/v1/channels")
	require.Contains(t, paths, "/api/v1/channels/{id}")
}

// validBody gives each operation a body that passes schema validation, so that
// the walker sees the handler's own answer (404), not a 422 on the input.
func validBody(method, path string) string {
	switch {
	case method == "PATCH" && strings.HasPrefix(path, "/api/v1/members/"):
		return `{"role":"viewer"}`
	case method == "PUT" && strings.HasPrefix(path, "/api/v1/inbox/rules/"):
		return `{"name":"walker","actions":[{"kind":"label","value":"x"}]}`
	case method == "PUT" && strings.HasPrefix(path, "/api/v1/inbox/saved-replies/"):
		return `{"name":"walker","lang":"en","body":"x"}`
	case strings.HasSuffix(path, "/render"):
		return `{"values":{}}`
	case method == "PUT" && strings.HasPrefix(path, "/api/v1/listen/queries/"):
		return `{"name":"walker","keywords":"walker"}`
	case method == "PUT" && strings.HasPrefix(path, "/api/v1/campaigns/"):
		return `{"name":"walker"}`
	case method == "POST" && strings.HasPrefix(path, "/api/v1/campaigns/") && strings.HasSuffix(path, "/influencers"):
		return `{"influencer_id":1}`
	case method == "PUT" && strings.HasPrefix(path, "/api/v1/influencers/"):
		return `{"name":"walker"}`
	case method == "POST" && strings.HasPrefix(path, "/api/v1/influencers/") && strings.HasSuffix(path, "/accounts"):
		return `{"network":"instagram","handle":"walker"}`
	case method == "POST" && strings.HasPrefix(path, "/api/v1/influencer-deals/"):
		switch path[strings.LastIndex(path, "/")+1:] {
		case "move":
			return `{"stage":"contacted"}`
		case "messages":
			return `{"body":"x"}`
		case "contracts":
			return `{"media_id":1}`
		case "link":
			return `{"target_url":"https://shop.example/"}`
		case "deliverables":
			return `{"kind":"post"}`
		}
	case method == "POST" && strings.HasPrefix(path, "/api/v1/campaigns/"):
		return `{"post_id":1}`
	case strings.HasSuffix(path, "/moderate"):
		return `{"status":"approved"}`
	case strings.HasSuffix(path, "/void"):
		return `{"reason":"walker"}`
	case method == "POST" && strings.HasPrefix(path, "/api/v1/contests/") && strings.HasSuffix(path, "/entries"):
		return `{"title":"walker"}`
	case strings.HasPrefix(path, "/api/v1/contests/") && strings.HasSuffix(path, "/branding"):
		return `{"accent":"#0a7d5a","logo_media_id":0}`
	case strings.HasPrefix(path, "/api/v1/contests/") && strings.HasSuffix(path, "/jury"):
		return `{"user_ids":[]}`
	case strings.HasPrefix(path, "/api/v1/contests/") && strings.HasSuffix(path, "/jury/scores"):
		return `{"entry_id":1,"score":5}`
	case strings.HasPrefix(path, "/api/v1/inbox/"):
		// A valid body for each inbox route, so only the id can fail.
		switch path[strings.LastIndex(path, "/")+1:] {
		case "assign":
			return `{"assignee":""}`
		case "state":
			return `{"state":"closed"}`
		case "notes", "reply":
			return `{"text":"x"}`
		case "hide":
			return `{"reason":"x"}`
		}
	}
	return `{}`
}
