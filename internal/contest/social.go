package contest

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/valid"
)

// "Vote with your Mastodon account": the voter names their instance; relais
// registers an app there once (kept per instance, its secret encrypted),
// sends the voter to the instance's OAuth page, and on the way back reads
// the account (verify_credentials). The identity is the keyed hash of the
// account's acct URI ("acct:user@host"): one vote per account per period,
// like one per mailbox. The state carries the signed ballot.

// SocialCallbackPath is where instances send voters back (one address for every contest).
const SocialCallbackPath = "/contest-oauth/mastodon"

// ErrSocial is returned when the voter's instance refused or failed.
var ErrSocial = errors.New("contest: your instance did not confirm your account")

// SocialVoteRequest is a vote through a Mastodon account, before the instance's consent.
type SocialVoteRequest struct {
	EntryID             int64
	Instance            string
	Challenge, Solution string
	RemoteAddr          string
	UserAgent, Referer  string
}

func (s *Service) httpClient() *http.Client {
	s.httpOnce.Do(func() {
		if s.HTTP == nil {
			s.HTTP = network.NewHTTPClient(network.HTTPOptions{})
		}
	})
	return s.HTTP
}

// instanceURL normalises what a voter typed ("mastodon.social",
// "https://mastodon.social/") to a scheme and host.
func instanceURL(in string) (string, error) {
	in = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(in), "@"))
	if i := strings.LastIndexByte(in, '@'); i >= 0 && !strings.Contains(in, "://") {
		in = in[i+1:] // user@host: the host
	}
	if !strings.Contains(in, "://") {
		in = "https://" + in
	}
	u, err := url.Parse(in)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") || len(in) > 200 {
		return "", valid.Errorf("instance", "invalid", "instance must be the address of your Mastodon server, like mastodon.social")
	}
	return u.Scheme + "://" + strings.ToLower(u.Host), nil
}

// StartSocialVote checks a vote (window, entry, rate limit, proof of work)
// and returns the address of the instance's OAuth page.
func (s *Service) StartSocialVote(ctx context.Context, c store.Contest, r SocialVoteRequest) (string, error) {
	now := s.now()
	e, block, err := s.checkVote(ctx, c, r.EntryID, r.RemoteAddr, now)
	if err != nil {
		return "", err
	}
	inst, err := instanceURL(r.Instance)
	if err != nil {
		return "", err
	}
	if err := s.PoW.VerifyContext(ctx, c.Slug, r.Challenge, r.Solution); err != nil {
		return "", err
	}
	clientID, _, err := s.oauthApp(ctx, inst)
	if err != nil {
		return "", err
	}
	b := ballot{Contest: c.ID, Workspace: c.WorkspaceID, Entry: e.ID, Identity: inst, Block: block, Device: Device(r.UserAgent),
		NoReferrer: r.Referer == "", Expires: now.Add(15 * time.Minute).Unix()}
	body, _ := json.Marshal(b)
	p := base64.RawURLEncoding.EncodeToString(body)
	q := url.Values{"client_id": {clientID}, "redirect_uri": {s.BaseURL + SocialCallbackPath}, "response_type": {"code"},
		"scope": {"read:accounts"}, "state": {p + "." + s.stateMAC(p)}}
	return inst + "/oauth/authorize?" + q.Encode(), nil
}

func (s *Service) stateMAC(p string) string {
	m := hmac.New(sha256.New, s.Key)
	m.Write([]byte("oauth/" + p))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:18])
}

// oauthApp returns the app registered on the instance, registering it once.
func (s *Service) oauthApp(ctx context.Context, inst string) (string, string, error) {
	id, enc, err := s.Store.ContestOAuthApp(ctx, inst)
	if err == nil {
		secret, err := s.open(enc)
		return id, string(secret), err
	}
	if !errors.Is(err, store.ErrNotFound) {
		return "", "", err
	}
	form := url.Values{"client_name": {"relais contests"}, "redirect_uris": {s.BaseURL + SocialCallbackPath}, "scopes": {"read:accounts"}, "website": {s.BaseURL}}
	var app struct {
		ClientID     string `json:"client_id"`
		ClientSecret string `json:"client_secret"`
	}
	if err := s.postForm(ctx, inst+"/api/v1/apps", form, "", &app); err != nil || app.ClientID == "" {
		return "", "", fmt.Errorf("%w: registering relais on %s: %v", ErrSocial, inst, err)
	}
	sealed, err := s.seal([]byte(app.ClientSecret))
	if err != nil {
		return "", "", err
	}
	if err := s.Store.SaveContestOAuthApp(ctx, inst, app.ClientID, sealed, s.now()); err != nil {
		return "", "", err
	}
	// Another instance of relais may have registered first: use the stored one.
	id, enc, err = s.Store.ContestOAuthApp(ctx, inst)
	if err != nil {
		return "", "", err
	}
	secret, err := s.open(enc)
	return id, string(secret), err
}

func (s *Service) postForm(ctx context.Context, u string, form url.Values, token string, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, strings.NewReader(form.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return s.do(req, token, out)
}

func (s *Service) do(req *http.Request, token string, out any) error {
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("Accept", "application/json")
	res, err := s.httpClient().Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	if err != nil {
		return err
	}
	if res.StatusCode >= 300 {
		return fmt.Errorf("%s answered %d", req.URL.Host, res.StatusCode)
	}
	return json.Unmarshal(body, out)
}

// FinishSocialVote counts the vote of the account the instance confirmed:
// it checks the state, exchanges the code for a token, reads the account
// and records the vote (committed before it returns).
func (s *Service) FinishSocialVote(ctx context.Context, state, code string) (store.Contest, VoteResult, error) {
	p, mac, ok := strings.Cut(state, ".")
	if !ok || !hmac.Equal([]byte(mac), []byte(s.stateMAC(p))) {
		return store.Contest{}, VoteResult{}, ErrBadToken
	}
	raw, err := base64.RawURLEncoding.DecodeString(p)
	var b ballot
	if err != nil || json.Unmarshal(raw, &b) != nil {
		return store.Contest{}, VoteResult{}, ErrBadToken
	}
	c, err := s.Store.Contest(ctx, b.Workspace, b.Contest)
	if err != nil {
		return c, VoteResult{}, ErrBadToken
	}
	if s.now().Unix() > b.Expires || code == "" {
		return c, VoteResult{}, ErrBadToken
	}
	inst := b.Identity
	clientID, secret, err := s.oauthApp(ctx, inst)
	if err != nil {
		return c, VoteResult{}, err
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	form := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "client_id": {clientID}, "client_secret": {secret},
		"redirect_uri": {s.BaseURL + SocialCallbackPath}, "scope": {"read:accounts"}}
	if err := s.postForm(ctx, inst+"/oauth/token", form, "", &tok); err != nil || tok.AccessToken == "" {
		return c, VoteResult{}, fmt.Errorf("%w: %v", ErrSocial, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, inst+"/api/v1/accounts/verify_credentials", nil)
	if err != nil {
		return c, VoteResult{}, err
	}
	var acct struct {
		Acct string `json:"acct"`
		URL  string `json:"url"`
	}
	if err := s.do(req, tok.AccessToken, &acct); err != nil || acct.Acct == "" {
		return c, VoteResult{}, fmt.Errorf("%w: %v", ErrSocial, err)
	}
	// The token is not needed any more.
	_ = s.postForm(ctx, inst+"/oauth/revoke", url.Values{"token": {tok.AccessToken}, "client_id": {clientID}, "client_secret": {secret}}, "", &struct{}{})
	b.Identity = Identity(s.Key, AcctURI(acct.Acct, acct.URL, inst))
	res, err := s.count(ctx, c, b, s.now())
	return c, res, err
}

// AcctURI is an account's acct URI: "acct:user@host", the host taken from
// the account's acct when remote, else from its profile URL (the instance's
// public name), else from the instance's address.
func AcctURI(acct, profile, inst string) string {
	acct = strings.ToLower(strings.TrimPrefix(acct, "@"))
	if !strings.Contains(acct, "@") {
		host := ""
		if u, err := url.Parse(profile); err == nil {
			host = u.Host
		}
		if host == "" {
			if u, err := url.Parse(inst); err == nil {
				host = u.Host
			}
		}
		acct += "@" + strings.ToLower(host)
	}
	return "acct:" + acct
}

// appSecretAAD binds a sealed app secret to its use.
var appSecretAAD = []byte("contest-oauth-app")

func (s *Service) seal(plain []byte) ([]byte, error) { return s.Secrets.Seal(plain, appSecretAAD) }

func (s *Service) open(sealed []byte) ([]byte, error) { return s.Secrets.Open(sealed, appSecretAAD) }
