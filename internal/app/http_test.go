package app_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/relais/relais/internal/app"
	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/config"
	"github.com/relais/relais/internal/store"
	"github.com/stretchr/testify/require"
)

// syncBuffer is a log sink safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func openApp(t *testing.T, cfg config.Config, logs *syncBuffer) (*app.App, http.Handler) {
	t.Helper()
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	a, err := app.Open(context.Background(), cfg, log, app.Options{Migrate: true})
	require.NoError(t, err)
	t.Cleanup(func() { a.Close() })
	h, err := a.Handler()
	require.NoError(t, err)
	return a, h
}

func get(h http.Handler, path string, header ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// TestHTTPHardening: HSTS behind https only, no-store on API answers, and
// /metrics behind its token when one is set.
func TestHTTPHardening(t *testing.T) {
	t.Parallel()
	var logs syncBuffer
	_, h := openApp(t, config.Config{DataDir: t.TempDir(), BaseURL: "https://relais.example", MetricsToken: "m3trics-t0ken"}, &logs)
	for _, path := range []string{"/healthz", "/setup", "/api/v1/me", "/metrics"} {
		require.Equal(t, "max-age=63072000", get(h, path).Header().Get("Strict-Transport-Security"), path)
	}
	require.Equal(t, "no-store", get(h, "/api/v1/me").Header().Get("Cache-Control"))
	require.Equal(t, "no-store", get(h, "/setup").Header().Get("Cache-Control"))

	for _, tc := range []struct {
		header []string
		status int
	}{
		{nil, http.StatusUnauthorized},
		{[]string{"Authorization", "Bearer wrong"}, http.StatusUnauthorized},
		{[]string{"Authorization", "m3trics-t0ken"}, http.StatusUnauthorized},
		{[]string{"Authorization", "Bearer m3trics-t0ken"}, http.StatusOK},
	} {
		rec := get(h, "/metrics", tc.header...)
		require.Equal(t, tc.status, rec.Code, "%v", tc.header)
		if tc.status == http.StatusOK {
			require.Contains(t, rec.Body.String(), "relais_http_requests_total")
		} else {
			require.NotContains(t, rec.Body.String(), "relais_")
		}
	}

	_, plain := openApp(t, config.Config{DataDir: t.TempDir(), BaseURL: "http://127.0.0.1:8080"}, &logs)
	require.Empty(t, get(plain, "/healthz").Header().Get("Strict-Transport-Security"))
	require.Equal(t, http.StatusOK, get(plain, "/metrics").Code, "without a token /metrics stays open")
}

// TestDataFilesArePrivate: the data directory is 0700 and the database, its
// WAL and backups 0600, also when they existed before with wider modes.
func TestDataFilesArePrivate(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "data")
	require.NoError(t, os.Mkdir(dir, 0o755))
	require.NoError(t, os.Chmod(dir, 0o755))
	db := filepath.Join(dir, "relais.db")
	require.NoError(t, os.WriteFile(db, nil, 0o644))
	require.NoError(t, os.Chmod(db, 0o644))

	var logs syncBuffer
	first, _ := openApp(t, config.Config{DataDir: dir}, &logs)
	require.NoError(t, first.Close())
	key := filepath.Join(dir, "secret.key")
	for _, p := range []string{dir, db, key} {
		require.NoError(t, os.Chmod(p, 0o755))
	}
	a, _ := openApp(t, config.Config{DataDir: dir}, &logs)
	_, err := a.Auth.CreateWorkspace(context.Background(), createUser(t, a), "Lune", "", "")
	require.NoError(t, err)
	backup := filepath.Join(t.TempDir(), "backup.db")
	require.NoError(t, a.Store.Backup(context.Background(), backup))

	mode := func(p string) os.FileMode {
		st, err := os.Stat(p)
		require.NoError(t, err, p)
		return st.Mode().Perm()
	}
	require.Equal(t, os.FileMode(0o700), mode(dir))
	for _, p := range []string{db, db + "-wal", db + "-shm", key, backup} {
		require.Equal(t, os.FileMode(0o600), mode(p), p)
	}
}

// TestRequestLogsHideSecrets: request logs at every level carry paths
// without invitation tokens or feed keys.
func TestRequestLogsHideSecrets(t *testing.T) {
	t.Parallel()
	var logs syncBuffer
	_, h := openApp(t, config.Config{DataDir: t.TempDir()}, &logs)
	secret := auth.NewToken("ri_")
	for _, path := range []string{"/invite/" + secret, "/ical/" + secret + ".ics", "/feeds/" + secret + "/feed.xml", "/feeds/" + secret + "/items/1"} {
		get(h, path)
	}
	out := logs.String()
	require.Contains(t, out, "/invite/[redacted]")
	require.Contains(t, out, "/feeds/[redacted]/items/1")
	require.NotContains(t, out, secret[3:])
}

func createUser(t *testing.T, a *app.App) store.User {
	t.Helper()
	u, err := a.Auth.CreateUser(context.Background(), "owner-"+strings.ToLower(t.Name())+"@example.com", "", "correct horse battery", false)
	require.NoError(t, err)
	return u
}
