package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/relais/relais/internal/store"
	"github.com/stretchr/testify/require"
)

// RunPostListing runs the conformance suite of the paginated post listing.
func RunPostListing(t *testing.T, open func(t testing.TB) store.Store) {
	for _, tc := range []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"PagesCoverTheListing", testPagesCoverTheListing},
		{"PagesWhilePostsAreAdded", testPagesWhilePostsAreAdded},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, open(t))
		})
	}
}

// listingPosts creates n posts: most scheduled (several at the same moment,
// so that ties are broken by id), every fourth unscheduled.
func listingPosts(t *testing.T, s store.Store, wsID int64, base time.Time, n int, tag string) []int64 {
	t.Helper()
	nps := make([]store.NewPost, n)
	for i := range nps {
		p := &store.Post{WorkspaceID: wsID, State: store.PostApproved, Text: fmt.Sprintf("%s %d", tag, i)}
		if i%4 != 3 {
			at := base.Add(time.Duration((i*7)%5) * time.Hour)
			p.ScheduledAt = &at
		}
		nps[i] = store.NewPost{Post: p}
	}
	require.NoError(t, s.CreatePosts(ctx, nps))
	ids := make([]int64, n)
	for i, np := range nps {
		ids[i] = np.Post.ID
	}
	return ids
}

// pageThrough lists every page of f, calling between after each page.
func pageThrough(t *testing.T, s store.Store, wsID int64, f store.PostFilter, between func(page int)) []store.Post {
	t.Helper()
	var all []store.Post
	for page := 0; ; page++ {
		got, err := s.Posts(ctx, wsID, f)
		require.NoError(t, err)
		require.LessOrEqual(t, len(got), f.Limit)
		all = append(all, got...)
		if len(got) < f.Limit {
			return all
		}
		k := store.KeyOf(got[len(got)-1])
		f.After = &k
		if between != nil {
			between(page)
		}
		require.Less(t, page, 1000, "the pages never end")
	}
}

func keyLess(a, b store.PostKey) bool {
	if a.Unscheduled != b.Unscheduled {
		return b.Unscheduled
	}
	if !a.Unscheduled && !a.ScheduledAt.Equal(b.ScheduledAt) {
		return a.ScheduledAt.Before(b.ScheduledAt)
	}
	return a.ID < b.ID
}

func testPagesCoverTheListing(t *testing.T, s store.Store) {
	u := NewUser(t, s, "pages@example.com")
	ws := NewWorkspace(t, s, "pages", u.ID)
	other := NewWorkspace(t, s, "pages-other", u.ID)
	base := time.Date(2030, 1, 1, 9, 0, 0, 0, time.UTC)
	listingPosts(t, s, ws.ID, base, 23, "post")
	listingPosts(t, s, other.ID, base, 5, "foreign")

	whole, err := s.Posts(ctx, ws.ID, store.PostFilter{Limit: 1000})
	require.NoError(t, err)
	require.Len(t, whole, 23)
	for i := 1; i < len(whole); i++ {
		require.True(t, keyLess(store.KeyOf(whole[i-1]), store.KeyOf(whole[i])), "the listing is in key order")
	}
	for _, limit := range []int{1, 5, 7, 23} {
		paged := pageThrough(t, s, ws.ID, store.PostFilter{Limit: limit}, nil)
		require.Equal(t, postIDs(whole), postIDs(paged), "pages of %d", limit)
	}

	// Filters apply on every page.
	from := base.Add(time.Hour)
	f := store.PostFilter{From: from, Limit: 3}
	paged := pageThrough(t, s, ws.ID, f, nil)
	f.Limit = 1000
	want, err := s.Posts(ctx, ws.ID, f)
	require.NoError(t, err)
	require.NotEmpty(t, want)
	require.Equal(t, postIDs(want), postIDs(paged))
}

func testPagesWhilePostsAreAdded(t *testing.T, s store.Store) {
	u := NewUser(t, s, "adding@example.com")
	ws := NewWorkspace(t, s, "adding", u.ID)
	base := time.Date(2030, 1, 1, 9, 0, 0, 0, time.UTC)
	before := listingPosts(t, s, ws.ID, base, 30, "before")

	var added []int64
	paged := pageThrough(t, s, ws.ID, store.PostFilter{Limit: 4}, func(page int) {
		// Posts land everywhere in the order: before the cursor, after it, unscheduled.
		added = append(added, listingPosts(t, s, ws.ID, base.Add(-time.Hour), 2, fmt.Sprintf("added %d", page))...)
		added = append(added, listingPosts(t, s, ws.ID, base.Add(time.Duration(page)*time.Hour), 4, fmt.Sprintf("added %d", page))...)
	})
	seen := map[int64]int{}
	for i, p := range paged {
		seen[p.ID]++
		if i > 0 {
			require.True(t, keyLess(store.KeyOf(paged[i-1]), store.KeyOf(p)), "pages follow one order")
		}
	}
	for _, id := range before {
		require.Equal(t, 1, seen[id], "post %d present before paging is listed once", id)
	}
	for _, id := range added {
		require.LessOrEqual(t, seen[id], 1, "post %d added while paging is never listed twice", id)
	}
}
