// Package gotosocialtest gives tests the real GoToSocial server that
// scripts/test starts (tools/gotosocial/run.sh): its URL, its ready accounts
// and a few calls to act as another account (reply, favourite, boost).
//
// The server keeps its state in memory for the whole test run and is shared by
// every package, so a test must look for what it made itself (its own status
// ids, a unique word in its texts) and never assume a count of the server's
// notifications or statuses.
package gotosocialtest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"
)

// Account is one of the test server's ready accounts.
type Account struct {
	ID, Username, Token string
}

// The accounts of GoToSocial's test data (see its README beside the server).
var (
	// Zork is the brand account a test connects as a channel.
	Zork = Account{ID: "01F8MH1H7YV1Z7D2C8K2730QBF", Username: "the_mighty_zork", Token: "NZAZOTC0OWITMDU0NC0ZODG4LWE4NJITMWUXM2M4MTRHZDEX"}
	// Mogul is a follower who comments, favourites and boosts.
	Mogul = Account{ID: "01JPCMD83Y4WR901094YES3QC5", Username: "media_mogul", Token: "01JPCMK0YQ24FFVZ98PYZGJCC901JPCMK32ZKZMM737HGSWMW"}
	// Admin is another account, the instance's admin.
	Admin = Account{ID: "01F8MH17FWEB39HZJ76B6VXSKF", Username: "admin", Token: "AININALKNENFNF98717NAMG4LWE4NJITMWUXM2M4MTRHZDEX"}
)

// EnvURL is the environment variable that carries the server's URL.
const EnvURL = "RELAIS_TEST_GOTOSOCIAL_URL"

// URL returns the server's base URL ("http://127.0.0.1:18080"). Outside CI a
// test without the server is skipped; in CI (CI set) it fails, so the real
// server can never be silently left out.
func URL(t testing.TB) string {
	t.Helper()
	u := os.Getenv(EnvURL)
	if u == "" {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is not set: scripts/test starts the GoToSocial test server", EnvURL)
		}
		t.Skipf("%s is not set (scripts/test starts the GoToSocial test server)", EnvURL)
	}
	return strings.TrimRight(u, "/")
}

// Status is the part of a Mastodon status the tests read.
type Status struct {
	ID          string `json:"id"`
	URL         string `json:"url"`
	URI         string `json:"uri"`
	Content     string `json:"content"`
	Language    string `json:"language"`
	InReplyToID string `json:"in_reply_to_id"`
	Favourites  int64  `json:"favourites_count"`
	Reblogs     int64  `json:"reblogs_count"`
	Replies     int64  `json:"replies_count"`
	Account     struct {
		ID       string `json:"id"`
		Username string `json:"username"`
		Acct     string `json:"acct"`
	} `json:"account"`
}

// Post makes a status as the account (a reply when inReplyTo is not empty).
func Post(t testing.TB, base string, as Account, text, inReplyTo string) Status {
	t.Helper()
	form := url.Values{"status": {text}}
	if inReplyTo != "" {
		form.Set("in_reply_to_id", inReplyTo)
	}
	var st Status
	Call(t, base, as, http.MethodPost, "/api/v1/statuses", form, &st)
	return st
}

// Favourite favourites a status as the account.
func Favourite(t testing.TB, base string, as Account, statusID string) {
	t.Helper()
	Call(t, base, as, http.MethodPost, "/api/v1/statuses/"+statusID+"/favourite", nil, nil)
}

// Boost reblogs a status as the account.
func Boost(t testing.TB, base string, as Account, statusID string) {
	t.Helper()
	Call(t, base, as, http.MethodPost, "/api/v1/statuses/"+statusID+"/reblog", nil, nil)
}

// GetStatus reads a status as the account.
func GetStatus(t testing.TB, base string, as Account, statusID string) Status {
	t.Helper()
	var st Status
	Call(t, base, as, http.MethodGet, "/api/v1/statuses/"+statusID, nil, &st)
	return st
}

// RepliesBy lists the direct replies of the account by to a status whose
// content contains word (the conversation as the server has it).
func RepliesBy(t testing.TB, base string, by Account, statusID, word string) []Status {
	t.Helper()
	var ctxResp struct {
		Descendants []Status `json:"descendants"`
	}
	Call(t, base, by, http.MethodGet, "/api/v1/statuses/"+statusID+"/context", nil, &ctxResp)
	var out []Status
	for _, s := range ctxResp.Descendants {
		if s.Account.ID == by.ID && s.InReplyToID == statusID && strings.Contains(s.Content, word) {
			out = append(out, s)
		}
	}
	return out
}

// Call makes one API call as the account and decodes the JSON answer into
// out (when not nil); a status other than 200 fails the test.
func Call(t testing.TB, base string, as Account, method, path string, form url.Values, out any) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(ctx, method, base+path, body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+as.Token)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("gotosocial %s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("gotosocial %s %s: %s: %s", method, path, resp.Status, b)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("gotosocial %s %s: %v in %s", method, path, err, b)
		}
	}
}

// Unique returns a word no other test uses, to find a test's own statuses.
func Unique(prefix string) string {
	return fmt.Sprintf("%s%d", prefix, time.Now().UnixNano())
}
