package web

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/store"
)

// TestComposerPreviewLooksLikeTheNetwork: the live preview shows the
// account (name, handle, avatar), links the URLs, hashtags and mentions of
// the text, lays out the media with their alt text, and shows the thread's
// next parts and the first comment under the post, each with its count.
func TestComposerPreviewLooksLikeTheNetwork(t *testing.T) {
	t.Parallel()
	b := setup(t)
	s := newStudio(t, b, "acme")
	ctx := context.Background()
	m, err := b.media.Upload(ctx, s.ws.ID, s.user.ID, "stage.png", strings.NewReader(string(pngBytes(t))), 0)
	require.NoError(t, err)
	_, err = b.media.SetAlt(ctx, s.ws.ID, m.ID, "The studio's stage at dusk")
	require.NoError(t, err)

	pre := "v." + s.mastodonID + "."
	res := s.owner.post("/workspaces/acme/posts/validate", form(
		"text", "Doors open at 6 #acme https://www.example.com/collections/winter-2026/coats", "channel", s.mastodonID, "media", id(m.ID),
		pre+"thread", "Second part\n---\n"+strings.Repeat("a", 501), pre+"first_comment", "Tickets: https://example.com/t"))
	body := res.Body
	check := body[strings.Index(body, `id="check-`+s.mastodonID+`"`):]
	require.Contains(t, check, `<span class="avatar" aria-hidden="true">A</span><span class="preview-name">@acme@mastodon.social</span></div>`,
		"without a display name, the handle once")
	require.Contains(t, check, `<span class="entity">#acme</span>`)
	require.Contains(t, check, `<a href="https://www.example.com/collections/winter-2026/coats" rel="noopener noreferrer" target="_blank">example.com/collections/winter…</a>`,
		"Mastodon shows a long link shortened")
	require.Contains(t, check, `alt="The studio&#39;s stage at dusk"`, "the preview's image carries its alt text")
	require.Equal(t, 3, strings.Count(check, `class="preview-post preview-reply`), "two thread parts and the first comment")
	require.Contains(t, check, "Part 2 · 11/500")
	require.Contains(t, check, `preview-reply over`, "the part over the limit is marked")
	require.Contains(t, check, "First comment · 32/500")

	// A video shows as a video, with its description.
	clip := store.Media{WorkspaceID: s.ws.ID, SHA256: strings.Repeat("ab", 32), MIME: "video/mp4", Kind: store.MediaKind("video"),
		Bytes: 1000, Width: 640, Height: 360, DurationMS: 4000, AltText: "A tour of the studio", Filename: "tour.mp4", Path: "x/tour.mp4", UploadedBy: s.user.ID}
	require.NoError(t, b.st.CreateMedia(ctx, &clip))
	res = s.owner.post("/workspaces/acme/posts/validate", form("text", "Tour", "channel", s.mastodonID, "media", id(clip.ID)))
	require.Contains(t, res.Body, `<video src="/workspaces/acme/media/`+id(clip.ID)+`/file" muted preload="metadata" aria-label="A tour of the studio"`)
}
