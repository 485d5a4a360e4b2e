package vimeo

import (
	"net/http"
	"testing"
	"time"

	"github.com/relais/relais/internal/network"
)

// FuzzAPIError: any error body maps onto a class and keeps the status; a
// 429 waits until X-RateLimit-Reset when it is a time.
func FuzzAPIError(f *testing.F) {
	f.Add(429, `{"error":"You have exceeded the rate limit","error_code":9000}`, "2026-12-06T12:15:00+00:00")
	f.Add(400, `{"error":"invalid","developer_message":"x","error_code":2204}`, "")
	f.Add(401, `{"error":"invalid_client","error_description":"bad"}`, "")
	f.Add(503, `<html>`, "soon")
	f.Fuzz(func(t *testing.T, status int, body, reset string) {
		if status < 100 || status > 599 {
			return
		}
		now := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
		e := apiError(status, http.Header{"X-Ratelimit-Reset": {reset}}, []byte(body), now)
		if e.Status != status || e.Class == "" || e.Message == "" || e.Network != network.Vimeo {
			t.Fatalf("apiError(%d, %q) = %+v", status, body, e)
		}
		if status == 429 && e.Class != network.Retryable {
			t.Fatalf("429 not retryable: %+v", e)
		}
	})
}

// FuzzBody: an accepted create body has a title within the limit and a
// valid privacy.
func FuzzBody(f *testing.F) {
	f.Add("Titre\ncorps", "", "anybody", "", "public")
	f.Add("", "x", "password", "", "")
	f.Fuzz(func(t *testing.T, text, title, view, password, embed string) {
		b, name, err := body(text, map[string]string{"title": title, "privacy_view": view, "password": password, "privacy_embed": embed}, 10)
		if err != nil {
			if network.ClassOf(err) != network.InvalidContent {
				t.Fatalf("class of %v", err)
			}
			return
		}
		if name == "" || len([]rune(name)) > MaxTitle {
			t.Fatalf("title %q", name)
		}
		p := b["privacy"].(map[string]any)
		if !contains(Views, p["view"].(string)) || (p["view"] == "password" && b["password"] == "") {
			t.Fatalf("privacy %v", b)
		}
	})
}
