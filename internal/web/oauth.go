package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/channel"
	"github.com/relais/relais/internal/network"
)

const oauthCookie = "relais_oauth"

// oauthAAD binds the sealed cookie to its purpose.
var oauthAAD = []byte("relais web oauth state")

// oauthState is what the browser carries, sealed, between the redirect to the
// network and the callback: the provider's keep (PKCE verifier, client
// credentials) never reaches the browser in the clear.
type oauthState struct {
	State       string            `json:"s"`
	Kind        string            `json:"k"`
	WorkspaceID int64             `json:"w"`
	UserID      int64             `json:"u"`
	Keep        map[string]string `json:"p"`
	Expires     time.Time         `json:"e"`
}

// startOAuth sends the browser to the network's consent page. The workspace
// comes from ?workspace={slug}, the provider's inputs from the other parameters.
func (h *handler) startOAuth(w http.ResponseWriter, r *http.Request) {
	v := visitOf(r)
	// The start is a GET (the form carries the provider's inputs in the query),
	// so CrossOriginProtection does not see it: refuse a start that another
	// site triggered, which could plant its own account in this workspace.
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" && site != "none" {
		h.errorPage(w, r, http.StatusForbidden, "error.cross_origin")
		return
	}
	prov, ok := h.oauthProvider(r)
	if !ok || !h.useWorkspace(r, r.URL.Query().Get("workspace")) || !v.P.Can(auth.ActManageChannels) {
		h.notFoundPage(w, r)
		return
	}
	kind, input := string(prov.Kind()), map[string]string{}
	for _, f := range prov.Fields() {
		input[f.Name] = r.URL.Query().Get(f.Name)
	}
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	st := oauthState{State: hex.EncodeToString(b), Kind: kind, WorkspaceID: v.P.Workspace.ID, UserID: v.User.ID, Expires: time.Now().Add(10 * time.Minute)}
	target, keep, err := prov.AuthorizeURL(r.Context(), h.d.Channels.Env, input, h.redirectURI(kind), st.State)
	if err == nil {
		st.Keep = keep
		err = h.setOAuthCookie(w, st)
	}
	if err != nil {
		// A server that cannot be reached or refuses is the user's to fix:
		// say why in the form, in the user's language.
		h.log.Info("web: oauth start failed", "kind", kind, "err", err)
		p := h.newPage(r, "channels.title")
		for _, f := range prov.Fields() {
			if !f.Secret {
				p.Form[kind+"."+f.Name] = input[f.Name]
			}
		}
		connectError(p, kind, prov.Fields(), channel.ConnectError(prov.Kind(), prov.Fields(), input, err))
		h.renderChannels(w, r, http.StatusUnprocessableEntity, p, kind)
		return
	}
	// Not a redirect: browsers apply the page's CSP form-action ('self') to
	// the redirects that follow a form submission, so a 303 to the network
	// would be blocked. The answer is a page that moves on at once (the
	// Refresh header, no script) and offers the link too.
	u, err := url.Parse(target)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		h.serverError(w, r, fmt.Errorf("web: %s gave an unusable authorization URL", kind))
		return
	}
	w.Header().Set("Refresh", "0; url="+u.String())
	p := h.newPage(r, "oauth.continue_page")
	p.Data = struct{ Name, Host, URL string }{network.DefaultLimits[prov.Kind()].Name, u.Host, u.String()}
	h.render(w, r, http.StatusOK, "oauth", p)
}

// finishOAuth checks the callback against the sealed state, exchanges the
// code and saves the channel.
func (h *handler) finishOAuth(w http.ResponseWriter, r *http.Request) {
	v := visitOf(r)
	prov, ok := h.oauthProvider(r)
	st, err := h.readOAuthCookie(r)
	http.SetCookie(w, &http.Cookie{Name: oauthCookie, Path: "/oauth/", MaxAge: -1, HttpOnly: true, Secure: h.secure, SameSite: http.SameSiteLaxMode})
	q := r.URL.Query()
	if !ok || err != nil || st.Kind != string(prov.Kind()) || st.UserID != v.User.ID || time.Now().After(st.Expires) ||
		subtle.ConstantTimeCompare([]byte(st.State), []byte(q.Get("state"))) != 1 {
		h.errorPage(w, r, http.StatusBadRequest, "oauth.bad_state")
		return
	}
	ws, err := h.d.Store.WorkspaceByID(r.Context(), st.WorkspaceID)
	if err != nil || !h.useWorkspace(r, ws.Slug) {
		h.notFoundPage(w, r)
		return
	}
	if q.Get("error") != "" || q.Get("code") == "" {
		h.redirectWithFlash(w, r, wsPath(r, "/channels"), "flash.oauth_denied")
		return
	}
	// RFC 9207: when the provider recorded its issuer, the callback must come from it
	// (atproto OAuth requires the check; it defeats mix-up attacks).
	if iss := st.Keep["oauth_issuer"]; iss != "" && q.Get("iss") != iss {
		h.errorPage(w, r, http.StatusBadRequest, "oauth.bad_state")
		return
	}
	acct, stored, err := prov.Exchange(r.Context(), h.d.Channels.Env, st.Keep, h.redirectURI(st.Kind), q.Get("code"))
	if err == nil {
		_, err = h.d.Channels.Finish(r.Context(), v.P, prov.Kind(), acct, stored)
	}
	if err != nil {
		h.log.Warn("web: oauth connect failed", "kind", st.Kind, "err", err)
		p := h.newPage(r, "channels.title")
		e := channel.ConnectError(prov.Kind(), prov.Fields(), st.Keep, err)
		p.Errors[st.Kind+".credentials"] = p.T("oauth.failed", translateInvalid(p, e))
		h.renderChannels(w, r, http.StatusBadGateway, p, st.Kind)
		return
	}
	h.redirectWithFlash(w, r, wsPath(r, "/channels"), "flash.channel_connected")
}

// oauthProvider returns the OAuth provider named by {kind}.
func (h *handler) oauthProvider(r *http.Request) (network.OAuthProvider, bool) {
	if h.d.Channels == nil || h.d.Channels.Keyring == nil {
		return nil, false
	}
	p, err := network.ProviderFor(network.Kind(r.PathValue("kind")))
	if err != nil {
		return nil, false
	}
	op, ok := p.(network.OAuthProvider)
	return op, ok
}

// useWorkspace makes the workspace named slug the request's, when the caller is a member.
func (h *handler) useWorkspace(r *http.Request, slug string) bool {
	v := visitOf(r)
	ws, err := h.d.Store.WorkspaceBySlug(r.Context(), slug)
	if err != nil {
		return false
	}
	v.P, err = h.d.Auth.Principal(r.Context(), *v.User, ws.ID)
	return err == nil
}

func (h *handler) redirectURI(kind string) string { return h.d.BaseURL + "/oauth/callback/" + kind }

func (h *handler) setOAuthCookie(w http.ResponseWriter, st oauthState) error {
	sealed, err := h.d.Channels.Keyring.SealJSON(st, oauthAAD)
	if err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: oauthCookie, Value: base64.RawURLEncoding.EncodeToString(sealed), Path: "/oauth/",
		MaxAge: 600, HttpOnly: true, Secure: h.secure, SameSite: http.SameSiteLaxMode})
	return nil
}

func (h *handler) readOAuthCookie(r *http.Request) (oauthState, error) {
	var st oauthState
	c, err := r.Cookie(oauthCookie)
	if err != nil {
		return st, err
	}
	b, err := base64.RawURLEncoding.DecodeString(c.Value)
	if err != nil {
		return st, errors.New("web: oauth cookie is not base64")
	}
	return st, h.d.Channels.Keyring.OpenJSON(b, oauthAAD, &st)
}
