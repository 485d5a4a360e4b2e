package youtube

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/relais/relais/internal/network"
)

// QuotaConfig is a Google Cloud project's YouTube Data API quota: a daily
// budget of units shared by every method, separate daily buckets counted in
// calls for the methods that have one (videos.insert and search.list since
// 2025), and the cost of each method. Google changes these on its own
// schedule, so they are configuration (--youtube-quota), not constants.
type QuotaConfig struct {
	// Daily is the units per day for the methods without a bucket (0: 10,000).
	Daily int
	// Buckets are the methods with their own daily bucket, in calls per day.
	Buckets map[string]int
	// Costs are the units each call costs (a method not listed costs 1).
	Costs map[string]int
}

// DefaultQuota is the default allocation and cost table of the YouTube Data
// API (developers.google.com/youtube/v3/determine_quota_cost, read 2026-12):
// 10,000 units a day, videos.insert and search.list in buckets of 100 calls
// a day at 1 per call, list calls 1, writes 50.
func DefaultQuota() QuotaConfig {
	return QuotaConfig{
		Daily:   10_000,
		Buckets: map[string]int{"videos.insert": 100, "search.list": 100},
		Costs: map[string]int{
			"videos.insert": 1, "search.list": 1,
			"videos.list": 1, "videos.update": 50, "videos.delete": 50,
			"channels.list": 1, "commentThreads.list": 1, "commentThreads.insert": 50,
			"comments.list": 1, "comments.insert": 50, "comments.setModerationStatus": 50,
			"thumbnails.set": 50, "playlistItems.insert": 50, "playlistItems.list": 1, "playlists.list": 1,
		},
	}
}

// ParseQuota reads the --youtube-quota setting over the defaults:
// comma-separated "daily=N", "bucket.METHOD=N" (calls a day in the
// method's own bucket; 0 removes the bucket) and "METHOD=N" (units per
// call), e.g. "daily=50000,videos.insert=1600,bucket.videos.insert=0" for
// the pre-2025 table.
func ParseQuota(s string) (QuotaConfig, error) {
	q := DefaultQuota()
	for _, item := range strings.Split(s, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		k, v, ok := strings.Cut(item, "=")
		k = strings.TrimSpace(k)
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if !ok || err != nil || n < 0 || k == "" {
			return QuotaConfig{}, fmt.Errorf("youtube quota: %q is not NAME=UNITS with a whole number ≥ 0", item)
		}
		switch {
		case k == "daily":
			if n == 0 {
				return QuotaConfig{}, errors.New("youtube quota: daily must be more than 0")
			}
			q.Daily = n
		case strings.HasPrefix(k, "bucket."):
			m := strings.TrimPrefix(k, "bucket.")
			if n == 0 {
				delete(q.Buckets, m)
			} else {
				q.Buckets[m] = n
			}
		default:
			q.Costs[k] = n
		}
	}
	return q, nil
}

// String writes the configuration back in ParseQuota's syntax.
func (q QuotaConfig) String() string {
	parts := []string{"daily=" + strconv.Itoa(q.Daily)}
	for m, n := range q.Buckets {
		parts = append(parts, "bucket."+m+"="+strconv.Itoa(n))
	}
	for m := range DefaultQuota().Buckets {
		if _, ok := q.Buckets[m]; !ok {
			parts = append(parts, "bucket."+m+"=0")
		}
	}
	for m, n := range q.Costs {
		parts = append(parts, m+"="+strconv.Itoa(n))
	}
	sort.Strings(parts[1:])
	return strings.Join(parts, ",")
}

// cost is what one call of method costs.
func (q QuotaConfig) cost(method string) int {
	if c, ok := q.Costs[method]; ok {
		return c
	}
	return 1
}

// ErrQuotaExceeded is matched (errors.Is) by every quota refusal: ours,
// counted before the call, and YouTube's 403 quotaExceeded.
var ErrQuotaExceeded = errors.New("youtube: daily quota exceeded")

// pacific is where YouTube's daily quota resets, at midnight.
var pacific = func() *time.Location {
	l, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		return time.FixedZone("PST", -8*3600)
	}
	return l
}()

// NextReset is the next midnight Pacific time after now.
func NextReset(now time.Time) time.Time {
	t := now.In(pacific)
	return time.Date(t.Year(), t.Month(), t.Day()+1, 0, 0, 0, 0, pacific)
}

// Quota counts one project's units and bucket calls for the current
// Pacific day. It is shared by every channel of the same Google client
// (the quota is the project's), and kept in memory: after a restart it
// starts from zero and YouTube's own 403 quotaExceeded is the backstop.
type Quota struct {
	cfg QuotaConfig

	mu      sync.Mutex
	day     time.Time
	units   int
	buckets map[string]int
}

// Usage is a snapshot of a day's use.
type Usage struct {
	Units, Daily int
	Buckets      map[string][2]int // method → {used, limit}
	Reset        time.Time
}

// Take counts method's cost before the call, or refuses with a typed
// quota error naming the method, its cost, what is left and the reset.
func (q *Quota) Take(method string, now time.Time) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.roll(now)
	if limit, ok := q.cfg.Buckets[method]; ok {
		if q.buckets[method] >= limit {
			return quotaError(fmt.Sprintf("the YouTube project's daily %s allowance of %d calls is used up; it resets at midnight Pacific time", method, limit), NextReset(now))
		}
		q.buckets[method]++
		return nil
	}
	c := q.cfg.cost(method)
	if q.units+c > q.cfg.Daily {
		return quotaError(fmt.Sprintf("%s costs %d quota units and only %d of the YouTube project's %d daily units are left; the quota resets at midnight Pacific time", method, c, max(q.cfg.Daily-q.units, 0), q.cfg.Daily), NextReset(now))
	}
	q.units += c
	return nil
}

// Exhaust records YouTube's own quotaExceeded: nothing more is tried today.
func (q *Quota) Exhaust(method string, now time.Time) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.roll(now)
	if limit, ok := q.cfg.Buckets[method]; ok {
		q.buckets[method] = limit
		return
	}
	q.units = q.cfg.Daily
}

// Usage returns the day's use so far.
func (q *Quota) Usage(now time.Time) Usage {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.roll(now)
	u := Usage{Units: q.units, Daily: q.cfg.Daily, Buckets: map[string][2]int{}, Reset: NextReset(now)}
	for m, l := range q.cfg.Buckets {
		u.Buckets[m] = [2]int{q.buckets[m], l}
	}
	return u
}

func (q *Quota) roll(now time.Time) {
	t := now.In(pacific)
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, pacific)
	if !day.Equal(q.day) {
		q.day, q.units, q.buckets = day, 0, map[string]int{}
	}
}

func quotaError(msg string, reset time.Time) *network.Error {
	return &network.Error{Class: network.Retryable, Network: network.YouTube, Code: "quotaExceeded", Message: msg, RetryAfter: reset, Err: ErrQuotaExceeded}
}

var (
	quotasMu sync.Mutex
	quotas   = map[string]*Quota{}
)

// quotaFor returns the shared counter of the app's project.
func quotaFor(a App) *Quota {
	cfg := a.Quota
	if cfg.Daily == 0 {
		cfg = DefaultQuota()
	}
	key := a.ClientID + "|" + a.APIURL + "|" + cfg.String()
	quotasMu.Lock()
	defer quotasMu.Unlock()
	q, ok := quotas[key]
	if !ok {
		q = &Quota{cfg: cfg}
		quotas[key] = q
	}
	return q
}
