package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/store/storetest"
	"github.com/stretchr/testify/require"
)

func TestPostListPages(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	flags := []string{"--data-dir", dir}
	a, err := DataFlags{DataDir: dir}.open(context.Background())
	require.NoError(t, err)
	owner := storetest.NewUser(t, a.Store, "owner@example.com")
	ws := store.Workspace{Name: "Brand", Slug: "brand", Timezone: "Europe/Paris"}
	require.NoError(t, a.Store.CreateWorkspace(context.Background(), &ws, owner.ID))
	nps := make([]store.NewPost, 7)
	for i := range nps {
		at := time.Date(2099, 1, 1, 9+i%3, 0, 0, 0, time.UTC)
		nps[i] = store.NewPost{Post: &store.Post{WorkspaceID: ws.ID, State: store.PostDraft, Text: fmt.Sprintf("post %d", i), ScheduledAt: &at}}
	}
	require.NoError(t, a.Store.CreatePosts(context.Background(), nps))
	require.NoError(t, a.Close())

	type page struct {
		Posts      []struct{ ID int64 } `json:"posts"`
		NextCursor string               `json:"next_cursor"`
	}
	list := func(args ...string) page {
		t.Helper()
		out, err := runCompose(t, flags, append([]string{"post", "list", "--workspace", "brand", "--json"}, args...)...)
		require.NoError(t, err)
		var p page
		require.NoError(t, json.Unmarshal([]byte(out), &p), out)
		return p
	}
	var paged []int64
	cursor := ""
	for _, want := range []int{3, 3, 1} {
		args := []string{"--limit", "3"}
		if cursor != "" {
			args = append(args, "--cursor", cursor)
		}
		p := list(args...)
		require.Len(t, p.Posts, want)
		for _, x := range p.Posts {
			paged = append(paged, x.ID)
		}
		cursor = p.NextCursor
	}
	require.Empty(t, cursor, "the last page has no next cursor")

	all := list("--limit", "3", "--all")
	require.Empty(t, all.NextCursor)
	var ids []int64
	for _, x := range all.Posts {
		ids = append(ids, x.ID)
	}
	require.Equal(t, paged, ids)
	require.Len(t, ids, 7)

	// The table says how to go on.
	out, err := runCompose(t, flags, "post", "list", "--workspace", "brand", "--limit", "5")
	require.NoError(t, err)
	require.Equal(t, 1+5+1, strings.Count(out, "\n"), out)
	require.Contains(t, out, "more posts: add --cursor ")

	_, err = runCompose(t, flags, "post", "list", "--workspace", "brand", "--limit", strconv.Itoa(6000))
	require.ErrorContains(t, err, "limit")
}
