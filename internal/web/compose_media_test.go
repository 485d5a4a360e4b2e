package web

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestComposerPerChannelMediaWithoutReload: every channel's section has a
// media picker, even before the library has anything; a file uploaded from
// the composer appears at once in every channel's picker (out-of-band
// swaps) without losing what each channel had chosen, and media chosen for
// one channel show in that channel's preview only.
func TestComposerPerChannelMediaWithoutReload(t *testing.T) {
	t.Parallel()
	b := setup(t)
	s := newStudio(t, b, "acme")
	res := s.owner.get("/workspaces/acme/posts/new")
	for _, ch := range []string{s.blueskyID, s.mastodonID, s.webID} {
		require.Contains(t, res.Body, `<div class="variant-picker" id="picker-v.`+ch+`.media">`)
	}

	first, err := b.media.Upload(context.Background(), s.ws.ID, s.user.ID, "first.png", bytes.NewReader(pngBytes(t)), 0)
	require.NoError(t, err)
	mid := id(first.ID)
	var gray bytes.Buffer
	require.NoError(t, png.Encode(&gray, image.NewGray(image.Rect(0, 0, 8, 8))))
	res = s.owner.upload("/workspaces/acme/media?picker=1", "file", "gray.png", gray.Bytes(),
		"channel", s.mastodonID, "channel", s.blueskyID, "v."+s.mastodonID+".media", mid)
	require.Equal(t, 200, res.StatusCode)
	picker := func(ch string) string {
		m := regexp.MustCompile(`(?s)<div class="variant-picker" id="picker-v\.` + ch + `\.media" hx-swap-oob="true">(.*?)</div>\s*(<div class="variant-picker"|$)`).FindStringSubmatch(res.Body)
		require.NotNil(t, m, "the picker of channel %s is swapped in", ch)
		return m[1]
	}
	masto, bsky := picker(s.mastodonID), picker(s.blueskyID)
	require.Contains(t, masto, "gray.png", "the new file is offered on the channel at once")
	require.Contains(t, masto, `name="v.`+s.mastodonID+`.media" value="`+mid+`" checked`, "the channel's choice is kept")
	require.Equal(t, 1, strings.Count(masto, "checked"), "the new file is not chosen for the channel")
	require.Contains(t, bsky, "gray.png")
	require.NotContains(t, bsky, "checked")

	res = s.owner.post("/workspaces/acme/posts/validate", form("text", "Look", "channel", s.mastodonID, "channel", s.blueskyID,
		"v."+s.mastodonID+".media", mid))
	at := func(ch string) string {
		body := res.Body[strings.Index(res.Body, `id="check-`+ch+`"`):]
		return body[:strings.Index(body, "</section>")]
	}
	require.Contains(t, at(s.mastodonID), `/media/`+mid+`/file`)
	require.NotContains(t, at(s.blueskyID), `/media/`+mid+`/file`)
}
