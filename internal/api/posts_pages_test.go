package api_test

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/relais/relais/client"
	"github.com/relais/relais/internal/store"
	"github.com/stretchr/testify/require"
)

// createPosts makes n posts in workspace A directly in the store, every third unscheduled.
func (e *env) createPosts(t *testing.T, n int) {
	t.Helper()
	nps := make([]store.NewPost, n)
	base := time.Date(2099, 3, 1, 9, 0, 0, 0, time.UTC)
	for i := range nps {
		p := &store.Post{WorkspaceID: e.wsA.ID, State: store.PostDraft, Text: fmt.Sprintf("paged %d", i), Timezone: "UTC"}
		if i%3 != 2 {
			at := base.Add(time.Duration(i%4) * time.Hour)
			p.ScheduledAt = &at
		}
		nps[i] = store.NewPost{Post: p}
	}
	require.NoError(t, e.st.CreatePosts(ctx, nps))
}

func TestPostsPagesAPI(t *testing.T) {
	t.Parallel()
	e := setup(t, "sqlite")
	e.createPosts(t, 11)

	var raw map[string]any
	require.Equal(t, 200, send(t, e, e.tokA, "GET", "/posts?limit=4", "", "", &raw))
	require.Len(t, raw["posts"], 4)
	require.NotEmpty(t, raw["next_cursor"], "the JSON answer names the next page")

	var ids []int64
	pages := 0
	cursor := ""
	for {
		pg, err := e.a.ListPosts(ctx, client.PostFilter{}, 4, cursor)
		require.NoError(t, err)
		pages++
		for _, p := range pg.Posts {
			ids = append(ids, p.ID)
		}
		if pg.NextCursor == "" {
			break
		}
		cursor = pg.NextCursor
	}
	require.Equal(t, 3, pages)
	var all []int64
	require.NoError(t, e.a.EachPost(ctx, client.PostFilter{}, 0, func(p client.PostListItem) error {
		all = append(all, p.ID)
		return nil
	}))
	require.Equal(t, all, ids, "pages of 4 list what one page lists")
	require.Len(t, all, 11)

	// A cursor from another workspace's listing shows nothing of A.
	pg, err := e.b.ListPosts(ctx, client.PostFilter{}, 0, cursor)
	require.NoError(t, err)
	require.Empty(t, pg.Posts)

	for q, field := range map[string]string{"cursor=x": "cursor", "limit=5001": "limit"} {
		var body map[string]map[string]any
		require.Equal(t, 422, send(t, e, e.tokA, "GET", "/posts?"+q, "", "", &body), q)
		require.Contains(t, fmt.Sprint(body["error"]["field"]), field, q)
	}
	_, err = e.a.ListPosts(ctx, client.PostFilter{}, 0, "not-a-cursor")
	var ce *client.Error
	require.True(t, errors.As(err, &ce), "%v", err)
	require.Equal(t, 422, ce.Status)
}

// TestExportAPIStreamsEveryPost: the export has every post, beyond one
// listing page and beyond the export's own pages.
func TestExportAPIStreamsEveryPost(t *testing.T) {
	t.Parallel()
	e := setup(t, "sqlite")
	e.createPosts(t, 1203)
	var out bytes.Buffer
	require.NoError(t, e.a.ExportPosts(ctx, client.PostFilter{}, "csv", &out))
	recs, err := csv.NewReader(&out).ReadAll()
	require.NoError(t, err)
	require.Len(t, recs, 1204)

	// A refusal still answers as an error before any byte.
	err = e.a.ExportPosts(ctx, client.PostFilter{Labels: []string{"nolabel"}}, "csv", &out)
	var ce *client.Error
	require.True(t, errors.As(err, &ce), "%v", err)
	require.Equal(t, 422, ce.Status)
}
