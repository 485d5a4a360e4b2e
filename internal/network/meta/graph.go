package meta

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/relais/relais/internal/network"
)

// client calls one Graph API (Facebook, Instagram or Threads) with one token.
type client struct {
	env network.Env
	// kind is the network errors are reported for.
	kind network.Kind
	// base is the API root with its version ("https://graph.facebook.com/v25.0").
	base  string
	token string
	// usage is the last rate-limit report, shared by the connector's calls.
	usage *usageState
}

// usageState keeps the latest normalised usage so that a spent budget is not
// spent further: calls wait for Meta's estimated time to regain access.
type usageState struct {
	mu   sync.Mutex
	last network.RateLimit
}

func (u *usageState) set(r network.RateLimit) {
	if u == nil || !r.Known() {
		return
	}
	u.mu.Lock()
	u.last = r
	u.mu.Unlock()
}

// blocked returns the time access comes back when the budget is spent.
func (u *usageState) blocked(now time.Time) time.Time {
	if u == nil {
		return time.Time{}
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.last.Remaining <= 0 && u.last.Limit > 0 && u.last.Reset.After(now) {
		return u.last.Reset
	}
	return time.Time{}
}

// RateLimit returns the latest usage report (zero when none came yet).
func (u *usageState) RateLimit() network.RateLimit {
	if u == nil {
		return network.RateLimit{}
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.last
}

// get reads path with query parameters into out.
func (c client) get(ctx context.Context, path string, q url.Values, out any) error {
	return c.do(ctx, http.MethodGet, path, q, out)
}

// post sends form parameters to path.
func (c client) post(ctx context.Context, path string, form url.Values, out any) error {
	return c.do(ctx, http.MethodPost, path, form, out)
}

// del deletes the node at path.
func (c client) del(ctx context.Context, path string) error {
	return c.do(ctx, http.MethodDelete, path, nil, nil)
}

// upload POSTs to an absolute upload URL (rupload.facebook.com) with the
// token as "OAuth <token>" and the given headers, and no body.
func (c client) upload(ctx context.Context, target string, h http.Header) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, nil)
	if err != nil {
		return fmt.Errorf("%s: build upload request: %w", c.kind, err)
	}
	for k, v := range h {
		req.Header[k] = v
	}
	req.Header.Set("Authorization", "OAuth "+c.token)
	_, err = c.send(req, c.env.Clock())
	return err
}

// remove deletes a post or a comment; one already gone counts as deleted.
func (c client) remove(ctx context.Context, id string) error {
	err := c.del(ctx, id)
	if errors.Is(err, network.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("%s: delete %s: %w", c.kind, id, err)
	}
	return nil
}

// setFlag posts one boolean parameter to path (hiding a comment).
func (c client) setFlag(ctx context.Context, path, param string, v bool) error {
	if err := c.post(ctx, path, url.Values{param: {strconv.FormatBool(v)}}, nil); err != nil {
		return fmt.Errorf("%s: %s %s: %w", c.kind, param, path, err)
	}
	return nil
}

func (c client) do(ctx context.Context, method, path string, params url.Values, out any) error {
	now := c.env.Clock()
	if until := c.usage.blocked(now); !until.IsZero() {
		return &network.Error{Class: network.Retryable, Network: c.kind, Status: http.StatusTooManyRequests, Code: "usage",
			Message: fmt.Sprintf("%s's call budget is spent; access comes back around %s", c.name(), until.UTC().Format(time.RFC3339)), RetryAfter: until}
	}
	target := c.base + "/" + strings.TrimLeft(path, "/")
	var body *strings.Reader
	if params == nil {
		params = url.Values{}
	}
	var req *http.Request
	var err error
	if method == http.MethodPost {
		body = strings.NewReader(params.Encode())
		req, err = http.NewRequestWithContext(ctx, method, target, body)
		if err == nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
	} else {
		if len(params) > 0 {
			target += "?" + params.Encode()
		}
		req, err = http.NewRequestWithContext(ctx, method, target, nil)
	}
	if err != nil {
		return fmt.Errorf("%s: build request: %w", c.kind, err)
	}
	if c.token != "" {
		// The header keeps the token out of URLs, logs and error messages.
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	raw, err := c.send(req, now)
	if err != nil || out == nil {
		return err
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return &network.Error{Class: network.Unknown, Network: c.kind, Message: "unreadable answer from " + c.name(), Err: err}
	}
	return nil
}

// send makes the call, keeps the usage it reports and maps a Graph error.
func (c client) send(req *http.Request, now time.Time) ([]byte, error) {
	resp, err := c.env.Client().Do(req)
	if err != nil {
		return nil, network.TransportError(c.kind, err)
	}
	raw, err := network.ReadBody(resp)
	if err != nil {
		return nil, network.TransportError(c.kind, err)
	}
	rl := ParseUsage(resp.Header, now)
	c.usage.set(rl)
	if resp.StatusCode >= 300 || hasError(raw) {
		return nil, graphError(c.kind, resp.StatusCode, raw, rl, now)
	}
	return raw, nil
}

func (c client) name() string { return network.DefaultLimits[c.kind].Name }

func hasError(raw []byte) bool {
	var probe struct {
		Error json.RawMessage `json:"error"`
	}
	return json.Unmarshal(raw, &probe) == nil && len(probe.Error) > 0 && string(probe.Error) != "null"
}

// GraphErr is the error object of a Graph API answer.
type GraphErr struct {
	Message     string `json:"message"`
	Type        string `json:"type"`
	Code        int    `json:"code"`
	Subcode     int    `json:"error_subcode"`
	IsTransient bool   `json:"is_transient"`
	UserTitle   string `json:"error_user_title"`
	UserMsg     string `json:"error_user_msg"`
	FBTraceID   string `json:"fbtrace_id"`
}

// throttleCodes are the Graph codes for a spent rate limit: app (4), user
// (17), Pages (32), custom (613) and Business Use Case (80001 Pages, 80002
// Instagram, 80004–80009 and 80014 other products).
var throttleCodes = map[int]bool{4: true, 17: true, 32: true, 613: true, 80001: true, 80002: true, 80004: true, 80005: true, 80006: true, 80008: true, 80009: true, 80014: true}

// graphError maps a Graph error onto relais's classes by code and subcode,
// not HTTP status (networks.md §1.4, §7):
// https://developers.facebook.com/docs/graph-api/guides/error-handling/
func graphError(kind network.Kind, status int, raw []byte, rl network.RateLimit, now time.Time) *network.Error {
	var env struct {
		Error GraphErr `json:"error"`
	}
	_ = json.Unmarshal(raw, &env)
	g := env.Error
	e := &network.Error{Network: kind, Status: status, TraceID: g.FBTraceID, Message: g.Message}
	if g.UserMsg != "" {
		e.Message = strings.TrimSpace(g.UserTitle + " " + g.UserMsg)
	}
	if g.Code != 0 {
		e.Code = fmt.Sprint(g.Code)
		if g.Subcode != 0 {
			e.Code += "/" + fmt.Sprint(g.Subcode)
		}
	}
	switch {
	case g.Code == 0:
		e.Class = network.ClassForStatus(status)
		if e.Message == "" {
			e.Message = fmt.Sprintf("HTTP %d %s", status, http.StatusText(status))
		}
	case throttleCodes[g.Code]:
		// Throttling answers HTTP 400 or 403; report it as 429 so that
		// errors.Is(err, network.ErrRateLimited) holds.
		e.Class, e.Status = network.Retryable, http.StatusTooManyRequests
		e.RetryAfter = rl.Reset
		if e.RetryAfter.IsZero() {
			e.RetryAfter = now.Add(5 * time.Minute)
		}
	case g.Code == 9 && g.Subcode == 2207042, g.Code == 9:
		// The publishing quota (100 Instagram posts, 250 Threads posts a day): wait.
		e.Class, e.Status = network.Retryable, http.StatusTooManyRequests
		e.RetryAfter = now.Add(time.Hour)
	case g.Code == 10 && g.Subcode == 2018278:
		e.Class = network.Permanent
		e.Message = "Meta allows answering a direct message only within 24 hours of the person's last message"
	case g.Code == 190, g.Code == 102:
		e.Class = network.AuthReconnect
		e.Message = tokenReason(g) + " (" + g.Message + ")"
	case g.Code == 10, g.Code >= 200 && g.Code <= 299:
		e.Class = network.AuthReconnect
		e.Message = "relais lacks a permission for this account; reconnect it and grant every permission asked: " + g.Message
	case g.Code == 1, g.Code == 2, g.IsTransient, status >= 500:
		e.Class = network.Retryable
	case g.Code == 9007:
		// The container is not ready yet (2207027): poll again.
		e.Class = network.Retryable
	case g.Code == 9004, g.Code == 324, g.Code == 351, g.Subcode == 2207052:
		e.Class = network.InvalidContent
		e.Message += " — Meta fetches media itself from relais's public media URL: RELAIS_BASE_URL must be reachable from the internet over HTTPS"
	case g.Code == 100 && g.Subcode == 33:
		// The object does not exist (or the token cannot see it).
		e.Class, e.Status = network.Permanent, http.StatusNotFound
	case g.Code == 100 && g.Subcode == 2207008:
		e.Class = network.Permanent
	case g.Code == 100, g.Code == 110, g.Code == 506, g.Code == 1609005, g.Subcode >= 2207000 && g.Subcode < 2208000:
		e.Class = network.InvalidContent
	case g.Code == 368:
		e.Class = network.Permanent
		e.Message = "Meta blocked this action as abusive: " + g.Message
	default:
		e.Class = network.Permanent
	}
	return e
}

// tokenReason tells a user why a token stopped working (code 190 subcodes).
func tokenReason(g GraphErr) string {
	switch g.Subcode {
	case 463, 467:
		return "the access token expired; reconnect the account"
	case 460:
		return "the password changed or Meta ended the session; reconnect the account"
	case 458:
		return "the app was removed from the account; reconnect it"
	case 459, 464:
		return "the account must log in to Facebook to resolve a checkpoint, then be reconnected"
	}
	return "Meta no longer accepts the access token; reconnect the account"
}

// ParseUsage normalises Meta's usage headers into a RateLimit: the highest
// percentage reported in X-App-Usage, X-Business-Use-Case-Usage (per business
// object and type), X-Ad-Account-Usage and X-Page-Usage becomes the used
// share of a limit of 100, and estimated_time_to_regain_access (minutes) or
// reset_time_duration (seconds) the reset. Throttling starts at 100.
// https://developers.facebook.com/docs/graph-api/overview/rate-limiting/
func ParseUsage(h http.Header, now time.Time) network.RateLimit {
	var pct float64
	var regain time.Duration
	seen := false
	take := func(m map[string]any) {
		for k, v := range m {
			f, ok := v.(float64)
			if !ok {
				continue
			}
			switch k {
			case "call_count", "total_cputime", "total_time", "acc_id_util_pct", "call_volume", "cpu_time":
				seen = true
				pct = max(pct, f)
			case "estimated_time_to_regain_access":
				seen = true
				regain = max(regain, time.Duration(f)*time.Minute)
			case "reset_time_duration":
				seen = true
				regain = max(regain, time.Duration(f)*time.Second)
			}
		}
	}
	for _, name := range []string{"X-App-Usage", "X-Ad-Account-Usage", "X-Page-Usage"} {
		var m map[string]any
		if v := h.Get(name); v != "" && json.Unmarshal([]byte(v), &m) == nil {
			take(m)
		}
	}
	if v := h.Get("X-Business-Use-Case-Usage"); v != "" {
		var buc map[string][]map[string]any
		if json.Unmarshal([]byte(v), &buc) == nil {
			for _, list := range buc {
				for _, m := range list {
					take(m)
				}
			}
		}
	}
	if !seen {
		return network.RateLimit{}
	}
	used := int(pct)
	if used > 100 {
		used = 100
	}
	r := network.RateLimit{Limit: 100, Remaining: 100 - used}
	if regain > 0 {
		r.Reset = now.Add(regain)
	} else if used >= 100 {
		// Meta did not say: the usage windows are one hour.
		r.Reset = now.Add(time.Hour)
	}
	return r
}
