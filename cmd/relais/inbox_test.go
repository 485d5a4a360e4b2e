package main_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/inbox"
	"github.com/relais/relais/internal/network/mastodon/gotosocialtest"
	"github.com/relais/relais/internal/sla"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/store/storetest"
)

// inboxSetup makes a workspace "brand" with a GoToSocial channel (through
// instance, the server or a proxy of it) and returns the env and the channel id.
func inboxSetup(t *testing.T, dialect, instance string) ([]string, string) {
	env := append(dataEnv(t, dialect), "RELAIS_ALLOW_PRIVATE_HOSTS=true")
	for _, args := range [][]string{
		{"user", "create", "--email", "o@example.com", "--password-stdin"},
		{"workspace", "create", "--name", "Brand", "--slug", "brand", "--owner", "o@example.com"},
	} {
		_, stderr, err := run(t, env, "a long enough password\n", args...)
		require.NoError(t, err, stderr)
	}
	out, stderr, err := run(t, env, gotosocialtest.Zork.Token+"\n", "channel", "add", "mastodon", "--workspace", "brand", "--instance", instance, "--token-stdin")
	require.NoError(t, err, stderr)
	return env, strings.TrimSpace(out)
}

// inboxList runs relais inbox list --json with the extra flags.
func inboxList(t *testing.T, env []string, flags ...string) []inbox.MessageView {
	t.Helper()
	out, stderr, err := run(t, env, "", append([]string{"inbox", "list", "--workspace", "brand", "--json"}, flags...)...)
	require.NoError(t, err, stderr)
	var list []inbox.MessageView
	require.NoError(t, json.Unmarshal([]byte(out), &list), out)
	return list
}

// TestInboxEndToEndOnGoToSocial runs the real binary against the real
// GoToSocial server: a post published by relais serve gets a negative reply
// from another account; the running server's poller brings it into the inbox
// (threaded under the post, classified); the CLI answers it, and the answer is
// on the server as a reply to the comment; assign, close and reopen work.
func TestInboxEndToEndOnGoToSocial(t *testing.T) {
	t.Parallel()
	gts := gotosocialtest.URL(t)
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			env, channelID := inboxSetup(t, d, gts)
			serve(t, env)
			word := gotosocialtest.Unique("inboxcli")
			out, stderr, err := run(t, env, "", "post", "create", "--workspace", "brand", "--channels", channelID, "--text", "Our parcel service starts today "+word, "--now")
			require.NoError(t, err, stderr)
			postID, err := strconv.ParseInt(strings.TrimSpace(out), 10, 64)
			require.NoError(t, err)

			st := openStore(t, d, env)
			ws, err := st.WorkspaceBySlug(ctx, "brand")
			require.NoError(t, err)
			var pub store.Publication
			require.True(t, assertEventually(60*time.Second, func() bool {
				pubs, err := st.Publications(ctx, ws.ID, postID)
				if err != nil || len(pubs) != 1 || pubs[0].State != store.PubPublished {
					return false
				}
				pub = pubs[0]
				return true
			}), "the post was not published")

			comment := gotosocialtest.Post(t, gts, gotosocialtest.Mogul, "@the_mighty_zork Terrible service, my parcel never arrived! "+word, pub.RemoteID)
			posted := time.Now()
			var m inbox.MessageView
			require.True(t, assertEventually(15*time.Second, func() bool {
				for _, x := range inboxList(t, env, "--sentiment", "negative", "--state", "open") {
					if strings.Contains(x.Text, word) {
						m = x
						return true
					}
				}
				return false
			}), "the comment did not reach the inbox within 15 s while relais serve ran")
			t.Logf("%s: the comment was in relais inbox list %v after it was posted", d, time.Since(posted).Round(time.Millisecond))
			require.Equal(t, comment.ID, m.RemoteID)
			require.Equal(t, postID, m.PostID)
			require.Equal(t, "mastodon", m.Network)
			require.Equal(t, "@media_mogul", m.Author)
			require.Equal(t, "en", m.Language)
			require.Equal(t, "negative", m.Sentiment)
			require.Contains(t, m.Themes, "delivery")
			require.Equal(t, "open", m.State)
			require.Empty(t, m.Assignee)
			require.NotEmpty(t, m.URL)
			require.False(t, m.ReceivedAt.IsZero())
			id := strconv.FormatInt(m.ID, 10)
			require.True(t, inCriticism(t, env, m.ID), "the complaint waits in the unanswered criticism")

			reply := "Sorry about your parcel, we are on it " + word
			out, stderr, err = run(t, env, "", "inbox", "reply", id, "--text", reply)
			require.NoError(t, err, stderr)
			replyURL := strings.TrimSpace(out)
			require.True(t, strings.HasPrefix(replyURL, "http"), replyURL)
			mine := gotosocialtest.RepliesBy(t, gts, gotosocialtest.Zork, comment.ID, "we are on it")
			require.Len(t, mine, 1, "the reply is on the server, once, as an answer to the comment")
			require.Equal(t, replyURL, mine[0].URL)
			// The same command again answers nothing new.
			out2, stderr, err := run(t, env, "", "inbox", "reply", id, "--text", reply, "--workspace", "brand")
			require.NoError(t, err, stderr)
			require.Equal(t, out, out2)
			require.Len(t, gotosocialtest.RepliesBy(t, gts, gotosocialtest.Zork, comment.ID, "we are on it"), 1)
			require.False(t, inCriticism(t, env, m.ID), "answered, it leaves the unanswered criticism")
			out, stderr, err = run(t, env, "", "inbox", "sla", "--workspace", "brand", "--csv", "--period", "day")
			require.NoError(t, err, stderr)
			rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
			require.NoError(t, err, out)
			require.Equal(t, sla.CSVHeader, rows[0])
			require.Equal(t, "total", rows[1][0])
			answered, _ := strconv.Atoi(rows[1][4])
			require.GreaterOrEqual(t, answered, 1, out)
			var member bool
			for _, r := range rows[1:] {
				member = member || (r[0] == "member" && r[2] == "o@example.com")
			}
			require.True(t, member, "the owner answered first: %s", out)
			_, stderr, err = run(t, env, "", "inbox", "sla", "--workspace", "brand", "--from", "2026-02-30")
			require.Error(t, err)
			require.Contains(t, stderr, `from: "2026-02-30" is not a day`)

			for _, tc := range []struct {
				args  []string
				state string
				who   string
			}{
				{[]string{"assign", id, "--to", "o@example.com"}, "open", "o@example.com"},
				{[]string{"close", id, "--workspace", "brand"}, "closed", "o@example.com"},
				{[]string{"reopen", id}, "open", "o@example.com"},
				{[]string{"assign", id, "--to", "none"}, "open", ""},
			} {
				_, stderr, err := run(t, env, "", append([]string{"inbox"}, tc.args...)...)
				require.NoError(t, err, stderr)
				got := inboxList(t, env, "--search", word)
				require.Len(t, got, 1)
				require.Equal(t, tc.state, got[0].State, tc.args)
				require.Equal(t, tc.who, got[0].Assignee, tc.args)
				require.True(t, got[0].Answered)
			}
			_, stderr, err = run(t, env, "", "inbox", "assign", id, "--to", "stranger@example.com")
			require.Error(t, err)
			require.Contains(t, stderr, `"stranger@example.com" is not a member of this workspace`)
			_, stderr, err = run(t, env, "", "inbox", "close", "999999")
			require.Error(t, err)
			require.Contains(t, stderr, "no inbox message with the id 999999")

			out, stderr, err = run(t, env, "", "inbox", "sync", "--workspace", "brand", "--json")
			require.NoError(t, err, stderr)
			var res inbox.SyncResult
			require.NoError(t, json.Unmarshal([]byte(out), &res))
			require.Equal(t, 1, res.Channels)
			require.GreaterOrEqual(t, res.Read, 1, "the comment under the post is read again")
			// Other tests mention the same account meanwhile, so only our comment is counted.
			require.Len(t, inboxList(t, env, "--search", word), 1, "read again, stored once")
		})
	}
}

// inCriticism reports whether relais inbox criticism --json lists the message.
func inCriticism(t *testing.T, env []string, id int64) bool {
	t.Helper()
	out, stderr, err := run(t, env, "", "inbox", "criticism", "--workspace", "brand", "--json", "--limit", "500")
	require.NoError(t, err, stderr)
	var rep inbox.CriticismReport
	require.NoError(t, json.Unmarshal([]byte(out), &rep), out)
	for _, m := range rep.Messages {
		if m.ID == id {
			return true
		}
	}
	return false
}

// gate is a proxy of the GoToSocial server that can hold the reply call
// (POST /api/v1/statuses) before it reaches the server or after the server
// answered, so a test can kill the process at that moment.
type gate struct {
	mu sync.Mutex
	// mode: "" passes, "before" holds the request, "after" forwards it and holds the answer.
	mode    string
	reached chan struct{}
	url     string
}

func newGate(t *testing.T, target string) *gate {
	u, err := url.Parse(target)
	require.NoError(t, err)
	rp := httputil.NewSingleHostReverseProxy(u)
	g := &gate{reached: make(chan struct{}, 1)}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		g.mu.Lock()
		mode := g.mode
		g.mu.Unlock()
		if r.Method != http.MethodPost || r.URL.Path != "/api/v1/statuses" || mode == "" {
			rp.ServeHTTP(w, r)
			return
		}
		if mode == "before" {
			// Read the body so the server notices when the caller's connection dies.
			_, _ = io.Copy(io.Discard, r.Body)
		} else {
			rp.ServeHTTP(httptest.NewRecorder(), r)
		}
		g.reached <- struct{}{}
		// The caller is killed meanwhile; never answer it.
		select {
		case <-r.Context().Done():
		case <-time.After(20 * time.Second):
		}
		http.Error(w, "held", http.StatusServiceUnavailable)
	}))
	t.Cleanup(srv.Close)
	g.url = srv.URL
	return g
}

func (g *gate) set(mode string) {
	g.mu.Lock()
	g.mode = mode
	g.mu.Unlock()
}

// TestInboxReplyKilledMidCall kills relais inbox reply with SIGKILL after it
// recorded the reply, once before the call reached the server and once after
// the server made the reply but before relais heard the answer. Running the
// command again leaves exactly one reply on the server each time.
func TestInboxReplyKilledMidCall(t *testing.T) {
	t.Parallel()
	gts := gotosocialtest.URL(t)
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			g := newGate(t, gts)
			env, _ := inboxSetup(t, d, g.url)
			word := gotosocialtest.Unique("inboxkill")
			parent := gotosocialtest.Post(t, gts, gotosocialtest.Zork, "A post to answer "+word, "")
			comment := gotosocialtest.Post(t, gts, gotosocialtest.Mogul, "@the_mighty_zork where is my order? "+word, parent.ID)
			var id string
			require.True(t, assertEventually(30*time.Second, func() bool {
				_, _, _ = run(t, env, "", "inbox", "sync", "--workspace", "brand")
				for _, m := range inboxList(t, env, "--search", word) {
					if m.RemoteID == comment.ID {
						id = strconv.FormatInt(m.ID, 10)
						return true
					}
				}
				return false
			}), "the comment did not reach the inbox")

			for _, mode := range []string{"before", "after"} {
				text := "Answer killed " + mode + " the call " + word
				g.set(mode)
				cmd := exec.Command(binary, "inbox", "reply", id, "--text", text)
				cmd.Env = append(cmd.Environ(), env...)
				require.NoError(t, cmd.Start())
				select {
				case <-g.reached:
				case <-time.After(30 * time.Second):
					_ = cmd.Process.Kill()
					t.Fatalf("%s: the reply call never came", mode)
				}
				require.NoError(t, cmd.Process.Signal(syscall.SIGKILL))
				_ = cmd.Wait()
				g.set("")
				want := 0
				if mode == "after" {
					want = 1
				}
				require.Len(t, gotosocialtest.RepliesBy(t, gts, gotosocialtest.Zork, comment.ID, "killed "+mode), want, "%s: on the server before the retry", mode)

				out, stderr, err := run(t, env, "", "inbox", "reply", id, "--text", text)
				require.NoError(t, err, stderr)
				got := gotosocialtest.RepliesBy(t, gts, gotosocialtest.Zork, comment.ID, "killed "+mode)
				require.Len(t, got, 1, "%s: exactly one reply on the server", mode)
				require.Equal(t, got[0].URL, strings.TrimSpace(out))
			}
		})
	}
}
