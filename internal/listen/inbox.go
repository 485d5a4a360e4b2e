package listen

import (
	"context"

	"github.com/relais/relais/internal/inbox"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/valid"
)

// ToConversation makes a mention an inbox conversation on the workspace's
// first working channel of the mention's network (its replies go out
// through that channel) and returns the conversation's message id; a
// mention converted before returns the same id.
func (s *Service) ToConversation(ctx context.Context, in *inbox.Service, workspaceID, mentionID int64) (int64, error) {
	m, err := s.Store.Mention(ctx, workspaceID, mentionID)
	if err != nil {
		return 0, err
	}
	if m.ConversationID != 0 {
		return m.ConversationID, nil
	}
	chans, err := s.Store.Channels(ctx, workspaceID)
	if err != nil {
		return 0, err
	}
	var ch *store.Channel
	for i := range chans {
		if chans[i].Network == m.Network && chans[i].Status != store.ChannelNeedsReconnect {
			ch = &chans[i]
			break
		}
	}
	if ch == nil {
		return 0, valid.Errorf("mention", "no_channel", "Connect a %s channel to this workspace first: the conversation is answered through it", m.Network)
	}
	msg := &store.Message{WorkspaceID: workspaceID, ChannelID: ch.ID, Network: m.Network, RemoteID: m.RemoteID, Kind: store.KindMention,
		AuthorID: m.Author, AuthorHandle: m.Author, AuthorName: m.AuthorName, Text: m.Text, Language: m.Lang, URL: m.URL,
		CreatedAt: m.PostedAt, ReceivedAt: s.now()}
	if _, err := in.Ingest(ctx, []*store.Message{msg}); err != nil {
		return 0, err
	}
	if msg.ID == 0 {
		// Already in the inbox (read from the channel itself): find it.
		conv, err := s.Store.Conversation(ctx, workspaceID, m.RemoteID)
		if err != nil {
			return 0, err
		}
		for _, c := range conv {
			if c.RemoteID == m.RemoteID && c.ChannelID == ch.ID {
				msg.ID = c.ID
			}
		}
		if msg.ID == 0 {
			return 0, store.ErrConflict
		}
	}
	return msg.ID, s.Store.SetMentionConversation(ctx, workspaceID, m.ID, msg.ID)
}
