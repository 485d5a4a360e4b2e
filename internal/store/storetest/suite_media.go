package storetest

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/relais/relais/internal/store"
	"github.com/stretchr/testify/require"
)

// RunMedia runs the conformance suite of the media library.
func RunMedia(t *testing.T, open func(t testing.TB) store.Store) {
	for _, tc := range []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"MediaCRUD", testMediaCRUD},
		{"MediaDedupe", testMediaDedupe},
		{"MediaListing", testMediaListing},
		{"MediaScoping", testMediaScoping},
		{"IDsAreNeverReused", testIDsAreNeverReused},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, open(t))
		})
	}
}

// NewMedia creates a media item of the kind with content hash sha in the workspace.
func NewMedia(t testing.TB, s store.Store, workspaceID int64, kind store.MediaKind, sha string) store.Media {
	t.Helper()
	m := store.Media{WorkspaceID: workspaceID, SHA256: sha, MIME: "image/jpeg", Kind: kind, Bytes: 1234, Width: 640, Height: 480,
		Filename: sha + ".jpg", Path: fmt.Sprintf("%d/%s.jpg", workspaceID, sha)}
	if kind == store.MediaVideo {
		m.MIME, m.DurationMS = "video/mp4", 61_500
	}
	require.NoError(t, s.CreateMedia(ctx, &m))
	require.NotZero(t, m.ID)
	return m
}

func testMediaCRUD(t *testing.T, s store.Store) {
	u := NewUser(t, s, "media@crud.example")
	w := NewWorkspace(t, s, "media-crud", u.ID)
	created := time.Date(2026, 3, 1, 12, 30, 45, 123e6, time.UTC)
	m := store.Media{WorkspaceID: w.ID, SHA256: "ab12", MIME: "video/mp4", Kind: store.MediaVideo, Bytes: 5 << 30,
		Width: 1080, Height: 1920, DurationMS: 90_250, AltText: "A cat", Filename: "cat.mp4", Path: "1/ab/ab12.mp4",
		UploadedBy: u.ID, CreatedAt: created}
	require.NoError(t, s.CreateMedia(ctx, &m))
	got, err := s.Media(ctx, w.ID, m.ID)
	require.NoError(t, err)
	require.Equal(t, m, got)
	got, err = s.MediaUnscoped(ctx, m.ID)
	require.NoError(t, err)
	require.Equal(t, m, got)

	require.NoError(t, s.UpdateMediaAlt(ctx, w.ID, m.ID, "A black cat on a sofa"))
	got, err = s.Media(ctx, w.ID, m.ID)
	require.NoError(t, err)
	require.Equal(t, "A black cat on a sofa", got.AltText)

	require.NoError(t, s.DeleteMedia(ctx, w.ID, m.ID))
	_, err = s.Media(ctx, w.ID, m.ID)
	require.ErrorIs(t, err, store.ErrNotFound)
	require.ErrorIs(t, s.DeleteMedia(ctx, w.ID, m.ID), store.ErrNotFound)
	require.ErrorIs(t, s.UpdateMediaAlt(ctx, w.ID, m.ID, "x"), store.ErrNotFound)
	_, err = s.MediaUnscoped(ctx, m.ID)
	require.ErrorIs(t, err, store.ErrNotFound)

	// Audio files (SoundCloud tracks) are a kind of their own; another kind is refused.
	a := store.Media{WorkspaceID: w.ID, SHA256: "cd34", MIME: "audio/flac", Kind: store.MediaAudio, Bytes: 3 << 30,
		Filename: "master.flac", Path: "1/cd/cd34.flac", UploadedBy: u.ID, CreatedAt: created}
	require.NoError(t, s.CreateMedia(ctx, &a))
	got, err = s.Media(ctx, w.ID, a.ID)
	require.NoError(t, err)
	require.Equal(t, a, got)
	list, err := s.ListMedia(ctx, w.ID, 10, 0, store.MediaAudio)
	require.NoError(t, err)
	require.Equal(t, []store.Media{a}, list)
	bad := store.Media{WorkspaceID: w.ID, SHA256: "ef56", MIME: "application/pdf", Kind: "document", Bytes: 1, Path: "x", CreatedAt: created}
	require.Error(t, s.CreateMedia(ctx, &bad))
}

func testMediaDedupe(t *testing.T, s store.Store) {
	a := NewUser(t, s, "a@dedupe.example")
	wa := NewWorkspace(t, s, "dedupe-a", a.ID)
	wb := NewWorkspace(t, s, "dedupe-b", a.ID)
	m := NewMedia(t, s, wa.ID, store.MediaImage, "samehash")
	dup := store.Media{WorkspaceID: wa.ID, SHA256: "samehash", MIME: "image/png", Kind: store.MediaImage, Path: "x"}
	require.ErrorIs(t, s.CreateMedia(ctx, &dup), store.ErrConflict)
	got, err := s.MediaBySHA(ctx, wa.ID, "samehash")
	require.NoError(t, err)
	require.Equal(t, m.ID, got.ID)
	// The same content in another workspace is another item.
	other := NewMedia(t, s, wb.ID, store.MediaImage, "samehash")
	require.NotEqual(t, m.ID, other.ID)
	_, err = s.MediaBySHA(ctx, wa.ID, "otherhash")
	require.ErrorIs(t, err, store.ErrNotFound)
}

func testMediaListing(t *testing.T, s store.Store) {
	u := NewUser(t, s, "list@media.example")
	w := NewWorkspace(t, s, "media-list", u.ID)
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var ids []int64
	kinds := []store.MediaKind{store.MediaImage, store.MediaVideo, store.MediaGIF, store.MediaImage, store.MediaVideo}
	for i, k := range kinds {
		m := store.Media{WorkspaceID: w.ID, SHA256: fmt.Sprintf("h%d", i), MIME: "x/y", Kind: k, Path: fmt.Sprint(i), CreatedAt: base.Add(time.Duration(i) * time.Minute)}
		require.NoError(t, s.CreateMedia(ctx, &m))
		ids = append(ids, m.ID)
	}
	idsOf := func(ms []store.Media) []int64 {
		out := []int64{}
		for _, m := range ms {
			out = append(out, m.ID)
		}
		return out
	}
	for _, tc := range []struct {
		name          string
		limit, offset int
		kind          store.MediaKind
		want          []int64
	}{
		{"all newest first", 10, 0, "", []int64{ids[4], ids[3], ids[2], ids[1], ids[0]}},
		{"page one", 2, 0, "", []int64{ids[4], ids[3]}},
		{"page two", 2, 2, "", []int64{ids[2], ids[1]}},
		{"past the end", 2, 10, "", []int64{}},
		{"videos", 10, 0, store.MediaVideo, []int64{ids[4], ids[1]}},
		{"gifs", 10, 0, store.MediaGIF, []int64{ids[2]}},
		{"images page two", 1, 1, store.MediaImage, []int64{ids[0]}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			list, err := s.ListMedia(ctx, w.ID, tc.limit, tc.offset, tc.kind)
			require.NoError(t, err)
			require.Equal(t, tc.want, idsOf(list))
		})
	}
}

func testMediaScoping(t *testing.T, s store.Store) {
	a := NewUser(t, s, "a@mscope.example")
	b := NewUser(t, s, "b@mscope.example")
	wa := NewWorkspace(t, s, "mscope-a", a.ID)
	wb := NewWorkspace(t, s, "mscope-b", b.ID)
	m := NewMedia(t, s, wa.ID, store.MediaImage, "scoped")
	for name, err := range map[string]error{
		"media":        errOf(s.Media(ctx, wb.ID, m.ID)),
		"media by sha": errOf(s.MediaBySHA(ctx, wb.ID, "scoped")),
		"alt":          s.UpdateMediaAlt(ctx, wb.ID, m.ID, "stolen"),
		"delete":       s.DeleteMedia(ctx, wb.ID, m.ID),
	} {
		require.True(t, errors.Is(err, store.ErrNotFound), "%s: want ErrNotFound, got %v", name, err)
	}
	list, err := s.ListMedia(ctx, wb.ID, 100, 0, "")
	require.NoError(t, err)
	require.Empty(t, list)
	got, err := s.Media(ctx, wa.ID, m.ID)
	require.NoError(t, err)
	require.Empty(t, got.AltText)
}

// testIDsAreNeverReused deletes the newest media item, post and channel and
// creates new ones in another workspace: each gets a new id, so a signed
// URL, webhook receiver or permalink holding the old id finds nothing
// (SQLite gave the highest deleted id out again before AUTOINCREMENT).
func testIDsAreNeverReused(t *testing.T, s store.Store) {
	u := NewUser(t, s, "ids@reuse.example")
	wa := NewWorkspace(t, s, "ids-a", u.ID)
	wb := NewWorkspace(t, s, "ids-b", u.ID)

	m := NewMedia(t, s, wa.ID, store.MediaImage, "reused-a")
	require.NoError(t, s.DeleteMedia(ctx, wa.ID, m.ID))
	require.Greater(t, NewMedia(t, s, wb.ID, store.MediaImage, "reused-b").ID, m.ID, "media id")

	c := NewChannel(t, s, wa.ID, "bluesky", "did:plc:reused-a")
	p := NewPosts(t, s, wa.ID, 1, c.ID)[0]
	require.NoError(t, s.DeletePost(ctx, wa.ID, p.ID))
	require.NoError(t, s.DeleteChannel(ctx, wa.ID, c.ID))
	c2 := NewChannel(t, s, wb.ID, "bluesky", "did:plc:reused-b")
	require.Greater(t, c2.ID, c.ID, "channel id")
	require.Greater(t, NewPosts(t, s, wb.ID, 1, c2.ID)[0].ID, p.ID, "post id")
}
