package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/relais/relais/internal/store"
)

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// CreateListenQuery stores a listening query and sets its ID.
func (db *DB) CreateListenQuery(ctx context.Context, q *store.ListenQuery) error {
	if q.CreatedAt.IsZero() {
		q.CreatedAt = time.Now().UTC()
	}
	err := db.W.QueryRowContext(ctx, db.Q("CreateListenQuery"), q.WorkspaceID, q.Name, q.Spec, boolInt(q.Paused), q.CreatedBy, MS(q.CreatedAt)).Scan(&q.ID)
	return db.Err("create listen query", err)
}

// UpdateListenQuery changes a query's name, spec and pause.
func (db *DB) UpdateListenQuery(ctx context.Context, q store.ListenQuery) error {
	return db.execOne(ctx, "update listen query", "UpdateListenQuery", q.WorkspaceID, q.ID, q.Name, q.Spec, boolInt(q.Paused))
}

func (db *DB) execOne(ctx context.Context, op, query string, args ...any) error {
	res, err := db.W.ExecContext(ctx, db.Q(query), args...)
	if err != nil {
		return db.Err(op, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return store.ErrNotFound
	}
	return nil
}

func scanListenQuery(sc interface{ Scan(...any) error }) (store.ListenQuery, error) {
	var q store.ListenQuery
	var paused, created int64
	err := sc.Scan(&q.ID, &q.WorkspaceID, &q.Name, &q.Spec, &paused, &q.CreatedBy, &created)
	q.Paused, q.CreatedAt = paused != 0, Time(created)
	return q, err
}

// ListenQuery returns one of the workspace's queries.
func (db *DB) ListenQuery(ctx context.Context, workspaceID, id int64) (store.ListenQuery, error) {
	q, err := scanListenQuery(db.R.QueryRowContext(ctx, db.Q("ListenQuery"), workspaceID, id))
	return q, db.Err("listen query", err)
}

func (db *DB) listenQueries(ctx context.Context, op, query string, args ...any) ([]store.ListenQuery, error) {
	rows, err := db.R.QueryContext(ctx, db.Q(query), args...)
	if err != nil {
		return nil, db.Err(op, err)
	}
	defer rows.Close()
	var out []store.ListenQuery
	for rows.Next() {
		q, err := scanListenQuery(rows)
		if err != nil {
			return nil, db.Err(op, err)
		}
		out = append(out, q)
	}
	return out, db.Err(op, rows.Err())
}

// ListenQueries lists the workspace's queries by name.
func (db *DB) ListenQueries(ctx context.Context, workspaceID int64) ([]store.ListenQuery, error) {
	return db.listenQueries(ctx, "listen queries", "ListenQueries", workspaceID)
}

// ActiveListenQueries lists every workspace's queries that are not paused.
func (db *DB) ActiveListenQueries(ctx context.Context) ([]store.ListenQuery, error) {
	return db.listenQueries(ctx, "active listen queries", "ActiveListenQueries")
}

// DeleteListenQuery deletes a query (its mentions stay, unlinked).
func (db *DB) DeleteListenQuery(ctx context.Context, workspaceID, id int64) error {
	return db.execOne(ctx, "delete listen query", "DeleteListenQuery", workspaceID, id)
}

// SaveMention stores a mention once per (workspace, network, remote id) and links its queries.
func (db *DB) SaveMention(ctx context.Context, m *store.Mention) (bool, error) {
	if m.ReceivedAt.IsZero() {
		m.ReceivedAt = time.Now().UTC()
	}
	tx, err := db.W.BeginTx(ctx, nil)
	if err != nil {
		return false, db.Err("save mention", err)
	}
	defer func() { _ = tx.Rollback() }()
	created := true
	err = tx.QueryRowContext(ctx, db.Q("InsertMention"), m.WorkspaceID, m.Network, m.RemoteID, m.URL, m.Author, m.AuthorName, m.AuthorFollowers,
		m.Text, m.Lang, m.Sentiment, m.Compound, strings.Join(m.Themes, ","), MS(m.PostedAt), MS(m.ReceivedAt)).Scan(&m.ID)
	if errors.Is(err, sql.ErrNoRows) {
		created = false
		err = tx.QueryRowContext(ctx, db.Q("MentionIDByRemote"), m.WorkspaceID, m.Network, m.RemoteID).Scan(&m.ID)
	}
	if err != nil {
		return false, db.Err("save mention", err)
	}
	for _, q := range m.QueryIDs {
		if _, err := tx.ExecContext(ctx, db.Q("LinkMentionQuery"), m.ID, q, m.WorkspaceID); err != nil {
			return false, db.Err("save mention", err)
		}
	}
	return created, db.Err("save mention", tx.Commit())
}

func scanMention(sc interface{ Scan(...any) error }) (store.Mention, error) {
	var m store.Mention
	var themes, queries string
	var posted, received int64
	err := sc.Scan(&m.ID, &m.WorkspaceID, &m.Network, &m.RemoteID, &m.URL, &m.Author, &m.AuthorName, &m.AuthorFollowers,
		&m.Text, &m.Lang, &m.Sentiment, &m.Compound, &themes, &posted, &received, &m.ConversationID, &queries)
	if err != nil {
		return m, err
	}
	if themes != "" {
		m.Themes = strings.Split(themes, ",")
	}
	for _, s := range strings.Split(queries, ",") {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil {
			m.QueryIDs = append(m.QueryIDs, id)
		}
	}
	sortIDs(m.QueryIDs)
	m.PostedAt, m.ReceivedAt = Time(posted), Time(received)
	return m, nil
}

func sortIDs(ids []int64) {
	for i := 1; i < len(ids); i++ {
		for j := i; j > 0 && ids[j] < ids[j-1]; j-- {
			ids[j], ids[j-1] = ids[j-1], ids[j]
		}
	}
}

// Mention returns one of the workspace's mentions.
func (db *DB) Mention(ctx context.Context, workspaceID, id int64) (store.Mention, error) {
	m, err := scanMention(db.R.QueryRowContext(ctx, db.Q("Mention"), workspaceID, id))
	return m, db.Err("mention", err)
}

// Mentions lists the workspace's mentions, newest first.
func (db *DB) Mentions(ctx context.Context, workspaceID int64, f store.MentionFilter) ([]store.Mention, error) {
	until := f.Until
	if until.IsZero() {
		until = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	rows, err := db.R.QueryContext(ctx, db.Q("Mentions"), workspaceID, f.QueryID, MS(f.Since), MS(until), f.BeforeID, limit)
	if err != nil {
		return nil, db.Err("mentions", err)
	}
	defer rows.Close()
	var out []store.Mention
	for rows.Next() {
		m, err := scanMention(rows)
		if err != nil {
			return nil, db.Err("mentions", err)
		}
		out = append(out, m)
	}
	return out, db.Err("mentions", rows.Err())
}

// MentionVolume counts mentions per query and UTC day.
func (db *DB) MentionVolume(ctx context.Context, workspaceID int64, since, until time.Time) ([]store.MentionBucket, error) {
	rows, err := db.R.QueryContext(ctx, db.Q("MentionVolume"), workspaceID, MS(since), MS(until))
	if err != nil {
		return nil, db.Err("mention volume", err)
	}
	defer rows.Close()
	var out []store.MentionBucket
	for rows.Next() {
		var b store.MentionBucket
		var day int64
		if err := rows.Scan(&b.QueryID, &day, &b.Mentions, &b.Positive, &b.Negative, &b.Reach); err != nil {
			return nil, db.Err("mention volume", err)
		}
		b.Day = Time(day * 86400000)
		out = append(out, b)
	}
	return out, db.Err("mention volume", rows.Err())
}

// SetMentionConversation records the inbox conversation made from a mention.
func (db *DB) SetMentionConversation(ctx context.Context, workspaceID, id, conversationID int64) error {
	return db.execOne(ctx, "set mention conversation", "SetMentionConversation", workspaceID, id, conversationID)
}

// ListenCursor returns a source's saved cursor ("" when none).
func (db *DB) ListenCursor(ctx context.Context, source string) (string, error) {
	var c string
	err := db.R.QueryRowContext(ctx, db.Q("ListenCursor"), source).Scan(&c)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return c, db.Err("listen cursor", err)
}

// SetListenCursor saves a source's cursor.
func (db *DB) SetListenCursor(ctx context.Context, source, cursor string) error {
	_, err := db.W.ExecContext(ctx, db.Q("SetListenCursor"), source, cursor, MS(time.Now()))
	return db.Err("set listen cursor", err)
}

// CreateCompetitorPanel stores a panel and sets its ID.
func (db *DB) CreateCompetitorPanel(ctx context.Context, p *store.CompetitorPanel) error {
	if p.CreatedAt.IsZero() {
		p.CreatedAt = time.Now().UTC()
	}
	err := db.W.QueryRowContext(ctx, db.Q("CreateCompetitorPanel"), p.WorkspaceID, p.Name, MS(p.CreatedAt)).Scan(&p.ID)
	return db.Err("create competitor panel", err)
}

func (db *DB) competitorAccounts(ctx context.Context, query string, args ...any) ([]store.CompetitorAccount, error) {
	rows, err := db.R.QueryContext(ctx, db.Q(query), args...)
	if err != nil {
		return nil, db.Err("competitor accounts", err)
	}
	defer rows.Close()
	var out []store.CompetitorAccount
	for rows.Next() {
		var a store.CompetitorAccount
		if err := rows.Scan(&a.ID, &a.PanelID, &a.WorkspaceID, &a.Brand, &a.Network, &a.Handle); err != nil {
			return nil, db.Err("competitor accounts", err)
		}
		out = append(out, a)
	}
	return out, db.Err("competitor accounts", rows.Err())
}

// CompetitorPanel returns a panel with its accounts.
func (db *DB) CompetitorPanel(ctx context.Context, workspaceID, id int64) (store.CompetitorPanel, error) {
	var p store.CompetitorPanel
	var created int64
	err := db.R.QueryRowContext(ctx, db.Q("CompetitorPanel"), workspaceID, id).Scan(&p.ID, &p.WorkspaceID, &p.Name, &created)
	if err != nil {
		return p, db.Err("competitor panel", err)
	}
	p.CreatedAt = Time(created)
	p.Accounts, err = db.competitorAccounts(ctx, "CompetitorAccounts", workspaceID, id)
	return p, err
}

// CompetitorPanels lists the workspace's panels with their accounts.
func (db *DB) CompetitorPanels(ctx context.Context, workspaceID int64) ([]store.CompetitorPanel, error) {
	rows, err := db.R.QueryContext(ctx, db.Q("CompetitorPanels"), workspaceID)
	if err != nil {
		return nil, db.Err("competitor panels", err)
	}
	var out []store.CompetitorPanel
	for rows.Next() {
		var p store.CompetitorPanel
		var created int64
		if err := rows.Scan(&p.ID, &p.WorkspaceID, &p.Name, &created); err != nil {
			rows.Close()
			return nil, db.Err("competitor panels", err)
		}
		p.CreatedAt = Time(created)
		out = append(out, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, db.Err("competitor panels", err)
	}
	for i := range out {
		if out[i].Accounts, err = db.competitorAccounts(ctx, "CompetitorAccounts", workspaceID, out[i].ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// DeleteCompetitorPanel deletes a panel, its accounts and their metrics.
func (db *DB) DeleteCompetitorPanel(ctx context.Context, workspaceID, id int64) error {
	return db.execOne(ctx, "delete competitor panel", "DeleteCompetitorPanel", workspaceID, id)
}

// AddCompetitorAccount adds an account to one of the workspace's panels.
func (db *DB) AddCompetitorAccount(ctx context.Context, a *store.CompetitorAccount) error {
	err := db.W.QueryRowContext(ctx, db.Q("AddCompetitorAccount"), a.WorkspaceID, a.PanelID, a.Brand, a.Network, a.Handle).Scan(&a.ID)
	return db.Err("add competitor account", err)
}

// DeleteCompetitorAccount removes an account from its panel.
func (db *DB) DeleteCompetitorAccount(ctx context.Context, workspaceID, id int64) error {
	return db.execOne(ctx, "delete competitor account", "DeleteCompetitorAccount", workspaceID, id)
}

// AllCompetitorAccounts lists every workspace's competitor accounts.
func (db *DB) AllCompetitorAccounts(ctx context.Context) ([]store.CompetitorAccount, error) {
	return db.competitorAccounts(ctx, "AllCompetitorAccounts")
}

const dayLayout = "2006-01-02"

// SaveCompetitorDay stores (or replaces) an account's metrics of a day.
func (db *DB) SaveCompetitorDay(ctx context.Context, d store.CompetitorDay) error {
	formats, _ := json.Marshal(d.Formats)
	if d.TakenAt.IsZero() {
		d.TakenAt = time.Now().UTC()
	}
	res, err := db.W.ExecContext(ctx, db.Q("SaveCompetitorDay"), d.WorkspaceID, d.AccountID, d.Day.UTC().Format(dayLayout), d.Followers, d.Posts, d.PostsWeek,
		d.EngagementPost, d.TopPostURL, d.TopPostEng, string(formats), strings.Join(d.Hashtags, ","), MS(d.TakenAt))
	if err != nil {
		return db.Err("save competitor day", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return store.ErrNotFound
	}
	return nil
}

// CompetitorDays lists a panel's daily metrics from since on.
func (db *DB) CompetitorDays(ctx context.Context, workspaceID, panelID int64, since time.Time) ([]store.CompetitorDay, error) {
	rows, err := db.R.QueryContext(ctx, db.Q("CompetitorDays"), workspaceID, panelID, since.UTC().Format(dayLayout))
	if err != nil {
		return nil, db.Err("competitor days", err)
	}
	defer rows.Close()
	var out []store.CompetitorDay
	for rows.Next() {
		var d store.CompetitorDay
		var day, formats, tags string
		var taken int64
		if err := rows.Scan(&d.AccountID, &d.WorkspaceID, &day, &d.Followers, &d.Posts, &d.PostsWeek, &d.EngagementPost,
			&d.TopPostURL, &d.TopPostEng, &formats, &tags, &taken); err != nil {
			return nil, db.Err("competitor days", err)
		}
		d.Day, _ = time.Parse(dayLayout, day)
		_ = json.Unmarshal([]byte(formats), &d.Formats)
		if tags != "" {
			d.Hashtags = strings.Split(tags, ",")
		}
		d.TakenAt = Time(taken)
		out = append(out, d)
	}
	return out, db.Err("competitor days", rows.Err())
}
