package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pressly/goose/v3"
	"github.com/stretchr/testify/require"
)

// seed puts rows in every table of the schema at version 7, with the newest
// post deleted, as a database in use would have.
const seed = `
INSERT INTO users (id, email, password_hash, created_at) VALUES (1, 'a@example.com', 'h', 1), (2, 'b@example.com', 'h', 2);
INSERT INTO workspaces (id, name, slug, created_at, max_publish_attempts) VALUES (1, 'One', 'one', 1, 3), (2, 'Two', 'two', 2, 5);
INSERT INTO members (workspace_id, user_id, role, created_at) VALUES (1, 1, 'owner', 1), (2, 2, 'owner', 2);
INSERT INTO invitations (workspace_id, role, token_hash, created_by, created_at, expires_at) VALUES (1, 'editor', 'inv', 1, 1, 9);
INSERT INTO sessions (id_hash, user_id, created_at, expires_at) VALUES ('s1', 1, 1, 9);
INSERT INTO api_tokens (workspace_id, user_id, name, prefix, token_hash, created_at) VALUES (1, 1, 'ci', 'rl_', 'tok', 1);
INSERT INTO channels (id, workspace_id, network, remote_id, secrets_enc, created_at, updated_at) VALUES (1, 1, 'bluesky', 'did:a', x'00ff', 1, 1), (2, 2, 'mastodon', 'm@b', NULL, 2, 2);
INSERT INTO notifications (workspace_id, kind, message, created_at) VALUES (1, 'failed', 'It failed', 1);
INSERT INTO posts (id, workspace_id, text, created_at, updated_at) VALUES (1, 1, 'first', 1, 1), (2, 2, 'second', 2, 2), (3, 1, 'third', 3, 3);
INSERT INTO post_labels (post_id, key, value) VALUES (1, 'theme', 'spring');
INSERT INTO variants (id, post_id, workspace_id, channel_id, text, created_at, updated_at) VALUES (1, 1, 1, 1, 'v1', 1, 1), (2, 2, 2, 2, 'v2', 2, 2);
INSERT INTO publications (id, workspace_id, post_id, variant_id, channel_id, network, state, due_at, next_attempt_at, idem_key, created_at, updated_at)
	VALUES (1, 1, 1, 1, 1, 'bluesky', 'scheduled', 5, 5, 'k1', 1, 1), (2, 2, 2, 2, 2, 'mastodon', 'failed', 5, 5, 'k2', 2, 2);
INSERT INTO attempts (publication_id, workspace_id, started_at, outcome) VALUES (2, 2, 6, 'error');
INSERT INTO media (id, workspace_id, sha256, mime, kind, bytes, path, created_at) VALUES (1, 1, 'aa', 'image/png', 'image', 10, '1/aa/aa.png', 1), (2, 2, 'bb', 'image/gif', 'gif', 20, '2/bb/bb.gif', 2);
INSERT INTO post_comments (workspace_id, post_id, body, created_at) VALUES (1, 1, 'Looks good', 1);
INSERT INTO post_history (workspace_id, post_id, action, created_at) VALUES (1, 1, 'created', 1);
INSERT INTO post_approvals (workspace_id, post_id, user_id, decision, created_at) VALUES (1, 1, 1, 'approved', 1);
INSERT INTO snippets (workspace_id, name, body, created_at) VALUES (1, 'sig', '— the team', 1);
INSERT INTO channel_slots (channel_id, workspace_id, spec, timezone, updated_at) VALUES (1, 1, 'mon 09:00', 'UTC', 1);
INSERT INTO workspace_feeds (workspace_id, secret_hash, updated_at) VALUES (1, 'feed', 1);
INSERT INTO hooks (workspace_id, url, events, created_at) VALUES (1, 'https://hooks.example/x', 'post.published', 1);
DELETE FROM posts WHERE id = 3;
`

// snapshot is every row, foreign key and index of the database, as text.
func snapshot(t *testing.T, db *sql.DB) map[string]string {
	t.Helper()
	out := map[string]string{}
	rows, err := db.Query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'goose_db_version' ORDER BY name`)
	require.NoError(t, err)
	var tables []string
	for rows.Next() {
		var n string
		require.NoError(t, rows.Scan(&n))
		tables = append(tables, n)
	}
	require.NoError(t, rows.Err())
	dump := func(q string) string {
		rows, err := db.Query(q)
		require.NoError(t, err, q)
		defer rows.Close()
		cols, err := rows.Columns()
		require.NoError(t, err)
		var b strings.Builder
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			require.NoError(t, rows.Scan(ptrs...))
			fmt.Fprintln(&b, vals...)
		}
		require.NoError(t, rows.Err())
		return b.String()
	}
	for _, tb := range tables {
		out[tb+" rows"] = dump("SELECT * FROM " + tb + " ORDER BY rowid")
		out[tb+" columns"] = dump("PRAGMA table_info(" + tb + ")")
		out[tb+" foreign keys"] = dump("PRAGMA foreign_key_list(" + tb + ")")
		out[tb+" indexes"] = dump("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = '" + tb + "' ORDER BY name")
	}
	return out
}

// migratedTo opens a new database migrated up to the version, with the
// provider that moves it further.
func migratedTo(t *testing.T, version int64) (*sql.DB, *goose.Provider) {
	t.Helper()
	db, err := sql.Open("sqlite", DSN(filepath.Join(t.TempDir(), "relais.db"))+"&_txlock=immediate")
	require.NoError(t, err)
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	mfs, _ := fs.Sub(migrations, "migrations")
	p, err := goose.NewProvider(goose.DialectSQLite3, db, mfs)
	require.NoError(t, err)
	_, err = p.UpTo(context.Background(), version)
	require.NoError(t, err)
	return db, p
}

// TestAutoincrementMigrationKeepsEverything migrates a database with rows in
// every table from version 7: rows, columns, foreign keys and indexes stay
// the same, foreign keys are enforced again, and ids are no longer reused.
func TestAutoincrementMigrationKeepsEverything(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, p := migratedTo(t, 7)
	_, err := db.Exec(seed)
	require.NoError(t, err)
	before := snapshot(t, db)

	// Migration 8 alone: later migrations change the schema on purpose.
	_, err = p.UpTo(ctx, 8)
	require.NoError(t, err)
	after := snapshot(t, db)
	require.Equal(t, before, after)

	var fk int
	require.NoError(t, db.QueryRow("PRAGMA foreign_keys").Scan(&fk))
	require.Equal(t, 1, fk, "foreign keys are enforced again")
	var problems int
	require.NoError(t, db.QueryRow("SELECT count(*) FROM pragma_foreign_key_check").Scan(&problems))
	require.Zero(t, problems)
	var ok string
	require.NoError(t, db.QueryRow("PRAGMA integrity_check").Scan(&ok))
	require.Equal(t, "ok", ok)

	for _, tb := range []string{"users", "workspaces", "invitations", "api_tokens", "channels", "notifications", "posts", "variants",
		"publications", "attempts", "media", "post_comments", "post_history", "post_approvals", "snippets", "hooks"} {
		var sqlText string
		require.NoError(t, db.QueryRow("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", tb).Scan(&sqlText))
		require.Contains(t, sqlText, "PRIMARY KEY AUTOINCREMENT", tb)
	}

	// The newest media item is deleted; the next one gets a new id.
	_, err = db.Exec(`DELETE FROM media WHERE id = 2`)
	require.NoError(t, err)
	var id int64
	require.NoError(t, db.QueryRow(`INSERT INTO media (workspace_id, sha256, mime, kind, bytes, path, created_at)
		VALUES (1, 'cc', 'image/png', 'image', 1, '1/cc/cc.png', 3) RETURNING id`).Scan(&id))
	require.Equal(t, int64(3), id)

	// Cascades still work: deleting a workspace takes its posts, variants and publications.
	_, err = db.Exec(`DELETE FROM workspaces WHERE id = 2`)
	require.NoError(t, err)
	for _, tb := range []string{"posts", "variants", "publications", "attempts", "channels", "members"} {
		var n int
		require.NoError(t, db.QueryRow("SELECT count(*) FROM "+tb+" WHERE workspace_id = 2").Scan(&n))
		require.Zero(t, n, tb)
	}
}

// TestQueuedMigration migrates publications in every state to version 36:
// queued is 1 exactly for scheduled, staged and publishing ones, the queue
// index names it and the in-flight index is gone; down again restores both.
func TestQueuedMigration(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, p := migratedTo(t, 35)
	_, err := db.Exec(seed)
	require.NoError(t, err)
	states := []string{"staged", "publishing", "published", "needs_review", "cancelled", "deleted"}
	for i, st := range states {
		id := 10 + i
		_, err = db.Exec(`INSERT INTO posts (id, workspace_id, text, created_at, updated_at) VALUES (?, 1, 'p', 1, 1)`, id)
		require.NoError(t, err)
		_, err = db.Exec(`INSERT INTO variants (id, post_id, workspace_id, channel_id, text, created_at, updated_at) VALUES (?, ?, 1, 1, 'v', 1, 1)`, id, id)
		require.NoError(t, err)
		_, err = db.Exec(`INSERT INTO publications (id, workspace_id, post_id, variant_id, channel_id, network, state, due_at, next_attempt_at, idem_key, created_at, updated_at)
			VALUES (?, 1, ?, ?, 1, 'bluesky', ?, 5, 5, ?, 1, 1)`, id, id, id, st, fmt.Sprint("k", id))
		require.NoError(t, err)
	}
	indexes := func() string {
		var names []string
		rows, err := db.Query(`SELECT name || ': ' || sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'publications' AND sql IS NOT NULL ORDER BY name`)
		require.NoError(t, err)
		defer rows.Close()
		for rows.Next() {
			var n string
			require.NoError(t, rows.Scan(&n))
			names = append(names, n)
		}
		return strings.Join(names, "\n")
	}
	before := indexes()

	_, err = p.UpTo(ctx, 36)
	require.NoError(t, err)
	got := map[string]int{}
	rows, err := db.Query(`SELECT state, queued FROM publications`)
	require.NoError(t, err)
	for rows.Next() {
		var st string
		var q int
		require.NoError(t, rows.Scan(&st, &q))
		got[st] = q
	}
	require.NoError(t, rows.Err())
	require.Equal(t, map[string]int{"scheduled": 1, "staged": 1, "publishing": 1,
		"published": 0, "needs_review": 0, "cancelled": 0, "deleted": 0, "failed": 0}, got)
	after := indexes()
	require.Contains(t, after, "WHERE queued = 1 AND hold_reason = ''")
	require.NotContains(t, after, "publications_inflight")

	_, err = p.DownTo(ctx, 35)
	require.NoError(t, err)
	require.Equal(t, before, indexes())
	_, err = db.Exec(`SELECT queued FROM publications`)
	require.Error(t, err, "the column is gone")
}
