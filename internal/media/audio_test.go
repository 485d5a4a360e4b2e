package media_test

import (
	"bytes"
	"testing"

	"github.com/relais/relais/internal/media"
	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/store"
	"github.com/stretchr/testify/require"
)

// TestUploadAudio: an MP3, a WAV and a FLAC are kept as uploaded with the
// audio kind; a rendition is given to a network that takes audio
// (SoundCloud) and refused, naming the network, to one that does not.
func TestUploadAudio(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	wav := append([]byte("RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00\x44\xac\x00\x00\x88\x58\x01\x00\x02\x00\x10\x00data\x00\x00\x00\x00"), make([]byte, 64)...)
	for _, tc := range []struct {
		name, mime string
		data       []byte
	}{
		{"song.mp3", "audio/mpeg", append([]byte("ID3\x03\x00\x00\x00\x00\x00\x0a"), make([]byte, 64)...)},
		{"take.wav", "audio/wav", wav},
		{"master.flac", "audio/flac", append([]byte("fLaC\x00\x00\x00\x22"), make([]byte, 64)...)},
	} {
		m, err := e.lib.Upload(ctx, e.ws, e.user, tc.name, bytes.NewReader(tc.data), 0)
		require.NoError(t, err, tc.name)
		require.Equal(t, store.MediaAudio, m.Kind, tc.name)
		require.Equal(t, tc.mime, m.MIME, tc.name)
		stored, err := e.root.ReadFile(m.Path)
		require.NoError(t, err)
		require.Equal(t, tc.data, stored, "audio is kept as uploaded")

		data, mime, _, _, err := e.lib.Rendition(ctx, e.ws, m.ID, network.DefaultLimits[network.SoundCloud])
		require.NoError(t, err)
		require.Equal(t, tc.mime, mime)
		require.Equal(t, tc.data, data)
		_, _, _, _, err = e.lib.Rendition(ctx, e.ws, m.ID, network.DefaultLimits[network.Mastodon])
		require.ErrorContains(t, err, "Mastodon does not take audio files")
	}
	list, err := e.lib.List(ctx, e.ws, media.Filter{Kind: store.MediaAudio})
	require.NoError(t, err)
	require.Len(t, list, 3)
}
