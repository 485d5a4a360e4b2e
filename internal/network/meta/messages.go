package meta

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"time"
)

// Message is one direct message (Messenger or Instagram Direct).
type Message struct {
	ID             string    `json:"id"`
	ConversationID string    `json:"conversation_id"`
	FromID         string    `json:"from_id"`
	FromName       string    `json:"from_name"`
	Text           string    `json:"text"`
	CreatedAt      time.Time `json:"created_at"`
	// Incoming is false for the account's own answers.
	Incoming bool `json:"incoming"`
}

// directMessages reads the messages newer than cursor (a unix time) of the
// conversations the account's token sees (me/conversations), and the next cursor.
func directMessages(ctx context.Context, c client, platform, self, cursor string) ([]Message, string, error) {
	since, _ := strconv.ParseInt(cursor, 10, 64)
	newest := since
	type conv struct {
		ID          string `json:"id"`
		UpdatedTime string `json:"updated_time"`
	}
	var convs []conv
	q := url.Values{"platform": {platform}, "fields": {"id,updated_time,participants"}, "limit": {"25"}}
	if err := eachPage(ctx, c, "me/conversations", q, func(cv conv) {
		if parseGraphTime(cv.UpdatedTime).Unix() > since {
			convs = append(convs, cv)
		}
	}); err != nil {
		return nil, cursor, fmt.Errorf("%s: conversations: %w", c.kind, err)
	}
	var out []Message
	for _, cv := range convs {
		type msg struct {
			ID          string `json:"id"`
			Message     string `json:"message"`
			CreatedTime string `json:"created_time"`
			From        struct {
				ID       string `json:"id"`
				Name     string `json:"name"`
				Username string `json:"username"`
			} `json:"from"`
		}
		err := eachPage(ctx, c, cv.ID+"/messages", url.Values{"fields": {"id,message,from,created_time"}, "limit": {"50"}}, func(m msg) {
			at := parseGraphTime(m.CreatedTime)
			if at.Unix() <= since {
				return
			}
			newest = max(newest, at.Unix())
			name := m.From.Name
			if name == "" {
				name = m.From.Username
			}
			out = append(out, Message{ID: m.ID, ConversationID: cv.ID, FromID: m.From.ID, FromName: name, Text: m.Message, CreatedAt: at, Incoming: m.From.ID != self})
		})
		if err != nil {
			return out, cursor, fmt.Errorf("%s: messages of %s: %w", c.kind, cv.ID, err)
		}
	}
	if newest > since {
		cursor = strconv.FormatInt(newest, 10)
	}
	return out, cursor, nil
}

// sendMessage answers a person (their id in the conversation) with a text,
// as a RESPONSE: Meta allows it within 24 hours of their last message.
func sendMessage(ctx context.Context, c client, recipientID, text string) (string, error) {
	rcpt, _ := json.Marshal(map[string]string{"id": recipientID})
	body, _ := json.Marshal(map[string]string{"text": text})
	var out struct {
		MessageID string `json:"message_id"`
	}
	form := url.Values{"recipient": {string(rcpt)}, "message": {string(body)}, "messaging_type": {"RESPONSE"}}
	if err := c.post(ctx, "me/messages", form, &out); err != nil {
		return "", fmt.Errorf("%s: send message: %w", c.kind, err)
	}
	return out.MessageID, nil
}

// DirectMessages reads the Page's Messenger messages newer than cursor (pages_messaging).
func (f *Facebook) DirectMessages(ctx context.Context, cursor string) ([]Message, string, error) {
	return directMessages(ctx, f.c, "messenger", f.pageID, cursor)
}

// SendMessage answers a Messenger conversation within the 24-hour window.
func (f *Facebook) SendMessage(ctx context.Context, recipientID, text string) (string, error) {
	return sendMessage(ctx, f.c, recipientID, text)
}

// DirectMessages reads the account's Instagram Direct messages newer than
// cursor (instagram_manage_messages, or instagram_business_manage_messages with Instagram Login).
func (g *Instagram) DirectMessages(ctx context.Context, cursor string) ([]Message, string, error) {
	if err := g.fresh(ctx); err != nil {
		return nil, cursor, err
	}
	return directMessages(ctx, g.c, "instagram", g.id, cursor)
}

// SendMessage answers an Instagram Direct conversation within the 24-hour window.
func (g *Instagram) SendMessage(ctx context.Context, recipientID, text string) (string, error) {
	return sendMessage(ctx, g.c, recipientID, text)
}
