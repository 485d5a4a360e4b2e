package meta

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/network/meta/metatest"
)

func TestGraphErrorClasses(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	cases := []struct {
		name        string
		status      int
		body        string
		class       network.Class
		code        string
		rateLimited bool
		notFound    bool
	}{
		{"expired token", 400, `{"error":{"message":"Session has expired","type":"OAuthException","code":190,"error_subcode":463,"fbtrace_id":"Ax1"}}`, network.AuthReconnect, "190/463", false, false},
		{"invalid token", 400, `{"error":{"message":"Invalid OAuth access token","type":"OAuthException","code":190}}`, network.AuthReconnect, "190", false, false},
		{"permission", 403, `{"error":{"message":"(#200) Requires pages_manage_posts","code":200}}`, network.AuthReconnect, "200", false, false},
		{"permission 10", 400, `{"error":{"message":"(#10) Application does not have permission","code":10}}`, network.AuthReconnect, "10", false, false},
		{"bad parameter", 400, `{"error":{"message":"(#100) Invalid parameter","code":100}}`, network.InvalidContent, "100", false, false},
		{"missing object", 400, `{"error":{"message":"Unsupported get request","code":100,"error_subcode":33}}`, network.Permanent, "100/33", false, true},
		{"app throttle", 400, `{"error":{"message":"(#4) Application request limit reached","code":4,"is_transient":true}}`, network.Retryable, "4", true, false},
		{"user throttle", 400, `{"error":{"message":"(#17) User request limit reached","code":17}}`, network.Retryable, "17", true, false},
		{"page throttle", 400, `{"error":{"message":"(#32) Page request limit reached","code":32}}`, network.Retryable, "32", true, false},
		{"custom throttle", 400, `{"error":{"message":"(#613) Calls to this api have exceeded the rate limit.","code":613}}`, network.Retryable, "613", true, false},
		{"pages buc", 400, `{"error":{"message":"(#80001) too many calls","code":80001}}`, network.Retryable, "80001", true, false},
		{"instagram buc", 400, `{"error":{"message":"(#80002) too many calls","code":80002}}`, network.Retryable, "80002", true, false},
		{"publishing quota", 400, `{"error":{"message":"(#9) max posts","code":9,"error_subcode":2207042}}`, network.Retryable, "9/2207042", true, false},
		{"media fetch", 400, `{"error":{"message":"Only photo or video can be accepted","code":9004,"error_subcode":2207052}}`, network.InvalidContent, "9004/2207052", false, false},
		{"not ready", 400, `{"error":{"message":"(#9007) Media ID is not available","code":9007,"error_subcode":2207027}}`, network.Retryable, "9007/2207027", false, false},
		{"instagram content", 400, `{"error":{"message":"The aspect ratio is not supported.","code":36003,"error_subcode":2207009}}`, network.InvalidContent, "36003/2207009", false, false},
		{"blocked", 400, `{"error":{"message":"(#368) blocked","code":368}}`, network.Permanent, "368", false, false},
		{"unknown", 500, `{"error":{"message":"An unknown error occurred","code":1}}`, network.Retryable, "1", false, false},
		{"transient", 503, `{"error":{"message":"Service temporarily unavailable","code":2,"is_transient":true}}`, network.Retryable, "2", false, false},
		{"no body", 502, `bad gateway`, network.Retryable, "", false, false},
	}
	for _, tc := range cases {
		e := graphError(network.Instagram, tc.status, []byte(tc.body), network.RateLimit{}, now)
		require.Equal(t, tc.class, e.Class, tc.name)
		require.Equal(t, tc.code, e.Code, tc.name)
		require.Equal(t, tc.rateLimited, errors.Is(e, network.ErrRateLimited), tc.name)
		require.Equal(t, tc.notFound, errors.Is(e, network.ErrNotFound), tc.name)
		if tc.rateLimited {
			require.True(t, e.RetryAfter.After(now), tc.name)
		}
		require.NotEmpty(t, e.Message, tc.name)
	}
}

func TestParseUsage(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	cases := []struct {
		name    string
		headers map[string]string
		want    network.RateLimit
	}{
		{"none", nil, network.RateLimit{}},
		{"app usage", map[string]string{"X-App-Usage": `{"call_count":28,"total_time":25,"total_cputime":31}`}, network.RateLimit{Limit: 100, Remaining: 69}},
		{"app spent", map[string]string{"X-App-Usage": `{"call_count":100,"total_time":25,"total_cputime":25}`}, network.RateLimit{Limit: 100, Remaining: 0, Reset: now.Add(time.Hour)}},
		{"business use case", map[string]string{"X-Business-Use-Case-Usage": `{"105000000000001":[{"type":"pages","call_count":100,"total_cputime":20,"total_time":20,"estimated_time_to_regain_access":12}]}`},
			network.RateLimit{Limit: 100, Remaining: 0, Reset: now.Add(12 * time.Minute)}},
		{"several objects", map[string]string{"X-Business-Use-Case-Usage": `{"1":[{"type":"pages","call_count":10}],"2":[{"type":"instagram","call_count":1,"total_cputime":64}]}`},
			network.RateLimit{Limit: 100, Remaining: 36}},
		{"ad account", map[string]string{"X-Ad-Account-Usage": `{"acc_id_util_pct":9.67,"reset_time_duration":30,"ads_api_access_tier":"standard_access"}`},
			network.RateLimit{Limit: 100, Remaining: 91, Reset: now.Add(30 * time.Second)}},
		{"over 100", map[string]string{"X-App-Usage": `{"call_count":130}`}, network.RateLimit{Limit: 100, Remaining: 0, Reset: now.Add(time.Hour)}},
		{"garbage", map[string]string{"X-App-Usage": `{"call_count":"lots"`}, network.RateLimit{}},
	}
	for _, tc := range cases {
		h := http.Header{}
		for k, v := range tc.headers {
			h.Set(k, v)
		}
		require.Equal(t, tc.want, ParseUsage(h, now), tc.name)
	}
}

func FuzzParseUsage(f *testing.F) {
	f.Add(`{"call_count":28,"total_time":25,"total_cputime":31}`, `{"1":[{"type":"pages","call_count":100,"estimated_time_to_regain_access":12}]}`)
	f.Add(`{"acc_id_util_pct":9.67}`, `{}`)
	f.Add(`null`, `[]`)
	now := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, app, buc string) {
		h := http.Header{"X-App-Usage": {app}, "X-Business-Use-Case-Usage": {buc}, "X-Ad-Account-Usage": {app}}
		r := ParseUsage(h, now)
		if r.Known() && (r.Limit != 100 || r.Remaining < 0 || r.Remaining > 100) {
			t.Fatalf("usage out of range: %+v", r)
		}
		if !r.Reset.IsZero() && r.Reset.Before(now) {
			t.Fatalf("reset in the past: %+v", r)
		}
	})
}

func FuzzGraphError(f *testing.F) {
	f.Add(400, `{"error":{"message":"x","code":190,"error_subcode":463}}`)
	f.Add(500, `not json`)
	f.Add(403, `{"error":{"code":80001}}`)
	f.Fuzz(func(t *testing.T, status int, body string) {
		e := graphError(network.Facebook, status, []byte(body), network.RateLimit{}, time.Now())
		if e.Class == "" {
			t.Fatalf("no class for %d %q", status, body)
		}
	})
}

func TestWebhookSignatureAndChallenge(t *testing.T) {
	t.Parallel()
	b := setup(t, metatest.Options{})
	var mu sync.Mutex
	var got []Change
	hook := httptest.NewServer(WebhookHandler{VerifyToken: "verify-me", Secrets: []string{"", metatest.ThreadsAppSecret, metatest.AppSecret},
		OnChange: func(_ context.Context, c Change) { mu.Lock(); got = append(got, c); mu.Unlock() }})
	t.Cleanup(hook.Close)
	resp, err := http.Get(hook.URL + "?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=1158201444")
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, "1158201444", string(body))
	resp, err = http.Get(hook.URL + "?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1")
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusForbidden, resp.StatusCode)
	payload := map[string]any{"object": "instagram", "entry": []map[string]any{{"id": b.srv.IGUserID, "time": 1, "changes": []map[string]any{
		{"field": "comments", "value": map[string]any{"id": "1799", "text": "hello", "media": map[string]string{"id": "1790"}}}}}}}
	resp, err = b.srv.Deliver(context.Background(), hook.URL, metatest.AppSecret, payload)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, 200, resp.StatusCode)
	changes := func() []Change { mu.Lock(); defer mu.Unlock(); return append([]Change(nil), got...) }
	seen := changes()
	require.Len(t, seen, 1)
	require.Equal(t, network.Instagram, seen[0].Kind())
	require.Equal(t, "comments", seen[0].Field)
	require.Equal(t, b.srv.IGUserID, seen[0].AccountID)
	var v struct {
		Text string `json:"text"`
	}
	require.NoError(t, json.Unmarshal(seen[0].Value, &v))
	require.Equal(t, "hello", v.Text)

	// Signed with another secret: refused.
	resp, err = b.srv.Deliver(context.Background(), hook.URL, "not-the-secret", payload)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusForbidden, resp.StatusCode)
	require.Len(t, changes(), 1, "an unsigned delivery reaches nobody")

	for _, tc := range []struct {
		q  url.Values
		ok bool
	}{
		{url.Values{"hub.mode": {"subscribe"}, "hub.verify_token": {"verify-me"}, "hub.challenge": {"1158201444"}}, true},
		{url.Values{"hub.mode": {"subscribe"}, "hub.verify_token": {"guess"}, "hub.challenge": {"1"}}, false},
		{url.Values{"hub.mode": {"unsubscribe"}, "hub.verify_token": {"verify-me"}, "hub.challenge": {"1"}}, false},
		{url.Values{"hub.mode": {"subscribe"}, "hub.verify_token": {"verify-me"}}, false},
	} {
		c, err := Challenge(tc.q, "verify-me")
		require.Equal(t, tc.ok, err == nil, tc.q.Encode())
		if tc.ok {
			require.Equal(t, tc.q.Get("hub.challenge"), c)
		}
	}
	require.ErrorIs(t, VerifySignature("s", []byte("{}"), "sha1=abc"), ErrBadSignature)
	require.ErrorIs(t, VerifySignature("s", []byte("{}"), "sha256=zz"), ErrBadSignature)
}
