package meta

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/relais/relais/internal/network"
)

// Container states (Instagram status_code, Threads status).
const (
	StatusInProgress = "IN_PROGRESS"
	StatusFinished   = "FINISHED"
	StatusError      = "ERROR"
	StatusExpired    = "EXPIRED"
	StatusPublished  = "PUBLISHED"
)

// graphTime is the layout of Graph timestamps ("2026-12-06T13:53:19+0000").
const graphTime = "2006-01-02T15:04:05-0700"

// containerRecord is what is known of one publish step: the container made
// for it and, once out, the media it became.
type containerRecord struct {
	container, media string
}

// containerLog remembers containers by publication key, so that a retry
// resumes the container it made instead of making (and publishing) another:
// in memory, and durably through the host's checkpoints when it has them
// (network.Env.Checkpoint), so a retry after a crash resumes it too.
type containerLog struct {
	env  network.Env
	kind network.Kind
	mu   sync.Mutex
	m    map[string]containerRecord
}

// get returns what is recorded under key (zero: nothing).
func (l *containerLog) get(ctx context.Context, key string) (containerRecord, error) {
	if key == "" {
		return containerRecord{}, nil
	}
	l.mu.Lock()
	r, ok := l.m[key]
	l.mu.Unlock()
	if ok || l.env.Checkpoint == nil {
		return r, nil
	}
	v, err := l.env.Checkpoint(ctx, "container:"+key)
	if err != nil {
		return r, &network.Error{Class: network.Retryable, Network: l.kind, Message: "could not read the publication's checkpoint", Err: err}
	}
	r.container, r.media, _ = strings.Cut(v, "|")
	return r, nil
}

// set records r under key; a failure to record a new container stops the
// publish (it would not be resumed after a crash).
func (l *containerLog) set(ctx context.Context, key string, r containerRecord) error {
	if key == "" {
		return nil
	}
	l.mu.Lock()
	if l.m == nil {
		l.m = map[string]containerRecord{}
	}
	l.m[key] = r
	l.mu.Unlock()
	if l.env.SetCheckpoint == nil {
		return nil
	}
	if err := l.env.SetCheckpoint(ctx, "container:"+key, r.container+"|"+r.media); err != nil {
		return &network.Error{Class: network.Retryable, Network: l.kind, Message: "could not record the container", Err: err}
	}
	return nil
}

// flow runs Instagram's and Threads's container → status → publish steps.
type flow struct {
	c client
	// account is the Instagram or Threads user id.
	account string
	// createEdge, publishEdge and statusField differ between the two APIs.
	createEdge, publishEdge, statusField string
	// textField is the caption field of a published media ("caption", "text").
	textField string
	// listEdge lists the account's recent media ("media", "threads").
	listEdge  string
	pollEvery time.Duration
	maxPolls  int
	log       *containerLog
}

// step is one publish: how to make its container, and what identifies the
// media once out (its text, published after since, under parent when it is a reply).
type step struct {
	key    string
	make   func(ctx context.Context) (string, error)
	text   string
	since  time.Time
	parent string
	// findable is false when the published media cannot be recognised (stories have no caption).
	findable bool
}

// run publishes one step exactly once: a recorded media is returned as is;
// a recorded container is resumed (a PUBLISHED one is looked up among the
// account's recent media); otherwise the recent media are searched for this
// text first, so a publish that succeeded before a crash is not repeated.
func (f flow) run(ctx context.Context, s step) (string, error) {
	rec, err := f.log.get(ctx, s.key)
	if err != nil {
		return "", err
	}
	if rec.media != "" {
		return rec.media, nil
	}
	if rec.container != "" {
		status, err := f.status(ctx, rec.container)
		if err != nil {
			return "", err
		}
		switch status {
		case StatusPublished:
			if id, err := f.find(ctx, s); err != nil || id != "" {
				if id != "" {
					_ = f.log.set(ctx, s.key, containerRecord{container: rec.container, media: id})
				}
				return id, err
			}
			return "", &network.Error{Class: network.Permanent, Network: f.c.kind,
				Message: fmt.Sprintf("container %s was published, but its media cannot be found among the account's recent posts", rec.container)}
		case StatusInProgress, StatusFinished:
			return f.publish(ctx, s, rec.container)
		}
		// ERROR or EXPIRED: make a new container.
	} else if s.findable && !s.since.IsZero() {
		if id, err := f.find(ctx, s); err != nil || id != "" {
			if id != "" {
				_ = f.log.set(ctx, s.key, containerRecord{media: id})
			}
			return id, err
		}
	}
	id, err := s.make(ctx)
	if err != nil {
		return "", err
	}
	if err := f.log.set(ctx, s.key, containerRecord{container: id}); err != nil {
		return "", err
	}
	return f.publish(ctx, s, id)
}

// publish waits for the container to be FINISHED and publishes it.
func (f flow) publish(ctx context.Context, s step, container string) (string, error) {
	if err := f.wait(ctx, container); err != nil {
		return "", err
	}
	var out struct {
		ID string `json:"id"`
	}
	if err := f.c.post(ctx, f.account+"/"+f.publishEdge, url.Values{"creation_id": {container}}, &out); err != nil {
		return "", err
	}
	if out.ID == "" {
		return "", &network.Error{Class: network.Unknown, Network: f.c.kind, Message: "publish answered without a media id"}
	}
	// The media is out: a failure to record it is covered by the caption lookup.
	_ = f.log.set(ctx, s.key, containerRecord{container: container, media: out.ID})
	return out.ID, nil
}

func (f flow) status(ctx context.Context, id string) (string, error) {
	var st map[string]any
	if err := f.c.get(ctx, id, url.Values{"fields": {f.statusField + ",error_message"}}, &st); err != nil {
		return "", err
	}
	s, _ := st[f.statusField].(string)
	// Instagram's "status" reads "ERROR: …"; status_code is the bare state.
	s, _, _ = strings.Cut(s, ":")
	return strings.TrimSpace(s), nil
}

// wait polls a container until it is FINISHED (networks.md §8: IN_PROGRESS,
// FINISHED, ERROR, EXPIRED after 24 h, PUBLISHED).
func (f flow) wait(ctx context.Context, id string) error {
	for i := 0; ; i++ {
		var st map[string]any
		if err := f.c.get(ctx, id, url.Values{"fields": {f.statusField + ",error_message"}}, &st); err != nil {
			return err
		}
		status, _ := st[f.statusField].(string)
		detail, _ := st["error_message"].(string)
		state, _, _ := strings.Cut(status, ":")
		switch strings.TrimSpace(state) {
		case StatusFinished:
			return nil
		case StatusPublished:
			return &network.Error{Class: network.Permanent, Network: f.c.kind, Message: "container " + id + " is already published"}
		case StatusError:
			if detail == "" {
				detail = status
			}
			return &network.Error{Class: network.InvalidContent, Network: f.c.kind, Code: "container_error",
				Message: fmt.Sprintf("%s could not process the media (%s); Meta fetches it from relais's public media URL, which must be reachable from the internet", f.c.name(), detail)}
		case StatusExpired:
			return &network.Error{Class: network.Retryable, Network: f.c.kind, Code: "container_expired", Message: "container " + id + " expired before it was published (24 hours)"}
		}
		if i >= f.maxPolls {
			return &network.Error{Class: network.Retryable, Network: f.c.kind, Code: "container_in_progress",
				Message: fmt.Sprintf("container %s is still being processed after %d checks", id, f.maxPolls)}
		}
		select {
		case <-ctx.Done():
			return network.TransportError(f.c.kind, ctx.Err())
		case <-time.After(f.pollEvery):
		}
	}
}

// find looks for media of this account with the step's text published since
// s.since (under s.parent for a reply) and returns its id, or "".
func (f flow) find(ctx context.Context, s step) (string, error) {
	path := f.account + "/" + f.listEdge
	if s.parent != "" {
		path = s.parent + "/replies"
	}
	var list struct {
		Data []map[string]any `json:"data"`
	}
	q := url.Values{"fields": {"id," + f.textField + ",timestamp,username"}, "limit": {"25"}}
	if err := f.c.get(ctx, path, q, &list); err != nil {
		if errors.Is(err, network.ErrNotFound) {
			return "", nil
		}
		return "", fmt.Errorf("look for an earlier attempt: %w", err)
	}
	for _, m := range list.Data {
		text, _ := m[f.textField].(string)
		ts, _ := m["timestamp"].(string)
		at, err := time.Parse(graphTime, ts)
		if strings.TrimSpace(text) != strings.TrimSpace(s.text) || err != nil || at.Before(s.since.Add(-time.Minute)) {
			continue
		}
		if id := idString(m["id"]); id != "" {
			return id, nil
		}
	}
	return "", nil
}

// quota reads a publishing limit edge and fails before publishing when it is spent.
func quota(ctx context.Context, c client, path, fields string, replies bool) error {
	var lim struct {
		Data []struct {
			QuotaUsage      int `json:"quota_usage"`
			ReplyQuotaUsage int `json:"reply_quota_usage"`
			Config          struct {
				QuotaTotal    int `json:"quota_total"`
				QuotaDuration int `json:"quota_duration"`
			} `json:"config"`
			ReplyConfig struct {
				QuotaTotal int `json:"quota_total"`
			} `json:"reply_config"`
		} `json:"data"`
	}
	if err := c.get(ctx, path, url.Values{"fields": {fields}}, &lim); err != nil {
		return fmt.Errorf("read the publishing limit: %w", err)
	}
	if len(lim.Data) == 0 {
		return nil
	}
	d := lim.Data[0]
	used, total, what := d.QuotaUsage, d.Config.QuotaTotal, "posts"
	if replies {
		used, total, what = d.ReplyQuotaUsage, d.ReplyConfig.QuotaTotal, "replies"
	}
	if total > 0 && used >= total {
		return &network.Error{Class: network.Retryable, Network: c.kind, Status: 429, Code: "publishing_limit",
			Message:    fmt.Sprintf("%s allows %d %s per 24 hours through the API; this account has used %d", c.name(), total, what, used),
			RetryAfter: c.env.Clock().Add(time.Hour)}
	}
	return nil
}

// mediaAccount is what the Instagram and Threads connectors share: the
// client, the account id, the refreshable token and the container flow.
type mediaAccount struct {
	c client
	// id is the Instagram or Threads user id.
	id string
	// box renews a 60-day token (nil for Page tokens, which do not expire).
	box       *tokenBox
	pollEvery time.Duration
	maxPolls  int
	log       *containerLog
}

// RateLimit is the latest normalised usage Meta reported.
func (a *mediaAccount) RateLimit() network.RateLimit { return a.c.usage.RateLimit() }

// fresh renews the token when due and uses the current one. A renewal
// that fails while the token still works is not an error: the token is used
// until it expires, and TokenExpiry lets the channel show it is expiring.
func (a *mediaAccount) fresh(ctx context.Context) error {
	if a.box == nil {
		return nil
	}
	err := a.box.renew(ctx)
	a.c.token = a.box.token
	if err != nil && (a.box.expires.IsZero() || !a.box.expires.After(a.box.r.env.Clock())) {
		return err
	}
	return nil
}

// TokenExpiry is when the account's token expires (zero: it does not, or unknown).
func (a *mediaAccount) TokenExpiry() time.Time {
	if a.box == nil {
		return time.Time{}
	}
	return a.box.expires
}

// Delete removes a post or a comment; one already gone counts as deleted.
func (a *mediaAccount) Delete(ctx context.Context, remoteID string) error {
	return a.c.remove(ctx, remoteID)
}

// container makes a media container on the account's edge.
func (a *mediaAccount) container(ctx context.Context, edge string, params url.Values) (string, error) {
	var out struct {
		ID string `json:"id"`
	}
	if err := a.c.post(ctx, a.id+"/"+edge, params, &out); err != nil {
		return "", err
	}
	return out.ID, nil
}

// remote builds a RemotePost with the media's permalink.
func (a *mediaAccount) remote(ctx context.Context, id string) network.RemotePost {
	var m struct {
		Permalink string `json:"permalink"`
	}
	_ = a.c.get(ctx, id, url.Values{"fields": {"permalink"}}, &m)
	return network.RemotePost{ID: id, URL: m.Permalink}
}
