package meta

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/valid"
)

// Permissions relais asks for, per login (networks.md §7–9). Each needs App
// Review (Advanced Access) before people without a role on the app can grant it.
var (
	// FacebookScopes covers Page publishing, comments and insights.
	FacebookScopes = []string{"pages_show_list", "pages_manage_posts", "pages_read_engagement", "pages_read_user_engagement", "pages_manage_engagement", "read_insights", "publish_video", "pages_messaging", "business_management"}
	// InstagramFacebookScopes covers Instagram accounts linked to Pages (Facebook Login).
	InstagramFacebookScopes = []string{"pages_show_list", "pages_read_engagement", "instagram_basic", "instagram_content_publish", "instagram_manage_comments", "instagram_manage_insights", "instagram_manage_messages", "business_management"}
	// InstagramScopes are Instagram Login's (accounts without a Page).
	InstagramScopes = []string{"instagram_business_basic", "instagram_business_content_publish", "instagram_business_manage_comments", "instagram_business_manage_insights", "instagram_business_manage_messages"}
	// ThreadsScopes are the Threads API's.
	ThreadsScopes = []string{"threads_basic", "threads_content_publish", "threads_read_replies", "threads_manage_replies", "threads_manage_insights", "threads_manage_mentions", "threads_keyword_search", "threads_delete"}
)

// tokenLife is how long Instagram Login and Threads long-lived tokens live.
const tokenLife = 60 * 24 * time.Hour

// refreshBefore is how long before expiry a refreshable token is renewed
// (it must be at least 24 hours old; the daily channel check renews it).
const refreshBefore = 30 * 24 * time.Hour

func notConfigured(field, name, env string) error {
	return valid.Errorf(field, "not_configured", "The operator has not configured the %s app (%s); see docs/channels.md", name, env).WithArgs(name, env)
}

type tokenAnswer struct {
	AccessToken string `json:"access_token"`
	ExpiresIn   int64  `json:"expires_in"`
	UserID      any    `json:"user_id"`
	Data        []struct {
		AccessToken string `json:"access_token"`
		UserID      any    `json:"user_id"`
	} `json:"data"`
}

// token returns the access token and user id of either answer shape
// (Instagram Login answers {"data":[{…}]}, the others a flat object).
func (t tokenAnswer) token() (string, string) {
	if t.AccessToken == "" && len(t.Data) > 0 {
		return t.Data[0].AccessToken, idString(t.Data[0].UserID)
	}
	return t.AccessToken, idString(t.UserID)
}

// idString reads an id Meta sends as a number or a string.
func idString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', 0, 64)
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}

// exchangeFailed makes a refused code a permanent error: the user signs in again.
func exchangeFailed(err error) error {
	var ne *network.Error
	if errors.As(err, &ne) && ne.Class != network.Retryable {
		ne.Class = network.Permanent
	}
	return err
}

// expiresAt turns expires_in into a stored RFC 3339 time ("" when unknown).
func expiresAt(now time.Time, in int64) string {
	if in <= 0 {
		return ""
	}
	return now.Add(time.Duration(in) * time.Second).UTC().Format(time.RFC3339)
}

func authorizeURL(base string, q url.Values) string { return base + "?" + q.Encode() }

// facebookUserToken trades a Facebook Login code for a long-lived (60-day) user token.
func facebookUserToken(ctx context.Context, env network.Env, a App, kind network.Kind, redirectURI, code string) (string, error) {
	ep := a.endpoints()
	c := client{env: env, kind: kind, base: ep.Graph + "/" + GraphVersion}
	var short tokenAnswer
	q := url.Values{"client_id": {a.ID}, "client_secret": {a.Secret}, "redirect_uri": {redirectURI}, "code": {code}}
	if err := c.get(ctx, "oauth/access_token", q, &short); err != nil {
		return "", fmt.Errorf("%s: exchange code: %w", kind, exchangeFailed(err))
	}
	return longLivedUserToken(ctx, env, a, kind, short.AccessToken)
}

// longLivedUserToken exchanges a short-lived user token (fb_exchange_token).
func longLivedUserToken(ctx context.Context, env network.Env, a App, kind network.Kind, short string) (string, error) {
	ep := a.endpoints()
	c := client{env: env, kind: kind, base: ep.Graph + "/" + GraphVersion}
	var long tokenAnswer
	q := url.Values{"grant_type": {"fb_exchange_token"}, "client_id": {a.ID}, "client_secret": {a.Secret}, "fb_exchange_token": {short}}
	if err := c.get(ctx, "oauth/access_token", q, &long); err != nil {
		return "", fmt.Errorf("%s: long-lived token: %w", kind, exchangeFailed(err))
	}
	if long.AccessToken == "" {
		return "", fmt.Errorf("%s: Meta answered without a long-lived token", kind)
	}
	return long.AccessToken, nil
}

// facebookDialog is the Facebook Login dialog URL.
func facebookDialog(a App, scopes []string, redirectURI, state string) string {
	return authorizeURL(a.endpoints().Dialog+"/"+GraphVersion+"/dialog/oauth", url.Values{
		"client_id": {a.ID}, "redirect_uri": {redirectURI}, "state": {state}, "response_type": {"code"},
		"scope": {strings.Join(scopes, ",")},
	})
}

// refresher renews a 60-day token (Instagram Login's ig_refresh_token,
// Threads's th_refresh_token) and persists it before use.
type refresher struct {
	env network.Env
	// base is the host without version (https://graph.threads.net).
	base, grant string
	kind        network.Kind
}

// refresh asks for a new token; the old one must be at least 24 hours old.
func (r refresher) refresh(ctx context.Context, tok string) (string, string, error) {
	c := client{env: r.env, kind: r.kind, base: r.base}
	var ans tokenAnswer
	if err := c.get(ctx, "refresh_access_token", url.Values{"grant_type": {r.grant}, "access_token": {tok}}, &ans); err != nil {
		return "", "", fmt.Errorf("%s: refresh token: %w", r.kind, err)
	}
	if ans.AccessToken == "" {
		return "", "", fmt.Errorf("%s: refresh answered without a token", r.kind)
	}
	return ans.AccessToken, expiresAt(r.env.Clock(), ans.ExpiresIn), nil
}

// tokenBox holds a connector's refreshable token.
type tokenBox struct {
	r       refresher
	token   string
	expires time.Time
	// secrets are the channel's stored secrets: SaveSecrets replaces them all.
	secrets map[string]string
}

// due reports whether the token should be renewed now.
func (b *tokenBox) due(now time.Time) bool {
	if b.expires.IsZero() {
		return false
	}
	issued := b.expires.Add(-tokenLife)
	return now.Sub(issued) >= 24*time.Hour && b.expires.Sub(now) < refreshBefore
}

// renew refreshes the token when due, under the channel's lock when the host
// gives one (another instance may have renewed it already), and saves it.
func (b *tokenBox) renew(ctx context.Context) error {
	env := b.r.env
	now := env.Clock()
	if !b.due(now) {
		return nil
	}
	if !b.expires.After(now) {
		return &network.Error{Class: network.AuthReconnect, Network: b.r.kind,
			Message: fmt.Sprintf("the access token expired on %s; reconnect the account", b.expires.UTC().Format("2006-01-02"))}
	}
	if env.RefreshLocked != nil {
		return env.RefreshLocked(ctx, func(cur map[string]string) (map[string]string, error) {
			if t := cur["access_token"]; t != "" && t != b.token {
				b.token, b.expires = t, parseTime(cur["expires_at"])
				if !b.due(now) {
					return nil, nil
				}
			}
			tok, exp, err := b.r.refresh(ctx, b.token)
			if err != nil {
				return nil, err
			}
			b.token, b.expires = tok, parseTime(exp)
			next := map[string]string{}
			for k, v := range cur {
				next[k] = v
			}
			next["access_token"], next["expires_at"] = tok, exp
			b.secrets = next
			return next, nil
		})
	}
	tok, exp, err := b.r.refresh(ctx, b.token)
	if err != nil {
		return err
	}
	next := map[string]string{}
	for k, v := range b.secrets {
		next[k] = v
	}
	next["access_token"], next["expires_at"] = tok, exp
	if env.SaveSecrets != nil {
		if err := env.SaveSecrets(ctx, next); err != nil {
			return fmt.Errorf("%s: save refreshed token: %w", b.r.kind, err)
		}
	}
	b.token, b.expires, b.secrets = tok, parseTime(exp), next
	return nil
}

func parseTime(s string) time.Time {
	t, _ := time.Parse(time.RFC3339, s)
	return t
}
