package sqlite

import (
	"context"
	"database/sql"
	"io/fs"
	"path/filepath"
	"testing"

	"github.com/pressly/goose/v3"
	"github.com/stretchr/testify/require"
)

// TestApprovalPolicyMigration: on upgrade, workspaces that required
// approval keep letting authors approve their own posts (as before 00011);
// the others, and new workspaces, start with self-approval off.
func TestApprovalPolicyMigration(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := sql.Open("sqlite", DSN(filepath.Join(t.TempDir(), "up.db")))
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	mfs, err := fs.Sub(migrations, "migrations")
	require.NoError(t, err)
	p, err := goose.NewProvider(goose.DialectSQLite3, db, mfs)
	require.NoError(t, err)
	_, err = p.UpTo(ctx, 10)
	require.NoError(t, err)
	_, err = db.ExecContext(ctx, `INSERT INTO workspaces (name, slug, timezone, approval_required, created_at) VALUES
		('With', 'with', 'UTC', 1, 0), ('Without', 'without', 'UTC', 0, 0)`)
	require.NoError(t, err)
	_, err = p.Up(ctx)
	require.NoError(t, err)
	_, err = db.ExecContext(ctx, `INSERT INTO workspaces (name, slug, timezone, approval_required, created_at) VALUES ('New', 'new', 'UTC', 1, 0)`)
	require.NoError(t, err)

	for slug, self := range map[string]bool{"with": true, "without": false, "new": false} {
		var got bool
		var scope string
		require.NoError(t, db.QueryRowContext(ctx, `SELECT self_approval, approval_for FROM workspaces WHERE slug = ?`, slug).Scan(&got, &scope))
		require.Equal(t, self, got, slug)
		require.Equal(t, "everyone", scope, slug)
	}
}
