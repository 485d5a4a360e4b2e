package listen

import (
	"time"

	"github.com/relais/relais/internal/store"
)

// MentionView is a stored mention as the API and the CLI show it.
type MentionView struct {
	ID              int64     `json:"id"`
	Network         string    `json:"network"`
	RemoteID        string    `json:"remote_id"`
	URL             string    `json:"url,omitempty" doc:"Link to the original"`
	Author          string    `json:"author"`
	AuthorName      string    `json:"author_name,omitempty"`
	AuthorFollowers int64     `json:"author_followers" doc:"Reach signal: the author's followers when the source gives them"`
	Text            string    `json:"text"`
	Lang            string    `json:"lang"`
	Sentiment       string    `json:"sentiment" enum:"positive,neutral,negative,"`
	Compound        float64   `json:"compound"`
	Themes          []string  `json:"themes"`
	PostedAt        time.Time `json:"posted_at"`
	ReceivedAt      time.Time `json:"received_at"`
	ConversationID  int64     `json:"conversation_id,omitempty" doc:"The inbox message made from it"`
	QueryIDs        []int64   `json:"query_ids"`
}

// View is the API and CLI view of a stored mention.
func View(m store.Mention) MentionView {
	out := MentionView{ID: m.ID, Network: m.Network, RemoteID: m.RemoteID, URL: m.URL, Author: m.Author, AuthorName: m.AuthorName,
		AuthorFollowers: m.AuthorFollowers, Text: m.Text, Lang: m.Lang, Sentiment: m.Sentiment, Compound: m.Compound,
		Themes: m.Themes, PostedAt: m.PostedAt, ReceivedAt: m.ReceivedAt, ConversationID: m.ConversationID, QueryIDs: m.QueryIDs}
	if out.Themes == nil {
		out.Themes = []string{}
	}
	if out.QueryIDs == nil {
		out.QueryIDs = []int64{}
	}
	return out
}
