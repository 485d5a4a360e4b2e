package publish

import (
	"context"
	"net/http"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/relais/relais/internal/link"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/store/storetest"
	"github.com/stretchr/testify/require"
)

// TestShortLinksAtPublishSurviveRetries publishes posts with links through
// the engine with automatic short links and injected faults: every retry
// sends the same short link (one per post × network × URL), nothing is
// published twice, and the short link leads back to the original URL.
func TestShortLinksAtPublishSurviveRetries(t *testing.T) {
	t.Parallel()
	st := storetest.OpenSQLite(t)
	f := setup(t, st, kindIdem)
	f.res.http = &http.Client{Timeout: 300 * time.Millisecond}
	f.net.SetFaults(FakeFaults{ServerError: 0.3, Timeout: 0.15, Hang: time.Second})
	require.NoError(t, st.SaveLinkSettings(context.Background(), store.LinkSettings{WorkspaceID: f.ws.ID, AutoShorten: true}))
	links := &link.Service{Store: st, BaseURL: "https://relais.example"}
	ids := f.posts(t, 12, func(i int, v *store.Variant) {
		v.Text = "New arrivals: https://shop.example/collections/autumn-2026?ref=relais-long-enough and more"
	})
	f.engine(t, func(c *Config) {
		c.RewriteFunc = links.Rewrite
		c.MaxAttempts = func(context.Context, int64) int { return 20 }
	})
	_, err := st.SchedulePosts(context.Background(), f.ws.ID, ids, time.Now(), "UTC", time.Now())
	require.NoError(t, err)
	pubs := f.settle(t, ids, store.PubPublished)
	retried := 0
	for _, p := range pubs {
		if p.Attempts > 1 {
			retried++
		}
	}
	require.Positive(t, retried, "the injected faults caused retries")

	requireNoDuplicates(t, f)
	short := regexp.MustCompile(`^New arrivals: (https://relais\.example/l/[A-Za-z0-9]{7}) and more$`)
	seen := map[string]bool{}
	for _, p := range f.net.Posts() {
		m := short.FindStringSubmatch(p.Text)
		require.NotNil(t, m, p.Text)
		seen[m[1]] = true
	}
	require.Len(t, seen, len(ids), "one short link per post")
	all, err := st.Links(context.Background(), f.ws.ID, store.ClickFilter{}, 100)
	require.NoError(t, err)
	require.Len(t, all, len(ids), "retries made no new links")
	for _, l := range all {
		require.True(t, seen["https://relais.example/l/"+l.Code])
		require.Equal(t, "https://shop.example/collections/autumn-2026?ref=relais-long-enough&utm_content="+itoa(l.PostID)+"&utm_medium=social&utm_source=fake",
			link.Destination(l.Link))
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
