package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/relais/relais/internal/store"
)

// idList encodes ids as the JSON array the batch queries take.
func idList(ids []int64) string {
	if ids == nil {
		ids = []int64{}
	}
	b, _ := json.Marshal(ids)
	return string(b)
}

func jsonOr(raw json.RawMessage, empty string) string {
	if len(raw) == 0 {
		return empty
	}
	return string(raw)
}

func nullTime(t *time.Time) sql.NullInt64 { return NullMS(t) }

// CreatePosts inserts posts, labels and variants in one transaction.
func (db *DB) CreatePosts(ctx context.Context, posts []store.NewPost) error {
	now := time.Now().UTC()
	return db.Tx(ctx, func(tx *sql.Tx) error {
		insPost, err := tx.PrepareContext(ctx, db.Q("CreatePost"))
		if err != nil {
			return db.Err("create post", err)
		}
		defer insPost.Close()
		insLabel, err := tx.PrepareContext(ctx, db.Q("AddPostLabel"))
		if err != nil {
			return db.Err("create post", err)
		}
		defer insLabel.Close()
		insVariant, err := tx.PrepareContext(ctx, db.Q("CreateVariant"))
		if err != nil {
			return db.Err("create post", err)
		}
		defer insVariant.Close()
		for _, np := range posts {
			p := np.Post
			if p.CreatedAt.IsZero() {
				p.CreatedAt = now
			}
			p.UpdatedAt = p.CreatedAt
			if p.State == "" {
				p.State = store.PostDraft
			}
			if p.Timezone == "" {
				p.Timezone = "UTC"
			}
			err := insPost.QueryRowContext(ctx, p.WorkspaceID, p.AuthorID, p.State, p.Text, p.Link, nullTime(p.ScheduledAt), p.Timezone,
				MS(p.CreatedAt), MS(p.UpdatedAt)).Scan(&p.ID)
			if err != nil {
				return db.Err("create post", err)
			}
			for _, l := range p.Labels {
				if _, err := insLabel.ExecContext(ctx, p.ID, l.Key, l.Value); err != nil {
					return db.Err("create post label", err)
				}
			}
			for i := range np.Variants {
				v := &np.Variants[i]
				v.PostID, v.WorkspaceID = p.ID, p.WorkspaceID
				v.CreatedAt, v.UpdatedAt = p.CreatedAt, p.CreatedAt
				err := insVariant.QueryRowContext(ctx, v.PostID, v.WorkspaceID, v.ChannelID, v.Text, v.Link, jsonOr(v.Media, "[]"),
					jsonOr(v.Parts, "[]"), v.FirstComment, jsonOr(v.Options, "{}"), MS(v.CreatedAt)).Scan(&v.ID)
				if errors.Is(err, sql.ErrNoRows) {
					return fmt.Errorf("store: create variant: channel %d is not in workspace %d: %w", v.ChannelID, v.WorkspaceID, store.ErrNotFound)
				}
				if err != nil {
					return db.Err("create variant", err)
				}
			}
		}
		return nil
	})
}

func scanPost(row interface{ Scan(...any) error }) (store.Post, error) {
	var p store.Post
	var sched sql.NullInt64
	var created, updated int64
	err := row.Scan(&p.ID, &p.WorkspaceID, &p.AuthorID, &p.State, &p.Text, &p.Link, &sched, &p.Timezone, &created, &updated)
	p.ScheduledAt, p.CreatedAt, p.UpdatedAt = TimePtr(sched), Time(created), Time(updated)
	return p, err
}

// loadLabels fills the labels of posts in one query.
func (db *DB) loadLabels(ctx context.Context, q Querier, posts []store.Post) error {
	if len(posts) == 0 {
		return nil
	}
	idx := make(map[int64]int, len(posts))
	ids := make([]int64, len(posts))
	for i, p := range posts {
		idx[p.ID], ids[i] = i, p.ID
	}
	rows, err := q.QueryContext(ctx, db.Q("PostLabels"), idList(ids))
	if err != nil {
		return db.Err("read labels", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var l store.Label
		if err := rows.Scan(&id, &l.Key, &l.Value); err != nil {
			return db.Err("read labels", err)
		}
		posts[idx[id]].Labels = append(posts[idx[id]].Labels, l)
	}
	return db.Err("read labels", rows.Err())
}

// Post reads one post with its labels.
func (db *DB) Post(ctx context.Context, workspaceID, id int64) (store.Post, error) {
	p, err := scanPost(db.R.QueryRowContext(ctx, db.Q("Post"), workspaceID, id))
	if err != nil {
		return p, db.Err("read post", err)
	}
	ps := []store.Post{p}
	err = db.loadLabels(ctx, db.R, ps)
	return ps[0], err
}

// Posts lists a workspace's posts by scheduled time (unscheduled last).
func (db *DB) Posts(ctx context.Context, workspaceID int64, f store.PostFilter) ([]store.Post, error) {
	states, _ := json.Marshal(append([]store.PostState{}, f.States...))
	var from, to int64
	if !f.From.IsZero() {
		from = MS(f.From)
	}
	if !f.To.IsZero() {
		to = MS(f.To)
	}
	var lk, lv string
	if f.Label != nil {
		lk, lv = f.Label.Key, f.Label.Value
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 1000
	}
	var after, afterNull, afterAt, afterID int64
	if k := f.After; k != nil {
		after, afterID = 1, k.ID
		if k.Unscheduled {
			afterNull = 1
		} else {
			afterAt = MS(k.ScheduledAt)
		}
	}
	rows, err := db.R.QueryContext(ctx, db.Q("Posts"), workspaceID, string(states), from, to, lk, lv, limit,
		after, afterNull, afterAt, afterID)
	if err != nil {
		return nil, db.Err("list posts", err)
	}
	defer rows.Close()
	var out []store.Post
	for rows.Next() {
		p, err := scanPost(rows)
		if err != nil {
			return nil, db.Err("list posts", err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, db.Err("list posts", err)
	}
	return out, db.loadLabels(ctx, db.R, out)
}

// UpdatePost saves a post's content and labels and unstages its publications.
func (db *DB) UpdatePost(ctx context.Context, p store.Post) error {
	now := time.Now().UTC()
	if p.Timezone == "" {
		p.Timezone = "UTC"
	}
	return db.Tx(ctx, func(tx *sql.Tx) error {
		if err := Affected(tx.ExecContext(ctx, db.Q("UpdatePost"), p.Text, p.Link, p.Timezone, MS(now), p.WorkspaceID, p.ID)); err != nil {
			return db.Err("update post", err)
		}
		if _, err := tx.ExecContext(ctx, db.Q("DeletePostLabels"), p.ID); err != nil {
			return db.Err("update post labels", err)
		}
		for _, l := range p.Labels {
			if _, err := tx.ExecContext(ctx, db.Q("AddPostLabel"), p.ID, l.Key, l.Value); err != nil {
				return db.Err("update post labels", err)
			}
		}
		_, err := tx.ExecContext(ctx, db.Q("UnstagePost"), MS(now), p.ID)
		return db.Err("update post", err)
	})
}

func statesJSON(states []store.PostState) string {
	b, _ := json.Marshal(append([]store.PostState{}, states...))
	return string(b)
}

// PlanPost keeps the planned moment of a post that is not scheduled yet.
func (db *DB) PlanPost(ctx context.Context, workspaceID, id int64, at *time.Time, timezone string, now time.Time) error {
	if timezone == "" {
		timezone = "UTC"
	}
	err := Affected(db.W.ExecContext(ctx, db.Q("PlanPost"), NullMS(at), timezone, MS(now), workspaceID, id))
	if errors.Is(err, store.ErrNotFound) {
		var cur string
		if e := db.W.QueryRowContext(ctx, db.Q("PostState"), workspaceID, id).Scan(&cur); e == nil {
			return fmt.Errorf("store: post %d is %s; only a post not yet scheduled takes a planned time: %w", id, cur, store.ErrStale)
		}
	}
	return db.Err("plan post", err)
}

// SetPostState moves a post between states conditionally.
func (db *DB) SetPostState(ctx context.Context, workspaceID, id int64, from []store.PostState, to store.PostState, now time.Time) error {
	err := Affected(db.W.ExecContext(ctx, db.Q("SetPostState"), to, MS(now), workspaceID, id, statesJSON(from)))
	if errors.Is(err, store.ErrNotFound) {
		var cur string
		if e := db.W.QueryRowContext(ctx, db.Q("PostState"), workspaceID, id).Scan(&cur); e == nil {
			return fmt.Errorf("store: post %d is %s, not %v: %w", id, cur, from, store.ErrStale)
		}
	}
	return db.Err("set post state", err)
}

// DeletePost removes a post unless part of it is going out.
func (db *DB) DeletePost(ctx context.Context, workspaceID, id int64) error {
	return db.Tx(ctx, func(tx *sql.Tx) error {
		var cur string
		if err := tx.QueryRowContext(ctx, db.Q("PostState"), workspaceID, id).Scan(&cur); err != nil {
			return db.Err("delete post", err)
		}
		var busy int
		if err := tx.QueryRowContext(ctx, db.Q("PostBusy"), id).Scan(&busy); err != nil {
			return db.Err("delete post", err)
		}
		if busy > 0 {
			return fmt.Errorf("store: post %d has publications going out: %w", id, store.ErrStale)
		}
		return db.Err("delete post", Affected(tx.ExecContext(ctx, db.Q("DeletePost"), workspaceID, id)))
	})
}

func scanVariant(row interface{ Scan(...any) error }) (store.Variant, error) {
	var v store.Variant
	var media, parts, options string
	var created, updated int64
	err := row.Scan(&v.ID, &v.PostID, &v.WorkspaceID, &v.ChannelID, &v.Text, &v.Link, &media, &parts, &v.FirstComment, &options, &created, &updated)
	v.Media, v.Parts, v.Options = json.RawMessage(media), json.RawMessage(parts), json.RawMessage(options)
	v.CreatedAt, v.UpdatedAt = Time(created), Time(updated)
	return v, err
}

// Variants lists a post's variants.
func (db *DB) Variants(ctx context.Context, workspaceID, postID int64) ([]store.Variant, error) {
	rows, err := db.R.QueryContext(ctx, db.Q("Variants"), workspaceID, postID)
	if err != nil {
		return nil, db.Err("list variants", err)
	}
	defer rows.Close()
	var out []store.Variant
	for rows.Next() {
		v, err := scanVariant(rows)
		if err != nil {
			return nil, db.Err("list variants", err)
		}
		out = append(out, v)
	}
	return out, db.Err("list variants", rows.Err())
}

// SaveVariant inserts or replaces a post's variant for a channel and unstages the post.
func (db *DB) SaveVariant(ctx context.Context, v *store.Variant) error {
	now := time.Now().UTC()
	return db.Tx(ctx, func(tx *sql.Tx) error {
		var created int64
		err := tx.QueryRowContext(ctx, db.Q("UpsertVariant"), v.PostID, v.WorkspaceID, v.ChannelID, v.Text, v.Link, jsonOr(v.Media, "[]"),
			jsonOr(v.Parts, "[]"), v.FirstComment, jsonOr(v.Options, "{}"), MS(now)).Scan(&v.ID, &created)
		if err != nil {
			return db.Err("save variant", err)
		}
		v.CreatedAt, v.UpdatedAt = Time(created), now
		_, err = tx.ExecContext(ctx, db.Q("UnstagePost"), MS(now), v.PostID)
		return db.Err("save variant", err)
	})
}

// DeleteVariant removes a variant unless it is out or going out.
func (db *DB) DeleteVariant(ctx context.Context, workspaceID, id int64) error {
	return db.Err("delete variant", Affected(db.W.ExecContext(ctx, db.Q("DeleteVariant"), workspaceID, id)))
}

// --- publications: the durable queue -------------------------------------

func scanPublication(row interface{ Scan(...any) error }, extra ...any) (store.Publication, error) {
	var p store.Publication
	var due, next, created, updated int64
	var lease, published sql.NullInt64
	var done string
	dest := append([]any{&p.ID, &p.WorkspaceID, &p.PostID, &p.VariantID, &p.ChannelID, &p.Network, &p.State, &due, &p.Attempts, &next,
		&p.LeaseOwner, &lease, &p.Claim, &p.IdempotencyKey, &done, &p.RemoteID, &p.URL, &p.ErrorClass, &p.ErrorMessage,
		&p.HoldReason, &created, &updated, &published}, extra...)
	err := row.Scan(dest...)
	p.DueAt, p.NextAttemptAt, p.CreatedAt, p.UpdatedAt = Time(due), Time(next), Time(created), Time(updated)
	p.LeaseUntil, p.PublishedAt = TimePtr(lease), TimePtr(published)
	p.DoneParts = json.RawMessage(done)
	return p, err
}

func (db *DB) publications(ctx context.Context, q Querier, op, query string, args ...any) ([]store.Publication, error) {
	rows, err := q.QueryContext(ctx, db.Q(query), args...)
	if err != nil {
		return nil, db.Err(op, err)
	}
	defer rows.Close()
	var out []store.Publication
	for rows.Next() {
		p, err := scanPublication(rows)
		if err != nil {
			return nil, db.Err(op, err)
		}
		out = append(out, p)
	}
	return out, db.Err(op, rows.Err())
}

func scanIDs(rows *sql.Rows, err error) (ids, postIDs []int64, _ error) {
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id, post int64
		if err := rows.Scan(&id, &post); err != nil {
			return nil, nil, err
		}
		ids, postIDs = append(ids, id), append(postIDs, post)
	}
	return ids, postIDs, rows.Err()
}

func uniq(ids []int64) []int64 {
	seen := make(map[int64]bool, len(ids))
	out := ids[:0:0]
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

func (db *DB) refreshPosts(ctx context.Context, tx *sql.Tx, postIDs []int64, now time.Time) error {
	if len(postIDs) == 0 {
		return nil
	}
	_, err := db.TxExec(ctx, tx, "RefreshPostStates", MS(now), idList(uniq(postIDs)))
	return db.Err("refresh post states", err)
}

// SchedulePosts schedules posts and their publications in one transaction.
func (db *DB) SchedulePosts(ctx context.Context, workspaceID int64, postIDs []int64, at time.Time, tz string, now time.Time) ([]int64, error) {
	if tz == "" {
		tz = "UTC"
	}
	var scheduled []int64
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, db.Q("SchedulePostRows"), MS(at), tz, MS(now), workspaceID, idList(postIDs))
		if err != nil {
			return db.Err("schedule posts", err)
		}
		scheduled = scheduled[:0]
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return db.Err("schedule posts", err)
			}
			scheduled = append(scheduled, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return db.Err("schedule posts", err)
		}
		if len(scheduled) == 0 {
			return nil
		}
		list := idList(scheduled)
		if _, err := tx.ExecContext(ctx, db.Q("ReschedulePublications"), MS(at), MS(now), workspaceID, list); err != nil {
			return db.Err("schedule publications", err)
		}
		if _, err := tx.ExecContext(ctx, db.Q("InsertPublications"), MS(at), MS(now), workspaceID, list); err != nil {
			return db.Err("create publications", err)
		}
		return db.refreshPosts(ctx, tx, scheduled, now)
	})
	return scheduled, err
}

// CancelPost cancels what is not yet in flight.
func (db *DB) CancelPost(ctx context.Context, workspaceID, postID int64, now time.Time) (int, error) {
	var inFlight int
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		var cur string
		if err := tx.QueryRowContext(ctx, db.Q("PostState"), workspaceID, postID).Scan(&cur); err != nil {
			return db.Err("cancel post", err)
		}
		if _, err := tx.ExecContext(ctx, db.Q("CancelPublications"), MS(now), workspaceID, postID); err != nil {
			return db.Err("cancel post", err)
		}
		if _, err := tx.ExecContext(ctx, db.Q("CancelPostRow"), MS(now), workspaceID, postID); err != nil {
			return db.Err("cancel post", err)
		}
		if err := tx.QueryRowContext(ctx, db.Q("CountInFlight"), postID).Scan(&inFlight); err != nil {
			return db.Err("cancel post", err)
		}
		return db.refreshPosts(ctx, tx, []int64{postID}, now)
	})
	return inFlight, err
}

// conditional runs a single-row conditional update returning post_id and refreshes the post.
func (db *DB) conditional(ctx context.Context, op string, workspaceID, id int64, now time.Time, query string, args ...any) error {
	return db.Tx(ctx, func(tx *sql.Tx) error {
		var postID int64
		err := tx.QueryRowContext(ctx, db.Q(query), args...).Scan(&postID)
		if errors.Is(err, sql.ErrNoRows) {
			var cur string
			if e := tx.QueryRowContext(ctx, db.Q("PublicationState"), workspaceID, id).Scan(&cur); e != nil {
				return db.Err(op, e)
			}
			return fmt.Errorf("store: %s: publication %d is %s: %w", op, id, cur, store.ErrStale)
		}
		if err != nil {
			return db.Err(op, err)
		}
		return db.refreshPosts(ctx, tx, []int64{postID}, now)
	})
}

// RetryPublication requeues a failed or needs_review publication.
func (db *DB) RetryPublication(ctx context.Context, workspaceID, id int64, now time.Time) error {
	return db.conditional(ctx, "retry publication", workspaceID, id, now, "RetryPublication", MS(now), workspaceID, id)
}

// MarkPublicationPublished records a person's confirmation that the post is out.
func (db *DB) MarkPublicationPublished(ctx context.Context, workspaceID, id int64, remoteID, url string, now time.Time) error {
	return db.conditional(ctx, "mark publication published", workspaceID, id, now, "MarkPublicationPublished", remoteID, url, MS(now), workspaceID, id)
}

// RecordRemoteDelete logs a deletion on the network and marks the
// publication deleted when it was.
func (db *DB) RecordRemoteDelete(ctx context.Context, workspaceID, id int64, deleted bool, a store.Attempt, now time.Time) error {
	ab, _ := json.Marshal([]attemptRow{{Pub: id, WS: workspaceID, Started: MS(a.StartedAt), Latency: a.LatencyMS,
		Outcome: a.Outcome, Class: a.Class, Status: a.HTTPStatus, Msg: a.Message, Trace: a.TraceID}})
	return db.Tx(ctx, func(tx *sql.Tx) error {
		var cur string
		if err := tx.QueryRowContext(ctx, db.Q("PublicationState"), workspaceID, id).Scan(&cur); err != nil {
			return db.Err("record remote delete", err)
		}
		if deleted {
			var postID int64
			err := tx.QueryRowContext(ctx, db.Q("MarkPublicationDeleted"), MS(now), workspaceID, id).Scan(&postID)
			if errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("store: record remote delete: publication %d is %s: %w", id, cur, store.ErrStale)
			}
			if err != nil {
				return db.Err("record remote delete", err)
			}
		}
		_, err := tx.ExecContext(ctx, db.Q("InsertAttempts"), string(ab))
		return db.Err("record remote delete", err)
	})
}

// Publication reads one publication.
func (db *DB) Publication(ctx context.Context, workspaceID, id int64) (store.Publication, error) {
	p, err := scanPublication(db.R.QueryRowContext(ctx, db.Q("Publication"), workspaceID, id))
	return p, db.Err("read publication", err)
}

// Publications lists a post's publications.
func (db *DB) Publications(ctx context.Context, workspaceID, postID int64) ([]store.Publication, error) {
	return db.publications(ctx, db.R, "list publications", "Publications", workspaceID, postID)
}

// Attempts lists a publication's attempt log.
func (db *DB) Attempts(ctx context.Context, workspaceID, publicationID int64) ([]store.Attempt, error) {
	rows, err := db.R.QueryContext(ctx, db.Q("Attempts"), workspaceID, publicationID)
	if err != nil {
		return nil, db.Err("list attempts", err)
	}
	defer rows.Close()
	var out []store.Attempt
	for rows.Next() {
		var a store.Attempt
		var started int64
		if err := rows.Scan(&a.ID, &a.PublicationID, &a.WorkspaceID, &started, &a.LatencyMS, &a.Outcome, &a.Class, &a.HTTPStatus, &a.Message, &a.TraceID); err != nil {
			return nil, db.Err("list attempts", err)
		}
		a.StartedAt = Time(started)
		out = append(out, a)
	}
	return out, db.Err("list attempts", rows.Err())
}

// ProblemPublications lists the "stuck or failed" view of a workspace.
func (db *DB) ProblemPublications(ctx context.Context, workspaceID int64, now time.Time, stuckAfter time.Duration, limit int) ([]store.Publication, error) {
	if limit <= 0 {
		limit = 200
	}
	return db.publications(ctx, db.R, "list problem publications", "ProblemPublications", workspaceID, MS(now.Add(-stuckAfter)), limit)
}

func rowsAffected(res sql.Result, err error) (int64, error) {
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// HoldChannel holds a channel's queue.
func (db *DB) HoldChannel(ctx context.Context, workspaceID, channelID int64, reason string, now time.Time) (int64, error) {
	if reason == "" {
		reason = "held"
	}
	n, err := rowsAffected(db.W.ExecContext(ctx, db.Q("HoldChannel"), reason, MS(now), workspaceID, channelID))
	return n, db.Err("hold channel", err)
}

// ReleaseChannel lifts a channel's hold.
func (db *DB) ReleaseChannel(ctx context.Context, workspaceID, channelID int64, now time.Time) (int64, error) {
	n, err := rowsAffected(db.W.ExecContext(ctx, db.Q("ReleaseChannel"), MS(now), workspaceID, channelID))
	return n, db.Err("release channel", err)
}

// ClaimDue stages due publications for owner and returns them with their content.
func (db *DB) ClaimDue(ctx context.Context, owner string, horizon, leaseUntil, now time.Time, limit int) ([]store.PublishJob, error) {
	var jobs []store.PublishJob
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, db.Q("ClaimDue"), owner, MS(leaseUntil), MS(now), MS(horizon), limit)
		if err != nil {
			return db.Err("claim due", err)
		}
		var ids []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return db.Err("claim due", err)
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return db.Err("claim due", err)
		}
		if len(ids) == 0 {
			return nil
		}
		jobs, err = db.jobs(ctx, tx, ids)
		return err
	})
	return jobs, err
}

func (db *DB) jobs(ctx context.Context, q Querier, ids []int64) ([]store.PublishJob, error) {
	rows, err := q.QueryContext(ctx, db.Q("JobsByID"), idList(ids))
	if err != nil {
		return nil, db.Err("read jobs", err)
	}
	defer rows.Close()
	out := make([]store.PublishJob, 0, len(ids))
	for rows.Next() {
		var j store.PublishJob
		var media, parts, options string
		p, err := scanPublication(rows, &j.Variant.Text, &j.Variant.Link, &media, &parts, &j.Variant.FirstComment, &options, &j.PostText, &j.PostLink)
		if err != nil {
			return nil, db.Err("read jobs", err)
		}
		j.Publication = p
		j.Variant.ID, j.Variant.PostID, j.Variant.WorkspaceID, j.Variant.ChannelID = p.VariantID, p.PostID, p.WorkspaceID, p.ChannelID
		j.Variant.Media, j.Variant.Parts, j.Variant.Options = json.RawMessage(media), json.RawMessage(parts), json.RawMessage(options)
		out = append(out, j)
	}
	return out, db.Err("read jobs", rows.Err())
}

// RenewLeases extends owner's staged leases.
func (db *DB) RenewLeases(ctx context.Context, owner string, until, now time.Time) (int64, error) {
	n, err := rowsAffected(db.W.ExecContext(ctx, db.Q("RenewLeases"), MS(until), owner))
	return n, db.Err("renew leases", err)
}

// MarkPublishing moves a batch of staged publications to publishing in one transaction.
func (db *DB) MarkPublishing(ctx context.Context, refs []store.ClaimRef, leaseUntil, now time.Time) ([]int64, error) {
	if len(refs) == 0 {
		return nil, nil
	}
	// One statement is its own transaction on both dialects: run without
	// BEGIN and COMMIT, one round trip instead of three on PostgreSQL, at the
	// moment every publication is due.
	idv, kb := markArgs(refs)
	args := []any{MS(leaseUntil), MS(now), idList(idv), kb}
	st, err := db.Prepared(ctx, db.W, "MarkPublishing")
	if err != nil {
		return nil, db.Err("mark publishing", err)
	}
	var rows *sql.Rows
	if st != nil {
		rows, err = st.QueryContext(ctx, args...)
	} else {
		rows, err = db.W.QueryContext(ctx, db.Q("MarkPublishing"), args...)
	}
	ids, _, err := scanIDs(rows, err)
	return ids, db.Err("mark publishing", err)
}

// markArgs are the ids and the id:claim keys MarkPublishing matches.
func markArgs(refs []store.ClaimRef) ([]int64, string) {
	idv := make([]int64, len(refs))
	keys := make([]string, len(refs))
	for i, r := range refs {
		idv[i], keys[i] = r.ID, fmt.Sprintf("%d:%d", r.ID, r.Claim)
	}
	kb, _ := json.Marshal(keys)
	return idv, string(kb)
}

// markPublishing runs the MarkPublishing query in a transaction (the capped
// path, under the channel's lock). The posts' own state follows at result time: at the due moment only the publications
// are written, to keep the instant short.
func (db *DB) markPublishing(ctx context.Context, tx *sql.Tx, refs []store.ClaimRef, leaseUntil, now time.Time) ([]int64, error) {
	idv, kb := markArgs(refs)
	ids, _, err := scanIDs(db.TxQuery(ctx, tx, "MarkPublishing", MS(leaseUntil), MS(now), idList(idv), kb))
	return ids, db.Err("mark publishing", err)
}

// resultRow is a PublishResult as the batch query reads it.
type resultRow struct {
	ID    int64  `json:"id"`
	Claim int64  `json:"c"`
	From  string `json:"f"`
	State string `json:"s"`
	Next  int64  `json:"n"`
	RID   string `json:"r"`
	URL   string `json:"u"`
	Done  string `json:"d"`
	Class string `json:"ec"`
	Msg   string `json:"em"`
	Hold  string `json:"h"`
}

// attemptRow is an Attempt as the batch insert reads it.
type attemptRow struct {
	Pub     int64  `json:"p"`
	WS      int64  `json:"w"`
	Started int64  `json:"t"`
	Latency int64  `json:"l"`
	Outcome string `json:"o"`
	Class   string `json:"k"`
	Status  int    `json:"st"`
	Msg     string `json:"m"`
	Trace   string `json:"tr"`
}

// SaveResults applies a batch of results, logs their attempts and refreshes
// the posts' states, all in one transaction.
func (db *DB) SaveResults(ctx context.Context, results []store.PublishResult, now time.Time) ([]int64, error) {
	if len(results) == 0 {
		return nil, nil
	}
	rows := make([]resultRow, 0, len(results))
	var attempts []attemptRow
	seen := make(map[int64]bool, len(results))
	for _, r := range results {
		if a := r.Attempt; a != nil {
			attempts = append(attempts, attemptRow{Pub: r.ID, WS: a.WorkspaceID, Started: MS(a.StartedAt), Latency: a.LatencyMS,
				Outcome: a.Outcome, Class: a.Class, Status: a.HTTPStatus, Msg: a.Message, Trace: a.TraceID})
		}
		if seen[r.ID] {
			continue // one change per row and batch; the engine never sends two
		}
		seen[r.ID] = true
		var next int64
		if !r.NextAttemptAt.IsZero() {
			next = MS(r.NextAttemptAt)
		}
		rows = append(rows, resultRow{ID: r.ID, Claim: r.Claim, From: string(r.From), State: string(r.State), Next: next,
			RID: r.RemoteID, URL: r.URL, Done: jsonOr(r.DoneParts, "[]"), Class: r.ErrorClass, Msg: r.ErrorMessage, Hold: r.HoldReason})
	}
	var applied []int64
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		var posts []int64
		var err error
		if _, perRow := db.queries["SaveResultRow"]; perRow {
			applied, posts, err = db.saveResultRows(ctx, tx, rows, now)
		} else {
			rb, _ := json.Marshal(rows)
			applied, posts, err = scanIDs(tx.QueryContext(ctx, db.Q("SaveResults"), MS(now), string(rb)))
		}
		if err != nil {
			return db.Err("save results", err)
		}
		if len(attempts) > 0 {
			ab, _ := json.Marshal(attempts)
			if _, err := db.TxExec(ctx, tx, "InsertAttempts", string(ab)); err != nil {
				return db.Err("log attempts", err)
			}
		}
		return db.refreshPosts(ctx, tx, posts, now)
	})
	return applied, err
}

// saveResultRows applies results one prepared statement per row (dialects
// that define SaveResultRow, where a round trip costs nothing).
func (db *DB) saveResultRows(ctx context.Context, tx *sql.Tx, rows []resultRow, now time.Time) (ids, posts []int64, _ error) {
	var st *sql.Stmt
	if kept, _ := db.Prepared(ctx, db.W, "SaveResultRow"); kept != nil {
		st = tx.StmtContext(ctx, kept) // closed with the transaction; kept stays prepared
	} else {
		var err error
		if st, err = tx.PrepareContext(ctx, db.Q("SaveResultRow")); err != nil {
			return nil, nil, err
		}
		defer st.Close()
	}
	for _, r := range rows {
		var id, post int64
		err := st.QueryRowContext(ctx, r.State, r.Next, r.RID, r.URL, r.Done, r.Class, r.Msg, r.Hold, MS(now), r.ID, r.Claim, r.From).Scan(&id, &post)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		ids, posts = append(ids, id), append(posts, post)
	}
	return ids, posts, nil
}

// ExpiredPublishing lists publications whose publishing lease ran out.
func (db *DB) ExpiredPublishing(ctx context.Context, now time.Time, limit int) ([]store.Publication, error) {
	return db.publications(ctx, db.W, "list expired publishing", "ExpiredPublishing", MS(now), limit)
}

// PublishedSince counts recent publications per channel.
func (db *DB) PublishedSince(ctx context.Context, channelIDs []int64, since time.Time) (map[int64]int, error) {
	out := map[int64]int{}
	if len(channelIDs) == 0 {
		return out, nil
	}
	rows, err := db.W.QueryContext(ctx, db.Q("PublishedSince"), idList(uniq(channelIDs)), MS(since))
	if err != nil {
		return nil, db.Err("count published", err)
	}
	defer rows.Close()
	for rows.Next() {
		var ch int64
		var n int
		if err := rows.Scan(&ch, &n); err != nil {
			return nil, db.Err("count published", err)
		}
		out[ch] = n
	}
	return out, db.Err("count published", rows.Err())
}

// TryLease takes or renews a named lease.
func (db *DB) TryLease(ctx context.Context, name, owner string, until, now time.Time) (bool, error) {
	var got string
	err := db.W.QueryRowContext(ctx, db.Q("TryLease"), name, owner, MS(until), MS(now)).Scan(&got)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, db.Err("take lease", err)
	}
	return got == owner, nil
}
