package soundcloud

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// FuzzAPIError: any error body maps onto a class and keeps the status.
func FuzzAPIError(f *testing.F) {
	f.Add(401, `{"code":401,"message":"invalid_token","link":"x","status":"401 - Unauthorized","errors":[{"error_message":"invalid_token"}]}`)
	f.Add(422, `{"errors":[{"error_message":"track[title] is missing"}]}`)
	f.Add(429, ``)
	f.Add(500, `<html>`)
	f.Fuzz(func(t *testing.T, status int, body string) {
		if status < 100 || status > 599 {
			return
		}
		e := apiError(status, http.Header{}, []byte(body), time.Unix(1_700_000_000, 0))
		if e.Status != status || e.Class == "" || e.Message == "" || e.Network != Kind {
			t.Fatalf("apiError(%d, %q) = %+v", status, body, e)
		}
	})
}

// FuzzParseRef: an accepted reference round-trips through CommentRef.
func FuzzParseRef(f *testing.F) {
	for _, s := range []string{"1", "1:2:3", "1:2", "a:b:c", "", "12:34:65000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		track, pos, ok := ParseRef(s)
		if !ok {
			return
		}
		n, err := strconv.ParseInt(track, 10, 64)
		if err != nil || strings.Trim(track, "0123456789") != "" {
			return // a too-large id is passed on as text
		}
		if t2, p2, ok := ParseRef(CommentRef(n, 7, pos)); !ok || t2 != strconv.FormatInt(n, 10) || p2 != pos {
			t.Fatalf("round trip of %q: %q %d %v", s, t2, p2, ok)
		}
	})
}

// FuzzTagList: tags never contain an unbalanced quote and keep their words.
func FuzzTagList(f *testing.F) {
	for _, s := range []string{"a, b c,#d", `"x"`, ",,,", "  spaced   out  "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := TagList(s)
		if strings.Count(out, `"`)%2 != 0 {
			t.Fatalf("TagList(%q) = %q", s, out)
		}
	})
}
