package web

import (
	"context"
	"encoding/csv"
	"fmt"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/relais/relais/internal/store"
	"github.com/stretchr/testify/require"
)

// TestCalendarListPages: the list view shows 500 posts a page and links to
// the next page until the last, keeping its filters; every post shows once,
// and once in the export.
func TestCalendarListPages(t *testing.T) {
	t.Parallel()
	b := setup(t)
	s := newStudio(t, b, "acme")
	n := 503
	nps := make([]store.NewPost, n)
	base := time.Now().Add(24 * time.Hour).UTC()
	for i := range nps {
		at := base.Add(time.Duration(i%9) * time.Minute)
		nps[i] = store.NewPost{Post: &store.Post{WorkspaceID: s.ws.ID, State: store.PostDraft, Text: fmt.Sprintf("paged post %d.", i), ScheduledAt: &at}}
	}
	require.NoError(t, b.st.CreatePosts(context.Background(), nps))

	next := regexp.MustCompile(`href="([^"]*cursor=[^"]*)" rel="next"`)
	seen := map[string]int{}
	count := regexp.MustCompile(`paged post \d+\.`)
	res := s.owner.get("/workspaces/acme/calendar?view=list&state=draft")
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.NotContains(t, res.Body, "First page")
	for _, m := range count.FindAllString(res.Body, -1) {
		seen[m]++
	}
	link := next.FindStringSubmatch(res.Body)
	require.NotNil(t, link, "the first page links to the next")
	href := html.UnescapeString(link[1])
	require.Contains(t, href, "state=draft", "the filter is kept")
	res = s.owner.get("/workspaces/acme/calendar" + href)
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Contains(t, res.Body, "First page")
	require.Nil(t, next.FindStringSubmatch(res.Body), "the last page links to no next one")
	for _, m := range count.FindAllString(res.Body, -1) {
		seen[m]++
	}
	require.Len(t, seen, n)
	for m, c := range seen {
		require.Equal(t, 1, c, m)
	}

	// The export has every post, read and sent page by page.
	res = s.owner.get("/workspaces/acme/export/csv")
	require.Equal(t, http.StatusOK, res.StatusCode)
	recs, err := csv.NewReader(strings.NewReader(res.Body)).ReadAll()
	require.NoError(t, err)
	require.Len(t, recs, n+1, "the header and every post")

	// A mangled page link starts the list again.
	res = s.owner.get("/workspaces/acme/calendar?view=list&state=draft&cursor=" + strings.Repeat("x", 8))
	require.Equal(t, http.StatusSeeOther, res.StatusCode)
	require.Equal(t, "/workspaces/acme/calendar?state=draft&view=list", res.Header.Get("Location"))
}
