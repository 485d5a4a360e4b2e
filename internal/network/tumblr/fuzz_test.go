package tumblr

import (
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/relais/relais/internal/network"
)

// FuzzAPIError: any error body maps onto a class and keeps the status.
func FuzzAPIError(f *testing.F) {
	f.Add(400, `{"meta":{"status":400,"msg":"Bad Request"},"errors":[{"title":"'content' must be an array'","code":8001}]}`, "3600")
	f.Add(403, `{"meta":{"status":403,"msg":"Forbidden"},"errors":[{"title":"limit","code":8023}]}`, "")
	f.Add(429, `{"meta":{"status":429,"msg":"Limit Exceeded"},"response":[]}`, "60")
	f.Add(401, `{"error":"invalid_grant","error_description":"expired"}`, "")
	f.Add(500, `not json`, "x")
	f.Fuzz(func(t *testing.T, status int, body, reset string) {
		if status < 100 || status > 599 {
			return
		}
		h := http.Header{"X-Ratelimit-Perhour-Reset": {reset}, "X-Ratelimit-Perhour-Remaining": {"0"}}
		now := time.Unix(1_700_000_000, 0)
		e := apiError(status, h, []byte(body), now)
		if e.Status != status || e.Class == "" || e.Message == "" || e.Network != network.Tumblr {
			t.Fatalf("apiError(%d, %q) = %+v", status, body, e)
		}
		if status == 429 && !e.RetryAfter.After(now) {
			t.Fatalf("a 429 without a later retry: %+v", e)
		}
	})
}

// FuzzPostRef: an accepted reference names a blog and a numeric id that
// round-trip through both address forms.
func FuzzPostRef(f *testing.F) {
	for _, s := range []string{"https://www.tumblr.com/staff/123", "https://staff.tumblr.com/post/123/slug", "staff/9", "https://example.com/post/1", "", "/", "a/b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		blog, id, ok := PostRef(s)
		if !ok {
			return
		}
		if blog == "" || id == "" || strings.Trim(id, "0123456789") != "" {
			t.Fatalf("PostRef(%q) = %q %q", s, blog, id)
		}
		for _, again := range []string{"https://www.tumblr.com/" + blog + "/" + id, "https://" + blog + ".tumblr.com/post/" + id} {
			if b2, i2, ok := PostRef(again); !ok || b2 != blog || i2 != id {
				t.Fatalf("round trip of %q via %q: %q %q %v", s, again, b2, i2, ok)
			}
		}
	})
}

// FuzzTextBlocks: every block is a non-empty line of the text, within
// Tumblr's length, and every formatting range lies inside its block.
func FuzzTextBlocks(f *testing.F) {
	for _, s := range []string{"", "hi", "a https://x.y/z b\nc @friend d", "👨‍👨‍👦 https://é.fr", "@a @b\n\n\n@c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		blocks, err := TextBlocks(s, func(name string) string { return "t:" + name })
		if err != nil {
			return
		}
		for _, b := range blocks {
			n := utf8.RuneCountInString(b.Text)
			if n == 0 || n > maxTextBlock || !strings.Contains(s, b.Text) {
				t.Fatalf("block %q of %q", b.Text, s)
			}
			for _, fm := range b.Formatting {
				if fm.Start < 0 || fm.End <= fm.Start || fm.End > n {
					t.Fatalf("formatting %+v out of %q", fm, b.Text)
				}
			}
		}
	})
}
