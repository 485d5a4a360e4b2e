// Package sqlite is the SQLite implementation of store.Store (modernc.org/sqlite,
// pure Go). It runs in WAL mode with one writer connection, which serialises
// writes without lock contention, and a pool of readers.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"runtime"
	"strings"

	"github.com/pressly/goose/v3"
	"github.com/relais/relais/internal/store/sqlstore"
	sqlite3 "modernc.org/sqlite"
	sqlite3lib "modernc.org/sqlite/lib"
)

//go:embed queries/*.sql
var queries embed.FS

//go:embed migrations/*.sql
var migrations embed.FS

// Store is the SQLite store.
type Store struct {
	*sqlstore.DB
}

// Open opens (creating if needed) the database file at path, applies
// migrations when migrate is true, and checks every query.
func Open(ctx context.Context, path string, migrate bool) (*Store, error) {
	dsn := DSN(path)
	w, err := sql.Open("sqlite", dsn+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("store: open sqlite: %w", err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("store: open sqlite %s: %w", path, err)
	}
	if migrate {
		if err := Migrate(ctx, w); err != nil {
			w.Close()
			return nil, err
		}
	}
	r, err := sql.Open("sqlite", dsn+"&mode=ro")
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("store: open sqlite readers: %w", err)
	}
	n := max(4, runtime.GOMAXPROCS(0)*2)
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	qfs, _ := fs.Sub(queries, "queries")
	db, err := sqlstore.New(ctx, w, r, sqlstore.Dialect{
		Name:              "sqlite",
		Queries:           qfs,
		IsUniqueViolation: isUnique,
		Backup:            backup,
	})
	if err != nil {
		w.Close()
		r.Close()
		return nil, err
	}
	return &Store{DB: db}, nil
}

// DSN is the connection string relais uses for a SQLite file (WAL, busy timeout, foreign keys).
func DSN(path string) string {
	q := url.Values{}
	for _, p := range []string{"busy_timeout(10000)", "journal_mode(WAL)", "foreign_keys(1)", "synchronous(NORMAL)"} {
		q.Add("_pragma", p)
	}
	return "file:" + path + "?" + q.Encode()
}

// Migrate applies the embedded migrations.
func Migrate(ctx context.Context, db *sql.DB) error {
	mfs, _ := fs.Sub(migrations, "migrations")
	p, err := goose.NewProvider(goose.DialectSQLite3, db, mfs)
	if err != nil {
		return fmt.Errorf("store: sqlite migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("store: sqlite migrate: %w", err)
	}
	return nil
}

func isUnique(err error) bool {
	var se *sqlite3.Error
	if errors.As(err, &se) {
		c := se.Code()
		return c == sqlite3lib.SQLITE_CONSTRAINT_UNIQUE || c == sqlite3lib.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return false
}

func backup(ctx context.Context, db *sql.DB, path string) error {
	// VACUUM INTO writes a consistent, compacted copy while others keep reading.
	_, err := db.ExecContext(ctx, "VACUUM INTO '"+strings.ReplaceAll(path, "'", "''")+"'")
	if err != nil {
		return fmt.Errorf("store: sqlite backup: %w", err)
	}
	return nil
}
