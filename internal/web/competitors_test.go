package web

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/listen"
	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/store"
)

// TestCompetitorPanelPage adds a panel from the form (a malformed account
// refused at its field), shows its ranking and downloads it as CSV.
func TestCompetitorPanelPage(t *testing.T) {
	t.Parallel()
	b := setup(t)
	s := newStudio(t, b, "acme")
	res := s.owner.post("/workspaces/acme/competitors", form("name", "Fashion", "accounts", "Globex-bluesky"))
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode)
	require.Contains(t, res.Body, "brand:network:handle")
	require.Contains(t, res.Body, `class="field-error"`)

	res = s.owner.post("/workspaces/acme/competitors", form("name", "Fashion", "accounts", "Globex:bluesky:globex.bsky.social\nInitech:mastodon:@initech@social.example"))
	require.Equal(t, http.StatusSeeOther, res.StatusCode, res.Body)
	page := s.owner.get("/workspaces/acme/competitors")
	require.Equal(t, http.StatusOK, page.StatusCode)
	require.Contains(t, page.Body, "Fashion")
	require.Contains(t, page.Body, "initech@social.example")
	require.Contains(t, page.Body, "Not measured yet")

	panels, err := b.st.CompetitorPanels(t.Context(), s.ws.ID)
	require.NoError(t, err)
	require.Len(t, panels, 1)
	csv := s.owner.get("/workspaces/acme/competitors/" + strconv.FormatInt(panels[0].ID, 10) + "/report.csv")
	require.Equal(t, http.StatusOK, csv.StatusCode)
	require.True(t, strings.HasPrefix(csv.Body, "rank,brand,network,handle,followers"), csv.Body)
	require.Contains(t, csv.Body, "Globex,bluesky,globex.bsky.social")
	require.Equal(t, http.StatusNotFound, newStudio(t, b, "other").owner.get("/workspaces/other/competitors/"+strconv.FormatInt(panels[0].ID, 10)+"/report.csv").StatusCode)
	require.Contains(t, page.Body, `data-series="followers"`)
	require.Contains(t, page.Body, "/report.pdf")
	pdf := s.owner.get("/workspaces/acme/competitors/" + strconv.FormatInt(panels[0].ID, 10) + "/report.pdf")
	require.Equal(t, http.StatusOK, pdf.StatusCode)
	require.Equal(t, "application/pdf", pdf.Header.Get("Content-Type"))
	require.True(t, strings.HasPrefix(pdf.Body, "%PDF-"))
	require.Equal(t, http.StatusNotFound, newStudio(t, b, "third").owner.get("/workspaces/third/competitors/"+strconv.FormatInt(panels[0].ID, 10)+"/report.pdf").StatusCode)
}

// TestListenFeedsPage adds a website feed from the Listening page (a bad
// address refused at its field), reads it over real HTTP and lists the
// mention it gave; another workspace cannot delete it.
func TestListenFeedsPage(t *testing.T) {
	t.Parallel()
	var svc *listen.Service
	b := setupDeps(t, func(d *Deps) {
		yes := true // the test's site listens on a loopback address
		svc = &listen.Service{Store: d.Store, HTTP: network.NewHTTPClient(network.HTTPOptions{AllowPrivate: &yes})}
		d.Listen = svc
	})
	s := newStudio(t, b, "acme")
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/atom+xml")
		_, _ = io.WriteString(w, `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Sneaker Weekly</title><id>urn:x:feed</id><updated>2026-05-01T08:00:00Z</updated>
<entry><title>Acme sneakers sold out</title><id>urn:x:1</id><link href="https://sneakers.example/acme"/><updated>2026-05-01T08:00:00Z</updated><summary>Everyone loves the Acme sneakers.</summary></entry></feed>`)
	}))
	defer site.Close()
	_, err := svc.AddQuery(t.Context(), s.ws.ID, 0, listen.Spec{Name: "Acme", Keywords: "acme"})
	require.NoError(t, err)

	res := s.owner.post("/workspaces/acme/listen/feeds", form("url", "gopher://sneakers.example/feed"))
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode)
	require.Contains(t, res.Body, `class="field-error"`)
	require.Contains(t, res.Body, "gopher://sneakers.example/feed", "the address typed is kept")
	res = s.owner.post("/workspaces/acme/listen/feeds", form("url", site.URL+"/atom.xml"))
	require.Equal(t, http.StatusSeeOther, res.StatusCode, res.Body)
	res = s.owner.post("/workspaces/acme/listen/feeds/poll", form())
	require.Equal(t, http.StatusSeeOther, res.StatusCode, res.Body)
	page := s.owner.get("/workspaces/acme/listen")
	require.Equal(t, http.StatusOK, page.StatusCode)
	require.Contains(t, page.Body, "Sneaker Weekly")
	require.Contains(t, page.Body, "https://sneakers.example/acme")
	feeds, err := b.st.ListenFeeds(t.Context(), s.ws.ID)
	require.NoError(t, err)
	require.Len(t, feeds, 1)
	require.Empty(t, feeds[0].LastError)
	require.EqualValues(t, 1, feeds[0].Items)
	require.Contains(t, page.Body, `id="listen-search"`)
	require.Contains(t, page.Body, `data-series="share"`, "the charts")
	require.Contains(t, page.Body, "/static/listen.js")
	ig := store.Channel{WorkspaceID: s.ws.ID, Network: "instagram", RemoteID: "ig-shop", Handle: "@shop"}
	require.NoError(t, b.st.CreateChannel(t.Context(), &ig))
	now := time.Now()
	require.NoError(t, b.st.UseHashtag(t.Context(), ig.ID, "acme", now, now.Add(-listen.InstagramWindow)))
	page = s.owner.get("/workspaces/acme/listen")
	require.Contains(t, page.Body, "1 of 30 hashtags used in 7 days")
	res = s.owner.post("/workspaces/acme/listen/search", form())
	require.Equal(t, http.StatusSeeOther, res.StatusCode, res.Body)
	other := newStudio(t, b, "other")
	require.Equal(t, http.StatusNotFound, other.owner.post("/workspaces/other/listen/feeds/"+strconv.FormatInt(feeds[0].ID, 10)+"/delete", form()).StatusCode)
	res = s.owner.post("/workspaces/acme/listen/feeds/"+strconv.FormatInt(feeds[0].ID, 10)+"/delete", form())
	require.Equal(t, http.StatusSeeOther, res.StatusCode)
}

// TestListenQueryAlertsForm sets a query's alerts from the Listening page:
// a negative reach is refused at its field with the form kept, a valid one
// is saved and marked in the query list.
func TestListenQueryAlertsForm(t *testing.T) {
	t.Parallel()
	b := setup(t)
	s := newStudio(t, b, "acme")
	res := s.owner.post("/workspaces/acme/listen/queries", form("action", "add", "name", "Acme", "keywords", "acme", "alert_mentions", "1", "alert_min_reach", "-5"))
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode)
	require.Contains(t, res.Body, `class="field-error"`)
	require.Contains(t, res.Body, `id="listen-alert-mentions" checked`)
	res = s.owner.post("/workspaces/acme/listen/queries", form("action", "add", "name", "Acme", "keywords", "acme", "alert_mentions", "1", "alert_min_reach", "500", "alert_bursts", "1"))
	require.Equal(t, http.StatusSeeOther, res.StatusCode, res.Body)
	qs, err := b.st.ListenQueries(t.Context(), s.ws.ID)
	require.NoError(t, err)
	require.Len(t, qs, 1)
	require.Contains(t, qs[0].Spec, `"alert_mentions":true`)
	require.Contains(t, qs[0].Spec, `"alert_min_reach":500`)
	require.Contains(t, qs[0].Spec, `"alert_bursts":true`)
	require.NotContains(t, qs[0].Spec, `"alert_email"`)
	page := s.owner.get("/workspaces/acme/listen")
	require.Contains(t, page.Body, `title="Alerts">alerts</span>`)
}

// TestPausePanelAndQueryFromThePages: a listening query is paused and
// resumed from the Listening page, and a competitor panel deleted from the
// Competitors page (what the API already allowed); viewers and other
// workspaces cannot.
func TestPausePanelAndQueryFromThePages(t *testing.T) {
	t.Parallel()
	var svc *listen.Service
	b := setupDeps(t, func(d *Deps) {
		svc = &listen.Service{Store: d.Store}
		d.Listen = svc
	})
	s := newStudio(t, b, "pauseco")
	q, err := svc.AddQuery(t.Context(), s.ws.ID, 0, listen.Spec{Name: "Acme", Keywords: "acme"})
	require.NoError(t, err)
	qid := strconv.FormatInt(q.ID, 10)
	page := s.owner.get("/workspaces/pauseco/listen")
	require.Contains(t, page.Body, `id="pause-query-`+qid+`">Pause</button>`)

	res := s.owner.post("/workspaces/pauseco/listen/queries/"+qid+"/pause", form("paused", "1"))
	require.Equal(t, http.StatusSeeOther, res.StatusCode, res.Body)
	stored, err := b.st.ListenQuery(t.Context(), s.ws.ID, q.ID)
	require.NoError(t, err)
	require.True(t, stored.Paused)
	page = s.owner.get("/workspaces/pauseco/listen")
	require.Contains(t, page.Body, `id="pause-query-`+qid+`">Resume</button>`)
	require.Equal(t, http.StatusSeeOther, s.owner.post("/workspaces/pauseco/listen/queries/"+qid+"/pause", form("paused", "0")).StatusCode)
	stored, err = b.st.ListenQuery(t.Context(), s.ws.ID, q.ID)
	require.NoError(t, err)
	require.False(t, stored.Paused)

	res = s.owner.post("/workspaces/pauseco/competitors", form("name", "Fashion", "accounts", "Globex:bluesky:globex.bsky.social"))
	require.Equal(t, http.StatusSeeOther, res.StatusCode, res.Body)
	panels, err := b.st.CompetitorPanels(t.Context(), s.ws.ID)
	require.NoError(t, err)
	require.Len(t, panels, 1)
	pid := strconv.FormatInt(panels[0].ID, 10)
	require.Contains(t, s.owner.get("/workspaces/pauseco/competitors").Body, `id="delete-panel-`+pid+`"`)

	other := newStudio(t, b, "otherpause")
	require.Equal(t, http.StatusNotFound, other.owner.post("/workspaces/otherpause/competitors/"+pid+"/delete", form()).StatusCode)
	require.Equal(t, http.StatusNotFound, other.owner.post("/workspaces/otherpause/listen/queries/"+qid+"/pause", form("paused", "1")).StatusCode)
	viewer := b.browser(t)
	vu := viewer.signIn("viewer-pause@example.com")
	require.NoError(t, b.st.AddMember(t.Context(), s.ws.ID, vu.ID, store.RoleViewer))
	require.NotContains(t, viewer.get("/workspaces/pauseco/competitors").Body, `id="delete-panel-`)
	require.Equal(t, http.StatusNotFound, viewer.post("/workspaces/pauseco/competitors/"+pid+"/delete", form()).StatusCode)

	require.Equal(t, http.StatusSeeOther, s.owner.post("/workspaces/pauseco/competitors/"+pid+"/delete", form()).StatusCode)
	panels, err = b.st.CompetitorPanels(t.Context(), s.ws.ID)
	require.NoError(t, err)
	require.Empty(t, panels)
	stored, err = b.st.ListenQuery(t.Context(), s.ws.ID, q.ID)
	require.NoError(t, err)
	require.False(t, stored.Paused, "another workspace's pause changed nothing")
}
