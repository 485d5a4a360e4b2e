package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"github.com/relais/relais/internal/store"
)

// SaveMetricSnapshots writes readings in one transaction, replacing those of
// the same publication and horizon.
func (db *DB) SaveMetricSnapshots(ctx context.Context, snaps []store.MetricSnapshot) error {
	if len(snaps) == 0 {
		return nil
	}
	return db.Err("save metric snapshots", db.Tx(ctx, func(tx *sql.Tx) error {
		st, err := tx.PrepareContext(ctx, db.Q("SaveMetricSnapshot"))
		if err != nil {
			return err
		}
		defer st.Close()
		for _, s := range snaps {
			c := s.Counts
			counts := []any{nullInt(c.Likes), nullInt(c.Reposts), nullInt(c.Replies), nullInt(c.Quotes),
				nullInt(c.Views), nullInt(c.Impressions), nullInt(c.Reach), nullInt(c.Clicks)}
			if _, err := st.ExecContext(ctx, append([]any{s.PublicationID, s.HorizonHours, s.WorkspaceID, s.PostID, s.ChannelID, s.Network,
				MS(s.PublishedAt), MS(s.TakenAt)}, counts...)...); err != nil {
				return err
			}
			// The latest reading: track the publication if it is not yet, then update it unless a later reading is there.
			pub := MS(s.PublishedAt)
			if _, err := tx.ExecContext(ctx, db.Q("TrackPublications"), s.WorkspaceID, pub, pub, s.PublicationID); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, db.Q("SaveLatestMetrics"), append([]any{s.PublicationID, MS(s.TakenAt), s.HorizonHours}, counts...)...); err != nil {
				return err
			}
		}
		return nil
	}))
}

// SaveChannelDays writes daily channel counts, replacing the same channel and day.
func (db *DB) SaveChannelDays(ctx context.Context, days []store.ChannelDay) error {
	if len(days) == 0 {
		return nil
	}
	return db.Err("save channel days", db.Tx(ctx, func(tx *sql.Tx) error {
		for _, d := range days {
			if _, err := tx.ExecContext(ctx, db.Q("SaveChannelDay"), d.ChannelID, MS(Day(d.Day)), d.WorkspaceID, d.Network,
				nullInt(d.Followers), nullInt(d.Following), nullInt(d.Posts), MS(d.TakenAt)); err != nil {
				return err
			}
		}
		return nil
	}))
}

// TrackPublications gives the publications of the workspace (0: every
// workspace) published in [since, until] a row in the latest readings, with
// unknown counts, so reports list them before their first reading.
func (db *DB) TrackPublications(ctx context.Context, workspaceID int64, since, until time.Time) error {
	_, err := db.W.ExecContext(ctx, db.Q("TrackPublications"), workspaceID, MS(since), MS(until), 0)
	return db.Err("track publications", err)
}

// Day is the UTC midnight starting t's UTC day.
func Day(t time.Time) time.Time { return t.UTC().Truncate(24 * time.Hour) }

// MetricPublications lists published publications of a time range.
func (db *DB) MetricPublications(ctx context.Context, workspaceID int64, since, until time.Time) ([]store.MetricPublication, error) {
	rows, err := db.R.QueryContext(ctx, db.Q("MetricPublications"), workspaceID, MS(since), MS(until))
	if err != nil {
		return nil, db.Err("list metric publications", err)
	}
	defer rows.Close()
	var out []store.MetricPublication
	for rows.Next() {
		var p store.MetricPublication
		var at int64
		if err := rows.Scan(&p.ID, &p.WorkspaceID, &p.PostID, &p.ChannelID, &p.Network, &p.RemoteID, &at, &p.TakenHorizon); err != nil {
			return nil, db.Err("list metric publications", err)
		}
		p.PublishedAt = Time(at)
		out = append(out, p)
	}
	return out, db.Err("list metric publications", rows.Err())
}

// PostMetrics lists a period's publications with their latest reading and labels.
func (db *DB) PostMetrics(ctx context.Context, workspaceID int64, from, to time.Time) ([]store.PostMetricRow, error) {
	rows, err := db.R.QueryContext(ctx, db.Q("PostMetrics"), workspaceID, MS(from), MS(to))
	if err != nil {
		return nil, db.Err("read post metrics", err)
	}
	defer rows.Close()
	var out []store.PostMetricRow
	for rows.Next() {
		var r store.PostMetricRow
		var at int64
		var taken sql.NullInt64
		var horizon int
		var n [8]sql.NullInt64
		if err := rows.Scan(&r.ID, &r.WorkspaceID, &r.PostID, &r.ChannelID, &r.Network, &r.RemoteID, &at, &horizon,
			&r.Text, &r.URL, &taken, &n[0], &n[1], &n[2], &n[3], &n[4], &n[5], &n[6], &n[7]); err != nil {
			return nil, db.Err("read post metrics", err)
		}
		r.PublishedAt, r.TakenHorizon = Time(at), horizon
		if taken.Valid {
			r.TakenAt = Time(taken.Int64)
		}
		r.Counts = store.Counts{Likes: intPtr(n[0]), Reposts: intPtr(n[1]), Replies: intPtr(n[2]), Quotes: intPtr(n[3]),
			Views: intPtr(n[4]), Impressions: intPtr(n[5]), Reach: intPtr(n[6]), Clicks: intPtr(n[7])}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, db.Err("read post metrics", err)
	}
	rows.Close()
	return out, db.rowLabels(ctx, out)
}

// PostRates lists the workspace's tracked publications of [from, to) with
// only their channel, network, publishing time and counts, oldest first.
func (db *DB) PostRates(ctx context.Context, workspaceID int64, from, to time.Time) ([]store.PostMetricRow, error) {
	rows, err := db.R.QueryContext(ctx, db.Q("PostRates"), workspaceID, MS(from), MS(to))
	if err != nil {
		return nil, db.Err("read post rates", err)
	}
	defer rows.Close()
	var out []store.PostMetricRow
	for rows.Next() {
		var r store.PostMetricRow
		var at int64
		var n [6]sql.NullInt64
		if err := rows.Scan(&r.ChannelID, &r.Network, &at, &n[0], &n[1], &n[2], &n[3], &n[4], &n[5]); err != nil {
			return nil, db.Err("read post rates", err)
		}
		r.WorkspaceID, r.PublishedAt = workspaceID, Time(at)
		r.Counts = store.Counts{Likes: intPtr(n[0]), Reposts: intPtr(n[1]), Replies: intPtr(n[2]), Quotes: intPtr(n[3]),
			Impressions: intPtr(n[4]), Reach: intPtr(n[5])}
		out = append(out, r)
	}
	return out, db.Err("read post rates", rows.Err())
}

// rowLabels fills the rows' post labels.
func (db *DB) rowLabels(ctx context.Context, out []store.PostMetricRow) error {
	if len(out) == 0 {
		return nil
	}
	byPost := map[int64][]int{}
	var ids []int64
	for i, r := range out {
		if _, seen := byPost[r.PostID]; !seen {
			ids = append(ids, r.PostID)
		}
		byPost[r.PostID] = append(byPost[r.PostID], i)
	}
	rows, err := db.R.QueryContext(ctx, db.Q("PostLabels"), idList(ids))
	if err != nil {
		return db.Err("read post metric labels", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var l store.Label
		if err := rows.Scan(&id, &l.Key, &l.Value); err != nil {
			return db.Err("read post metric labels", err)
		}
		for _, i := range byPost[id] {
			out[i].Labels = append(out[i].Labels, l)
		}
	}
	return db.Err("read post metric labels", rows.Err())
}

// ChannelDays lists daily channel counts of a period.
func (db *DB) ChannelDays(ctx context.Context, workspaceID int64, from, to time.Time) ([]store.ChannelDay, error) {
	rows, err := db.R.QueryContext(ctx, db.Q("ChannelDays"), workspaceID, MS(from), MS(to))
	if err != nil {
		return nil, db.Err("read channel days", err)
	}
	defer rows.Close()
	var out []store.ChannelDay
	for rows.Next() {
		var d store.ChannelDay
		var day, taken int64
		var n [3]sql.NullInt64
		if err := rows.Scan(&d.ChannelID, &day, &d.WorkspaceID, &d.Network, &n[0], &n[1], &n[2], &taken); err != nil {
			return nil, db.Err("read channel days", err)
		}
		d.Day, d.TakenAt = Time(day), Time(taken)
		d.Followers, d.Following, d.Posts = intPtr(n[0]), intPtr(n[1]), intPtr(n[2])
		out = append(out, d)
	}
	return out, db.Err("read channel days", rows.Err())
}

func nullInt(p *int64) sql.NullInt64 {
	if p == nil {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: *p, Valid: true}
}

func intPtr(n sql.NullInt64) *int64 {
	if !n.Valid {
		return nil
	}
	v := n.Int64
	return &v
}

// CreateGoal saves a goal; a channel of another workspace is ErrNotFound.
func (db *DB) CreateGoal(ctx context.Context, g *store.Goal) error {
	err := db.W.QueryRowContext(ctx, db.Q("CreateGoal"), g.WorkspaceID, g.ChannelID, g.Metric, g.StartValue, g.Target,
		MS(Day(g.StartsOn)), MS(Day(g.DueOn)), MS(g.CreatedAt)).Scan(&g.ID)
	return db.Err("create goal", err)
}

// Goals lists the workspace's goals, the soonest due first.
func (db *DB) Goals(ctx context.Context, workspaceID int64) ([]store.Goal, error) {
	rows, err := db.R.QueryContext(ctx, db.Q("Goals"), workspaceID)
	if err != nil {
		return nil, db.Err("list goals", err)
	}
	defer rows.Close()
	var out []store.Goal
	for rows.Next() {
		var g store.Goal
		var starts, due, created int64
		if err := rows.Scan(&g.ID, &g.WorkspaceID, &g.ChannelID, &g.Metric, &g.StartValue, &g.Target, &starts, &due, &created); err != nil {
			return nil, db.Err("list goals", err)
		}
		g.StartsOn, g.DueOn, g.CreatedAt = Time(starts), Time(due), Time(created)
		out = append(out, g)
	}
	return out, db.Err("list goals", rows.Err())
}

// DeleteGoal removes one of the workspace's goals.
func (db *DB) DeleteGoal(ctx context.Context, workspaceID, id int64) error {
	return db.Err("delete goal", Affected(db.W.ExecContext(ctx, db.Q("DeleteGoal"), workspaceID, id)))
}
