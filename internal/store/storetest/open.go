// Package storetest holds the conformance suite every store implementation
// must pass, and helpers that open a fresh store of each dialect for tests.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the pgx database/sql driver
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/store/postgres"
	"github.com/relais/relais/internal/store/sqlite"
	"github.com/stretchr/testify/require"
)

// PostgresURLEnv names the variable holding the PostgreSQL server URL used by
// tests. When it is unset, PostgreSQL tests are skipped; the project's test
// command always sets it.
const PostgresURLEnv = "RELAIS_TEST_POSTGRES_URL"

// Dialects lists the dialects tests should cover: SQLite always, PostgreSQL
// when PostgresURLEnv is set.
func Dialects() []string {
	if os.Getenv(PostgresURLEnv) != "" {
		return []string{"sqlite", "postgres"}
	}
	return []string{"sqlite"}
}

// Open returns a fresh, migrated, empty store of the dialect, closed at the end of the test.
func Open(t testing.TB, dialect string) store.Store {
	t.Helper()
	switch dialect {
	case "sqlite":
		return OpenSQLite(t)
	case "postgres":
		return OpenPostgres(t)
	}
	t.Fatalf("storetest: unknown dialect %q", dialect)
	return nil
}

// OpenSQLite opens a fresh SQLite store in a temporary directory. Before
// it closes at the end of the test it checks the publications' queued flag
// (see checkQueued), so every test that publishes through a SQLite store
// proves the statements keep it.
func OpenSQLite(t testing.TB) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "relais.db"), true)
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	t.Cleanup(func() { checkQueued(t, s.R) })
	return s
}

// checkQueued fails the test when a SQLite publication's queued flag
// disagrees with its state, or a staged or publishing row has a hold reason:
// the queue index (migration 36) would lose such a row, and publishing it
// would be stuck.
func checkQueued(t testing.TB, db *sql.DB) {
	t.Helper()
	var wrong, held int
	err := db.QueryRow(`SELECT count(*) FROM publications WHERE queued <> (state IN ('scheduled', 'staged', 'publishing'))`).Scan(&wrong)
	if err != nil {
		t.Errorf("storetest: check queued: %v", err)
		return
	}
	if err := db.QueryRow(`SELECT count(*) FROM publications WHERE state IN ('staged', 'publishing') AND hold_reason <> ''`).Scan(&held); err != nil {
		t.Errorf("storetest: check holds: %v", err)
		return
	}
	if wrong > 0 || held > 0 {
		t.Errorf("storetest: %d publications with queued out of step with their state, %d staged or publishing with a hold reason", wrong, held)
	}
}

// OpenPostgres creates a temporary database on the test server, opens a store
// on it, and drops it at the end of the test.
func OpenPostgres(t testing.TB) *postgres.Store {
	t.Helper()
	u := NewPostgresDatabase(t)
	s, err := postgres.Open(context.Background(), u, true)
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	return s
}

// NewPostgresDatabase creates an empty database on the test server and returns
// its URL; it is dropped when the test ends. It skips the test when no server is configured.
func NewPostgresDatabase(t testing.TB) string {
	t.Helper()
	base := os.Getenv(PostgresURLEnv)
	if base == "" {
		t.Skip(PostgresURLEnv + " is not set")
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "relais_test_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", base)
	require.NoError(t, err)
	defer admin.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err = admin.ExecContext(ctx, "CREATE DATABASE "+name)
	require.NoError(t, err)
	t.Cleanup(func() {
		a, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer a.Close()
		_, _ = a.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	})
	pu, err := url.Parse(base)
	require.NoError(t, err)
	pu.Path = "/" + name
	return pu.String()
}

// OpenInstances returns the stores of n instances sharing one fresh database:
// n connection pools on one PostgreSQL database, or, on SQLite (one process),
// the same store n times.
func OpenInstances(t testing.TB, dialect string, n int) []store.Store {
	t.Helper()
	out := make([]store.Store, n)
	if dialect != "postgres" {
		st := Open(t, dialect)
		for i := range out {
			out[i] = st
		}
		return out
	}
	dsn := NewPostgresDatabase(t)
	for i := range out {
		st, err := postgres.Open(context.Background(), dsn, i == 0)
		require.NoError(t, err)
		t.Cleanup(func() { st.Close() })
		out[i] = st
	}
	return out
}
