package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"time"

	"github.com/relais/relais/internal/store"
)

func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil || string(b) == "null" {
		return "[]"
	}
	return string(b)
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// CreateInfluencer stores an influencer and sets its ID.
func (db *DB) CreateInfluencer(ctx context.Context, in *store.Influencer) error {
	now := time.Now().UTC()
	if in.CreatedAt.IsZero() {
		in.CreatedAt = now
	}
	in.UpdatedAt = in.CreatedAt
	err := db.W.QueryRowContext(ctx, db.Q("CreateInfluencer"), in.WorkspaceID, in.Name, in.Email, in.Phone, b2i(in.Consent), NullMS(in.ConsentAt),
		in.Country, in.Language, jsonText(in.Tags), in.Notes, in.CreatedBy, MS(in.CreatedAt), MS(in.UpdatedAt)).Scan(&in.ID)
	return db.Err("create influencer", err)
}

// UpdateInfluencer saves an influencer's fields.
func (db *DB) UpdateInfluencer(ctx context.Context, in store.Influencer) error {
	if in.UpdatedAt.IsZero() {
		in.UpdatedAt = time.Now().UTC()
	}
	return db.Err("update influencer", Affected(db.W.ExecContext(ctx, db.Q("UpdateInfluencer"), in.Name, in.Email, in.Phone, b2i(in.Consent),
		NullMS(in.ConsentAt), in.Country, in.Language, jsonText(in.Tags), in.Notes, MS(in.UpdatedAt), in.WorkspaceID, in.ID)))
}

func scanInfluencer(sc scanner) (store.Influencer, error) {
	var in store.Influencer
	var consent, created, updated int64
	var consentAt sql.NullInt64
	var tags string
	if err := sc.Scan(&in.ID, &in.WorkspaceID, &in.Name, &in.Email, &in.Phone, &consent, &consentAt, &in.Country, &in.Language, &tags,
		&in.Notes, &in.CreatedBy, &created, &updated); err != nil {
		return in, err
	}
	in.Consent, in.ConsentAt, in.CreatedAt, in.UpdatedAt = consent != 0, TimePtr(consentAt), Time(created), Time(updated)
	err := json.Unmarshal([]byte(tags), &in.Tags)
	return in, err
}

// Influencer returns one of the workspace's influencers.
func (db *DB) Influencer(ctx context.Context, workspaceID, id int64) (store.Influencer, error) {
	in, err := scanInfluencer(db.R.QueryRowContext(ctx, db.Q("Influencer"), workspaceID, id))
	return in, db.Err("influencer", err)
}

// Influencers lists the workspace's influencers by name.
func (db *DB) Influencers(ctx context.Context, workspaceID int64, f store.InfluencerFilter) ([]store.Influencer, error) {
	if f.Limit <= 0 {
		f.Limit = 500
	}
	q, tag := "", ""
	if f.Query != "" {
		q = "%" + likeEscape(lower(f.Query)) + "%"
	}
	if f.Tag != "" {
		tag = "%" + likeEscape(jsonText(f.Tag)) + "%"
	}
	return collect(ctx, db, "influencers", "Influencers", scanInfluencer, workspaceID, q, tag, f.Limit)
}

// DeleteInfluencer removes an influencer with its accounts, history and deals.
func (db *DB) DeleteInfluencer(ctx context.Context, workspaceID, id int64) error {
	return db.Err("delete influencer", Affected(db.W.ExecContext(ctx, db.Q("DeleteInfluencer"), workspaceID, id)))
}

// AddInfluencerAccount adds an account to an influencer of the workspace.
func (db *DB) AddInfluencerAccount(ctx context.Context, a *store.InfluencerAccount) error {
	err := db.W.QueryRowContext(ctx, db.Q("AddInfluencerAccount"), a.WorkspaceID, a.InfluencerID, a.Network, a.Handle, a.ExternalID,
		a.DisplayName, a.Bio, a.AvatarURL, a.ProfileURL, a.Followers, a.Following, a.Posts).Scan(&a.ID)
	return db.Err("add influencer account", err)
}

// SaveInfluencerProfile stores an account's collected profile.
func (db *DB) SaveInfluencerProfile(ctx context.Context, a store.InfluencerAccount) error {
	return db.Err("save influencer profile", Affected(db.W.ExecContext(ctx, db.Q("SaveInfluencerProfile"), a.ExternalID, a.DisplayName, a.Bio,
		a.AvatarURL, a.ProfileURL, a.Followers, a.Following, a.Posts, NullMS(a.CollectedAt), a.CollectError, a.WorkspaceID, a.ID)))
}

func scanInfluencerAccount(sc scanner) (store.InfluencerAccount, error) {
	var a store.InfluencerAccount
	var collected sql.NullInt64
	err := sc.Scan(&a.ID, &a.WorkspaceID, &a.InfluencerID, &a.Network, &a.Handle, &a.ExternalID, &a.DisplayName, &a.Bio, &a.AvatarURL,
		&a.ProfileURL, &a.Followers, &a.Following, &a.Posts, &collected, &a.CollectError)
	a.CollectedAt = TimePtr(collected)
	return a, err
}

// InfluencerAccount returns one account of the workspace.
func (db *DB) InfluencerAccount(ctx context.Context, workspaceID, id int64) (store.InfluencerAccount, error) {
	a, err := scanInfluencerAccount(db.R.QueryRowContext(ctx, db.Q("InfluencerAccount"), workspaceID, id))
	return a, db.Err("influencer account", err)
}

// InfluencerAccounts lists an influencer's accounts (0: the workspace's).
func (db *DB) InfluencerAccounts(ctx context.Context, workspaceID, influencerID int64) ([]store.InfluencerAccount, error) {
	return collect(ctx, db, "influencer accounts", "InfluencerAccounts", scanInfluencerAccount, workspaceID, influencerID)
}

// AllInfluencerAccounts lists accounts of every workspace due for collection.
func (db *DB) AllInfluencerAccounts(ctx context.Context, collectedBefore time.Time, limit int) ([]store.InfluencerAccount, error) {
	if limit <= 0 {
		limit = 100
	}
	return collect(ctx, db, "all influencer accounts", "AllInfluencerAccounts", scanInfluencerAccount, MS(collectedBefore), limit)
}

// DeleteInfluencerAccount removes an account and its history.
func (db *DB) DeleteInfluencerAccount(ctx context.Context, workspaceID, id int64) error {
	return db.Err("delete influencer account", Affected(db.W.ExecContext(ctx, db.Q("DeleteInfluencerAccount"), workspaceID, id)))
}

func utcDay(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// SaveInfluencerSnapshot stores the counts of s.At's UTC day.
func (db *DB) SaveInfluencerSnapshot(ctx context.Context, workspaceID, accountID int64, s store.InfluencerSnapshot) error {
	return db.Err("save influencer snapshot", Affected(db.W.ExecContext(ctx, db.Q("SaveInfluencerSnapshot"), workspaceID, accountID,
		MS(utcDay(s.At)), MS(s.At), s.Followers, s.Following, s.Posts)))
}

// InfluencerSnapshots lists an account's daily snapshots since a day.
func (db *DB) InfluencerSnapshots(ctx context.Context, workspaceID, accountID int64, since time.Time) ([]store.InfluencerSnapshot, error) {
	return collect(ctx, db, "influencer snapshots", "InfluencerSnapshots", func(sc scanner) (store.InfluencerSnapshot, error) {
		var s store.InfluencerSnapshot
		var day, at int64
		err := sc.Scan(&day, &at, &s.Followers, &s.Following, &s.Posts)
		s.Day, s.At = Time(day), Time(at)
		return s, err
	}, workspaceID, accountID, MS(utcDay(since)))
}

// SaveInfluencerPosts upserts posts of the workspace's accounts in one transaction.
func (db *DB) SaveInfluencerPosts(ctx context.Context, workspaceID int64, posts []store.InfluencerPost) error {
	return db.Tx(ctx, func(tx *sql.Tx) error {
		for _, p := range posts {
			if p.CollectedAt.IsZero() {
				p.CollectedAt = time.Now().UTC()
			}
			sample := p.Sample
			if sample == nil {
				sample = []store.InfluencerComment{}
			}
			_, err := tx.ExecContext(ctx, db.Q("SaveInfluencerPost"), workspaceID, p.AccountID, p.RemoteID, MS(p.At), p.URL, p.Text,
				p.Likes, p.Comments, p.Shares, p.Views, jsonText(sample), MS(p.CollectedAt))
			if err != nil {
				return db.Err("save influencer posts", err)
			}
		}
		return nil
	})
}

// InfluencerPosts lists an account's newest posts.
func (db *DB) InfluencerPosts(ctx context.Context, workspaceID, accountID int64, limit int) ([]store.InfluencerPost, error) {
	if limit <= 0 {
		limit = 30
	}
	return collect(ctx, db, "influencer posts", "InfluencerPosts", func(sc scanner) (store.InfluencerPost, error) {
		var p store.InfluencerPost
		var at, collected int64
		var sample string
		if err := sc.Scan(&p.AccountID, &p.RemoteID, &at, &p.URL, &p.Text, &p.Likes, &p.Comments, &p.Shares, &p.Views, &sample, &collected); err != nil {
			return p, err
		}
		p.At, p.CollectedAt = Time(at), Time(collected)
		return p, json.Unmarshal([]byte(sample), &p.Sample)
	}, workspaceID, accountID, limit)
}

// AddInfluencerDeal puts an influencer of the workspace into one of its campaigns.
func (db *DB) AddInfluencerDeal(ctx context.Context, d *store.InfluencerDeal) error {
	if d.CreatedAt.IsZero() {
		d.CreatedAt = time.Now().UTC()
	}
	if d.StageAt.IsZero() {
		d.StageAt = d.CreatedAt
	}
	err := db.W.QueryRowContext(ctx, db.Q("AddInfluencerDeal"), d.WorkspaceID, d.CampaignID, d.InfluencerID, d.Stage, d.OwnerID, d.RateCents,
		d.Currency, d.DiscountCode, nullID(d.LinkID), d.Conversions, d.RevenueCents, d.Notes, MS(d.StageAt), MS(d.CreatedAt)).Scan(&d.ID)
	return db.Err("add influencer deal", err)
}

// UpdateInfluencerDeal saves a deal's stage and terms.
func (db *DB) UpdateInfluencerDeal(ctx context.Context, d store.InfluencerDeal) error {
	return db.Err("update influencer deal", Affected(db.W.ExecContext(ctx, db.Q("UpdateInfluencerDeal"), d.Stage, d.OwnerID, d.RateCents,
		d.Currency, d.DiscountCode, nullID(d.LinkID), d.Conversions, d.RevenueCents, d.Notes, MS(d.StageAt), d.WorkspaceID, d.ID)))
}

func scanInfluencerDeal(sc scanner) (store.InfluencerDeal, error) {
	var d store.InfluencerDeal
	var link sql.NullInt64
	var stageAt, created int64
	err := sc.Scan(&d.ID, &d.WorkspaceID, &d.CampaignID, &d.InfluencerID, &d.Stage, &d.OwnerID, &d.RateCents, &d.Currency, &d.DiscountCode,
		&link, &d.Conversions, &d.RevenueCents, &d.Notes, &stageAt, &created)
	d.LinkID, d.StageAt, d.CreatedAt = link.Int64, Time(stageAt), Time(created)
	return d, err
}

// InfluencerDeal returns one deal of the workspace.
func (db *DB) InfluencerDeal(ctx context.Context, workspaceID, id int64) (store.InfluencerDeal, error) {
	d, err := scanInfluencerDeal(db.R.QueryRowContext(ctx, db.Q("InfluencerDeal"), workspaceID, id))
	return d, db.Err("influencer deal", err)
}

// InfluencerDeals lists deals by campaign and/or influencer.
func (db *DB) InfluencerDeals(ctx context.Context, workspaceID, campaignID, influencerID int64) ([]store.InfluencerDeal, error) {
	return collect(ctx, db, "influencer deals", "InfluencerDeals", scanInfluencerDeal, workspaceID, campaignID, influencerID)
}

// DeleteInfluencerDeal takes an influencer out of a campaign.
func (db *DB) DeleteInfluencerDeal(ctx context.Context, workspaceID, id int64) error {
	return db.Err("delete influencer deal", Affected(db.W.ExecContext(ctx, db.Q("DeleteInfluencerDeal"), workspaceID, id)))
}

// AddInfluencerEvent appends to a deal's log.
func (db *DB) AddInfluencerEvent(ctx context.Context, e *store.InfluencerEvent) error {
	if e.At.IsZero() {
		e.At = time.Now().UTC()
	}
	err := db.W.QueryRowContext(ctx, db.Q("AddInfluencerEvent"), e.WorkspaceID, e.DealID, e.Kind, e.FromStage, e.ToStage, e.Body,
		nullID(e.MediaID), e.AuthorID, MS(e.At)).Scan(&e.ID)
	return db.Err("add influencer event", err)
}

// InfluencerEvents lists a deal's log, oldest first.
func (db *DB) InfluencerEvents(ctx context.Context, workspaceID, dealID int64) ([]store.InfluencerEvent, error) {
	return collect(ctx, db, "influencer events", "InfluencerEvents", func(sc scanner) (store.InfluencerEvent, error) {
		var e store.InfluencerEvent
		var media sql.NullInt64
		var at int64
		err := sc.Scan(&e.ID, &e.WorkspaceID, &e.DealID, &e.Kind, &e.FromStage, &e.ToStage, &e.Body, &media, &e.AuthorID, &at)
		e.MediaID, e.At = media.Int64, Time(at)
		return e, err
	}, workspaceID, dealID)
}

func countsText(s string) string {
	if s == "" {
		return "{}"
	}
	return s
}

// CreateInfluencerDeliverable adds a deliverable to a deal of the workspace.
func (db *DB) CreateInfluencerDeliverable(ctx context.Context, d *store.InfluencerDeliverable) error {
	if d.CreatedAt.IsZero() {
		d.CreatedAt = time.Now().UTC()
	}
	err := db.W.QueryRowContext(ctx, db.Q("CreateInfluencerDeliverable"), d.WorkspaceID, d.DealID, d.Kind, d.Network, NullMS(d.DueAt), d.Brief,
		d.Status, nullID(d.DraftPostID), d.URL, NullMS(d.PublishedAt), countsText(d.Counts), MS(d.CreatedAt)).Scan(&d.ID)
	return db.Err("create influencer deliverable", err)
}

// UpdateInfluencerDeliverable saves a deliverable.
func (db *DB) UpdateInfluencerDeliverable(ctx context.Context, d store.InfluencerDeliverable) error {
	return db.Err("update influencer deliverable", Affected(db.W.ExecContext(ctx, db.Q("UpdateInfluencerDeliverable"), d.Kind, d.Network,
		NullMS(d.DueAt), d.Brief, d.Status, nullID(d.DraftPostID), d.URL, NullMS(d.PublishedAt), countsText(d.Counts), d.WorkspaceID, d.ID)))
}

func scanInfluencerDeliverable(sc scanner) (store.InfluencerDeliverable, error) {
	var d store.InfluencerDeliverable
	var due, published, draft sql.NullInt64
	var created int64
	err := sc.Scan(&d.ID, &d.WorkspaceID, &d.DealID, &d.Kind, &d.Network, &due, &d.Brief, &d.Status, &draft, &d.URL, &published, &d.Counts, &created)
	d.DueAt, d.PublishedAt, d.DraftPostID, d.CreatedAt = TimePtr(due), TimePtr(published), draft.Int64, Time(created)
	return d, err
}

// InfluencerDeliverable returns one deliverable of the workspace.
func (db *DB) InfluencerDeliverable(ctx context.Context, workspaceID, id int64) (store.InfluencerDeliverable, error) {
	d, err := scanInfluencerDeliverable(db.R.QueryRowContext(ctx, db.Q("InfluencerDeliverable"), workspaceID, id))
	return d, db.Err("influencer deliverable", err)
}

// InfluencerDeliverables lists deliverables of a campaign or a deal.
func (db *DB) InfluencerDeliverables(ctx context.Context, workspaceID, campaignID, dealID int64) ([]store.InfluencerDeliverable, error) {
	return collect(ctx, db, "influencer deliverables", "InfluencerDeliverables", scanInfluencerDeliverable, workspaceID, campaignID, dealID)
}

// DeleteInfluencerDeliverable removes a deliverable.
func (db *DB) DeleteInfluencerDeliverable(ctx context.Context, workspaceID, id int64) error {
	return db.Err("delete influencer deliverable", Affected(db.W.ExecContext(ctx, db.Q("DeleteInfluencerDeliverable"), workspaceID, id)))
}

// InfluencerSettings returns the workspace's settings, empty when never saved.
func (db *DB) InfluencerSettings(ctx context.Context, workspaceID int64) (store.InfluencerSettings, error) {
	s := store.InfluencerSettings{WorkspaceID: workspaceID}
	var langs, terms string
	var updated int64
	err := db.R.QueryRowContext(ctx, db.Q("InfluencerSettings"), workspaceID).Scan(&s.WorkspaceID, &s.EMV, &langs, &terms, &updated)
	if err == sql.ErrNoRows {
		return s, nil
	}
	if err != nil {
		return s, db.Err("influencer settings", err)
	}
	s.UpdatedAt = Time(updated)
	if err := json.Unmarshal([]byte(langs), &s.TargetLanguages); err != nil {
		return s, err
	}
	return s, json.Unmarshal([]byte(terms), &s.BrandSafety)
}

// SaveInfluencerSettings stores the workspace's settings.
func (db *DB) SaveInfluencerSettings(ctx context.Context, s store.InfluencerSettings) error {
	if s.UpdatedAt.IsZero() {
		s.UpdatedAt = time.Now().UTC()
	}
	emv := s.EMV
	if emv == "" {
		emv = "[]"
	}
	_, err := db.W.ExecContext(ctx, db.Q("SaveInfluencerSettings"), s.WorkspaceID, emv, jsonText(s.TargetLanguages), jsonText(s.BrandSafety), MS(s.UpdatedAt))
	return db.Err("save influencer settings", err)
}

// likeEscape drops LIKE's wildcards from a user's search text (the queries
// declare no ESCAPE character).
func likeEscape(s string) string {
	return strings.NewReplacer("%", "", "_", "", "\\", "").Replace(s)
}

func lower(s string) string { return strings.ToLower(strings.TrimSpace(s)) }
