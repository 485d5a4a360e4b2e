package main_test

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/relais/relais/client"
	"github.com/relais/relais/internal/store/storetest"
	"github.com/stretchr/testify/require"
)

var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "relais-bin")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "relais")
	out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput()
	if err != nil {
		os.Stderr.Write(out)
		panic(err)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// run runs the binary with stdin and returns stdout, stderr and the exit error.
func run(t *testing.T, env []string, stdin string, args ...string) (string, string, error) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	return out.String(), errb.String(), err
}

// dataEnv gives each test its own database: SQLite in a temp dir, or a fresh PostgreSQL database.
func dataEnv(t *testing.T, dialect string) []string {
	env := []string{"RELAIS_DATA_DIR=" + t.TempDir()}
	if dialect == "postgres" {
		env = append(env, "RELAIS_DATABASE_URL="+storetest.NewPostgresDatabase(t))
	}
	return env
}

func TestAdminCommands(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			env := dataEnv(t, d)
			out, stderr, err := run(t, env, "a long enough password\n", "user", "create", "--email", "Owner@Example.com", "--password-stdin", "--admin")
			require.NoError(t, err, stderr)
			require.Regexp(t, `^\d+\n$`, out)

			_, stderr, err = run(t, env, "short\n", "user", "create", "--email", "x@example.com", "--password-stdin")
			require.Error(t, err)
			require.Contains(t, stderr, "Password needs at least 10 characters")

			_, stderr, err = run(t, env, "a long enough password\n", "user", "create", "--email", "owner@example.com", "--password-stdin")
			require.Error(t, err)
			require.Contains(t, stderr, "already exists")

			out, stderr, err = run(t, env, "", "workspace", "create", "--name", "Maison Lune", "--slug", "maison-lune", "--owner", "owner@example.com")
			require.NoError(t, err, stderr)
			require.Equal(t, "maison-lune\n", out)
			_, stderr, err = run(t, env, "", "workspace", "create", "--name", "Again", "--slug", "maison-lune", "--owner", "owner@example.com")
			require.Error(t, err)
			require.Contains(t, stderr, `slug "maison-lune" is already taken`)
			_, stderr, err = run(t, env, "", "workspace", "create", "--name", "", "--slug", "x", "--owner", "owner@example.com")
			require.Error(t, err)
			require.Contains(t, stderr, "Name is required")

			out, stderr, err = run(t, env, "", "token", "create", "--email", "owner@example.com", "--workspace", "maison-lune")
			require.NoError(t, err, stderr)
			require.Regexp(t, regexp.MustCompile(`^rl_[A-Za-z0-9_-]{43}\n$`), out, "the token and nothing else")

			_, stderr, err = run(t, env, "", "token", "create", "--email", "owner@example.com", "--workspace", "nope")
			require.Error(t, err)
			require.Contains(t, stderr, `no workspace with the slug "nope"`)

			out, _, err = run(t, env, "I love it!\nC'est nul, remboursez-moi.\n", "sentiment")
			require.NoError(t, err)
			lines := strings.Split(strings.TrimSpace(out), "\n")
			require.Len(t, lines, 2)
			require.True(t, strings.HasPrefix(lines[0], "positive\t"), lines[0])
			require.True(t, strings.HasSuffix(lines[1], "\tfr"), lines[1])

			out, _, err = run(t, env, "Where is my refund???\nLe colis est arrivé abîmé\nMerci !\n", "feedback", "themes")
			require.NoError(t, err)
			require.Equal(t, "refund_return\ten\ndelivery,quality\tfr\n\tfr\n", out)
			_, stderr, err = run(t, env, "x\n", "feedback", "themes", "--lang", "xx")
			require.Error(t, err)
			require.Contains(t, stderr, "--lang")
		})
	}
}

func freeAddr(t *testing.T) string { return httptestAddr(t) }

// serve starts relais serve and returns its base URL once it answers /readyz.
func serve(t *testing.T, env []string) (string, *exec.Cmd) {
	t.Helper()
	return serveAt(t, env, freeAddr(t))
}

// serveAt starts relais serve on addr.
func serveAt(t *testing.T, env []string, addr string) (string, *exec.Cmd) {
	t.Helper()
	cmd := exec.Command(binary, "serve", "--addr", addr)
	cmd.Env = append(os.Environ(), env...)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("relais serve's log:\n%s", stderr.String())
		}
	})
	line := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		if sc.Scan() {
			line <- sc.Text()
		}
		_, _ = io.Copy(io.Discard, stdout)
	}()
	select {
	case l := <-line:
		require.Contains(t, l, "relais is running at http://"+addr)
	case <-time.After(30 * time.Second):
		t.Fatalf("serve did not start: %s", stderr.String())
	}
	base := "http://" + addr
	resp, err := http.Get(base + "/readyz")
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, 200, resp.StatusCode)
	return base, cmd
}

func TestServeAndAPI(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			env := dataEnv(t, d)
			base, _ := serve(t, env)

			// Short commands work beside the running server.
			_, stderr, err := run(t, env, "a long enough password\n", "user", "create", "--email", "o@example.com", "--password-stdin")
			require.NoError(t, err, stderr)
			_, stderr, err = run(t, env, "", "workspace", "create", "--name", "Brand", "--owner", "o@example.com")
			require.NoError(t, err, stderr)
			tok, stderr, err := run(t, env, "", "token", "create", "--email", "o@example.com", "--workspace", "brand")
			require.NoError(t, err, stderr)

			me, err := client.New(base, strings.TrimSpace(tok)).Me(context.Background())
			require.NoError(t, err)
			require.Equal(t, "brand", me.Workspace.Slug)

			for _, p := range []string{"/healthz", "/metrics", "/api/openapi.json"} {
				resp, err := http.Get(base + p)
				require.NoError(t, err)
				resp.Body.Close()
				require.Equal(t, 200, resp.StatusCode, p)
			}

			if d == "sqlite" {
				// A second server on the same data directory is refused clearly.
				_, stderr, err := run(t, env, "", "serve", "--addr", freeAddr(t))
				require.Error(t, err)
				require.Contains(t, stderr, "another relais serve is already running on this data directory")

				backup := filepath.Join(t.TempDir(), "backup.db")
				out, stderr, err := run(t, env, "", "backup", "--out", backup)
				require.NoError(t, err, stderr)
				require.Equal(t, backup+"\n", out)
				st, err := os.Stat(backup)
				require.NoError(t, err)
				require.Greater(t, st.Size(), int64(4096))
			} else {
				// PostgreSQL allows a second instance on the same database.
				base2, _ := serve(t, env)
				me2, err := client.New(base2, strings.TrimSpace(tok)).Me(context.Background())
				require.NoError(t, err)
				require.Equal(t, me.User.ID, me2.User.ID)
			}
		})
	}
}
