package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/relais/relais/internal/store"
)

func nullID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }

func nullText(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

// CreateLink stores a short link and sets its ID.
func (db *DB) CreateLink(ctx context.Context, l *store.Link) error {
	if l.CreatedAt.IsZero() {
		l.CreatedAt = time.Now().UTC()
	}
	err := db.W.QueryRowContext(ctx, db.Q("CreateLink"), l.WorkspaceID, l.Code, l.TargetURL, l.Title, nullID(l.PostID), nullID(l.CampaignID),
		l.Network, l.UTM.Source, l.UTM.Medium, l.UTM.Campaign, l.UTM.Content, l.UTM.Term, nullText(l.SourceKey), l.CreatedBy, MS(l.CreatedAt)).Scan(&l.ID)
	return db.Err("create link", err)
}

// EnsureLink returns the link with l.SourceKey, creating it when none exists.
// Two callers racing on one key both end with the same row.
func (db *DB) EnsureLink(ctx context.Context, l *store.Link) error {
	if l.SourceKey == "" {
		return errors.New("store: ensure link: no source key")
	}
	got, err := scanLink(db.W.QueryRowContext(ctx, db.Q("LinkBySource"), l.WorkspaceID, l.SourceKey))
	if err == nil {
		*l = got
		return nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return db.Err("ensure link", err)
	}
	err = db.CreateLink(ctx, l)
	if errors.Is(err, store.ErrConflict) {
		// Either the source key was taken meanwhile (read it) or the code
		// was (the caller draws another).
		if got, err2 := scanLink(db.W.QueryRowContext(ctx, db.Q("LinkBySource"), l.WorkspaceID, l.SourceKey)); err2 == nil {
			*l = got
			return nil
		}
	}
	return err
}

func scanLink(sc interface{ Scan(...any) error }, extra ...any) (store.Link, error) {
	var l store.Link
	var post, campaign sql.NullInt64
	var source sql.NullString
	var created int64
	dest := append([]any{&l.ID, &l.WorkspaceID, &l.Code, &l.TargetURL, &l.Title, &post, &campaign, &l.Network,
		&l.UTM.Source, &l.UTM.Medium, &l.UTM.Campaign, &l.UTM.Content, &l.UTM.Term, &source, &l.CreatedBy, &created}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return l, err
	}
	l.PostID, l.CampaignID, l.SourceKey, l.CreatedAt = post.Int64, campaign.Int64, source.String, Time(created)
	return l, nil
}

// Link returns one of the workspace's links.
func (db *DB) Link(ctx context.Context, workspaceID, id int64) (store.Link, error) {
	l, err := scanLink(db.R.QueryRowContext(ctx, db.Q("Link"), workspaceID, id))
	return l, db.Err("link", err)
}

// LinkByCode finds a link by its code in any workspace.
func (db *DB) LinkByCode(ctx context.Context, code string) (store.Link, error) {
	l, err := scanLink(db.R.QueryRowContext(ctx, db.Q("LinkByCode"), code))
	return l, db.Err("link by code", err)
}

// Links lists the workspace's links, newest first, with their click counts.
func (db *DB) Links(ctx context.Context, workspaceID int64, f store.ClickFilter, limit int) ([]store.LinkWithClicks, error) {
	if limit <= 0 {
		limit = 100
	}
	rows, err := db.R.QueryContext(ctx, db.Q("Links"), workspaceID, f.LinkID, f.PostID, f.CampaignID, limit)
	if err != nil {
		return nil, db.Err("links", err)
	}
	defer rows.Close()
	var out []store.LinkWithClicks
	for rows.Next() {
		var lc store.LinkWithClicks
		l, err := scanLink(rows, &lc.Clicks, &lc.Unique, &lc.Bots)
		if err != nil {
			return nil, db.Err("links", err)
		}
		lc.Link = l
		out = append(out, lc)
	}
	return out, db.Err("links", rows.Err())
}

// DeleteLink removes a link and its clicks.
func (db *DB) DeleteLink(ctx context.Context, workspaceID, id int64) error {
	return db.Err("delete link", Affected(db.W.ExecContext(ctx, db.Q("DeleteLink"), workspaceID, id)))
}

// clickRowsPerInsert bounds the rows of one multi-row INSERT (8 values
// each: well under SQLite's 32,766 and PostgreSQL's 65,535 parameters).
const clickRowsPerInsert = 500

// RecordClicks stores a batch of clicks in one transaction, many rows per
// INSERT statement (the RecordClick query's VALUES tuple repeated).
func (db *DB) RecordClicks(ctx context.Context, clicks []store.Click) error {
	if len(clicks) == 0 {
		return nil
	}
	return db.Tx(ctx, func(tx *sql.Tx) error {
		for len(clicks) > 0 {
			n := min(len(clicks), clickRowsPerInsert)
			args := make([]any, 0, n*8)
			for _, c := range clicks[:n] {
				args = append(args, c.LinkID, c.WorkspaceID, MS(c.At), c.Visitor, c.ReferrerHost, c.Country, c.Device, c.Bot)
			}
			if _, err := tx.ExecContext(ctx, db.multiRow("RecordClick", n, 8), args...); err != nil {
				return db.Err("record clicks", err)
			}
			clicks = clicks[n:]
		}
		return nil
	})
}

// multiRow turns a single-row "INSERT … VALUES (…)" named query into one
// inserting rows rows of cols values, numbering PostgreSQL's placeholders.
func (db *DB) multiRow(name string, rows, cols int) string {
	q := db.Q(name)
	i := strings.LastIndex(strings.ToUpper(q), "VALUES")
	var b strings.Builder
	b.Grow(len(q) + rows*cols*5)
	b.WriteString(q[:i+len("VALUES")])
	for r := range rows {
		if r > 0 {
			b.WriteByte(',')
		}
		b.WriteString(" (")
		for c := range cols {
			if c > 0 {
				b.WriteString(", ")
			}
			if db.dialect.Name == "postgres" {
				b.WriteString("$" + strconv.Itoa(r*cols+c+1))
			} else {
				b.WriteByte('?')
			}
		}
		b.WriteByte(')')
	}
	return b.String()
}

// CountClicks counts the selected clicks in [from, to).
func (db *DB) CountClicks(ctx context.Context, workspaceID int64, f store.ClickFilter, from, to time.Time) (store.ClickCount, error) {
	var c store.ClickCount
	err := db.R.QueryRowContext(ctx, db.Q("CountClicks"), workspaceID, f.LinkID, f.PostID, f.CampaignID, MS(from), MS(to)).Scan(&c.Clicks, &c.Unique, &c.Bots)
	return c, db.Err("count clicks", err)
}

// ClickBreakdown counts the selected clicks in [from, to) by day, referrer, device, bot or link.
func (db *DB) ClickBreakdown(ctx context.Context, workspaceID int64, f store.ClickFilter, by string, from, to time.Time) ([]store.ClickCount, error) {
	switch by {
	case store.ClicksByDay, store.ClicksByReferrer, store.ClicksByDevice, store.ClicksByBot, store.ClicksByLink, store.ClicksByPost:
	default:
		return nil, fmt.Errorf("store: click breakdown: unknown key %q", by)
	}
	rows, err := db.R.QueryContext(ctx, db.Q("ClickBreakdown"), workspaceID, f.LinkID, f.PostID, f.CampaignID, MS(from), MS(to), by)
	if err != nil {
		return nil, db.Err("click breakdown", err)
	}
	defer rows.Close()
	var out []store.ClickCount
	for rows.Next() {
		var c store.ClickCount
		if err := rows.Scan(&c.Key, &c.Clicks, &c.Unique, &c.Bots); err != nil {
			return nil, db.Err("click breakdown", err)
		}
		out = append(out, c)
	}
	return out, db.Err("click breakdown", rows.Err())
}

func campaignArgs(c store.Campaign) ([]any, error) {
	goals := c.Goals
	if goals == nil {
		goals = []store.CampaignGoal{}
	}
	g, err := json.Marshal(goals)
	if err != nil {
		return nil, err
	}
	return []any{c.Name, c.Description, NullMS(c.StartsAt), NullMS(c.EndsAt), string(g), c.BudgetCents, c.Currency}, nil
}

// CreateCampaign stores a campaign and sets its ID.
func (db *DB) CreateCampaign(ctx context.Context, c *store.Campaign) error {
	if c.CreatedAt.IsZero() {
		c.CreatedAt = time.Now().UTC()
	}
	args, err := campaignArgs(*c)
	if err != nil {
		return err
	}
	args = append(append([]any{c.WorkspaceID}, args...), c.CreatedBy, MS(c.CreatedAt))
	return db.Err("create campaign", db.W.QueryRowContext(ctx, db.Q("CreateCampaign"), args...).Scan(&c.ID))
}

// UpdateCampaign saves a campaign's name, dates, goals and budget.
func (db *DB) UpdateCampaign(ctx context.Context, c store.Campaign) error {
	args, err := campaignArgs(c)
	if err != nil {
		return err
	}
	return db.Err("update campaign", Affected(db.W.ExecContext(ctx, db.Q("UpdateCampaign"), append(args, c.WorkspaceID, c.ID)...)))
}

func scanCampaign(sc interface{ Scan(...any) error }) (store.Campaign, error) {
	var c store.Campaign
	var starts, ends sql.NullInt64
	var goals string
	var created int64
	if err := sc.Scan(&c.ID, &c.WorkspaceID, &c.Name, &c.Description, &starts, &ends, &goals, &c.BudgetCents, &c.Currency, &c.CreatedBy, &created); err != nil {
		return c, err
	}
	c.StartsAt, c.EndsAt, c.CreatedAt = TimePtr(starts), TimePtr(ends), Time(created)
	if err := json.Unmarshal([]byte(goals), &c.Goals); err != nil {
		return c, fmt.Errorf("goals: %w", err)
	}
	return c, nil
}

// Campaign returns one of the workspace's campaigns.
func (db *DB) Campaign(ctx context.Context, workspaceID, id int64) (store.Campaign, error) {
	c, err := scanCampaign(db.R.QueryRowContext(ctx, db.Q("Campaign"), workspaceID, id))
	return c, db.Err("campaign", err)
}

// Campaigns lists the workspace's campaigns, newest first.
func (db *DB) Campaigns(ctx context.Context, workspaceID int64) ([]store.Campaign, error) {
	rows, err := db.R.QueryContext(ctx, db.Q("Campaigns"), workspaceID)
	if err != nil {
		return nil, db.Err("campaigns", err)
	}
	defer rows.Close()
	var out []store.Campaign
	for rows.Next() {
		c, err := scanCampaign(rows)
		if err != nil {
			return nil, db.Err("campaigns", err)
		}
		out = append(out, c)
	}
	return out, db.Err("campaigns", rows.Err())
}

// DeleteCampaign removes a campaign; its links stay, without campaign.
func (db *DB) DeleteCampaign(ctx context.Context, workspaceID, id int64) error {
	return db.Err("delete campaign", Affected(db.W.ExecContext(ctx, db.Q("DeleteCampaign"), workspaceID, id)))
}

// AttachCampaignPost adds a post to a campaign of the same workspace.
func (db *DB) AttachCampaignPost(ctx context.Context, workspaceID, campaignID, postID int64) error {
	var n int64
	if err := db.W.QueryRowContext(ctx, db.Q("CampaignPostExists"), workspaceID, campaignID, postID).Scan(&n); err != nil {
		return db.Err("attach campaign post", err)
	}
	if n == 0 {
		return store.ErrNotFound
	}
	_, err := db.W.ExecContext(ctx, db.Q("AttachCampaignPost"), workspaceID, campaignID, postID)
	return db.Err("attach campaign post", err)
}

// DetachCampaignPost removes a post from a campaign.
func (db *DB) DetachCampaignPost(ctx context.Context, workspaceID, campaignID, postID int64) error {
	return db.Err("detach campaign post", Affected(db.W.ExecContext(ctx, db.Q("DetachCampaignPost"), workspaceID, campaignID, postID)))
}

// CampaignPostIDs lists the campaign's posts in id order.
func (db *DB) CampaignPostIDs(ctx context.Context, workspaceID, campaignID int64) ([]int64, error) {
	return db.ids(ctx, "CampaignPostIDs", workspaceID, campaignID)
}

// PostCampaignIDs lists the campaigns a post is attached to, in id order.
func (db *DB) PostCampaignIDs(ctx context.Context, workspaceID, postID int64) ([]int64, error) {
	return db.ids(ctx, "PostCampaignIDs", workspaceID, postID)
}

// ids runs a named query answering one id column.
func (db *DB) ids(ctx context.Context, query string, args ...any) ([]int64, error) {
	rows, err := db.R.QueryContext(ctx, db.Q(query), args...)
	if err != nil {
		return nil, db.Err(query, err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, db.Err(query, err)
		}
		out = append(out, id)
	}
	return out, db.Err(query, rows.Err())
}

// LinkSettings returns the workspace's link settings, defaults when never saved.
func (db *DB) LinkSettings(ctx context.Context, workspaceID int64) (store.LinkSettings, error) {
	s := store.LinkSettings{WorkspaceID: workspaceID, UTMTemplates: map[string]string{}}
	var tpl string
	var updated int64
	err := db.R.QueryRowContext(ctx, db.Q("LinkSettings"), workspaceID).Scan(&s.AutoShorten, &tpl, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return s, nil
	}
	if err != nil {
		return s, db.Err("link settings", err)
	}
	s.UpdatedAt = Time(updated)
	return s, db.Err("link settings", json.Unmarshal([]byte(tpl), &s.UTMTemplates))
}

// SaveLinkSettings stores the workspace's link settings.
func (db *DB) SaveLinkSettings(ctx context.Context, s store.LinkSettings) error {
	if s.UpdatedAt.IsZero() {
		s.UpdatedAt = time.Now().UTC()
	}
	tpl := s.UTMTemplates
	if tpl == nil {
		tpl = map[string]string{}
	}
	b, err := json.Marshal(tpl)
	if err != nil {
		return err
	}
	_, err = db.W.ExecContext(ctx, db.Q("SaveLinkSettings"), s.WorkspaceID, s.AutoShorten, string(b), MS(s.UpdatedAt))
	return db.Err("save link settings", err)
}

// BioPage returns the workspace's bio page, the disabled default when never saved.
func (db *DB) BioPage(ctx context.Context, workspaceID int64) (store.BioPage, error) {
	p := store.DefaultBioPage(workspaceID)
	var items string
	var updated int64
	var avatar sql.NullInt64
	err := db.R.QueryRowContext(ctx, db.Q("BioPage"), workspaceID).Scan(&p.Enabled, &p.Title, &p.Description, &p.AvatarURL, &avatar,
		&p.Background, &p.Foreground, &p.Accent, &p.Lang, &items, &p.ShowChannels, &p.RecentPosts, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return p, nil
	}
	if err != nil {
		return p, db.Err("bio page", err)
	}
	p.UpdatedAt, p.AvatarMediaID = Time(updated), avatar.Int64
	return p, db.Err("bio page", json.Unmarshal([]byte(items), &p.Items))
}

// SaveBioPage stores the workspace's bio page.
func (db *DB) SaveBioPage(ctx context.Context, p store.BioPage) error {
	if p.UpdatedAt.IsZero() {
		p.UpdatedAt = time.Now().UTC()
	}
	items := p.Items
	if items == nil {
		items = []store.BioItem{}
	}
	b, err := json.Marshal(items)
	if err != nil {
		return err
	}
	_, err = db.W.ExecContext(ctx, db.Q("SaveBioPage"), p.WorkspaceID, p.Enabled, p.Title, p.Description, p.AvatarURL, nullID(p.AvatarMediaID),
		p.Background, p.Foreground, p.Accent, p.Lang, string(b), p.ShowChannels, p.RecentPosts, MS(p.UpdatedAt))
	return db.Err("save bio page", err)
}

// RecentPublished lists the latest publications with a public URL, newest first.
func (db *DB) RecentPublished(ctx context.Context, workspaceID int64, limit int) ([]store.PublishedItem, error) {
	rows, err := db.R.QueryContext(ctx, db.Q("RecentPublished"), workspaceID, limit)
	if err != nil {
		return nil, db.Err("recent published", err)
	}
	defer rows.Close()
	var out []store.PublishedItem
	for rows.Next() {
		var it store.PublishedItem
		var at int64
		if err := rows.Scan(&it.PublicationID, &it.PostID, &it.Network, &it.URL, &it.Text, &at); err != nil {
			return nil, db.Err("recent published", err)
		}
		it.PublishedAt = Time(at)
		out = append(out, it)
	}
	return out, db.Err("recent published", rows.Err())
}
