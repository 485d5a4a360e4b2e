package meta

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/network/meta/metatest"
)

func TestDirectMessages(t *testing.T) {
	t.Parallel()
	b := setup(t, metatest.Options{})
	ctx := context.Background()
	fb := b.facebook(t)
	igFB := b.instagram(t, LoginFacebook)
	igLogin := b.instagram(t, LoginInstagram)

	conv := b.srv.Message(b.srv.PageID, "901", "Alice", "Do you ship to Belgium?")
	b.srv.Message(b.srv.IGUserID, "902", "bob.style", "Is the coat still available?")
	got, cursor, err := fb.DirectMessages(ctx, "")
	require.NoError(t, err)
	require.Len(t, got, 1)
	require.Equal(t, Message{ID: got[0].ID, ConversationID: conv, FromID: "901", FromName: "Alice", Text: "Do you ship to Belgium?", CreatedAt: b.clk.Now(), Incoming: true}, got[0])

	id, err := fb.SendMessage(ctx, "901", "Yes, in 3 days.")
	require.NoError(t, err)
	require.NotEmpty(t, id)
	b.clk.Add(time.Minute)
	got, cursor, err = fb.DirectMessages(ctx, cursor)
	require.NoError(t, err)
	require.Empty(t, got, "the answer was sent in the same second as the last read")

	// The same Instagram inbox through either login; the second sees the first's answer as its own.
	for i, ig := range []*Instagram{igFB, igLogin} {
		got, _, err := ig.DirectMessages(ctx, "")
		require.NoError(t, err)
		require.Len(t, got, 1+i)
		require.Equal(t, "bob.style", got[0].FromName)
		require.True(t, got[0].Incoming)
		if i == 1 {
			require.Equal(t, "Yes!", got[1].Text)
			require.False(t, got[1].Incoming)
		}
		_, err = ig.SendMessage(ctx, "902", "Yes!")
		require.NoError(t, err)
	}
	// Past 24 hours after the person's last message, Meta refuses an answer.
	b.clk.Add(25 * time.Hour)
	_, err = fb.SendMessage(ctx, "901", "Still there?")
	ne := requireClass(t, err, network.Permanent)
	require.Contains(t, ne.Message, "24 hours")
}
