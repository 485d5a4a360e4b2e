// Package postgres is the PostgreSQL implementation of store.Store (pgx).
// Any number of relais instances may share one database; migrations run under
// an advisory lock so that instances starting together do not race.
package postgres

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os/exec"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	"github.com/relais/relais/internal/store/sqlstore"
)

//go:embed queries/*.sql
var queries embed.FS

//go:embed migrations/*.sql
var migrations embed.FS

// Store is the PostgreSQL store.
type Store struct {
	*sqlstore.DB
	url string
}

// Open connects to url, applies migrations when migrate is true, and checks every query.
func Open(ctx context.Context, url string, migrate bool) (*Store, error) {
	db, err := sql.Open("pgx", url)
	if err != nil {
		return nil, fmt.Errorf("store: open postgres: %w", err)
	}
	db.SetMaxOpenConns(32)
	db.SetMaxIdleConns(32)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: connect to postgres: %w", err)
	}
	if migrate {
		if err := Migrate(ctx, db); err != nil {
			db.Close()
			return nil, err
		}
	}
	qfs, _ := fs.Sub(queries, "queries")
	s, err := sqlstore.New(ctx, db, db, sqlstore.Dialect{
		Name:              "postgres",
		Queries:           qfs,
		IsUniqueViolation: isUnique,
		Backup: func(ctx context.Context, _ *sql.DB, path string) error {
			return pgDump(ctx, url, path)
		},
	})
	if err != nil {
		db.Close()
		return nil, err
	}
	return &Store{DB: s, url: url}, nil
}

// Migrate applies the embedded migrations under a session advisory lock.
func Migrate(ctx context.Context, db *sql.DB) error {
	locker, err := lock.NewPostgresSessionLocker()
	if err != nil {
		return fmt.Errorf("store: postgres migration lock: %w", err)
	}
	mfs, _ := fs.Sub(migrations, "migrations")
	p, err := goose.NewProvider(goose.DialectPostgres, db, mfs, goose.WithSessionLocker(locker))
	if err != nil {
		return fmt.Errorf("store: postgres migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("store: postgres migrate: %w", err)
	}
	return nil
}

func isUnique(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}

func pgDump(ctx context.Context, url, path string) error {
	// pg_dump in custom format gives a consistent snapshot restorable with pg_restore.
	out, err := exec.CommandContext(ctx, "pg_dump", "--format=custom", "--file="+path, "--dbname="+url).CombinedOutput()
	if err != nil {
		return fmt.Errorf("store: pg_dump: %v: %s", err, out)
	}
	return nil
}
