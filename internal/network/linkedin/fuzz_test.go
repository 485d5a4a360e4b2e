package linkedin

import (
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/relais/relais/internal/network"
)

// FuzzAPIError: any error body maps onto a class and keeps the status; a
// version refusal is always the version code.
func FuzzAPIError(f *testing.F) {
	f.Add(403, `{"status":403,"serviceErrorCode":100,"code":"ACCESS_DENIED","message":"Not enough permissions"}`)
	f.Add(426, `{"status":426,"code":"NONEXISTENT_VERSION","message":"Requested version 20240101 is not active"}`)
	f.Add(400, `{"error":"invalid_request","error_description":"bad code"}`)
	f.Add(429, ``)
	f.Add(500, `not json`)
	f.Fuzz(func(t *testing.T, status int, body string) {
		if status < 100 || status > 599 {
			return
		}
		e := apiError(status, http.Header{"Retry-After": {"30"}}, []byte(body), time.Unix(1_700_000_000, 0))
		if e.Status != status || e.Class == "" || e.Message == "" || e.Network != network.LinkedIn {
			t.Fatalf("apiError(%d, %q) = %+v", status, body, e)
		}
		if status == 426 && (e.Code != "NONEXISTENT_VERSION" || e.Class != network.Permanent) {
			t.Fatalf("426 is not the version error: %+v", e)
		}
	})
}

// FuzzEscapeText: escaping round-trips, and leaves no reserved character
// bare except the # of a hashtag.
func FuzzEscapeText(f *testing.F) {
	for _, s := range []string{"", "a (b) [c] {d} <e> *f* _g_ ~h~ |i| @j", `back\slash`, "#tag and # alone", "##", "é#é"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return // JSON sends valid UTF-8 only
		}
		e := EscapeText(s)
		if UnescapeText(e) != s {
			t.Fatalf("round trip of %q: %q → %q", s, e, UnescapeText(e))
		}
		rs := []rune(e)
		for i := 0; i < len(rs); i++ {
			if rs[i] == '\\' {
				i++
				continue
			}
			if strings.ContainsRune(`|{}@[]()<>*_~`, rs[i]) || (rs[i] == '#' && (i+1 >= len(rs) || !isTagStart(rs[i+1]))) {
				t.Fatalf("%q escaped as %q leaves %q bare", s, e, rs[i])
			}
		}
	})
}
