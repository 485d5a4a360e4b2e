package compose

import (
	"testing"

	"github.com/relais/relais/internal/network"
	"github.com/stretchr/testify/require"
)

// TestAudioOnlyWhereTaken: audio is required and accepted up to its size on
// SoundCloud, refused with a clear message on a network without audio.
func TestAudioOnlyWhereTaken(t *testing.T) {
	sc := network.DefaultLimits[network.SoundCloud]
	mp3 := MediaInfo{Kind: MediaAudio, MIME: "audio/mpeg", Bytes: 8 << 20}
	for _, tc := range []struct {
		name  string
		l     network.Limits
		media []MediaInfo
		code  string
		msg   map[string]string
	}{
		{"soundcloud takes audio", sc, []MediaInfo{mp3}, "", nil},
		{"soundcloud takes audio and artwork", sc, []MediaInfo{mp3, {Kind: MediaImage, Bytes: 1 << 20, AltText: "cover"}}, "", nil},
		{"soundcloud needs audio", sc, []MediaInfo{{Kind: MediaImage, Bytes: 1 << 20, AltText: "cover"}}, CodeAudioRequired,
			map[string]string{"en": "SoundCloud needs an audio file", "fr": "SoundCloud demande un fichier audio", "de": "SoundCloud braucht eine Audiodatei"}},
		{"soundcloud size", sc, []MediaInfo{{Kind: MediaAudio, Bytes: 5 << 30}}, CodeAudioTooLarge,
			map[string]string{"en": "SoundCloud allows audio files up to 4 GB; attachment 1 is 5 GB"}},
		{"mastodon refuses audio", network.DefaultLimits[network.Mastodon], []MediaInfo{mp3}, CodeAudioNotSupported,
			map[string]string{"en": "Mastodon does not take audio files; attachment 1 is audio", "de": "Mastodon nimmt keine Audiodateien"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ps := Validate(Draft{Text: "Night track", Media: tc.media}, tc.l)
			var errs []Problem
			for _, p := range ps {
				if p.Severity == SeverityError {
					errs = append(errs, p)
				}
			}
			if tc.code == "" {
				require.Empty(t, errs)
				return
			}
			require.Len(t, errs, 1, "%+v", errs)
			require.Equal(t, tc.code, errs[0].Code)
			for lang, want := range tc.msg {
				require.Contains(t, MessageIn(errs[0], lang), want, lang)
			}
		})
	}
}
