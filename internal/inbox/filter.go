package inbox

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/valid"
)

// Query is an inbox filter as people and programs write it: the API's query
// parameters, the web page's form and a saved view's query string.
type Query struct {
	State     string
	Network   string
	ChannelID int64
	Sentiment string
	Language  string
	Theme     string
	Label     string
	// Assignee is "me", "none", an e-mail, a name or a user id.
	Assignee   string
	Unanswered bool
	From, To   time.Time
	Search     string
	// Cursor continues after the page whose NextCursor it is.
	Cursor string
	Limit  int
}

// ParseQuery reads a query string (a saved view, the web page's form).
// Unknown keys are ignored; a malformed value names its field.
func ParseQuery(v url.Values) (Query, error) {
	q := Query{State: v.Get("state"), Network: v.Get("network"), Sentiment: v.Get("sentiment"), Language: v.Get("language"),
		Theme: v.Get("theme"), Label: v.Get("label"), Assignee: v.Get("assignee"), Search: v.Get("q"), Cursor: v.Get("cursor")}
	q.Unanswered = v.Get("unanswered") == "1" || v.Get("unanswered") == "true" || v.Get("unanswered") == "on"
	var err error
	if s := v.Get("channel"); s != "" {
		if q.ChannelID, err = strconv.ParseInt(s, 10, 64); err != nil {
			return q, valid.Errorf("channel", "invalid", "channel must be a channel id; got %q", s)
		}
	}
	for _, d := range []struct {
		key string
		to  *time.Time
		add time.Duration
	}{{"from", &q.From, 0}, {"to", &q.To, 24 * time.Hour}} {
		s := v.Get(d.key)
		if s == "" {
			continue
		}
		t, err := time.Parse("2006-01-02", s)
		if err != nil {
			return q, valid.Errorf(d.key, "invalid", "%s must be a date like 2026-05-04; got %q", d.key, s)
		}
		*d.to = t.Add(d.add)
	}
	return q, nil
}

// Encode is the query string of the query (without the cursor and limit).
func (q Query) Encode() string {
	v := url.Values{}
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	set("state", q.State)
	set("network", q.Network)
	if q.ChannelID != 0 {
		v.Set("channel", strconv.FormatInt(q.ChannelID, 10))
	}
	set("sentiment", q.Sentiment)
	set("language", q.Language)
	set("theme", q.Theme)
	set("label", q.Label)
	set("assignee", q.Assignee)
	if q.Unanswered {
		v.Set("unanswered", "1")
	}
	if !q.From.IsZero() {
		v.Set("from", q.From.Format("2006-01-02"))
	}
	if !q.To.IsZero() {
		v.Set("to", q.To.Add(-24*time.Hour).Format("2006-01-02"))
	}
	set("q", q.Search)
	return v.Encode()
}

// Page is one page of the inbox.
type Page struct {
	Messages []Message
	// NextCursor continues the list; empty after the last page.
	NextCursor string
}

// Find lists one page of the principal's inbox for the query.
func (s *Service) Find(ctx context.Context, p auth.Principal, q Query) (Page, error) {
	f := store.MessageFilter{State: store.MessageState(q.State), Network: q.Network, ChannelID: q.ChannelID, Sentiment: q.Sentiment,
		Language: q.Language, Theme: q.Theme, Label: strings.ToLower(q.Label), Unanswered: q.Unanswered, From: q.From, To: q.To,
		Search: q.Search, Limit: q.Limit}
	if f.Limit <= 0 {
		f.Limit = 50
	}
	switch strings.ToLower(strings.TrimSpace(q.Assignee)) {
	case "":
	case "none":
		f.Unassigned = true
	case "me":
		f.AssigneeID = p.User.ID
	default:
		id, err := s.MemberID(ctx, p, q.Assignee)
		if err != nil {
			return Page{}, err
		}
		f.AssigneeID = id
	}
	if q.Cursor != "" {
		at, id, ok := strings.Cut(q.Cursor, "-")
		ms, err1 := strconv.ParseInt(at, 10, 64)
		n, err2 := strconv.ParseInt(id, 10, 64)
		if !ok || err1 != nil || err2 != nil || n <= 0 {
			return Page{}, valid.Errorf("cursor", "invalid", "cursor must be a next_cursor of an earlier page")
		}
		f.BeforeAt, f.BeforeID = time.UnixMilli(ms).UTC(), n
	}
	list, err := s.List(ctx, p, f)
	if err != nil {
		return Page{}, err
	}
	pg := Page{Messages: list}
	if len(list) == f.Limit {
		last := list[len(list)-1]
		pg.NextCursor = strconv.FormatInt(last.ReceivedAt.UnixMilli(), 10) + "-" + strconv.FormatInt(last.ID, 10)
	}
	return pg, nil
}
