package inbox_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/network"
	_ "github.com/relais/relais/internal/network/telegram" // registers the provider
	"github.com/relais/relais/internal/network/telegram/telegramtest"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/store/storetest"
)

// TestTelegramDiscussionCommentAnsweredThroughTheBot: a relais post in a
// Telegram channel gets a complaint in the channel's linked discussion group
// (the Bot API fake over HTTP); the sync reads it from the bot's updates into
// the inbox once, threaded under the post; the inbox's reply goes out through
// the bot as an answer to the comment in the group, exactly once.
func TestTelegramDiscussionCommentAnsweredThroughTheBot(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			tg := telegramtest.New(t, telegramtest.Options{})
			f := setupChannel(t, d, network.Telegram, map[string]string{"bot_token": tg.Token(), "chat": "@relaischannel", "api_url": tg.URL})
			post, pub := f.publish(t, "Our shop opens at nine from Monday")
			postID, err := strconv.Atoi(pub.RemoteID)
			require.NoError(t, err)
			group := strconv.FormatInt(tg.GroupID(), 10)

			c1 := tg.AddComment(postID, "bob", "Your shop was closed again at ten, this is terrible service")
			m := f.waitMessage(t, "terrible")
			require.Equal(t, group+":"+strconv.Itoa(c1), m.RemoteID)
			require.Equal(t, store.KindReply, m.Kind)
			require.Equal(t, post.ID, m.PostID, "threaded under the relais post")
			require.Equal(t, pub.ID, m.PublicationID)
			require.Equal(t, "telegram", m.Network)
			require.Equal(t, "negative", m.Sentiment)
			require.Contains(t, m.AuthorName+m.AuthorHandle, "bob")
			require.Equal(t, 1, f.hook.count(m.ID))

			sends := tg.Count("sendMessage")
			text := "Sorry Bob, we were late that day; it will not happen again."
			r, err := f.svc.Reply(ctx, f.p, m.ID, text, "")
			require.NoError(t, err)
			require.Equal(t, store.ReplySent, r.State)
			require.True(t, strings.HasPrefix(r.RemoteID, group+":"), r.RemoteID)
			gid, err := strconv.Atoi(strings.TrimPrefix(r.RemoteID, group+":"))
			require.NoError(t, err)
			sent, ok := tg.GroupMessage(gid)
			require.True(t, ok, "the reply is in the discussion group")
			require.Equal(t, c1, sent.ReplyTo, "as an answer to the comment")
			require.Equal(t, text, sent.Text)
			require.Equal(t, sends+1, tg.Count("sendMessage"))

			again, err := f.svc.Reply(ctx, f.p, m.ID, text, "")
			require.NoError(t, err)
			require.Equal(t, r.ID, again.ID)
			require.Equal(t, sends+1, tg.Count("sendMessage"), "asked twice, sent once")

			// A second comment in the thread and a sync: the first is not doubled.
			tg.AddCommentReply(c1, "carol", "Same here, closed at ten")
			f.waitMessage(t, "Same here")
			th, err := f.svc.Get(ctx, f.p, m.ID)
			require.NoError(t, err)
			require.True(t, th.Message.Answered)
			require.Len(t, th.Conversation, 2, "both comments in the post's conversation")
			l, err := f.svc.List(ctx, f.p, store.MessageFilter{Network: "telegram"})
			require.NoError(t, err)
			require.Len(t, l, 2)
		})
	}
}
