package web

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/store/storetest"
)

// seedMetrics gives every published publication of the workspace a reading
// and its channels follower counts a week ago and today.
func seedMetrics(t *testing.T, st store.Store, workspaceID int64) {
	t.Helper()
	ctx := context.Background()
	now := time.Now().UTC()
	require.NoError(t, st.TrackPublications(ctx, workspaceID, now.Add(-40*24*time.Hour), now.Add(time.Hour)))
	rows, err := st.PostMetrics(ctx, workspaceID, now.Add(-40*24*time.Hour), now.Add(time.Hour))
	require.NoError(t, err)
	n := func(v int64) *int64 { return &v }
	var snaps []store.MetricSnapshot
	var days []store.ChannelDay
	seen := map[int64]bool{}
	for i, r := range rows {
		snaps = append(snaps, store.MetricSnapshot{PublicationID: r.ID, HorizonHours: 1, WorkspaceID: workspaceID, PostID: r.PostID,
			ChannelID: r.ChannelID, Network: r.Network, PublishedAt: r.PublishedAt, TakenAt: now,
			Counts: store.Counts{Likes: n(int64(12 + 7*i)), Reposts: n(int64(3 + i)), Replies: n(int64(2))}})
		if !seen[r.ChannelID] {
			seen[r.ChannelID] = true
			days = append(days, store.ChannelDay{ChannelID: r.ChannelID, WorkspaceID: workspaceID, Network: r.Network, Day: now.Add(-7 * 24 * time.Hour), Followers: n(200), TakenAt: now},
				store.ChannelDay{ChannelID: r.ChannelID, WorkspaceID: workspaceID, Network: r.Network, Day: now, Followers: n(240), TakenAt: now})
		}
	}
	require.NoError(t, st.SaveMetricSnapshots(ctx, snaps))
	require.NoError(t, st.SaveChannelDays(ctx, days))
	require.NoError(t, st.CreateGoal(ctx, &store.Goal{WorkspaceID: workspaceID, Metric: "followers", StartValue: 150, Target: 1000,
		StartsOn: now.Add(-30 * 24 * time.Hour), DueOn: now.Add(365 * 24 * time.Hour), CreatedAt: now}))
}

// analyticsSite is a workspace with three published, measured posts.
func analyticsSite(t *testing.T, b *bundle, u store.User) store.Workspace {
	t.Helper()
	ws := b.workspace(t, u, "Maison Lune", "lune")
	ch := storetest.NewChannel(t, b.st, ws.ID, "mastodon", "lune-masto")
	posts := storetest.NewPosts(t, b.st, ws.ID, 3, ch.ID)
	for i := range posts {
		storetest.PublishAt(t, b.st, ws.ID, posts[i:i+1], time.Now().Add(-time.Duration(24*(i+1))*time.Hour))
	}
	seedMetrics(t, b.st, ws.ID)
	return ws
}

func TestAnalyticsPages(t *testing.T) {
	t.Parallel()
	b := setup(t)
	br := b.browser(t)
	u := br.signIn("ana@example.com")
	analyticsSite(t, b, u)

	res := br.get("/workspaces/lune/analytics")
	require.Equal(t, 200, res.StatusCode, res.Body)
	for _, want := range []string{"Top posts", "post 2", "Best time to post", "Follower growth", `data-chart="{`, "/static/vendor/uPlot.iife.min.js", "Engagement rate by followers"} {
		require.Contains(t, res.Body, want)
	}
	res = br.get("/workspaces/lune/analytics?days=7")
	require.Equal(t, 200, res.StatusCode)
	require.Contains(t, res.Body, "last 7 days")

	res = br.get("/workspaces/lune/analytics/report?from=" + time.Now().Add(-10*24*time.Hour).Format(time.DateOnly))
	require.Equal(t, 200, res.StatusCode, res.Body)
	for _, want := range []string{"By channel", "@lune-masto", "post 0", "Download CSV", "How the measures are computed", "Kaushik"} {
		require.Contains(t, res.Body, want)
	}
	res = br.get("/workspaces/lune/analytics/report.csv?from=2026-01-01&to=2026-12-31")
	require.Equal(t, 200, res.StatusCode)
	require.Equal(t, "text/csv; charset=utf-8", res.Header.Get("Content-Type"))
	require.True(t, strings.HasPrefix(res.Body, "level,key,post_id"))

	lang := br.lang
	br.lang = "de"
	res = br.get("/workspaces/lune/analytics/report.pdf?from=" + time.Now().Add(-10*24*time.Hour).Format(time.DateOnly))
	br.lang = lang
	require.Equal(t, 200, res.StatusCode)
	require.Equal(t, "application/pdf", res.Header.Get("Content-Type"))
	require.True(t, strings.HasPrefix(res.Body, "%PDF-"), "a PDF file")
	require.Greater(t, len(res.Body), 2000)

	res = br.get("/workspaces/lune/analytics/report?label=theme:none&from=2026-01-01")
	require.Equal(t, 200, res.StatusCode)
	require.Contains(t, res.Body, "No post with metrics in this period.", "the label filter keeps no post")
	require.Contains(t, res.Body, "label=theme%3Anone", "the CSV link keeps the filter")
	res = br.get("/workspaces/lune/analytics/report?label=nocolon")
	require.Equal(t, 400, res.StatusCode)
	require.Contains(t, res.Body, "key:value")

	res = br.get("/workspaces/lune/analytics/report?from=2026-05-01&to=2026-04-01")
	require.Equal(t, 400, res.StatusCode)
	require.Contains(t, res.Body, "must be after from")

	// Collect now: the test channel has no credentials, so it is reported as not read.
	res = br.post("/workspaces/lune/analytics/collect", nil)
	require.Equal(t, 303, res.StatusCode, res.Body)
	require.Equal(t, "/workspaces/lune/analytics", res.Header.Get("Location"))
	require.Contains(t, br.get("/workspaces/lune/analytics").Body, "some channels could not be read now")

	// Goals: the seeded one is on its way; a new one is added, a wrong one explained, one removed.
	require.Contains(t, br.get("/workspaces/lune/analytics").Body, "now 240, 11 % of the way")
	res = br.post("/workspaces/lune/analytics/goals", form("channel_id", "0", "start_value", "240", "target", "200", "starts_on", "2026-01-01", "due_on", "2025-01-01"))
	require.Equal(t, 422, res.StatusCode)
	require.Contains(t, res.Body, "The due day must come after the start.")
	res = br.post("/workspaces/lune/analytics/goals", form("channel_id", "0", "start_value", "2 000", "target", "abc", "starts_on", "2026-01-01", "due_on", "2027-01-01"))
	require.Equal(t, 422, res.StatusCode)
	require.Contains(t, res.Body, "Type a whole number.")
	res = br.post("/workspaces/lune/analytics/goals", form("channel_id", "0", "start_value", "210 000", "target", "680000", "starts_on", "2026-01-01", "due_on", "2029-01-01"))
	require.Equal(t, 303, res.StatusCode, res.Body)
	page := br.get("/workspaces/lune/analytics").Body
	require.Contains(t, page, "followers 210000 → 680000")
	require.Contains(t, page, "behind: the trend gives only")
	goals, err := b.st.Goals(context.Background(), analyticsWS(t, b).ID)
	require.NoError(t, err)
	require.Len(t, goals, 2)
	res = br.post("/workspaces/lune/analytics/goals/"+strconv.FormatInt(goals[1].ID, 10)+"/delete", nil)
	require.Equal(t, 303, res.StatusCode)

	// Another workspace's member sees nothing of it.
	other := b.browser(t)
	other.signIn("eve@example.com")
	require.NotEqual(t, 200, other.get("/workspaces/lune/analytics").StatusCode)
	require.NotEqual(t, 200, other.get("/workspaces/lune/analytics/report.csv").StatusCode)
	require.NotEqual(t, 303, other.post("/workspaces/lune/analytics/collect", nil).StatusCode)
	require.NotEqual(t, 303, other.post("/workspaces/lune/analytics/goals/"+strconv.FormatInt(goals[0].ID, 10)+"/delete", nil).StatusCode)
}

func analyticsWS(t *testing.T, b *bundle) store.Workspace {
	t.Helper()
	w, err := b.st.WorkspaceBySlug(context.Background(), "lune")
	require.NoError(t, err)
	return w
}

// TestBrowserAnalytics opens the dashboard in Chromium (charts drawn by the
// vendored uPlot under the CSP), then the report for a period.
func TestBrowserAnalytics(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil && os.Getenv("CI") != "true" {
		t.Skip("chromium is not installed at " + chromiumPath)
	}
	b := setup(t)
	u, err := b.auth.CreateUser(context.Background(), "ana@example.com", "Ana", "correct horse battery", false)
	require.NoError(t, err)
	analyticsSite(t, b, u)

	br := startBrowser(t, 1280, 900, 90*time.Second, nil)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	br.signIn(t, b.srv.URL, "ana@example.com")
	br.do(t,
		chromedp.Click(css(`a[href="/workspaces/lune/analytics"]`)),
		chromedp.WaitVisible(css(`.chart[data-chart="followers"] canvas`)),
		chromedp.WaitVisible(css(`.sparkline[data-series="interactions"] canvas`)),
		br.shot("70-analytics-dashboard"),
	)
	require.Contains(t, br.text(t, `.analytics-stats`), "Interactions")
	require.Contains(t, br.text(t, `.heatmap`), "Mon")
	require.Contains(t, br.text(t, `#campaign-status`), "No campaign is running now.")
	br.do(t,
		chromedp.Click(css(`a[href="/workspaces/lune/analytics/report"]`)),
		chromedp.WaitVisible(css(`#report-from`)),
		chromedp.SetValue(css(`#report-from`), time.Now().Add(-30*24*time.Hour).Format(time.DateOnly)),
		// The report page already has its download links: wait for the
		// new period's page itself before reading it.
		submitAndWait(`#report-from`),
		chromedp.WaitVisible(css(`a[download]`)),
		br.shot("71-analytics-report"),
	)
	require.Contains(t, br.text(t, `main`), "post 1")
	require.Contains(t, br.text(t, `#report-mail`), "No report is sent by e-mail yet.")
	require.Contains(t, br.text(t, `#report-brand`), "Save the brand")
	br.requireNoProblems(t)
}
