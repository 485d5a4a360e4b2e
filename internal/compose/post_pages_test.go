package compose_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/relais/relais/internal/compose"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/store/storetest"
	"github.com/relais/relais/internal/valid"
	"github.com/stretchr/testify/require"
)

// manyPosts creates n posts directly in the store, every third unscheduled,
// with a variant on the channels of chans[i%len(chans)] when chans is set.
func (f *fixture) manyPosts(t *testing.T, n int, chans ...int64) {
	t.Helper()
	nps := make([]store.NewPost, n)
	for i := range nps {
		p := &store.Post{WorkspaceID: f.ws.ID, State: store.PostDraft, Text: fmt.Sprintf("post %d", i), Timezone: "UTC"}
		if i%3 != 2 {
			at := f.clock.Add(time.Duration(i%7) * time.Hour)
			p.ScheduledAt = &at
		}
		np := store.NewPost{Post: p}
		if len(chans) > 0 {
			np.Variants = []store.Variant{{ChannelID: chans[i%len(chans)]}}
		}
		nps[i] = np
	}
	require.NoError(t, f.st.CreatePosts(ctx, nps))
}

func TestPagesFollowTheCursor(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			f := newFixtureOn(t, d, false)
			viewer := f.as[store.RoleViewer]
			f.manyPosts(t, 17, f.bsky, f.masto)

			for _, q := range []compose.Query{{}, {ChannelIDs: []int64{f.masto}}, {From: f.clock.Add(2 * time.Hour)}} {
				whole, err := f.svc.List(ctx, viewer, q)
				require.NoError(t, err)
				require.NotEmpty(t, whole)
				var paged []compose.CalendarItem
				q.Limit = 3
				for pages := 0; ; pages++ {
					pg, err := f.svc.Page(ctx, viewer, q)
					require.NoError(t, err)
					paged = append(paged, pg.Items...)
					if pg.NextCursor == "" {
						break
					}
					// Filtering happens after the query: pages are still full.
					require.Len(t, pg.Items, 3)
					require.Less(t, pages, 20)
					q.Cursor = pg.NextCursor
				}
				require.Equal(t, whole, paged, "%+v", q)
			}
		})
	}
}

func TestPageRefusesBadCursorAndLimit(t *testing.T) {
	t.Parallel()
	f := newFixture(t, false)
	viewer := f.as[store.RoleViewer]
	for field, q := range map[string]compose.Query{
		"cursor": {Cursor: "not-a-cursor"},
		"limit":  {Limit: compose.MaxPageSize + 1},
	} {
		_, err := f.svc.Page(ctx, viewer, q)
		ve, ok := valid.As(err)
		require.True(t, ok, "%v", err)
		require.Equal(t, field, ve.Field)
	}
	// Another workspace's cursor only positions the listing; it reveals nothing.
	f.manyPosts(t, 4, f.masto)
	pg, err := f.svc.Page(ctx, viewer, compose.Query{Limit: 2})
	require.NoError(t, err)
	other, err := f.svc.Page(ctx, f.other, compose.Query{Cursor: pg.NextCursor})
	require.NoError(t, err)
	require.Empty(t, other.Items)
}

// TestExportHasNoCap: the export holds every post, past the 5,000 a listing
// page holds (it used to stop there).
func TestExportHasNoCap(t *testing.T) {
	t.Parallel()
	f := newFixture(t, false)
	n := compose.MaxPageSize + 7
	f.manyPosts(t, n)
	var out bytes.Buffer
	require.NoError(t, f.svc.Export(ctx, f.as[store.RoleViewer], compose.Query{}, "csv", &out))
	recs, err := csv.NewReader(&out).ReadAll()
	require.NoError(t, err)
	require.Len(t, recs, n+1, "the header and every post")
	seen := map[string]bool{}
	for _, r := range recs[1:] {
		require.False(t, seen[r[0]], "post %s exported twice", r[0])
		seen[r[0]] = true
	}
}

// TestExportJSONStreamsOneDocument: the JSON export, written row by row, is
// the document json.Encoder writes for all rows at once.
func TestExportJSONStreamsOneDocument(t *testing.T) {
	t.Parallel()
	f := newFixture(t, false)
	viewer := f.as[store.RoleViewer]
	for _, n := range []int{0, 1, 4} {
		if n > 0 {
			f.manyPosts(t, n-len(mustRows(t, f)), f.bsky)
		}
		var got bytes.Buffer
		require.NoError(t, f.svc.Export(ctx, viewer, compose.Query{}, "json", &got))
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetIndent("", "  ")
		require.NoError(t, enc.Encode(struct {
			Posts []compose.ExportRow `json:"posts"`
		}{mustRows(t, f)}))
		require.Equal(t, want.String(), got.String())
	}
}

// mustRows reads the export rows back from the JSON export.
func mustRows(t *testing.T, f *fixture) []compose.ExportRow {
	t.Helper()
	var out bytes.Buffer
	require.NoError(t, f.svc.Export(ctx, f.as[store.RoleViewer], compose.Query{}, "json", &out))
	var doc struct {
		Posts []compose.ExportRow `json:"posts"`
	}
	require.NoError(t, json.Unmarshal(out.Bytes(), &doc))
	if doc.Posts == nil {
		doc.Posts = []compose.ExportRow{}
	}
	return doc.Posts
}
