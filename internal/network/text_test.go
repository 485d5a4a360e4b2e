package network_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/network"
)

func TestTextAsSent(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		kind network.Kind
		part network.Part
		want string
	}{
		{"no link", network.Mastodon, network.Part{Text: "Hello"}, "Hello"},
		{"link after a blank line", network.Mastodon, network.Part{Text: "Hello", Link: "https://example.com/a"}, "Hello\n\nhttps://example.com/a"},
		{"trailing space is not kept before the link", network.Telegram, network.Part{Text: "Hello \n", Link: "https://example.com/a"}, "Hello\n\nhttps://example.com/a"},
		{"link already in the text", network.Mastodon, network.Part{Text: "See https://example.com/a now", Link: "https://example.com/a"}, "See https://example.com/a now"},
		{"link alone", network.X, network.Part{Text: "  ", Link: "https://example.com/a"}, "https://example.com/a"},
		{"Bluesky makes a card, not text", network.Bluesky, network.Part{Text: "Hello", Link: "https://example.com/a"}, "Hello"},
		{"Bluesky with media: no card, the link goes in the text", network.Bluesky,
			network.Part{Text: "Hello", Link: "https://example.com/a", Media: []network.Media{{MIME: "image/png"}}}, "Hello\n\nhttps://example.com/a"},
		{"the feed has an item link", network.Website, network.Part{Text: "Hello", Link: "https://example.com/a"}, "Hello"},
		{"webhooks carry the link as a field", network.Webhook, network.Part{Text: "Hello", Link: "https://example.com/a"}, "Hello"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tc.want, network.TextAsSent(tc.kind, tc.part))
		})
	}
}

func TestSendsLanguage(t *testing.T) {
	t.Parallel()
	for k, want := range map[network.Kind]bool{network.Mastodon: true, network.Bluesky: true, network.Webhook: true,
		network.Telegram: false, network.Website: false} {
		require.Equal(t, want, network.SendsLanguage(k), k)
	}
}
