package tiktok

import (
	"testing"
	"time"

	"github.com/relais/relais/internal/network"
)

// FuzzAPIError: any answer maps onto a class (or "ok" for a success) and keeps the status.
func FuzzAPIError(f *testing.F) {
	f.Add(200, `{"data":{},"error":{"code":"ok","message":"","log_id":"1"}}`)
	f.Add(429, `{"data":{},"error":{"code":"rate_limit_exceeded","message":"API rate limit was exceeded.","log_id":"2"}}`)
	f.Add(401, `{"error":{"code":"access_token_invalid"}}`)
	f.Add(400, `{"error":"invalid_grant","error_description":"Refresh token is invalid or expired.","log_id":"3"}`)
	f.Add(500, `not json`)
	f.Add(200, `{"error":{"code":"spam_risk_too_many_posts"}}`)
	f.Fuzz(func(t *testing.T, status int, body string) {
		if status < 100 || status > 599 {
			return
		}
		e := apiError(status, []byte(body), time.Unix(1_700_000_000, 0))
		if e.Code == "ok" {
			return
		}
		if e.Class == "" || e.Message == "" || e.Network != network.TikTok || (e.Status != status && e.Code != "rate_limit_exceeded") {
			t.Fatalf("apiError(%d, %q) = %+v", status, body, e)
		}
	})
}

// FuzzChunkPlan: an accepted plan covers the video in chunks TikTok accepts.
func FuzzChunkPlan(f *testing.F) {
	for _, s := range [][2]int{{1, 1}, {5 << 20, 10 << 20}, {11 << 20, 5 << 20}, {4 << 30, 10 << 20}, {64 << 30, 64 << 20}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, size, chunk int) {
		s, n, err := ChunkPlan(size, chunk)
		if err != nil {
			return
		}
		last := size - (n-1)*s
		if n < 1 || n > MaxChunks || last < 0 || last > MaxLastChunk || (n > 1 && (s < MinChunk || s > MaxChunk)) || (n == 1 && size >= MinChunk && last > MaxLastChunk) {
			t.Fatalf("ChunkPlan(%d, %d) = %d × %d, last %d", size, chunk, n, s, last)
		}
		if size >= MinChunk && n != size/s {
			t.Fatalf("ChunkPlan(%d, %d): count %d is not size/chunk %d", size, chunk, n, size/s)
		}
	})
}
