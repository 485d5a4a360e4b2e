// Package sqlstore holds the row mapping shared by the SQL dialects. Each
// dialect package (store/sqlite, store/postgres) brings its own SQL text in
// embedded .sql files, its own migrations and connection setup, and embeds a
// *DB to implement store.Store. Queries are looked up by name and all of them
// are prepared once at open, so a broken query fails at boot, not in use.
package sqlstore

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/relais/relais/internal/store"
)

// Dialect is what a dialect package tells the shared layer.
type Dialect struct {
	// Name is "sqlite" or "postgres".
	Name string
	// Queries holds the dialect's .sql files (at the root of the FS).
	Queries fs.FS
	// IsUniqueViolation reports whether err is a unique-constraint violation.
	IsUniqueViolation func(err error) bool
	// Backup writes a consistent copy of the database (nil: unsupported).
	Backup func(ctx context.Context, db *sql.DB, path string) error
}

// DB is the shared implementation of store.Store over database/sql.
type DB struct {
	// W is the connection pool for writes (one connection on SQLite).
	W *sql.DB
	// R is the pool for reads (the same as W on PostgreSQL).
	R       *sql.DB
	dialect Dialect
	queries map[string]string

	stmtMu sync.Mutex
	stmts  map[stmtKey]*sql.Stmt
}

type stmtKey struct {
	pool *sql.DB
	name string
}

// New loads the dialect's queries and prepares each once to check it.
func New(ctx context.Context, w, r *sql.DB, d Dialect) (*DB, error) {
	q, err := LoadQueries(d.Queries)
	if err != nil {
		return nil, err
	}
	db := &DB{W: w, R: r, dialect: d, queries: q, stmts: map[stmtKey]*sql.Stmt{}}
	keep := map[string]bool{}
	if d.Name == "sqlite" {
		for _, name := range keptQueries {
			keep[name] = true
		}
	}
	for _, name := range db.QueryNames() {
		st, err := w.PrepareContext(ctx, q[name])
		if err != nil {
			db.closeStmts()
			return nil, fmt.Errorf("store: query %s does not prepare: %w", name, err)
		}
		if keep[name] {
			db.stmts[stmtKey{w, name}] = st
			continue
		}
		st.Close()
	}
	return db, nil
}

// LoadQueries reads "-- name: X" blocks from every .sql file of fsys.
func LoadQueries(fsys fs.FS) (map[string]string, error) {
	out := map[string]string{}
	err := fs.WalkDir(fsys, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".sql") {
			return err
		}
		b, err := fs.ReadFile(fsys, path)
		if err != nil {
			return err
		}
		var name string
		var buf strings.Builder
		flush := func() error {
			if name == "" {
				return nil
			}
			if _, dup := out[name]; dup {
				return fmt.Errorf("store: query %s defined twice", name)
			}
			out[name] = strings.TrimSpace(buf.String())
			buf.Reset()
			return nil
		}
		sc := bufio.NewScanner(strings.NewReader(string(b)))
		for sc.Scan() {
			line := sc.Text()
			if rest, ok := strings.CutPrefix(strings.TrimSpace(line), "-- name:"); ok {
				if err := flush(); err != nil {
					return err
				}
				name = strings.TrimSpace(rest)
				continue
			}
			if name != "" {
				buf.WriteString(line)
				buf.WriteByte('\n')
			}
		}
		return flush()
	})
	return out, err
}

// QueryNames lists the loaded query names, sorted.
func (db *DB) QueryNames() []string {
	names := make([]string, 0, len(db.queries))
	for n := range db.queries {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Q returns the SQL of a named query; a missing name is a programming error.
func (db *DB) Q(name string) string {
	s, ok := db.queries[name]
	if !ok {
		panic("store: no query named " + name + " for " + db.dialect.Name)
	}
	return s
}

// Dialect names the SQL dialect.
func (db *DB) Dialect() string { return db.dialect.Name }

// Ping checks the database answers.
func (db *DB) Ping(ctx context.Context) error { return db.W.PingContext(ctx) }

// Backup writes a consistent copy of the database to path, a new file that
// only its owner can read (0600): it holds every account's data.
func (db *DB) Backup(ctx context.Context, path string) error {
	if db.dialect.Backup == nil {
		return fmt.Errorf("store: backup is not supported on %s; use pg_dump", db.dialect.Name)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	f.Close()
	if err := db.dialect.Backup(ctx, db.W, path); err != nil {
		_ = os.Remove(path)
		return err
	}
	return os.Chmod(path, 0o600)
}

// keptQueries are the statements run in write transactions many times a
// second (publishing bursts, inbox ingest): on SQLite they are prepared once
// at open on the write connection and kept, because parsing one costs more
// than running it on a small batch. Other dialects' drivers keep their own
// statement cache.
var keptQueries = []string{"MarkPublishing", "SaveResultRow", "InsertAttempts", "RefreshPostStates"}

// Prepared returns the named query prepared once on pool and kept, or nil
// where statements are not kept (other dialects; on the write pool, queries
// not in keptQueries: preparing one there could wait for the connection a
// transaction of the caller holds).
func (db *DB) Prepared(ctx context.Context, pool *sql.DB, name string) (*sql.Stmt, error) {
	if db.dialect.Name != "sqlite" {
		return nil, nil
	}
	k := stmtKey{pool, name}
	db.stmtMu.Lock()
	defer db.stmtMu.Unlock()
	if st, ok := db.stmts[k]; ok || pool == db.W {
		return st, nil
	}
	st, err := pool.PrepareContext(ctx, db.Q(name))
	if err != nil {
		return nil, err
	}
	db.stmts[k] = st
	return st, nil
}

// TxQuery runs a named query in tx, through its kept statement where there is one.
func (db *DB) TxQuery(ctx context.Context, tx *sql.Tx, name string, args ...any) (*sql.Rows, error) {
	st, err := db.Prepared(ctx, db.W, name)
	if err != nil {
		return nil, err
	}
	if st == nil {
		return tx.QueryContext(ctx, db.Q(name), args...)
	}
	return tx.StmtContext(ctx, st).QueryContext(ctx, args...)
}

// TxExec executes a named statement in tx, through its kept statement where there is one.
func (db *DB) TxExec(ctx context.Context, tx *sql.Tx, name string, args ...any) (sql.Result, error) {
	st, err := db.Prepared(ctx, db.W, name)
	if err != nil {
		return nil, err
	}
	if st == nil {
		return tx.ExecContext(ctx, db.Q(name), args...)
	}
	return tx.StmtContext(ctx, st).ExecContext(ctx, args...)
}

func (db *DB) closeStmts() {
	db.stmtMu.Lock()
	defer db.stmtMu.Unlock()
	for k, st := range db.stmts {
		st.Close()
		delete(db.stmts, k)
	}
}

// Close closes the kept statements and both pools.
func (db *DB) Close() error {
	db.closeStmts()
	err := db.W.Close()
	if db.R != db.W {
		err = errors.Join(err, db.R.Close())
	}
	return err
}

// Querier is what both *sql.DB and *sql.Tx offer.
type Querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Tx runs fn in a write transaction, rolled back when fn fails.
func (db *DB) Tx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := db.W.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	return nil
}

// Err maps driver errors onto the store's sentinels, with context.
func (db *DB) Err(op string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, sql.ErrNoRows):
		return store.ErrNotFound
	case db.dialect.IsUniqueViolation != nil && db.dialect.IsUniqueViolation(err):
		return fmt.Errorf("store: %s: %w", op, store.ErrConflict)
	}
	return fmt.Errorf("store: %s: %w", op, err)
}

// Affected turns "zero rows changed" into ErrNotFound.
func Affected(res sql.Result, err error) error {
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return store.ErrNotFound
	}
	return nil
}

// MS is how times are stored: milliseconds since the Unix epoch, UTC, in both dialects.
func MS(t time.Time) int64 { return t.UnixMilli() }

// Time turns stored milliseconds back into a UTC time.
func Time(ms int64) time.Time { return time.UnixMilli(ms).UTC() }

// NullMS stores an optional time.
func NullMS(t *time.Time) sql.NullInt64 {
	if t == nil {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: t.UnixMilli(), Valid: true}
}

// TimePtr reads an optional time.
func TimePtr(n sql.NullInt64) *time.Time {
	if !n.Valid {
		return nil
	}
	t := Time(n.Int64)
	return &t
}
