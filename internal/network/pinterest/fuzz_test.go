package pinterest

import (
	"net/http"
	"testing"
	"time"

	"github.com/relais/relais/internal/network"
)

// FuzzAPIError: any error body maps onto a class and keeps the status.
func FuzzAPIError(f *testing.F) {
	f.Add(429, `{"code":8,"message":"You have exceeded your rate limit. Try again later."}`, "")
	f.Add(400, `{"code":1,"message":"Invalid request body"}`, "")
	f.Add(401, `{"code":2,"message":"Authentication failed."}`, "")
	f.Add(400, `{"error":"invalid_grant","error_description":"bad"}`, "")
	f.Add(500, `<html>`, "30")
	f.Add(404, `{"code":"x y","message":""}`, "")
	f.Fuzz(func(t *testing.T, status int, body, retry string) {
		if status < 100 || status > 599 {
			return
		}
		e := apiError(status, http.Header{"Retry-After": {retry}}, []byte(body), time.Unix(1_700_000_000, 0))
		if e.Status != status || e.Class == "" || e.Message == "" || e.Network != network.Pinterest || len(e.Code) > 64 {
			t.Fatalf("apiError(%d, %q) = %+v", status, body, e)
		}
	})
}

// FuzzChoices: accepted options name a board without separators and a short title.
func FuzzChoices(f *testing.F) {
	f.Add("549755885175/5027629787972154693", "Tarte", "0")
	f.Add("", "", "")
	f.Add("a/b/c", "x", "1.5")
	f.Fuzz(func(t *testing.T, board, title, cover string) {
		c, err := choices(map[string]string{"board": board, "title": title, "cover_frame_seconds": cover})
		if err != nil {
			return
		}
		if c.board == "" || len([]rune(c.title)) > MaxTitle || c.coverSeconds < 0 {
			t.Fatalf("choices(%q, %q, %q) = %+v", board, title, cover, c)
		}
	})
}
