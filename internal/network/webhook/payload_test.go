package webhook

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/network"
)

func FuzzPublishedPayload(f *testing.F) {
	f.Add("hello & <b>", "https://ex.org/", "en", "visibility", "public", "https://cdn.example/a.jpg", "alt")
	f.Add("\x00\xff]]>\u2028", "", "", "", "", "https://x", "")
	f.Fuzz(func(t *testing.T, text, link, lang, optKey, optVal, mediaURL, alt string) {
		c := &Connector{env: network.Env{Now: func() time.Time { return time.Unix(1_800_000_000, 0) }}, label: text, remoteID: "r"}
		req := network.PublishRequest{IdempotencyKey: text + link, Language: lang, Options: map[string]string{optKey: optVal},
			Parts: []network.Part{{Text: text, Link: link, Media: []network.Media{{URL: mediaURL, AltText: alt}}}}}
		ev, err := c.publishedEvent(req)
		if req.IdempotencyKey == "" || mediaURL == "" {
			require.Error(t, err)
			return
		}
		require.NoError(t, err)
		body, err := json.Marshal(ev)
		require.NoError(t, err)
		require.True(t, json.Valid(body))
		var back Event
		require.NoError(t, json.Unmarshal(body, &back))
		// encoding/json replaces invalid UTF-8, so compare against that.
		require.Equal(t, strings.ToValidUTF8(text, "\uFFFD"), back.Post.Text)
		require.Equal(t, DeliveryID(req.IdempotencyKey), back.ID)
		require.Equal(t, "2027-01-15T08:00:00Z", back.CreatedAt)
		ts := int64(1_800_000_000)
		h := signedHeader(text, back.ID, ts, body)
		require.NoError(t, Verify(text, h, body, time.Minute, time.Unix(ts, 0)))
	})
}
