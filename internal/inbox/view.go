package inbox

import (
	"time"

	"github.com/relais/relais/internal/store"
)

// MessageView is a message as the CLI and the API print it.
type MessageView struct {
	ID            int64     `json:"id"`
	ChannelID     int64     `json:"channel_id"`
	Network       string    `json:"network"`
	RemoteID      string    `json:"remote_id"`
	ParentID      string    `json:"parent_remote_id"`
	RootID        string    `json:"root_remote_id"`
	Kind          string    `json:"kind" enum:"reply,mention,quote,comment,dm"`
	Author        string    `json:"author" doc:"The author's handle"`
	AuthorName    string    `json:"author_name"`
	Text          string    `json:"text"`
	Language      string    `json:"language" doc:"en, fr, de or other"`
	Sentiment     string    `json:"sentiment" enum:"negative,neutral,positive"`
	Score         float64   `json:"sentiment_score" doc:"The compound score, -1 to 1"`
	Themes        []string  `json:"themes" doc:"Feedback themes (delivery, refund_return, quality, …)"`
	Labels        []string  `json:"labels"`
	State         string    `json:"state" enum:"open,pending,closed"`
	Assignee      string    `json:"assignee" doc:"The assigned member's e-mail, empty when nobody"`
	Priority      int       `json:"priority" minimum:"0" maximum:"3"`
	PostID        int64     `json:"post_id" doc:"The relais post it answers, 0 when none"`
	PublicationID int64     `json:"publication_id" doc:"The publication it answers, 0 when none"`
	URL           string    `json:"url"`
	Answered      bool      `json:"answered" doc:"A reply was sent from the inbox"`
	Hidden        bool      `json:"hidden" doc:"Hidden or deleted on its network"`
	CreatedAt     time.Time `json:"created_at" doc:"When the author wrote it"`
	ReceivedAt    time.Time `json:"received_at" doc:"When relais read it"`
}

// ViewOf is the printed form of a message.
func ViewOf(m Message) MessageView {
	themes, labels := m.Themes, m.Labels
	if themes == nil {
		themes = []string{}
	}
	if labels == nil {
		labels = []string{}
	}
	return MessageView{ID: m.ID, ChannelID: m.ChannelID, Network: m.Network, RemoteID: m.RemoteID, ParentID: m.ParentRemoteID,
		RootID: m.RootRemoteID, Kind: string(m.Kind), Author: m.AuthorHandle, AuthorName: m.AuthorName, Text: m.Text,
		Language: m.Language, Sentiment: m.Sentiment, Score: m.SentimentScore, Themes: themes, Labels: labels,
		State: string(m.State), Assignee: m.AssigneeEmail, Priority: m.Priority, PostID: m.PostID, PublicationID: m.PublicationID,
		URL: m.URL, Answered: m.Answered, Hidden: m.Hidden, CreatedAt: m.CreatedAt, ReceivedAt: m.ReceivedAt}
}

// ViewsOf prints a list of messages (never nil).
func ViewsOf(ms []Message) []MessageView {
	out := make([]MessageView, len(ms))
	for i, m := range ms {
		out[i] = ViewOf(m)
	}
	return out
}

// ReplyView is a reply sent from the inbox as printed.
type ReplyView struct {
	ID        int64      `json:"id"`
	MessageID int64      `json:"message_id"`
	Text      string     `json:"text"`
	State     string     `json:"state" enum:"sending,sent,failed,needs_review"`
	RemoteID  string     `json:"remote_id"`
	URL       string     `json:"url"`
	Error     string     `json:"error,omitempty"`
	CreatedAt time.Time  `json:"created_at"`
	SentAt    *time.Time `json:"sent_at,omitempty"`
}

// ReplyViewOf is the printed form of a reply.
func ReplyViewOf(r store.Reply) ReplyView {
	return ReplyView{ID: r.ID, MessageID: r.MessageID, Text: r.Text, State: string(r.State), RemoteID: r.RemoteID, URL: r.URL,
		Error: r.Error, CreatedAt: r.CreatedAt, SentAt: r.SentAt}
}
