package gbp

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
	f.Add(400, `{"error":{"code":400,"message":"Request contains an invalid argument.","status":"INVALID_ARGUMENT"}}`)
	f.Add(429, `{"error":{"code":429,"message":"Quota exceeded","status":"RESOURCE_EXHAUSTED"}}`)
	f.Add(400, `{"error":"invalid_grant","error_description":"Token has been expired or revoked."}`)
	f.Add(401, `{"error":{"code":401,"status":"UNAUTHENTICATED"}}`)
	f.Add(502, `<html>bad gateway</html>`)
	f.Fuzz(func(t *testing.T, status int, body string) {
		if status < 100 || status > 599 {
			return
		}
		e := apiError(status, http.Header{"Retry-After": {"5"}}, []byte(body), time.Unix(1_700_000_000, 0))
		if e.Status != status || e.Class == "" || e.Message == "" || e.Network != network.GoogleBusiness {
			t.Fatalf("apiError(%d, %q) = %+v", status, body, e)
		}
		if status == 401 && e.Class != network.AuthRefresh {
			t.Fatalf("401 is %s", e.Class)
		}
	})
}

// FuzzReviewText: a review's message starts with its stars and keeps the
// reviewer's words.
func FuzzReviewText(f *testing.F) {
	for _, r := range []string{"ONE", "FIVE", "STAR_RATING_UNSPECIFIED", ""} {
		f.Add(r, "Très bon accueil")
	}
	f.Fuzz(func(t *testing.T, rating, comment string) {
		if !utf8.ValidString(comment) {
			return
		}
		got := ReviewText(rating, comment)
		if n := Stars(rating); n > 0 && !strings.HasPrefix(got, strings.Repeat("★", n)) {
			t.Fatalf("ReviewText(%q, %q) = %q", rating, comment, got)
		}
		if !strings.Contains(got, strings.TrimSpace(comment)) {
			t.Fatalf("ReviewText(%q, %q) lost the words: %q", rating, comment, got)
		}
	})
}

// FuzzParseWhen: an accepted date is a real calendar date.
func FuzzParseWhen(f *testing.F) {
	for _, s := range []string{"2026-12-24", "2026-12-24 18:00", "2026-02-30", "24/12/2026", "2026-12-24T25:00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, tm, err := parseWhen("event_start", s)
		if err != nil {
			return
		}
		back := time.Date(d.Year, time.Month(d.Month), d.Day, 0, 0, 0, 0, time.UTC)
		if back.Day() != d.Day || int(back.Month()) != d.Month {
			t.Fatalf("%q gave %+v", s, d)
		}
		if tm != nil && (tm.Hours > 23 || tm.Minutes > 59) {
			t.Fatalf("%q gave %+v", s, tm)
		}
	})
}
