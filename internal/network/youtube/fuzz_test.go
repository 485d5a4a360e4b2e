package youtube

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/relais/relais/internal/network"
)

// FuzzAPIError: any error body maps onto a class, keeps the status, and a
// quota refusal always carries the Pacific-midnight reset.
func FuzzAPIError(f *testing.F) {
	f.Add(403, `{"error":{"code":403,"message":"quota","errors":[{"domain":"youtube.quota","reason":"quotaExceeded"}]}}`, "")
	f.Add(400, `{"error":"invalid_grant","error_description":"Token has been expired or revoked."}`, "")
	f.Add(401, `{"error":{"code":401,"status":"UNAUTHENTICATED"}}`, "")
	f.Add(429, `{"error":{"errors":[{"reason":"rateLimitExceeded"}]}}`, "30")
	f.Add(500, `not json`, "x")
	f.Add(403, `{"error":[1,2]}`, "")
	f.Fuzz(func(t *testing.T, status int, body, retry string) {
		if status < 100 || status > 599 {
			return
		}
		now := time.Unix(1_800_000_000, 0)
		e := apiError(status, http.Header{"Retry-After": {retry}}, []byte(body), now)
		if e.Status != status || e.Class == "" || e.Message == "" || e.Network != network.YouTube {
			t.Fatalf("apiError(%d, %q) = %+v", status, body, e)
		}
		if errors.Is(e, ErrQuotaExceeded) && (e.Class != network.Retryable || !e.RetryAfter.Equal(NextReset(now))) {
			t.Fatalf("quota error without its reset: %+v", e)
		}
	})
}

// FuzzNextOffset: a 308's Range never yields a negative offset, and
// "bytes=0-N" yields N+1.
func FuzzNextOffset(f *testing.F) {
	for _, s := range []string{"bytes=0-524287", "", "bytes=0-", "bytes=-5", "garbage", "bytes=0-99999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := nextOffset(http.Header{"Range": {s}})
		if n < 0 {
			t.Fatalf("nextOffset(%q) = %d", s, n)
		}
	})
}

// FuzzParseQuota: an accepted setting has a positive daily budget and
// round-trips through String.
func FuzzParseQuota(f *testing.F) {
	for _, s := range []string{"", "daily=50000", "videos.insert=1600,bucket.videos.insert=0", "a=b", "daily=0", "bucket.search.list=5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := ParseQuota(s)
		if err != nil {
			return
		}
		if q.Daily <= 0 {
			t.Fatalf("ParseQuota(%q) daily %d", s, q.Daily)
		}
		again, err := ParseQuota(q.String())
		if err != nil || again.String() != q.String() {
			t.Fatalf("round trip of %q: %q, %v", s, again.String(), err)
		}
	})
}

// FuzzMetadata: accepted metadata is within YouTube's limits.
func FuzzMetadata(f *testing.F) {
	f.Add("Titre\ncorps", "", "a, b c", "public", "")
	f.Add(strings.Repeat("é", 3000), "<", "", "private", "2030-01-01T00:00:00Z")
	f.Fuzz(func(t *testing.T, text, title, tags, privacy, at string) {
		m, err := Metadata(text, map[string]string{"title": title, "tags": tags, "privacy_status": privacy, "publish_at": at}, time.Unix(1_800_000_000, 0))
		if err != nil {
			if network.ClassOf(err) != network.InvalidContent {
				t.Fatalf("class %v", err)
			}
			return
		}
		if utf8.RuneCountInString(m.Snippet.Title) > MaxTitle || m.Snippet.Title == "" || strings.ContainsAny(m.Snippet.Title, "<>") ||
			len(m.Snippet.Description) > MaxDescription || TagsLength(m.Snippet.Tags) > MaxTags ||
			(m.Status.PublishAt != "" && m.Status.PrivacyStatus != "private") {
			t.Fatalf("accepted out of limits: %+v", m)
		}
	})
}
