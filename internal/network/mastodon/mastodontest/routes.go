package mastodontest

import (
	"bytes"
	"fmt"
	"html"
	"image"
	_ "image/gif"  // decode dimensions of uploaded GIFs
	_ "image/jpeg" // decode dimensions of uploaded JPEGs
	_ "image/png"  // decode dimensions of uploaded PNGs
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rivo/uniseg"
)

func (s *Server) routes() {
	m := http.NewServeMux()
	m.HandleFunc("GET /api/v1/instance", s.instanceV1)
	m.HandleFunc("GET /api/v2/instance", s.instanceV2)
	m.HandleFunc("POST /api/v1/apps", s.createApp)
	m.HandleFunc("GET /oauth/authorize", s.authorize)
	m.HandleFunc("POST /oauth/token", s.oauthToken)
	m.HandleFunc("GET /api/v1/accounts/verify_credentials", s.verifyCredentials)
	m.HandleFunc("POST /api/v1/statuses", s.createStatus)
	m.HandleFunc("GET /api/v1/statuses/{id}", s.getStatus)
	m.HandleFunc("PUT /api/v1/statuses/{id}", s.editStatus)
	m.HandleFunc("DELETE /api/v1/statuses/{id}", s.deleteStatus)
	m.HandleFunc("GET /api/v1/statuses/{id}/context", s.statusContext)
	m.HandleFunc("POST /api/v2/media", s.uploadMedia)
	m.HandleFunc("GET /api/v1/media/{id}", s.getMedia)
	m.HandleFunc("GET /api/v1/notifications", s.listNotifications)
	m.HandleFunc("GET /api/v2/search", s.search)
	m.HandleFunc("GET /api/v1/streaming", s.streaming)
	m.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) {
		writeError(w, http.StatusNotFound, "Record not found")
	})
	s.mux = m
}

// configuration is the instance's client configuration, shared by v1 and v2.
func (s *Server) configuration() map[string]any {
	return map[string]any{
		"urls":     map[string]any{"streaming": strings.Replace(s.URL, "http", "ws", 1)},
		"accounts": map[string]any{"max_featured_tags": 10, "max_pinned_statuses": 5},
		"statuses": map[string]any{
			"max_characters": s.MaxCharacters(), "max_media_attachments": s.MaxMedia(),
			"characters_reserved_per_url": s.URLLength(),
		},
		"media_attachments": map[string]any{
			"supported_mime_types": []string{"image/jpeg", "image/png", "image/gif", "image/webp", "video/mp4", "video/quicktime", "audio/mpeg"},
			"image_size_limit":     16777216, "image_matrix_limit": 33177600,
			"video_size_limit": 103809024, "video_frame_rate_limit": 120, "video_matrix_limit": 8294400,
		},
		"polls": map[string]any{"max_options": 4, "max_characters_per_option": 50, "min_expiration": 300, "max_expiration": 2629746},
	}
}

func (s *Server) version() string {
	if s.opts.Flavour == GoToSocial {
		return "0.20.0+git-fake"
	}
	return "4.5.0"
}

func (s *Server) sourceURL() string {
	if s.opts.Flavour == GoToSocial {
		return "https://codeberg.org/superseriousbusiness/gotosocial"
	}
	return "https://github.com/mastodon/mastodon"
}

func (s *Server) instanceV1(w http.ResponseWriter, _ *http.Request) {
	body := map[string]any{
		"uri": s.Host(), "title": "Fake " + string(s.opts.Flavour), "short_description": "", "description": "A fake instance for tests",
		"email": "admin@" + s.Host(), "version": s.version(), "urls": map[string]string{"streaming_api": strings.Replace(s.URL, "http", "ws", 1)},
		"stats":     map[string]int{"user_count": 1, "status_count": len(s.Statuses()), "domain_count": 1},
		"thumbnail": s.URL + "/thumbnail.png", "languages": []string{"en"}, "registrations": false,
		"approval_required": false, "invites_enabled": false, "contact_account": nil,
	}
	if s.opts.MaxTootChars > 0 {
		body["max_toot_chars"] = s.opts.MaxTootChars
		body["version"] = "2.7.2 (compatible; Pleroma 2.6.0)"
	} else {
		body["configuration"] = s.configuration()
	}
	writeJSON(w, http.StatusOK, body)
}

func (s *Server) instanceV2(w http.ResponseWriter, _ *http.Request) {
	if s.opts.LegacyInstance {
		writeError(w, http.StatusNotFound, "Record not found")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"domain": s.Host(), "title": "Fake " + string(s.opts.Flavour), "version": s.version(),
		"source_url": s.sourceURL(), "description": "A fake instance for tests",
		"usage":     map[string]any{"users": map[string]int{"active_month": 1}},
		"thumbnail": map[string]any{"url": s.URL + "/thumbnail.png"}, "languages": []string{"en"},
		"configuration": s.configuration(),
		"registrations": map[string]any{"enabled": false, "approval_required": false, "message": nil},
		"contact":       map[string]any{"email": "admin@" + s.Host(), "account": nil},
		"rules":         []any{},
	})
}

func (s *Server) createApp(w http.ResponseWriter, r *http.Request) {
	name, redirects, scopes := r.Form.Get("client_name"), r.Form.Get("redirect_uris"), r.Form.Get("scopes")
	if name == "" {
		s.validationError(w, "Validation failed: Application name can't be blank")
		return
	}
	if redirects == "" {
		s.validationError(w, "Validation failed: Redirect URI can't be blank")
		return
	}
	if scopes == "" {
		scopes = "read"
	}
	for _, sc := range strings.Fields(scopes) {
		if !validScope(sc) {
			s.validationError(w, "Validation failed: Scopes must only contain valid scopes")
			return
		}
	}
	id, secret := randomString(24), randomString(24)
	uris := strings.Fields(redirects)
	s.mu.Lock()
	s.apps[id] = &app{Name: name, Secret: secret, Scopes: scopes, RedirectURIs: uris}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{
		"id": s.nextPlainID(), "name": name, "website": nilIfEmpty(r.Form.Get("website")), "scopes": strings.Fields(scopes),
		"redirect_uri": uris[0], "redirect_uris": uris, "client_id": id, "client_secret": secret,
		"client_secret_expires_at": 0,
	})
}

func (s *Server) nextPlainID() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.newID()
}

func validScope(sc string) bool {
	top, sub, _ := strings.Cut(sc, ":")
	switch top {
	case "read", "write", "follow", "push", "profile":
		return sub == "" || regexp.MustCompile(`^[a-z_]+$`).MatchString(sub)
	}
	return false
}

// authorize approves the request at once as the fake's account, as a user who clicks "Authorize".
func (s *Server) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	s.mu.Lock()
	a, ok := s.apps[q.Get("client_id")]
	s.mu.Unlock()
	if !ok || q.Get("response_type") != "code" {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_client", "error_description": "Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method."})
		return
	}
	redirect := q.Get("redirect_uri")
	if !slices.Contains(a.RedirectURIs, redirect) {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_redirect_uri", "error_description": "The redirect uri included is not valid."})
		return
	}
	scopes := q.Get("scope")
	if scopes == "" {
		scopes = a.Scopes
	}
	for _, sc := range strings.Fields(scopes) {
		if !hasScope(strings.Fields(a.Scopes), sc) {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_scope", "error_description": "The requested scope is invalid, unknown, or malformed."})
			return
		}
	}
	if m := q.Get("code_challenge_method"); q.Get("code_challenge") != "" && m != "S256" {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_request", "error_description": "The code challenge method must be S256."})
		return
	}
	code := randomString(24)
	s.mu.Lock()
	s.codes[code] = &authCode{ClientID: q.Get("client_id"), RedirectURI: redirect, Challenge: q.Get("code_challenge"), Method: q.Get("code_challenge_method"), Scopes: scopes}
	s.mu.Unlock()
	u, _ := url.Parse(redirect)
	rq := u.Query()
	rq.Set("code", code)
	if st := q.Get("state"); st != "" {
		rq.Set("state", st)
	}
	u.RawQuery = rq.Encode()
	http.Redirect(w, r, u.String(), http.StatusFound)
}

func (s *Server) oauthToken(w http.ResponseWriter, r *http.Request) {
	f := r.Form
	oauthErr := func(code, desc string) {
		status := http.StatusBadRequest
		if code == "invalid_client" {
			status = http.StatusUnauthorized
		}
		writeJSON(w, status, map[string]string{"error": code, "error_description": desc})
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.apps[f.Get("client_id")]
	if !ok || a.Secret != f.Get("client_secret") {
		oauthErr("invalid_client", "Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.")
		return
	}
	if f.Get("grant_type") != "authorization_code" {
		oauthErr("unsupported_grant_type", "The authorization grant type is not supported by the authorization server.")
		return
	}
	c, ok := s.codes[f.Get("code")]
	invalidGrant := "The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client."
	if !ok || c.ClientID != f.Get("client_id") || c.RedirectURI != f.Get("redirect_uri") {
		oauthErr("invalid_grant", invalidGrant)
		return
	}
	if c.Challenge != "" && pkceS256(f.Get("code_verifier")) != c.Challenge {
		oauthErr("invalid_grant", invalidGrant)
		return
	}
	delete(s.codes, f.Get("code"))
	tok := randomString(32)
	s.tokens[tok] = &token{AccountID: s.selfID, Scopes: strings.Fields(c.Scopes)}
	writeJSON(w, http.StatusOK, map[string]any{"access_token": tok, "token_type": "Bearer", "scope": c.Scopes, "created_at": s.opts.Now().Unix()})
}

func (s *Server) verifyCredentials(w http.ResponseWriter, r *http.Request) {
	t := s.auth(w, r, "read:accounts")
	if t == nil {
		return
	}
	s.mu.Lock()
	body := s.accountJSON(s.accounts[t.AccountID])
	s.mu.Unlock()
	body["source"] = map[string]any{"privacy": "public", "sensitive": false, "language": "en", "note": "", "fields": []any{}, "follow_requests_count": 0}
	writeJSON(w, http.StatusOK, body)
}

var (
	urlPattern     = regexp.MustCompile(`https?://[^\s<>"]+`)
	mentionPattern = regexp.MustCompile(`@([A-Za-z0-9_]+)@[A-Za-z0-9.\-]+[A-Za-z0-9]`)
)

// countable is the status length as the flavour counts it. Mastodon: graphemes,
// every URL counting the reserved length, "@user@domain" counting as "@user".
// GoToSocial: code points as written, although it advertises 25 per URL.
func (s *Server) countable(text string) int {
	if s.opts.Flavour == GoToSocial {
		return utf8.RuneCountInString(text)
	}
	text = urlPattern.ReplaceAllString(text, strings.Repeat("x", s.URLLength()))
	text = mentionPattern.ReplaceAllString(text, "@$1")
	return uniseg.GraphemeClusterCount(text)
}

// validateStatus checks a create or edit form; it returns the media ids, or
// writes the error and returns ok=false.
func (s *Server) validateStatus(w http.ResponseWriter, f url.Values, ownerTok string, editing string) ([]string, bool) {
	text, spoiler := f.Get("status"), f.Get("spoiler_text")
	mediaIDs := f["media_ids[]"]
	gts := s.opts.Flavour == GoToSocial
	if len(mediaIDs) > s.MaxMedia() {
		if gts {
			s.validationError(w, fmt.Sprintf("too many media files attached to status, %d attached but limit is %d", len(mediaIDs), s.MaxMedia()))
		} else {
			s.validationError(w, fmt.Sprintf("Cannot attach more than %d files", s.MaxMedia()))
		}
		return nil, false
	}
	if (gts && text == "" || !gts && strings.TrimSpace(text) == "") && len(mediaIDs) == 0 && f.Get("poll[options][]") == "" {
		if gts {
			s.validationError(w, "no status, media, or poll provided")
		} else {
			s.validationError(w, "Validation failed: Text can't be blank")
		}
		return nil, false
	}
	if n := s.countable(spoiler + text); n > s.MaxCharacters() {
		if gts {
			s.validationError(w, fmt.Sprintf("status too long, %d characters provided (including spoiler/content warning) but limit is %d", n, s.MaxCharacters()))
		} else {
			s.validationError(w, fmt.Sprintf("Validation failed: Text character limit of %d exceeded", s.MaxCharacters()))
		}
		return nil, false
	}
	if v := f.Get("visibility"); v != "" && !slices.Contains([]string{"public", "unlisted", "private", "direct"}, v) {
		s.validationError(w, "Validation failed: Visibility is not included in the list")
		return nil, false
	}
	if l := f.Get("language"); l != "" && !regexp.MustCompile(`^[a-z]{2,3}(-[A-Za-z0-9]+)*$`).MatchString(l) {
		s.validationError(w, "Validation failed: Language is not a valid language code")
		return nil, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var missing []string
	for _, id := range mediaIDs {
		m, ok := s.media[id]
		if !ok || m.Owner != ownerTok || (m.StatusID != "" && m.StatusID != editing) {
			missing = append(missing, id)
			continue
		}
		if m.PollsLeft > 0 {
			s.validationError(w, "Cannot attach files that have not finished processing. Try again in a moment!")
			return nil, false
		}
	}
	if len(missing) > 0 {
		s.validationError(w, fmt.Sprintf("Media with IDs %s not found. Already attached to another post?", strings.Join(missing, ", ")))
		return nil, false
	}
	return mediaIDs, true
}

func (s *Server) createStatus(w http.ResponseWriter, r *http.Request) {
	t := s.auth(w, r, "write:statuses")
	if t == nil {
		return
	}
	tok := bearer(r)
	now := s.opts.Now().UTC()
	key := r.Header.Get("Idempotency-Key")
	if key != "" {
		s.mu.Lock()
		e, ok := s.idem[tok+"\x00"+key]
		if ok && now.Sub(e.At) < time.Hour {
			body := s.statusJSON(s.statuses[e.StatusID])
			s.mu.Unlock()
			writeJSON(w, http.StatusOK, body)
			return
		}
		s.mu.Unlock()
	}
	f := r.Form
	mediaIDs, ok := s.validateStatus(w, f, tok, "")
	if !ok {
		return
	}
	reply := f.Get("in_reply_to_id")
	s.mu.Lock()
	defer s.mu.Unlock()
	if reply != "" {
		if p, ok := s.statuses[reply]; !ok || p.Deleted {
			writeError(w, http.StatusNotFound, "The post you are trying to reply to does not appear to exist.")
			return
		}
	}
	visibility := f.Get("visibility")
	if visibility == "" {
		visibility = "public"
	}
	st := &Status{
		ID: s.newID(), AccountID: t.AccountID, Text: f.Get("status"), SpoilerText: f.Get("spoiler_text"),
		Sensitive: f.Get("sensitive") == "true" || f.Get("spoiler_text") != "", Visibility: visibility,
		Language: f.Get("language"), InReplyToID: reply, MediaIDs: mediaIDs, CreatedAt: now, IdempotencyKey: key,
	}
	if at := f.Get("scheduled_at"); at != "" {
		when, err := time.Parse(time.RFC3339, at)
		if err != nil || when.Before(now.Add(5*time.Minute)) {
			s.validationErrorLocked(w, "Validation failed: Scheduled at The scheduled date must be in the future")
			return
		}
		s.scheduled[st.ID] = st
		s.scheduledAt[st.ID] = when
		if key != "" {
			s.idem[tok+"\x00"+key] = idemEntry{StatusID: st.ID, At: now}
		}
		writeJSON(w, http.StatusOK, s.scheduledJSON(st, when))
		return
	}
	for _, id := range mediaIDs {
		s.media[id].StatusID = st.ID
	}
	s.statuses[st.ID] = st
	s.order = append(s.order, st.ID)
	s.accounts[t.AccountID].Statuses++
	if p, ok := s.statuses[reply]; ok {
		p.Replies++
	}
	if key != "" {
		s.idem[tok+"\x00"+key] = idemEntry{StatusID: st.ID, At: now}
	}
	writeJSON(w, http.StatusOK, s.statusJSON(st))
}

// validationErrorLocked is validationError for callers holding s.mu (it touches no state).
func (s *Server) validationErrorLocked(w http.ResponseWriter, msg string) { s.validationError(w, msg) }

func (s *Server) lookup(w http.ResponseWriter, id string) (*Status, bool) {
	st, ok := s.statuses[id]
	if !ok || st.Deleted {
		writeError(w, http.StatusNotFound, "Record not found")
		return nil, false
	}
	return st, true
}

func (s *Server) getStatus(w http.ResponseWriter, r *http.Request) {
	if s.auth(w, r, "read:statuses") == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.lookup(w, r.PathValue("id"))
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, s.statusJSON(st))
}

func (s *Server) editStatus(w http.ResponseWriter, r *http.Request) {
	t := s.auth(w, r, "write:statuses")
	if t == nil {
		return
	}
	id := r.PathValue("id")
	s.mu.Lock()
	st, ok := s.lookup(w, id)
	if ok && st.AccountID != t.AccountID {
		writeError(w, http.StatusForbidden, "This action is not allowed")
		ok = false
	}
	s.mu.Unlock()
	if !ok {
		return
	}
	mediaIDs, ok := s.validateStatus(w, r.Form, bearer(r), id)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	// An edit without media_ids removes the attachments, as on Mastodon.
	for _, old := range st.MediaIDs {
		if !slices.Contains(mediaIDs, old) {
			s.media[old].StatusID = ""
		}
	}
	for _, mid := range mediaIDs {
		s.media[mid].StatusID = id
	}
	st.Text, st.SpoilerText, st.MediaIDs = r.Form.Get("status"), r.Form.Get("spoiler_text"), mediaIDs
	st.Sensitive = r.Form.Get("sensitive") == "true" || st.SpoilerText != ""
	if l := r.Form.Get("language"); l != "" {
		st.Language = l
	}
	st.EditedAt = s.opts.Now().UTC()
	writeJSON(w, http.StatusOK, s.statusJSON(st))
}

func (s *Server) deleteStatus(w http.ResponseWriter, r *http.Request) {
	t := s.auth(w, r, "write:statuses")
	if t == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.lookup(w, r.PathValue("id"))
	if !ok {
		return
	}
	if st.AccountID != t.AccountID {
		writeError(w, http.StatusForbidden, "This action is not allowed")
		return
	}
	st.Deleted = true
	s.accounts[t.AccountID].Statuses--
	body := s.statusJSON(st)
	// The deleted status comes back with its source text, for "delete and redraft".
	body["text"] = st.Text
	writeJSON(w, http.StatusOK, body)
}

func (s *Server) statusContext(w http.ResponseWriter, r *http.Request) {
	if s.auth(w, r, "read:statuses") == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.lookup(w, r.PathValue("id"))
	if !ok {
		return
	}
	ancestors := []map[string]any{}
	for p := st.InReplyToID; p != ""; {
		ps, ok := s.statuses[p]
		if !ok || ps.Deleted {
			break
		}
		ancestors = append([]map[string]any{s.statusJSON(ps)}, ancestors...)
		p = ps.InReplyToID
	}
	descendants := []map[string]any{}
	var walk func(id string)
	walk = func(id string) {
		for _, cid := range s.order {
			c := s.statuses[cid]
			if c.InReplyToID == id && !c.Deleted {
				descendants = append(descendants, s.statusJSON(c))
				walk(cid)
			}
		}
	}
	walk(st.ID)
	writeJSON(w, http.StatusOK, map[string]any{"ancestors": ancestors, "descendants": descendants})
}

func (s *Server) uploadMedia(w http.ResponseWriter, r *http.Request) {
	if s.auth(w, r, "write:media") == nil {
		return
	}
	if r.MultipartForm == nil || len(r.MultipartForm.File["file"]) == 0 {
		s.validationError(w, "Validation failed: File can't be blank")
		return
	}
	fh := r.MultipartForm.File["file"][0]
	f, err := fh.Open()
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	data, _ := io.ReadAll(f)
	_ = f.Close()
	mime := http.DetectContentType(data)
	if ct := fh.Header.Get("Content-Type"); strings.HasPrefix(ct, "video/") || strings.HasPrefix(ct, "audio/") {
		mime = ct
	}
	typ := ""
	switch {
	case mime == "image/gif":
		typ = "gifv"
	case strings.HasPrefix(mime, "image/"):
		typ = "image"
	case strings.HasPrefix(mime, "video/"):
		typ = "video"
	case strings.HasPrefix(mime, "audio/"):
		typ = "audio"
	default:
		s.validationError(w, "Validation failed: File content type is invalid, File is invalid")
		return
	}
	if typ == "image" && len(data) > 16<<20 {
		s.validationError(w, "Validation failed: File file size must be less than 16 MB")
		return
	}
	if d := r.Form.Get("description"); uniseg.GraphemeClusterCount(d) > 1500 {
		s.validationError(w, "Validation failed: Description is too long (maximum is 1500 characters)")
		return
	}
	m := &media{Type: typ, MIME: mime, Description: r.Form.Get("description"), Focus: r.Form.Get("focus"), PollsLeft: s.opts.MediaPolls, Owner: bearer(r)}
	if cfg, _, err := image.DecodeConfig(bytes.NewReader(data)); err == nil {
		m.Width, m.Height = cfg.Width, cfg.Height
	}
	s.mu.Lock()
	m.ID = s.newID()
	s.media[m.ID] = m
	body := s.mediaJSON(m)
	s.mu.Unlock()
	if m.PollsLeft > 0 {
		writeJSON(w, http.StatusAccepted, body)
		return
	}
	writeJSON(w, http.StatusOK, body)
}

func (s *Server) getMedia(w http.ResponseWriter, r *http.Request) {
	if s.auth(w, r, "write:media") == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.media[r.PathValue("id")]
	if !ok || m.Owner != bearer(r) {
		writeError(w, http.StatusNotFound, "Record not found")
		return
	}
	if m.PollsLeft > 0 {
		m.PollsLeft--
		writeJSON(w, http.StatusPartialContent, s.mediaJSON(m))
		return
	}
	writeJSON(w, http.StatusOK, s.mediaJSON(m))
}

func (s *Server) listNotifications(w http.ResponseWriter, r *http.Request) {
	if s.auth(w, r, "read:notifications") == nil {
		return
	}
	q := r.URL.Query()
	limit := 40
	if n, err := strconv.Atoi(q.Get("limit")); err == nil && n > 0 {
		limit = min(n, 80)
	}
	types, exclude := q["types[]"], q["exclude_types[]"]
	s.mu.Lock()
	defer s.mu.Unlock()
	var match []*notification
	for _, n := range s.notifications {
		if len(types) > 0 && !slices.Contains(types, n.Type) || slices.Contains(exclude, n.Type) {
			continue
		}
		if st, ok := s.statuses[n.StatusID]; ok && st.Deleted {
			continue
		}
		if v := q.Get("max_id"); v != "" && !idLess(n.ID, v) {
			continue
		}
		if v := q.Get("since_id"); v != "" && !idLess(v, n.ID) {
			continue
		}
		if v := q.Get("min_id"); v != "" && !idLess(v, n.ID) {
			continue
		}
		match = append(match, n)
	}
	// Newest first; with min_id the page is the one right after min_id (oldest end).
	if q.Get("min_id") != "" && len(match) > limit {
		match = match[:limit]
	}
	slices.Reverse(match)
	if len(match) > limit {
		match = match[:limit]
	}
	out := []map[string]any{}
	for _, n := range match {
		out = append(out, s.notificationJSON(n))
	}
	if len(match) > 0 {
		s.setLink(w, "/api/v1/notifications", q, match[len(match)-1].ID, match[0].ID)
	}
	writeJSON(w, http.StatusOK, out)
}

// setLink writes Mastodon's Link header: next pages older (max_id), prev pages newer (min_id).
func (s *Server) setLink(w http.ResponseWriter, path string, q url.Values, oldest, newest string) {
	next, prev := cloneValues(q), cloneValues(q)
	for _, k := range []string{"max_id", "min_id", "since_id"} {
		next.Del(k)
		prev.Del(k)
	}
	next.Set("max_id", oldest)
	prev.Set("min_id", newest)
	w.Header().Set("Link", fmt.Sprintf(`<%s%s?%s>; rel="next", <%s%s?%s>; rel="prev"`, s.URL, path, next.Encode(), s.URL, path, prev.Encode()))
}

func (s *Server) search(w http.ResponseWriter, r *http.Request) {
	if s.auth(w, r, "read:search") == nil {
		return
	}
	q := r.URL.Query()
	term := strings.ToLower(strings.TrimSpace(q.Get("q")))
	if term == "" {
		s.validationError(w, "Validation failed: Query can't be blank")
		return
	}
	limit := 20
	if n, err := strconv.Atoi(q.Get("limit")); err == nil && n > 0 {
		limit = min(n, 40)
	}
	offset, _ := strconv.Atoi(q.Get("offset"))
	typ := q.Get("type")
	s.mu.Lock()
	defer s.mu.Unlock()
	res := map[string]any{"accounts": []any{}, "statuses": []any{}, "hashtags": []any{}}
	if typ == "" || typ == "statuses" {
		var hits []map[string]any
		for i := len(s.order) - 1; i >= 0; i-- {
			st := s.statuses[s.order[i]]
			if !st.Deleted && (st.Visibility == "public" || st.AccountID == s.selfID) && strings.Contains(strings.ToLower(st.Text), term) {
				hits = append(hits, s.statusJSON(st))
			}
		}
		if offset < len(hits) {
			hits = hits[offset:]
		} else {
			hits = nil
		}
		if len(hits) > limit {
			hits = hits[:limit]
		}
		if hits != nil {
			res["statuses"] = hits
		}
	}
	if typ == "" || typ == "accounts" {
		var accts []map[string]any
		for _, a := range s.accounts {
			if strings.Contains(strings.ToLower(a.Username), strings.TrimPrefix(term, "@")) {
				accts = append(accts, s.accountJSON(a))
			}
		}
		if accts != nil {
			res["accounts"] = accts
		}
	}
	writeJSON(w, http.StatusOK, res)
}

// JSON renderings, with the fields and nulls real servers send.

func (s *Server) acct(a *account) string {
	if a.Domain == "" {
		return a.Username
	}
	return a.Username + "@" + a.Domain
}

func (s *Server) accountURL(a *account) string {
	if a.Domain == "" {
		return s.URL + "/@" + a.Username
	}
	return "https://" + a.Domain + "/@" + a.Username
}

func (s *Server) accountJSON(a *account) map[string]any {
	return map[string]any{
		"id": a.ID, "username": a.Username, "acct": s.acct(a), "display_name": a.DisplayName,
		"locked": false, "bot": false, "discoverable": true, "group": false,
		"created_at": a.CreatedAt.Format("2006-01-02T15:04:05.000Z"), "note": "<p></p>",
		"url": s.accountURL(a), "uri": s.accountURL(a), "avatar": s.URL + "/avatars/original/missing.png",
		"avatar_static": s.URL + "/avatars/original/missing.png", "header": s.URL + "/headers/original/missing.png",
		"header_static": s.URL + "/headers/original/missing.png", "followers_count": a.Followers,
		"following_count": a.Following, "statuses_count": a.Statuses, "last_status_at": nil,
		"emojis": []any{}, "fields": []any{},
	}
}

// renderContent turns plain status text into the HTML Mastodon serves.
func renderContent(text string) string {
	var paras []string
	for _, p := range strings.Split(text, "\n\n") {
		paras = append(paras, "<p>"+strings.ReplaceAll(html.EscapeString(p), "\n", "<br />")+"</p>")
	}
	return strings.Join(paras, "")
}

func (s *Server) statusJSON(st *Status) map[string]any {
	a := s.accounts[st.AccountID]
	var inReplyTo, inReplyToAccount any
	if st.InReplyToID != "" {
		inReplyTo = st.InReplyToID
		if p, ok := s.statuses[st.InReplyToID]; ok {
			inReplyToAccount = p.AccountID
		}
	}
	var edited any
	if !st.EditedAt.IsZero() {
		edited = st.EditedAt.Format("2006-01-02T15:04:05.000Z")
	}
	var lang any
	if st.Language != "" {
		lang = st.Language
	}
	attachments := []map[string]any{}
	for _, id := range st.MediaIDs {
		attachments = append(attachments, s.mediaJSON(s.media[id]))
	}
	mentions := []map[string]any{}
	for _, m := range mentionPattern.FindAllStringSubmatch(st.Text, -1) {
		mentions = append(mentions, map[string]any{"id": "0", "username": m[1], "acct": strings.TrimPrefix(m[0], "@"), "url": "https://" + strings.SplitN(m[0], "@", 3)[2] + "/@" + m[1]})
	}
	var app any
	if a.Domain == "" {
		app = map[string]any{"name": "relais", "website": nil}
	}
	url := s.accountURL(a) + "/" + st.ID
	return map[string]any{
		"id": st.ID, "created_at": st.CreatedAt.Format("2006-01-02T15:04:05.000Z"), "in_reply_to_id": inReplyTo,
		"in_reply_to_account_id": inReplyToAccount, "sensitive": st.Sensitive, "spoiler_text": st.SpoilerText,
		"visibility": st.Visibility, "language": lang, "uri": url, "url": url,
		"replies_count": st.Replies, "reblogs_count": st.Reblogs, "favourites_count": st.Favourites,
		"quotes_count": 0, "edited_at": edited, "favourited": false, "reblogged": false, "muted": false,
		"bookmarked": false, "pinned": false, "content": renderContent(st.Text), "filtered": []any{},
		"reblog": nil, "application": app, "account": s.accountJSON(a), "media_attachments": attachments,
		"mentions": mentions, "tags": []any{}, "emojis": []any{}, "card": nil, "poll": nil,
	}
}

func (s *Server) scheduledJSON(st *Status, when time.Time) map[string]any {
	var reply any
	if st.InReplyToID != "" {
		reply = st.InReplyToID
	}
	mediaIDs := append([]string{}, st.MediaIDs...)
	return map[string]any{
		"id": st.ID, "scheduled_at": when.UTC().Format("2006-01-02T15:04:05.000Z"),
		"params": map[string]any{
			"text": st.Text, "poll": nil, "media_ids": mediaIDs, "sensitive": st.Sensitive,
			"spoiler_text": st.SpoilerText, "visibility": st.Visibility, "in_reply_to_id": reply,
			"language": st.Language, "application_id": 1, "scheduled_at": nil, "idempotency": nilIfEmpty(st.IdempotencyKey),
			"with_rate_limit": false,
		},
		"media_attachments": []any{},
	}
}

func (s *Server) mediaJSON(m *media) map[string]any {
	var u, preview any
	if m.PollsLeft == 0 {
		u = s.URL + "/system/media_attachments/files/" + m.ID + "/original/file"
		preview = s.URL + "/system/media_attachments/files/" + m.ID + "/small/file"
	}
	meta := map[string]any{}
	if m.Width > 0 {
		meta["original"] = map[string]any{"width": m.Width, "height": m.Height, "size": fmt.Sprintf("%dx%d", m.Width, m.Height), "aspect": float64(m.Width) / float64(m.Height)}
	}
	if m.Focus != "" {
		var x, y float64
		_, _ = fmt.Sscanf(m.Focus, "%g,%g", &x, &y)
		meta["focus"] = map[string]any{"x": x, "y": y}
	}
	return map[string]any{
		"id": m.ID, "type": m.Type, "url": u, "preview_url": preview, "remote_url": nil,
		"text_url": nil, "meta": meta, "description": nilIfEmpty(m.Description), "blurhash": nil,
	}
}

func (s *Server) notificationJSON(n *notification) map[string]any {
	body := map[string]any{
		"id": n.ID, "type": n.Type, "created_at": n.CreatedAt.Format("2006-01-02T15:04:05.000Z"),
		"group_key": "ungrouped-" + n.ID, "account": s.accountJSON(s.accounts[n.AccountID]),
	}
	if st, ok := s.statuses[n.StatusID]; ok {
		body["status"] = s.statusJSON(st)
	}
	return body
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}
