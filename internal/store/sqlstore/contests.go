package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"sort"
	"strings"
	"time"

	"github.com/relais/relais/internal/store"
)

func msPtr(t *time.Time) sql.NullInt64 {
	if t == nil || t.IsZero() {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: MS(*t), Valid: true}
}

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// CreateContest stores a contest and sets its ID.
func (db *DB) CreateContest(ctx context.Context, c *store.Contest) error {
	if c.CreatedAt.IsZero() {
		c.CreatedAt = time.Now().UTC()
	}
	err := db.W.QueryRowContext(ctx, db.Q("CreateContest"), c.WorkspaceID, c.Slug, c.Title, c.Description, c.Kind,
		MS(c.EntryOpens), MS(c.EntryCloses), MS(c.VoteOpens), MS(c.VoteCloses), c.VotePeriod, c.Prizes, c.RulesText,
		c.MinAge, strings.Join(c.Countries, ","), c.Lang, c.Accent, c.Winners, c.RetentionDays, c.CreatedBy, MS(c.CreatedAt),
		questionsJSON(c.Questions), c.JuryWeight, c.Finalists, c.LogoMediaID, c.SourceChannelID, c.SourceRemoteID, c.Keyword).Scan(&c.ID)
	return db.Err("create contest", err)
}

// UpdateContest stores a contest's fields, including its draw state.
func (db *DB) UpdateContest(ctx context.Context, c *store.Contest) error {
	winners, err := json.Marshal(append([]int64{}, c.WinnerIDs...))
	if err != nil {
		return err
	}
	return db.Err("update contest", Affected(db.W.ExecContext(ctx, db.Q("UpdateContest"), c.Title, c.Description, c.Kind,
		MS(c.EntryOpens), MS(c.EntryCloses), MS(c.VoteOpens), MS(c.VoteCloses), c.VotePeriod, c.Prizes, c.RulesText,
		c.MinAge, strings.Join(c.Countries, ","), c.Lang, c.Accent, c.Winners, c.SeedHash, c.Seed, c.EntriesHash,
		msPtr(c.CommittedAt), msPtr(c.DrawnAt), string(winners), c.RetentionDays,
		questionsJSON(c.Questions), c.JuryWeight, c.Finalists, c.LogoMediaID, c.SourceChannelID, c.SourceRemoteID, c.Keyword, c.WorkspaceID, c.ID)))
}

func questionsJSON(q []store.Question) string {
	if len(q) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(q)
	return string(b)
}

func scanContest(sc interface{ Scan(...any) error }) (store.Contest, error) {
	var c store.Contest
	var eo, ec, vo, vc, created int64
	var countries, winners, questions string
	var committed, drawn sql.NullInt64
	err := sc.Scan(&c.ID, &c.WorkspaceID, &c.Slug, &c.Title, &c.Description, &c.Kind, &eo, &ec, &vo, &vc,
		&c.VotePeriod, &c.Prizes, &c.RulesText, &c.MinAge, &countries, &c.Lang, &c.Accent, &c.Winners, &c.SeedHash, &c.Seed, &c.EntriesHash,
		&committed, &drawn, &winners, &c.RetentionDays, &c.CreatedBy, &created,
		&questions, &c.JuryWeight, &c.Finalists, &c.LogoMediaID, &c.SourceChannelID, &c.SourceRemoteID, &c.Keyword)
	if err != nil {
		return c, err
	}
	if err := json.Unmarshal([]byte(questions), &c.Questions); err != nil {
		return c, err
	}
	c.EntryOpens, c.EntryCloses, c.VoteOpens, c.VoteCloses, c.CreatedAt = Time(eo), Time(ec), Time(vo), Time(vc), Time(created)
	c.Countries = splitList(countries)
	c.CommittedAt, c.DrawnAt = TimePtr(committed), TimePtr(drawn)
	if err := json.Unmarshal([]byte(winners), &c.WinnerIDs); err != nil {
		return c, err
	}
	return c, nil
}

// Contest returns one of the workspace's contests.
func (db *DB) Contest(ctx context.Context, workspaceID, id int64) (store.Contest, error) {
	c, err := scanContest(db.R.QueryRowContext(ctx, db.Q("Contest"), workspaceID, id))
	return c, db.Err("contest", err)
}

// ContestBySlug finds a contest by its public slug.
func (db *DB) ContestBySlug(ctx context.Context, slug string) (store.Contest, error) {
	c, err := scanContest(db.R.QueryRowContext(ctx, db.Q("ContestBySlug"), slug))
	return c, db.Err("contest by slug", err)
}

// Contests lists the workspace's contests, newest first.
func (db *DB) Contests(ctx context.Context, workspaceID int64) ([]store.Contest, error) {
	rows, err := db.R.QueryContext(ctx, db.Q("Contests"), workspaceID)
	if err != nil {
		return nil, db.Err("contests", err)
	}
	defer rows.Close()
	var out []store.Contest
	for rows.Next() {
		c, err := scanContest(rows)
		if err != nil {
			return nil, db.Err("contests", err)
		}
		out = append(out, c)
	}
	return out, db.Err("contests", rows.Err())
}

// DeleteContest removes a contest with its entries, votes and audit log.
func (db *DB) DeleteContest(ctx context.Context, workspaceID, id int64) error {
	return db.Err("delete contest", Affected(db.W.ExecContext(ctx, db.Q("DeleteContest"), workspaceID, id)))
}

// CreateEntry stores an entry of one of the workspace's contests and sets its ID.
func (db *DB) CreateEntry(ctx context.Context, e *store.ContestEntry) error {
	if e.CreatedAt.IsZero() {
		e.CreatedAt = time.Now().UTC()
	}
	if e.Status == "" {
		e.Status = store.EntryPending
	}
	err := db.W.QueryRowContext(ctx, db.Q("CreateEntry"), e.Title, e.Name, e.Email, e.Country, nullID(e.MediaID), e.Status, e.Reason,
		msPtr(e.ConsentAt), MS(e.CreatedAt), e.WorkspaceID, e.ContestID, e.Identity, answersJSON(e.Answers), e.Score).Scan(&e.ID)
	return db.Err("create entry", err)
}

func scanEntry(sc interface{ Scan(...any) error }) (store.ContestEntry, error) {
	var e store.ContestEntry
	var media, consent, notified sql.NullInt64
	var created int64
	var answers string
	err := sc.Scan(&e.ID, &e.ContestID, &e.WorkspaceID, &e.Title, &e.Name, &e.Email, &e.Country, &media, &e.Status, &e.Reason, &consent, &notified, &created,
		&e.Identity, &answers, &e.Score)
	e.MediaID, e.ConsentAt, e.NotifiedAt, e.CreatedAt = media.Int64, TimePtr(consent), TimePtr(notified), Time(created)
	if err == nil && answers != "" {
		err = json.Unmarshal([]byte(answers), &e.Answers)
	}
	return e, err
}

func (db *DB) entries(ctx context.Context, op, q string, args ...any) ([]store.ContestEntry, error) {
	rows, err := db.R.QueryContext(ctx, db.Q(q), args...)
	if err != nil {
		return nil, db.Err(op, err)
	}
	defer rows.Close()
	var out []store.ContestEntry
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return nil, db.Err(op, err)
		}
		out = append(out, e)
	}
	return out, db.Err(op, rows.Err())
}

// Entry returns one entry.
func (db *DB) Entry(ctx context.Context, workspaceID, id int64) (store.ContestEntry, error) {
	e, err := scanEntry(db.R.QueryRowContext(ctx, db.Q("Entry"), workspaceID, id))
	return e, db.Err("entry", err)
}

// Entries lists a contest's entries in id order.
func (db *DB) Entries(ctx context.Context, workspaceID, contestID int64, status string) ([]store.ContestEntry, error) {
	return db.entries(ctx, "entries", "Entries", workspaceID, contestID, status, status)
}

// EntriesByEmail lists an entrant's entries.
func (db *DB) EntriesByEmail(ctx context.Context, workspaceID int64, email string) ([]store.ContestEntry, error) {
	return db.entries(ctx, "entries by email", "EntriesByEmail", workspaceID, email)
}

// ModerateEntry sets an entry's status and reason.
func (db *DB) ModerateEntry(ctx context.Context, workspaceID, id int64, status, reason string) error {
	return db.Err("moderate entry", Affected(db.W.ExecContext(ctx, db.Q("ModerateEntry"), status, reason, workspaceID, id)))
}

// MarkEntryNotified records when the entrant was told the moderation outcome.
func (db *DB) MarkEntryNotified(ctx context.Context, workspaceID, id int64, at time.Time) error {
	return db.Err("mark entry notified", Affected(db.W.ExecContext(ctx, db.Q("MarkEntryNotified"), MS(at), workspaceID, id)))
}

// EraseEntry removes the entrant's personal data from an entry.
func (db *DB) EraseEntry(ctx context.Context, workspaceID, id int64) error {
	return db.Err("erase entry", Affected(db.W.ExecContext(ctx, db.Q("EraseEntry"), workspaceID, id)))
}

// RecordVotes stores votes in one transaction; per vote, false means the
// identity had already voted in the period (or the entry is not the contest's).
func (db *DB) RecordVotes(ctx context.Context, votes []store.Vote) ([]bool, error) {
	stored := make([]bool, len(votes))
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		stmt, err := tx.PrepareContext(ctx, db.Q("RecordVote"))
		if err != nil {
			return db.Err("record votes", err)
		}
		defer stmt.Close()
		// Insert in key order, so concurrent batches take the unique
		// index's locks in one order (PostgreSQL would otherwise deadlock).
		order := make([]int, len(votes))
		for i := range order {
			order[i] = i
		}
		sort.SliceStable(order, func(a, b int) bool {
			va, vb := votes[order[a]], votes[order[b]]
			if va.ContestID != vb.ContestID {
				return va.ContestID < vb.ContestID
			}
			if va.Identity != vb.Identity {
				return va.Identity < vb.Identity
			}
			return va.Period < vb.Period
		})
		for _, i := range order {
			v := votes[i]
			at := v.At
			if at.IsZero() {
				at = time.Now().UTC()
			}
			res, err := stmt.ExecContext(ctx, v.Identity, v.Period, v.NetBlock, v.Device, v.Score, strings.Join(v.Flags, ","), MS(at),
				v.WorkspaceID, v.ContestID, v.EntryID)
			if err != nil {
				return db.Err("record votes", err)
			}
			n, err := res.RowsAffected()
			if err != nil {
				return db.Err("record votes", err)
			}
			stored[i] = n == 1
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return stored, nil
}

func (db *DB) votes(ctx context.Context, op, q string, args ...any) ([]store.Vote, error) {
	rows, err := db.R.QueryContext(ctx, db.Q(q), args...)
	if err != nil {
		return nil, db.Err(op, err)
	}
	defer rows.Close()
	var out []store.Vote
	for rows.Next() {
		var v store.Vote
		var flags string
		var at int64
		if err := rows.Scan(&v.ID, &v.ContestID, &v.WorkspaceID, &v.EntryID, &v.Identity, &v.Period, &v.NetBlock, &v.Device,
			&v.Score, &flags, &v.Void, &v.VoidReason, &at); err != nil {
			return nil, db.Err(op, err)
		}
		v.Flags, v.At = splitList(flags), Time(at)
		out = append(out, v)
	}
	return out, db.Err(op, rows.Err())
}

// Votes lists a contest's votes, newest first.
func (db *DB) Votes(ctx context.Context, workspaceID, contestID int64, f store.VoteFilter) ([]store.Vote, error) {
	if f.Limit <= 0 {
		f.Limit = 1000
	}
	return db.votes(ctx, "votes", "Votes", workspaceID, contestID, f.EntryID, f.EntryID, f.FlaggedOnly, f.MinScore, f.Limit)
}

// VotesByIdentity lists an identity's votes in the workspace's contests.
func (db *DB) VotesByIdentity(ctx context.Context, workspaceID int64, identity string) ([]store.Vote, error) {
	return db.votes(ctx, "votes by identity", "VotesByIdentity", workspaceID, identity)
}

// VoteCounts tallies a contest's votes per entry.
func (db *DB) VoteCounts(ctx context.Context, workspaceID, contestID int64) ([]store.VoteCount, error) {
	rows, err := db.R.QueryContext(ctx, db.Q("VoteCounts"), workspaceID, contestID)
	if err != nil {
		return nil, db.Err("vote counts", err)
	}
	defer rows.Close()
	var out []store.VoteCount
	for rows.Next() {
		var c store.VoteCount
		if err := rows.Scan(&c.EntryID, &c.Votes, &c.Flagged, &c.Void); err != nil {
			return nil, db.Err("vote counts", err)
		}
		out = append(out, c)
	}
	return out, db.Err("vote counts", rows.Err())
}

// VoidVote marks a vote void; it stays stored.
func (db *DB) VoidVote(ctx context.Context, workspaceID, contestID, id int64, reason string) error {
	return db.Err("void vote", Affected(db.W.ExecContext(ctx, db.Q("VoidVote"), reason, workspaceID, contestID, id)))
}

// EraseVotes deletes an identity's votes (erasure on request).
func (db *DB) EraseVotes(ctx context.Context, workspaceID int64, identity string) (int64, error) {
	res, err := db.W.ExecContext(ctx, db.Q("EraseVotes"), workspaceID, identity)
	if err != nil {
		return 0, db.Err("erase votes", err)
	}
	n, err := res.RowsAffected()
	return n, db.Err("erase votes", err)
}

// AddContestAudit appends a line to a contest's audit log.
func (db *DB) AddContestAudit(ctx context.Context, workspaceID int64, a store.ContestAudit) error {
	if a.At.IsZero() {
		a.At = time.Now().UTC()
	}
	return db.Err("add contest audit", Affected(db.W.ExecContext(ctx, db.Q("AddContestAudit"), MS(a.At), a.Actor, a.Action, a.Detail, workspaceID, a.ContestID)))
}

// ContestAuditLog returns a contest's audit log, oldest first.
func (db *DB) ContestAuditLog(ctx context.Context, workspaceID, contestID int64) ([]store.ContestAudit, error) {
	rows, err := db.R.QueryContext(ctx, db.Q("ContestAuditLog"), workspaceID, contestID)
	if err != nil {
		return nil, db.Err("contest audit", err)
	}
	defer rows.Close()
	var out []store.ContestAudit
	for rows.Next() {
		var a store.ContestAudit
		var at int64
		if err := rows.Scan(&a.ID, &a.ContestID, &at, &a.Actor, &a.Action, &a.Detail); err != nil {
			return nil, db.Err("contest audit", err)
		}
		a.At = Time(at)
		out = append(out, a)
	}
	return out, db.Err("contest audit", rows.Err())
}

// PurgeContestData removes personal data past the contests' retention period.
func (db *DB) PurgeContestData(ctx context.Context, now time.Time) (entries, votes int64, err error) {
	err = db.Tx(ctx, func(tx *sql.Tx) error {
		for _, q := range []struct {
			name string
			n    *int64
		}{{"PurgeContestEntries", &entries}, {"PurgeContestVotes", &votes}} {
			res, err := tx.ExecContext(ctx, db.Q(q.name), MS(now))
			if err != nil {
				return db.Err("purge contest data", err)
			}
			if *q.n, err = res.RowsAffected(); err != nil {
				return db.Err("purge contest data", err)
			}
		}
		return nil
	})
	return entries, votes, err
}

func answersJSON(a []int) string {
	if a == nil {
		return ""
	}
	b, _ := json.Marshal(a)
	return string(b)
}

// SetContestJury replaces a contest's jury; users who are not members of
// the workspace are left out.
func (db *DB) SetContestJury(ctx context.Context, workspaceID, contestID int64, userIDs []int64) error {
	if _, err := db.Contest(ctx, workspaceID, contestID); err != nil {
		return err
	}
	return db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, db.Q("ClearContestJury"), workspaceID, contestID); err != nil {
			return db.Err("set contest jury", err)
		}
		for _, u := range userIDs {
			if _, err := tx.ExecContext(ctx, db.Q("AddContestJury"), workspaceID, contestID, u); err != nil {
				return db.Err("set contest jury", err)
			}
		}
		return nil
	})
}

// ContestJury lists the user ids of a contest's jury.
func (db *DB) ContestJury(ctx context.Context, workspaceID, contestID int64) ([]int64, error) {
	rows, err := db.R.QueryContext(ctx, db.Q("ContestJury"), workspaceID, contestID)
	if err != nil {
		return nil, db.Err("contest jury", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, db.Err("contest jury", err)
		}
		out = append(out, id)
	}
	return out, db.Err("contest jury", rows.Err())
}

// SetJuryScore stores a juror's score of an entry; ErrNotFound when the user
// is not on the contest's jury or the entry is not the contest's.
func (db *DB) SetJuryScore(ctx context.Context, workspaceID, contestID int64, s store.JuryScore) error {
	if s.At.IsZero() {
		s.At = time.Now().UTC()
	}
	return db.Err("set jury score", Affected(db.W.ExecContext(ctx, db.Q("SetJuryScore"), workspaceID, contestID, s.EntryID, s.UserID, s.Score, MS(s.At))))
}

// JuryScores lists a contest's jury scores by entry and juror.
func (db *DB) JuryScores(ctx context.Context, workspaceID, contestID int64) ([]store.JuryScore, error) {
	rows, err := db.R.QueryContext(ctx, db.Q("JuryScores"), workspaceID, contestID)
	if err != nil {
		return nil, db.Err("jury scores", err)
	}
	defer rows.Close()
	var out []store.JuryScore
	for rows.Next() {
		var s store.JuryScore
		var at int64
		if err := rows.Scan(&s.EntryID, &s.UserID, &s.Score, &at); err != nil {
			return nil, db.Err("jury scores", err)
		}
		s.At = Time(at)
		out = append(out, s)
	}
	return out, db.Err("jury scores", rows.Err())
}

// SpendChallenge records a used proof-of-work challenge; false: already used.
func (db *DB) SpendChallenge(ctx context.Context, nonce string, expires time.Time) (bool, error) {
	res, err := db.W.ExecContext(ctx, db.Q("SpendChallenge"), nonce, MS(expires))
	if err != nil {
		return false, db.Err("spend challenge", err)
	}
	n, err := res.RowsAffected()
	return n == 1, db.Err("spend challenge", err)
}

// TakeRateToken takes a token from a bucket shared by every instance.
func (db *DB) TakeRateToken(ctx context.Context, bucket string, perMinute, burst float64, now time.Time) (bool, error) {
	var left float64
	err := db.W.QueryRowContext(ctx, db.Q("TakeRateToken"), bucket, burst, perMinute/60000, MS(now)).Scan(&left)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, db.Err("take rate token", err)
}

// PruneContestLimits removes expired challenges and idle buckets.
func (db *DB) PruneContestLimits(ctx context.Context, now time.Time) error {
	if _, err := db.W.ExecContext(ctx, db.Q("PruneContestChallenges"), MS(now)); err != nil {
		return db.Err("prune contest limits", err)
	}
	_, err := db.W.ExecContext(ctx, db.Q("PruneContestBuckets"), MS(now.Add(-time.Hour)))
	return db.Err("prune contest limits", err)
}

// ContestOAuthApp returns the app registered on a voter's instance.
func (db *DB) ContestOAuthApp(ctx context.Context, instance string) (string, []byte, error) {
	var id string
	var enc []byte
	err := db.R.QueryRowContext(ctx, db.Q("ContestOAuthApp"), instance).Scan(&id, &enc)
	return id, enc, db.Err("contest oauth app", err)
}

// SaveContestOAuthApp stores the app registered on an instance; the first one stays.
func (db *DB) SaveContestOAuthApp(ctx context.Context, instance, clientID string, secretEnc []byte, now time.Time) error {
	_, err := db.W.ExecContext(ctx, db.Q("SaveContestOAuthApp"), instance, clientID, secretEnc, MS(now))
	return db.Err("save contest oauth app", err)
}
