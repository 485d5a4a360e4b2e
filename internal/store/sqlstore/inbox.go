package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/relais/relais/internal/store"
)

// commaList stores a set of words as ",a,b," so one is found with LIKE '%,a,%'.
func commaList(words []string) string {
	if len(words) == 0 {
		return ""
	}
	return "," + strings.Join(words, ",") + ","
}

// splitCommaList reads a commaList back; "" and "," are empty.
func splitCommaList(s string) []string {
	out := []string{}
	for _, w := range strings.Split(strings.Trim(s, ","), ",") {
		if w != "" {
			out = append(out, w)
		}
	}
	return out
}

// messageRow is a message as the batch insert reads it (JSON keyed by column).
type messageRow struct {
	WorkspaceID    int64   `json:"workspace_id"`
	ChannelID      int64   `json:"channel_id"`
	Network        string  `json:"network"`
	RemoteID       string  `json:"remote_id"`
	ParentRemoteID string  `json:"parent_remote_id"`
	RootRemoteID   string  `json:"root_remote_id"`
	Kind           string  `json:"kind"`
	AuthorID       string  `json:"author_id"`
	AuthorHandle   string  `json:"author_handle"`
	AuthorName     string  `json:"author_name"`
	Text           string  `json:"text"`
	Language       string  `json:"language"`
	Sentiment      string  `json:"sentiment"`
	SentimentScore float64 `json:"sentiment_score"`
	Themes         string  `json:"themes"`
	Labels         string  `json:"labels"`
	State          string  `json:"state"`
	AssigneeID     int64   `json:"assignee_id"`
	Priority       int     `json:"priority"`
	PostID         int64   `json:"post_id"`
	PublicationID  int64   `json:"publication_id"`
	URL            string  `json:"url"`
	CreatedAt      int64   `json:"created_at"`
	ReceivedAt     int64   `json:"received_at"`
	UpdatedAt      int64   `json:"updated_at"`
}

// InsertMessages stores new messages with one statement (a JSON array of
// rows), skipping those already stored.
func (db *DB) InsertMessages(ctx context.Context, ms []*store.Message) (int, error) {
	if len(ms) == 0 {
		return 0, nil
	}
	now := time.Now().UTC()
	rows := make([]messageRow, len(ms))
	type key struct {
		channel int64
		remote  string
	}
	byKey := make(map[key]*store.Message, len(ms))
	for i, m := range ms {
		if m.State == "" {
			m.State = store.MessageOpen
		}
		if m.ReceivedAt.IsZero() {
			m.ReceivedAt = now
		}
		if m.CreatedAt.IsZero() {
			m.CreatedAt = m.ReceivedAt
		}
		m.UpdatedAt, m.ID = m.ReceivedAt, 0
		rows[i] = messageRow{WorkspaceID: m.WorkspaceID, ChannelID: m.ChannelID, Network: m.Network, RemoteID: m.RemoteID,
			ParentRemoteID: m.ParentRemoteID, RootRemoteID: m.RootRemoteID, Kind: string(m.Kind), AuthorID: m.AuthorID,
			AuthorHandle: m.AuthorHandle, AuthorName: m.AuthorName, Text: m.Text, Language: m.Language, Sentiment: m.Sentiment,
			SentimentScore: m.SentimentScore, Themes: commaList(m.Themes), Labels: commaList(m.Labels), State: string(m.State),
			AssigneeID: m.AssigneeID, Priority: m.Priority, PostID: m.PostID, PublicationID: m.PublicationID, URL: m.URL,
			CreatedAt: MS(m.CreatedAt), ReceivedAt: MS(m.ReceivedAt), UpdatedAt: MS(m.ReceivedAt)}
		if _, dup := byKey[key{m.ChannelID, m.RemoteID}]; !dup {
			byKey[key{m.ChannelID, m.RemoteID}] = m
		}
	}
	js, err := json.Marshal(rows)
	if err != nil {
		return 0, fmt.Errorf("store: insert inbox messages: %w", err)
	}
	res, err := db.W.QueryContext(ctx, db.Q("InsertMessages"), string(js))
	if err != nil {
		return 0, db.Err("insert inbox messages", err)
	}
	defer res.Close()
	n := 0
	for res.Next() {
		var id int64
		var k key
		if err := res.Scan(&id, &k.channel, &k.remote); err != nil {
			return n, db.Err("insert inbox messages", err)
		}
		if m := byKey[k]; m != nil {
			m.ID = id
			n++
		}
	}
	return n, db.Err("insert inbox messages", res.Err())
}

func scanMessage(row scanner) (store.Message, error) {
	var m store.Message
	var themes, labels string
	var answered, hidden int
	var created, received, updated int64
	err := row.Scan(&m.ID, &m.WorkspaceID, &m.ChannelID, &m.Network, &m.RemoteID, &m.ParentRemoteID, &m.RootRemoteID, &m.Kind,
		&m.AuthorID, &m.AuthorHandle, &m.AuthorName, &m.Text, &m.Language, &m.Sentiment, &m.SentimentScore, &themes, &labels,
		&m.State, &m.AssigneeID, &m.AssigneeEmail, &m.Priority, &m.PostID, &m.PublicationID, &m.URL, &answered, &hidden,
		&created, &received, &updated)
	m.Themes, m.Labels = splitCommaList(themes), splitCommaList(labels)
	m.Answered, m.Hidden = answered != 0, hidden != 0
	m.CreatedAt, m.ReceivedAt, m.UpdatedAt = Time(created), Time(received), Time(updated)
	return m, err
}

// scanner is what *sql.Row and *sql.Rows share.
type scanner interface{ Scan(...any) error }

// collect runs a named read query and scans every row with scan.
func collect[T any](ctx context.Context, db *DB, op, query string, scan func(scanner) (T, error), args ...any) ([]T, error) {
	rows, err := db.R.QueryContext(ctx, db.Q(query), args...)
	if err != nil {
		return nil, db.Err(op, err)
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, db.Err(op, err)
		}
		out = append(out, v)
	}
	return out, db.Err(op, rows.Err())
}

func (db *DB) messages(ctx context.Context, op, query string, args ...any) ([]store.Message, error) {
	return collect(ctx, db, op, query, scanMessage, args...)
}

// Message reads one message of the workspace.
func (db *DB) Message(ctx context.Context, workspaceID, id int64) (store.Message, error) {
	m, err := scanMessage(db.R.QueryRowContext(ctx, db.Q("Message"), workspaceID, id))
	return m, db.Err("read inbox message", err)
}

// MessageWorkspace names the workspace of a message.
func (db *DB) MessageWorkspace(ctx context.Context, id int64) (int64, error) {
	var ws int64
	err := db.R.QueryRowContext(ctx, db.Q("MessageWorkspace"), id).Scan(&ws)
	return ws, db.Err("read inbox message workspace", err)
}

// Messages lists the workspace's messages, newest first; with a search, the
// newest stored matches first.
func (db *DB) Messages(ctx context.Context, workspaceID int64, f store.MessageFilter) ([]store.Message, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	var from, to, beforeAt int64
	if !f.From.IsZero() {
		from = MS(f.From)
	}
	if !f.To.IsZero() {
		to = MS(f.To)
	}
	if f.BeforeID != 0 {
		beforeAt = MS(f.BeforeAt)
		if beforeAt == 0 {
			beforeAt = 1
		}
	}
	b := func(v bool) int64 {
		if v {
			return 1
		}
		return 0
	}
	assignee := f.AssigneeID
	if f.Unassigned {
		assignee = 0
	}
	args := []any{workspaceID, string(f.State), f.Network, f.ChannelID, f.Sentiment, f.Language, f.Theme, f.Label,
		assignee, b(f.Unassigned), b(f.Unanswered), from, to, beforeAt, f.BeforeID, limit}
	if strings.TrimSpace(f.Search) != "" {
		q := db.searchQuery(f.Search)
		if q == "" {
			// Only signs, no word: nothing can match (as PostgreSQL answers).
			return []store.Message{}, nil
		}
		return db.messages(ctx, "search inbox", "SearchMessages", append(args, q)...)
	}
	return db.messages(ctx, "list inbox", "Messages", args...)
}

// searchQuery turns typed words into the dialect's query: every word must
// occur. For SQLite's FTS5 the text is cut into tokens as its unicode61
// tokenizer cuts it (letters, digits and marks), each quoted, so FTS5
// syntax in what a user typed (OR, NEAR, *, :, quotes) is read as words and
// no token becomes a phrase (the index keeps no positions).
func (db *DB) searchQuery(s string) string {
	if db.dialect.Name != "sqlite" {
		return strings.Join(strings.Fields(s), " ")
	}
	words := strings.FieldsFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsNumber(r) && !unicode.Is(unicode.Mn, r)
	})
	for i, w := range words {
		words[i] = `"` + w + `"`
	}
	return strings.Join(words, " ")
}

// Conversation lists the messages under one root, oldest first.
func (db *DB) Conversation(ctx context.Context, workspaceID int64, rootRemoteID string) ([]store.Message, error) {
	return db.messages(ctx, "read conversation", "Conversation", workspaceID, rootRemoteID)
}

// CountOpenMessages counts the workspace's open messages.
func (db *DB) CountOpenMessages(ctx context.Context, workspaceID int64) (int64, error) {
	var n int64
	err := db.R.QueryRowContext(ctx, db.Q("CountOpenMessages"), workspaceID).Scan(&n)
	return n, db.Err("count open messages", err)
}

// UpdateMessages applies one change to the listed messages of the workspace.
func (db *DB) UpdateMessages(ctx context.Context, workspaceID int64, ids []int64, c store.MessageChange) (int, error) {
	if len(ids) == 0 {
		return 0, nil
	}
	idj, _ := json.Marshal(ids)
	var state string
	if c.State != nil {
		state = string(*c.State)
	}
	var setAssignee, assignee, setPriority, priority int64
	if c.AssigneeID != nil {
		setAssignee, assignee = 1, *c.AssigneeID
	}
	if c.Priority != nil {
		setPriority, priority = 1, int64(*c.Priority)
	}
	res, err := db.W.ExecContext(ctx, db.Q("UpdateMessages"), workspaceID, string(idj), state, setAssignee, assignee,
		setPriority, priority, c.AddLabel, c.RemoveLabel, MS(time.Now().UTC()))
	if err != nil {
		return 0, db.Err("update inbox messages", err)
	}
	n, err := res.RowsAffected()
	return int(n), db.Err("update inbox messages", err)
}

// SetMessageHidden marks a message hidden or deleted on its network.
func (db *DB) SetMessageHidden(ctx context.Context, workspaceID, id int64) error {
	return db.Err("hide inbox message", Affected(db.W.ExecContext(ctx, db.Q("SetMessageHidden"), MS(time.Now().UTC()), workspaceID, id)))
}

// AddNote stores an internal note on a message of the workspace.
func (db *DB) AddNote(ctx context.Context, n *store.Note) error {
	if n.CreatedAt.IsZero() {
		n.CreatedAt = time.Now().UTC()
	}
	err := db.W.QueryRowContext(ctx, db.Q("AddNote"), n.WorkspaceID, n.MessageID, n.AuthorID, n.Text, MS(n.CreatedAt)).Scan(&n.ID)
	return db.Err("add note", err)
}

// Notes lists a message's notes, oldest first.
func (db *DB) Notes(ctx context.Context, workspaceID, messageID int64) ([]store.Note, error) {
	return collect(ctx, db, "list notes", "Notes", func(row scanner) (store.Note, error) {
		var n store.Note
		var at int64
		err := row.Scan(&n.ID, &n.WorkspaceID, &n.MessageID, &n.AuthorID, &n.AuthorEmail, &n.Text, &at)
		n.CreatedAt = Time(at)
		return n, err
	}, workspaceID, messageID)
}

// AddModerationEntry logs a hide or delete with who and why.
func (db *DB) AddModerationEntry(ctx context.Context, e *store.ModerationEntry) error {
	if e.CreatedAt.IsZero() {
		e.CreatedAt = time.Now().UTC()
	}
	err := db.W.QueryRowContext(ctx, db.Q("AddModerationEntry"), e.WorkspaceID, e.MessageID, e.UserID, e.Action, e.Reason,
		e.Outcome, e.Error, MS(e.CreatedAt)).Scan(&e.ID)
	return db.Err("log moderation", err)
}

// ModerationLog lists a message's moderation entries, oldest first.
func (db *DB) ModerationLog(ctx context.Context, workspaceID, messageID int64) ([]store.ModerationEntry, error) {
	return collect(ctx, db, "read moderation log", "ModerationLog", func(row scanner) (store.ModerationEntry, error) {
		var e store.ModerationEntry
		var at int64
		err := row.Scan(&e.ID, &e.WorkspaceID, &e.MessageID, &e.UserID, &e.UserEmail, &e.Action, &e.Reason, &e.Outcome, &e.Error, &at)
		e.CreatedAt = Time(at)
		return e, err
	}, workspaceID, messageID)
}

// CreateReply records a reply (state sending) before it is sent.
func (db *DB) CreateReply(ctx context.Context, r *store.Reply) error {
	if r.CreatedAt.IsZero() {
		r.CreatedAt = time.Now().UTC()
	}
	r.State = store.ReplySending
	err := db.W.QueryRowContext(ctx, db.Q("CreateReply"), r.WorkspaceID, r.MessageID, r.AuthorID, r.Text, r.IdempotencyKey,
		MS(r.CreatedAt)).Scan(&r.ID, &r.ChannelID)
	return db.Err("record reply", err)
}

func scanReply(row scanner) (store.Reply, error) {
	var r store.Reply
	var created int64
	var sent sql.NullInt64
	err := row.Scan(&r.ID, &r.WorkspaceID, &r.MessageID, &r.ChannelID, &r.AuthorID, &r.Text, &r.IdempotencyKey, &r.State,
		&r.RemoteID, &r.URL, &r.Error, &created, &sent)
	r.CreatedAt, r.SentAt = Time(created), TimePtr(sent)
	return r, err
}

func (db *DB) replies(ctx context.Context, op, query string, args ...any) ([]store.Reply, error) {
	return collect(ctx, db, op, query, scanReply, args...)
}

// ReplyByKey reads the reply recorded with an idempotency key.
func (db *DB) ReplyByKey(ctx context.Context, workspaceID int64, key string) (store.Reply, error) {
	r, err := scanReply(db.R.QueryRowContext(ctx, db.Q("ReplyByKey"), workspaceID, key))
	return r, db.Err("read reply", err)
}

// Replies lists the replies sent to a message, oldest first.
func (db *DB) Replies(ctx context.Context, workspaceID, messageID int64) ([]store.Reply, error) {
	return db.replies(ctx, "list replies", "Replies", workspaceID, messageID)
}

// FinishReply moves a sending reply to its outcome; a sent reply marks its message answered.
func (db *DB) FinishReply(ctx context.Context, r store.Reply) error {
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, db.Q("FinishReply"), r.WorkspaceID, r.ID, string(r.State), r.RemoteID, r.URL, r.Error, NullMS(r.SentAt))
		if err := Affected(res, err); errors.Is(err, store.ErrNotFound) {
			return store.ErrStale
		} else if err != nil {
			return err
		}
		if r.State != store.ReplySent {
			return nil
		}
		_, err = tx.ExecContext(ctx, db.Q("MarkAnswered"), r.WorkspaceID, r.MessageID, MS(time.Now().UTC()))
		return err
	})
	if errors.Is(err, store.ErrStale) {
		return err
	}
	return db.Err("finish reply", err)
}

// SendingReplies lists replies still sending that were recorded at or before the time.
func (db *DB) SendingReplies(ctx context.Context, olderThan time.Time) ([]store.Reply, error) {
	return db.replies(ctx, "list sending replies", "SendingReplies", MS(olderThan))
}

// SaveView stores a named filter, replacing the filter of a view with the same name.
func (db *DB) SaveView(ctx context.Context, v *store.SavedView) error {
	if v.CreatedAt.IsZero() {
		v.CreatedAt = time.Now().UTC()
	}
	var at int64
	err := db.W.QueryRowContext(ctx, db.Q("SaveView"), v.WorkspaceID, v.Name, v.Filter, v.CreatedBy, MS(v.CreatedAt)).Scan(&v.ID, &at)
	v.CreatedAt = Time(at)
	return db.Err("save view", err)
}

// Views lists the workspace's saved views by name.
func (db *DB) Views(ctx context.Context, workspaceID int64) ([]store.SavedView, error) {
	return collect(ctx, db, "list views", "Views", func(row scanner) (store.SavedView, error) {
		var v store.SavedView
		var at int64
		err := row.Scan(&v.ID, &v.WorkspaceID, &v.Name, &v.Filter, &v.CreatedBy, &at)
		v.CreatedAt = Time(at)
		return v, err
	}, workspaceID)
}

// DeleteView removes a saved view.
func (db *DB) DeleteView(ctx context.Context, workspaceID, id int64) error {
	return db.Err("delete view", Affected(db.W.ExecContext(ctx, db.Q("DeleteView"), workspaceID, id)))
}

// InboxCursor reads a channel's mention cursor.
func (db *DB) InboxCursor(ctx context.Context, workspaceID, channelID int64) (string, error) {
	var c string
	err := db.R.QueryRowContext(ctx, db.Q("InboxCursor"), workspaceID, channelID).Scan(&c)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return c, db.Err("read inbox cursor", err)
}

// SetInboxCursor stores a channel's mention cursor.
func (db *DB) SetInboxCursor(ctx context.Context, workspaceID, channelID int64, cursor string, at time.Time) error {
	return db.Err("save inbox cursor", Affected(db.W.ExecContext(ctx, db.Q("SetInboxCursor"), workspaceID, channelID, cursor, MS(at))))
}

// PublicationByRemoteID finds a channel's publication by its remote id.
func (db *DB) PublicationByRemoteID(ctx context.Context, workspaceID, channelID int64, remoteID string) (store.Publication, error) {
	p, err := scanPublication(db.R.QueryRowContext(ctx, db.Q("PublicationByRemoteID"), workspaceID, channelID, remoteID))
	return p, db.Err("find publication", err)
}

// RecentPublications lists a channel's publications published since the time.
func (db *DB) RecentPublications(ctx context.Context, workspaceID, channelID int64, since time.Time, limit int) ([]store.Publication, error) {
	return db.publications(ctx, db.R, "recent publications", "RecentPublications", workspaceID, channelID, MS(since), limit)
}

// AnalyzeInbox refreshes the planner's statistics of the inbox tables.
func (db *DB) AnalyzeInbox(ctx context.Context) error {
	_, err := db.W.ExecContext(ctx, db.Q("AnalyzeInbox"))
	return db.Err("analyze inbox", err)
}
