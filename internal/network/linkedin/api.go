package linkedin

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/relais/relais/internal/network"
)

// ErrVersion is matched (errors.Is) by the error LinkedIn gives for a
// LinkedIn-Version it does not serve (never released, or sunset).
var ErrVersion = errors.New("linkedin: API version not served")

// VersionError says which LinkedIn-Version LinkedIn refused and which
// setting changes it; it is permanent (a retry sends the same version).
type VersionError struct {
	Version string
	Err     *network.Error
}

func (e *VersionError) Error() string { return "linkedin: " + e.Err.Message }

// versionError names the refused version and the setting in the error's
// message, which is what the post's attempt log and the UI show.
func versionError(version string, ne *network.Error) *VersionError {
	ne.Message = fmt.Sprintf("LinkedIn does not serve API version %s (the LinkedIn-Version header): set --linkedin-version (RELAIS_LINKEDIN_VERSION) to a current YYYYMM version, see docs/channels.md (LinkedIn said: %s)", version, ne.Message)
	return &VersionError{Version: version, Err: ne}
}

// Unwrap lets network.ClassOf see the permanent class.
func (e *VersionError) Unwrap() error { return e.Err }

// Is matches ErrVersion.
func (e *VersionError) Is(target error) bool { return target == ErrVersion }

// api calls LinkedIn with the channel's token and the version headers.
type api struct {
	app    App
	hc     *http.Client
	now    func() time.Time
	tokens *network.Tokens

	mu   sync.Mutex
	rate network.RateLimit
}

// request is one API call; path is absolute on the API host unless rawURL is set.
type request struct {
	method, path string
	// rawQuery is sent as is (Rest.li List(…) parameters are not form-encoded).
	rawQuery string
	json     any
	// body and contentType send bytes (an upload); rawURL is an upload URL.
	body        []byte
	contentType string
	rawURL      string
}

// answer is a 2xx response.
type answer struct {
	status int
	header http.Header
	body   []byte
}

// RateLimit is the latest normalised limit: LinkedIn reports nothing but a
// 429, so it says Remaining 0 and the Retry-After when one came, until a
// later call succeeds.
func (a *api) RateLimit() network.RateLimit {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.rate
}

// do sends r with the token (renewed when it can be) and decodes JSON into out.
func (a *api) do(ctx context.Context, r request, out any) (answer, error) {
	var ans answer
	err := a.tokens.Do(ctx, func(access string) error {
		var err error
		ans, err = a.send(ctx, r, access)
		return err
	})
	if err != nil {
		return ans, err
	}
	if out != nil && len(ans.body) > 0 {
		if err := json.Unmarshal(ans.body, out); err != nil {
			return ans, &network.Error{Class: network.Unknown, Network: network.LinkedIn, Status: ans.status, Message: "unexpected answer from LinkedIn", Err: err}
		}
	}
	return ans, nil
}

func (a *api) send(ctx context.Context, r request, access string) (answer, error) {
	u := r.rawURL
	if u == "" {
		u = a.app.api() + r.path
		if r.rawQuery != "" {
			u += "?" + r.rawQuery
		}
	}
	body, ctype := r.body, r.contentType
	if r.json != nil {
		b, err := json.Marshal(r.json)
		if err != nil {
			return answer{}, fmt.Errorf("linkedin: encode request: %w", err)
		}
		body, ctype = b, "application/json"
	}
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, r.method, u, rd)
	if err != nil {
		return answer{}, fmt.Errorf("linkedin: build request: %w", err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	req.Header.Set("Authorization", "Bearer "+access)
	if r.rawURL == "" {
		req.Header.Set("LinkedIn-Version", a.app.version())
		req.Header.Set("X-Restli-Protocol-Version", "2.0.0")
	}
	ans, err := a.roundTrip(req)
	if err != nil {
		return ans, err
	}
	if ans.status < 200 || ans.status > 299 {
		ne := apiError(ans.status, ans.header, ans.body, a.now())
		if ne.Code == "NONEXISTENT_VERSION" {
			return ans, versionError(a.app.version(), ne)
		}
		return ans, ne
	}
	return ans, nil
}

func (a *api) roundTrip(req *http.Request) (answer, error) {
	req.Header.Set("Accept", "application/json")
	resp, err := a.hc.Do(req)
	if err != nil {
		return answer{}, network.TransportError(network.LinkedIn, err)
	}
	b, err := network.ReadBody(resp)
	if err != nil {
		return answer{status: resp.StatusCode}, network.TransportError(network.LinkedIn, err)
	}
	a.mu.Lock()
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
		a.rate = network.RateLimit{Remaining: 0, Reset: network.ParseRateLimit(resp.Header, a.now()).Reset}
	case resp.StatusCode < 300:
		a.rate = network.ParseRateLimit(resp.Header, a.now())
	}
	a.mu.Unlock()
	return answer{status: resp.StatusCode, header: resp.Header, body: b}, nil
}

// token posts a grant to /oauth/v2/accessToken with the app's credentials.
func (a *api) token(ctx context.Context, form url.Values) (map[string]string, error) {
	form.Set("client_id", a.app.ClientID)
	form.Set("client_secret", a.app.ClientSecret)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.app.auth()+"/oauth/v2/accessToken", strings.NewReader(form.Encode()))
	if err != nil {
		return nil, fmt.Errorf("linkedin: build token request: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	ans, err := a.roundTrip(req)
	if err != nil {
		return nil, err
	}
	if ans.status != http.StatusOK {
		ne := apiError(ans.status, ans.header, ans.body, a.now())
		if ans.status == http.StatusBadRequest || ans.status == http.StatusUnauthorized {
			ne.Class = network.AuthReconnect
		}
		return nil, ne
	}
	var t struct {
		AccessToken  string `json:"access_token"`
		ExpiresIn    int64  `json:"expires_in"`
		RefreshToken string `json:"refresh_token"`
	}
	if err := json.Unmarshal(ans.body, &t); err != nil || t.AccessToken == "" {
		return nil, &network.Error{Class: network.Retryable, Network: network.LinkedIn, Status: ans.status, Message: "the token endpoint answered without an access token"}
	}
	s := map[string]string{network.SecretAccess: t.AccessToken, network.SecretRefresh: t.RefreshToken}
	if e := network.ExpiresAt(a.now(), t.ExpiresIn); e != "" {
		s[network.SecretExpiresAt] = e
	}
	return s, nil
}

// refresh renews with a refresh token (granted to LinkedIn's approved partners).
func (a *api) refresh(ctx context.Context, rt string) (map[string]string, error) {
	return a.token(ctx, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}})
}

// problem is LinkedIn's error body, or an OAuth error.
type problem struct {
	Status           int    `json:"status"`
	ServiceErrorCode int    `json:"serviceErrorCode"`
	Code             string `json:"code"`
	Message          string `json:"message"`
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description"`
}

// apiError maps a LinkedIn error answer onto the typed classes
// (networks.md 1.4): 401 auth-refresh, 400/422 invalid content (a
// NONEXISTENT_VERSION code, or a 426, is the version error), 403 permanent
// (a permission or product the app lacks), 429 retryable with no reset
// (LinkedIn sends no rate-limit headers; the engine backs off), 5xx
// retryable, the rest permanent. x-li-uuid is kept as the trace id.
func apiError(status int, h http.Header, body []byte, now time.Time) *network.Error {
	var p problem
	_ = json.Unmarshal(body, &p)
	msg, code := p.Message, p.Code
	if msg == "" && p.ErrorDescription != "" {
		msg, code = p.ErrorDescription, p.Error
	}
	if code == "" && p.ServiceErrorCode != 0 {
		code = strconv.Itoa(p.ServiceErrorCode)
	}
	if msg == "" {
		msg = http.StatusText(status)
	}
	if msg == "" {
		msg = fmt.Sprintf("LinkedIn answered HTTP %d", status)
	}
	ne := &network.Error{Network: network.LinkedIn, Status: status, Code: code, Message: msg, TraceID: h.Get("x-li-uuid")}
	switch {
	case status == http.StatusUpgradeRequired || code == "NONEXISTENT_VERSION" || code == "VERSION_MISSING":
		ne.Class, ne.Code = network.Permanent, "NONEXISTENT_VERSION"
	case status == http.StatusUnauthorized:
		ne.Class = network.AuthRefresh
	case status == http.StatusForbidden:
		ne.Class = network.Permanent
	case status == http.StatusTooManyRequests:
		ne.Class = network.Retryable
		ne.RetryAfter = network.ParseRateLimit(h, now).Reset
	default:
		ne.Class = network.ClassForStatus(status)
	}
	return ne
}

// EscapeURN encodes a URN for a path segment or a Rest.li list (LinkedIn
// wants ':' and the parentheses of compound URNs encoded).
func EscapeURN(urn string) string {
	r := strings.NewReplacer(":", "%3A", "(", "%28", ")", "%29", ",", "%2C", " ", "%20", "/", "%2F", "?", "%3F", "#", "%23", "&", "%26", "%", "%25")
	return r.Replace(urn)
}
