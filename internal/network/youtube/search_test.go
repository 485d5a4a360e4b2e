package youtube

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/network/youtube/youtubetest"
)

// TestSearch finds other creators' videos through search.list in YouTube's
// query syntax (alternatives with "|", phrases, -term), newest first and
// paged, and counts each call against the search.list allowance: once it
// is used up the connector refuses before sending and names the reset.
func TestSearch(t *testing.T) {
	t.Parallel()
	srv := youtubetest.New(t, youtubetest.Options{})
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	var vids []youtubetest.OtherVideo
	for i := range 60 {
		vids = append(vids, youtubetest.OtherVideo{ID: fmt.Sprintf("v%02d", i), Title: fmt.Sprintf("Acme unboxing %d", i),
			Description: "green shoes", PublishedAt: now.Add(-time.Duration(i) * time.Hour)})
	}
	vids = append(vids, youtubetest.OtherVideo{ID: "job", Title: "Acme jobs", Description: "we hire", PublishedAt: now},
		youtubetest.OtherVideo{ID: "globex", Title: "Globex &amp; friends", Description: "red shoes", PublishedAt: now.Add(-30 * time.Minute)})
	srv.AddChannel(youtubetest.OtherChannel{ID: "UCreviewer000000000000001", Handle: "reviewer", Title: "Shoe Reviews", Videos: vids})

	q := DefaultQuota()
	q.Buckets["search.list"] = 3
	q.Costs["test:"+t.Name()] = 1
	access, refresh := srv.Tokens()
	conn, err := testProvider(srv, q).Open(testEnv(nil), network.Stored{
		Settings: map[string]string{"channel_id": youtubetest.ChannelID},
		Secrets:  map[string]string{secretAccess: access, secretRefresh: refresh},
	})
	require.NoError(t, err)
	c := conn.(*Connector)
	ctx := context.Background()

	found, next, err := c.Search(ctx, `"green shoes" -jobs|globex`, "")
	require.NoError(t, err)
	require.Len(t, found, 50)
	require.NotEmpty(t, next)
	require.Equal(t, "v00", found[0].RemoteID, "newest first")
	require.Equal(t, "globex", found[1].RemoteID)
	require.Equal(t, "Globex & friends\n\nred shoes", found[1].Text)
	require.Equal(t, "Shoe Reviews", found[1].AuthorName)
	require.Equal(t, "https://www.youtube.com/watch?v=globex", found[1].URL)
	for _, f := range found {
		require.NotEqual(t, "job", f.RemoteID)
	}
	more, next, err := c.Search(ctx, `"green shoes" -jobs|globex`, next)
	require.NoError(t, err)
	require.Len(t, more, 11)
	require.Empty(t, next)

	_, _, err = c.Search(ctx, "acme", "")
	require.NoError(t, err)
	before := srv.Count("GET /youtube/v3/search")
	_, _, err = c.Search(ctx, "acme", "")
	require.ErrorIs(t, err, ErrQuotaExceeded)
	require.Contains(t, err.Error(), "search.list allowance of 3 calls")
	require.Equal(t, before, srv.Count("GET /youtube/v3/search"), "refused before sending")
}
