package network

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// RateLimit is a network's rate-limit report, normalised.
type RateLimit struct {
	Limit     int
	Remaining int
	// Reset is when the window resets (zero when unknown).
	Reset time.Time
}

// Known reports whether the headers carried any rate-limit information.
func (r RateLimit) Known() bool { return r.Limit > 0 || r.Remaining > 0 || !r.Reset.IsZero() }

// ParseRateLimit normalises rate-limit headers: X-RateLimit-* (Mastodon, ISO 8601
// or unix reset), ratelimit-* (Bluesky, unix seconds), x-rate-limit-* (X, unix
// seconds), and Retry-After (seconds or an HTTP date). now anchors relative values.
func ParseRateLimit(h http.Header, now time.Time) RateLimit {
	var r RateLimit
	for _, prefix := range []string{"X-RateLimit-", "RateLimit-", "X-Rate-Limit-"} {
		if v := h.Get(prefix + "Limit"); v != "" {
			r.Limit = atoiPrefix(v)
		}
		if v := h.Get(prefix + "Remaining"); v != "" {
			r.Remaining = atoiPrefix(v)
		}
		if v := h.Get(prefix + "Reset"); v != "" {
			r.Reset = parseReset(v, now)
		}
	}
	if v := h.Get("Retry-After"); v != "" {
		if t := ParseRetryAfter(v, now); !t.IsZero() && t.After(r.Reset) {
			r.Reset = t
		}
	}
	return r
}

// ParseRetryAfter reads a Retry-After value (delay seconds or HTTP date).
func ParseRetryAfter(v string, now time.Time) time.Time {
	v = strings.TrimSpace(v)
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return now.Add(time.Duration(n) * time.Second)
	}
	if t, err := http.ParseTime(v); err == nil {
		return t
	}
	return time.Time{}
}

// RetryAfterSeconds turns a "retry after N seconds" body value (Telegram's
// parameters.retry_after) into a reset time.
func RetryAfterSeconds(n int, now time.Time) time.Time {
	if n <= 0 {
		return time.Time{}
	}
	return now.Add(time.Duration(n) * time.Second)
}

func parseReset(v string, now time.Time) time.Time {
	v = strings.TrimSpace(v)
	if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
		return t
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		// Unix seconds when large, otherwise seconds from now (IETF draft style).
		if n > 1_000_000_000 {
			return time.Unix(n, 0)
		}
		return now.Add(time.Duration(n) * time.Second)
	}
	if f, err := strconv.ParseFloat(v, 64); err == nil && f > 1_000_000_000 {
		return time.Unix(0, int64(f*1e9))
	}
	return time.Time{}
}

func atoiPrefix(v string) int {
	// Some servers send "30;w=300" in limit headers.
	if i := strings.IndexAny(v, ";, "); i >= 0 {
		v = v[:i]
	}
	n, _ := strconv.Atoi(strings.TrimSpace(v))
	return n
}
