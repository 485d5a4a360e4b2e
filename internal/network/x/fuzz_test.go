package x

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/relais/relais/internal/network"
)

// FuzzNormalizeText: normalising is idempotent, a text always matches
// itself, with X's media link and with a leading reply @name.
func FuzzNormalizeText(f *testing.F) {
	for _, s := range []string{"", "hi", "a &amp; b", "see https://example.com/x?y=1 now", "@bob thanks", "  tabs\tand\nnewlines  ", "\x00url", "@"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := NormalizeText(s)
		if NormalizeText(n) != n {
			t.Fatalf("not idempotent: %q → %q → %q", s, n, NormalizeText(n))
		}
		if !SameText(n, n) || !SameText(n, NormalizeText(s+" https://t.co/abc")) {
			t.Fatalf("%q does not match itself", s)
		}
		if !strings.HasPrefix(n, "@") && !SameText(n, NormalizeText("@someone "+s)) {
			t.Fatalf("%q does not match its reply form", s)
		}
	})
}

// FuzzPostID: an accepted id is digits only and round-trips through a post URL.
func FuzzPostID(f *testing.F) {
	for _, s := range []string{"1860000000000000001", "https://x.com/a/status/123?s=20", "https://twitter.com/a/status/9/photo/1", "abc", "", "/status/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, ok := PostID(s)
		if !ok {
			return
		}
		if id == "" || strings.Trim(id, "0123456789") != "" {
			t.Fatalf("PostID(%q) = %q", s, id)
		}
		if again, ok := PostID("https://x.com/u/status/" + id); !ok || again != id {
			t.Fatalf("round trip of %q: %q %v", id, again, ok)
		}
	})
}

// FuzzAPIError: any error body maps onto a class and keeps the status.
func FuzzAPIError(f *testing.F) {
	f.Add(429, `{"errors":[{"code":88,"message":"Rate limit exceeded"}]}`, "1700000000")
	f.Add(400, `{"title":"Invalid Request","detail":"bad","type":"https://api.twitter.com/2/problems/invalid-request","status":400}`, "")
	f.Add(403, `{"detail":"You are not allowed to create a Tweet with duplicate content."}`, "")
	f.Add(400, `{"error":"invalid_request","error_description":"Value passed for the token was invalid."}`, "")
	f.Add(500, `not json`, "x")
	f.Fuzz(func(t *testing.T, status int, body, reset string) {
		if status < 100 || status > 599 {
			return
		}
		h := http.Header{"X-Rate-Limit-Reset": {reset}, "X-User-Limit-24hour-Remaining": {"0"}, "X-User-Limit-24hour-Reset": {reset}}
		e := apiError(status, h, []byte(body), time.Unix(1_700_000_000, 0))
		if e.Status != status || e.Class == "" || e.Message == "" || e.Network != network.X {
			t.Fatalf("apiError(%d, %q) = %+v", status, body, e)
		}
	})
}
