// Package pinteresttest is a contract-faithful fake of the Pinterest API v5
// for connector tests, on real loopback HTTP: the OAuth page and token
// endpoint (Basic auth, refresh tokens), the user account, boards and board
// sections (bookmark paging), pins (create with image_url, image_base64,
// multiple_image_urls and video_id sources, list per board, delete), video
// media (register, form upload to the returned URL, processing, succeeded
// or failed) and analytics. It validates like Pinterest (title 100,
// description 800, alt text 500, link 2048, 2 to 5 carousel images, a board
// the account owns), answers {"code":…,"message":…}, a 429 without
// invented headers, records requests and can be switched into failures
// per route.
package pinteresttest

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/relais/relais/internal/network/fakerec"
)

// Options configures a fake.
type Options struct {
	// Now is the fake's clock (default time.Now).
	Now func() time.Time
	// AppID and AppSecret are the registered app (defaults "fake-app", "fake-secret").
	AppID, AppSecret string
	// MediaPolls is how many status checks answer processing after an upload (default 1).
	MediaPolls int
	// MediaFails makes every video's processing fail.
	MediaFails bool
	// TokenLifetime is the access token's life (default 30 days).
	TokenLifetime time.Duration
}

// FaultKind is a failure the fake can be switched into.
type FaultKind = fakerec.FaultKind

// The faults.
const (
	Invalid      FaultKind = "invalid"
	Unauthorized FaultKind = "unauthorized"
	Forbidden    FaultKind = "forbidden"
	RateLimited  FaultKind = "rate_limited"
	ServerError  FaultKind = "server_error"
	// CommitThenFail does the work, then answers 500.
	CommitThenFail FaultKind = "commit_then_fail"
	// CommitThenDrop does the work, then drops the connection.
	CommitThenDrop FaultKind = "commit_then_drop"
	// Drop drops the connection without doing anything.
	Drop FaultKind = "drop"
)

// Fault switches a route ("POST /v5/pins") into a failure for its next Times calls (default 1).
type Fault = fakerec.Fault

// Request is one recorded request.
type Request = fakerec.Request

// Pin is a pin on the fake.
type Pin struct {
	ID, BoardID, SectionID        string
	Title, Description, Link, Alt string
	SourceType                    string
	ImageURLs                     []string
	ImageBytes                    int
	MediaID, CoverURL             string
	CoverFrame                    float64
	CreatedAt                     time.Time
	Impressions, Saves, PinClicks int64
	OutboundClicks, VideoViews    int64
	Deleted                       bool
}

// Media is a registered video.
type Media struct {
	ID, Status string
	Bytes      int
	polls      int
}

// Board is a board with its sections.
type Board struct {
	ID, Name string
	Sections [][2]string // id, name
}

// Server is the fake.
type Server struct {
	URL  string
	opts Options
	srv  *httptest.Server
	// Recorder records requests (Requests, Count) and takes faults (Inject).
	fakerec.Recorder

	mu      sync.Mutex
	access  map[string]time.Time
	refresh map[string]bool
	codes   map[string]string // code → redirect_uri
	boards  []Board
	pins    []*Pin
	media   map[string]*Media
	nextID  int64
	tk, rt  string
}

// Username is the fake account's username.
const Username = "relaisfake"

// New starts a fake with one account, two boards (one with two sections) and a token pair.
func New(t testing.TB, o Options) *Server {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.AppID == "" {
		o.AppID = "fake-app"
	}
	if o.AppSecret == "" {
		o.AppSecret = "fake-secret"
	}
	if o.MediaPolls == 0 {
		o.MediaPolls = 1
	}
	if o.TokenLifetime == 0 {
		o.TokenLifetime = 30 * 24 * time.Hour
	}
	s := &Server{opts: o, access: map[string]time.Time{}, refresh: map[string]bool{}, codes: map[string]string{}, media: map[string]*Media{},
		boards: []Board{
			{ID: "549755885175", Name: "Recettes", Sections: [][2]string{{"5027629787972154693", "Desserts"}, {"5027629787972154694", "Plats"}}},
			{ID: "549755885176", Name: "Voyages"},
		},
		nextID: 1_000_000_000_000_000_000}
	s.tk, s.rt = s.issue()
	s.RouteOf = routeOf
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	t.Cleanup(s.srv.Close)
	return s
}

// AppID is the registered app's id.
func (s *Server) AppID() string { return s.opts.AppID }

// AppSecret is the registered app's secret.
func (s *Server) AppSecret() string { return s.opts.AppSecret }

// Tokens returns the first access and refresh tokens.
func (s *Server) Tokens() (string, string) { return s.tk, s.rt }

// Boards returns the account's boards.
func (s *Server) Boards() []Board { return s.boards }

// Expire makes every access token expired.
func (s *Server) Expire() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for k := range s.access {
		s.access[k] = s.opts.Now().Add(-time.Second)
	}
}

// Pins returns the pins not deleted, oldest first.
func (s *Server) Pins() []Pin {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Pin
	for _, p := range s.pins {
		if !p.Deleted {
			out = append(out, *p)
		}
	}
	return out
}

// Media returns a registered video.
func (s *Server) Media(id string) (Media, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.media[id]
	if !ok {
		return Media{}, false
	}
	return *m, true
}

// SetAnalytics sets a pin's counts.
func (s *Server) SetAnalytics(id string, impressions, saves, pinClicks, outbound int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range s.pins {
		if p.ID == id {
			p.Impressions, p.Saves, p.PinClicks, p.OutboundClicks = impressions, saves, pinClicks, outbound
		}
	}
}

func (s *Server) issue() (string, string) {
	a, r := "pina_"+fakerec.RandomString(18), "pinr_"+fakerec.RandomString(18)
	s.access[a] = s.opts.Now().Add(s.opts.TokenLifetime)
	s.refresh[r] = true
	return a, r
}

// routeOf turns a path into its route pattern (ids replaced by :id).
func routeOf(p string) string {
	parts := strings.Split(p, "/")
	for i, x := range parts {
		if i > 2 && x != "" && strings.Trim(x, "0123456789") == "" {
			parts[i] = ":id"
		}
	}
	return strings.Join(parts, "/")
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("x-request-id", "req-"+fakerec.RandomString(18)[:10])
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// fail writes Pinterest's error shape.
func fail(w http.ResponseWriter, status, code int, message string) {
	writeJSON(w, status, map[string]any{"code": code, "message": message})
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 300<<20))
	// Chunk bytes are kept on the publish or media, not in the log.
	route, fault := s.Record(r, body, !strings.HasPrefix(r.URL.Path, "/upload/"))
	switch fault {
	case Invalid:
		fail(w, 400, 1, "Invalid request body")
		return
	case Unauthorized:
		fail(w, 401, 2, "Authentication failed.")
		return
	case Forbidden:
		fail(w, 403, 29, "You are not permitted to access that resource.")
		return
	case RateLimited:
		fail(w, 429, 8, "You have exceeded your rate limit. Try again later.")
		return
	case ServerError:
		fail(w, 503, 3, "Service unavailable")
		return
	case Drop:
		fakerec.DropConn(w)
		return
	}
	if fault == CommitThenFail || fault == CommitThenDrop {
		s.route(&fakerec.Discard{}, r, route, body)
		if fault == CommitThenDrop {
			fakerec.DropConn(w)
		} else {
			fail(w, 500, 3, "Internal error")
		}
		return
	}
	s.route(w, r, route, body)
}

func (s *Server) authorized(w http.ResponseWriter, r *http.Request) bool {
	tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	s.mu.Lock()
	exp, found := s.access[tok]
	s.mu.Unlock()
	if !found || !s.opts.Now().Before(exp) {
		fail(w, 401, 2, "Authentication failed.")
		return false
	}
	return true
}

func (s *Server) route(w http.ResponseWriter, r *http.Request, route string, body []byte) {
	switch {
	case route == "GET /oauth/":
		s.authorize(w, r)
		return
	case route == "POST /v5/oauth/token":
		s.token(w, r, body)
		return
	case strings.HasPrefix(route, "POST /upload/"):
		s.upload(w, r, body)
		return
	}
	if !s.authorized(w, r) {
		return
	}
	switch route {
	case "GET /v5/user_account":
		writeJSON(w, 200, map[string]any{"account_type": "BUSINESS", "id": "1016095833922256812", "username": Username, "business_name": "Relais Fake",
			"profile_image": "https://i.pinimg.example/avatar.jpg", "website_url": "https://relais.example", "follower_count": 321, "following_count": 12, "pin_count": 45, "board_count": len(s.boards)})
	case "GET /v5/user_account/analytics":
		s.accountAnalytics(w, r)
	case "GET /v5/boards":
		s.listBoards(w, r)
	case "GET /v5/boards/:id/sections":
		s.listSections(w, r)
	case "GET /v5/boards/:id/pins":
		s.boardPins(w, r)
	case "POST /v5/pins":
		s.createPin(w, body)
	case "DELETE /v5/pins/:id":
		s.deletePin(w, r)
	case "GET /v5/pins/:id/analytics":
		s.pinAnalytics(w, r)
	case "POST /v5/media":
		s.register(w, body)
	case "GET /v5/media/:id":
		s.mediaStatus(w, r)
	default:
		fail(w, 404, 404, "Not found: "+route)
	}
}

func (s *Server) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("client_id") != s.opts.AppID || q.Get("response_type") != "code" || !strings.Contains(q.Get("scope"), "pins:write") {
		http.Error(w, "invalid authorize request", http.StatusBadRequest)
		return
	}
	code := "code" + fakerec.RandomString(18)
	s.mu.Lock()
	s.codes[code] = q.Get("redirect_uri")
	s.mu.Unlock()
	back, err := url.Parse(q.Get("redirect_uri"))
	if err != nil {
		http.Error(w, "bad redirect_uri", http.StatusBadRequest)
		return
	}
	bq := back.Query()
	bq.Set("code", code)
	bq.Set("state", q.Get("state"))
	back.RawQuery = bq.Encode()
	http.Redirect(w, r, back.String(), http.StatusFound)
}

func (s *Server) token(w http.ResponseWriter, r *http.Request, body []byte) {
	id, secret, ok := r.BasicAuth()
	if !ok || id != s.opts.AppID || secret != s.opts.AppSecret {
		fail(w, 401, 1, "Authentication failed: invalid app credentials")
		return
	}
	form, _ := url.ParseQuery(string(body))
	s.mu.Lock()
	defer s.mu.Unlock()
	switch form.Get("grant_type") {
	case "authorization_code":
		redirect, found := s.codes[form.Get("code")]
		delete(s.codes, form.Get("code"))
		if !found || redirect != form.Get("redirect_uri") {
			fail(w, 400, 1, "Invalid authorization code or redirect_uri")
			return
		}
	case "refresh_token":
		if !s.refresh[form.Get("refresh_token")] {
			fail(w, 400, 1, "Invalid refresh token")
			return
		}
		// Pinterest keeps the refresh token: the same one is answered back.
		a := "pina_" + fakerec.RandomString(18)
		s.access[a] = s.opts.Now().Add(s.opts.TokenLifetime)
		writeJSON(w, 200, map[string]any{"access_token": a, "response_type": "refresh_token", "token_type": "bearer", "expires_in": int(s.opts.TokenLifetime / time.Second), "scope": form.Get("scope")})
		return
	default:
		fail(w, 400, 1, "Invalid grant_type")
		return
	}
	a, rt := s.issue()
	writeJSON(w, 200, map[string]any{"access_token": a, "refresh_token": rt, "response_type": "authorization_code", "token_type": "bearer",
		"expires_in": int(s.opts.TokenLifetime / time.Second), "refresh_token_expires_in": 31536000, "scope": "boards:read,boards:write,pins:read,pins:write,user_accounts:read"})
}

// page serves items with bookmark paging (page_size ≤ 250).
func page(w http.ResponseWriter, r *http.Request, items []map[string]any) {
	size, _ := strconv.Atoi(r.URL.Query().Get("page_size"))
	if size <= 0 {
		size = 25
	}
	if size > 250 {
		fail(w, 400, 1, "page_size must be at most 250")
		return
	}
	start, _ := strconv.Atoi(r.URL.Query().Get("bookmark"))
	start = min(max(start, 0), len(items))
	end := min(start+size, len(items))
	var bookmark any
	if end < len(items) {
		bookmark = strconv.Itoa(end)
	}
	writeJSON(w, 200, map[string]any{"items": items[start:end], "bookmark": bookmark})
}

func (s *Server) listBoards(w http.ResponseWriter, r *http.Request) {
	var items []map[string]any
	for _, b := range s.boards {
		items = append(items, map[string]any{"id": b.ID, "name": b.Name, "description": "", "privacy": "PUBLIC", "owner": map[string]string{"username": Username}})
	}
	page(w, r, items)
}

func (s *Server) board(id string) *Board {
	for i := range s.boards {
		if s.boards[i].ID == id {
			return &s.boards[i]
		}
	}
	return nil
}

func (s *Server) listSections(w http.ResponseWriter, r *http.Request) {
	b := s.board(strings.Split(r.URL.Path, "/")[3])
	if b == nil {
		fail(w, 404, 404, "Board not found.")
		return
	}
	items := []map[string]any{}
	for _, sec := range b.Sections {
		items = append(items, map[string]any{"id": sec[0], "name": sec[1]})
	}
	page(w, r, items)
}

func (s *Server) boardPins(w http.ResponseWriter, r *http.Request) {
	id := strings.Split(r.URL.Path, "/")[3]
	if s.board(id) == nil {
		fail(w, 404, 404, "Board not found.")
		return
	}
	s.mu.Lock()
	items := []map[string]any{}
	for i := len(s.pins) - 1; i >= 0; i-- {
		p := s.pins[i]
		if p.BoardID == id && !p.Deleted {
			items = append(items, pinJSON(p))
		}
	}
	s.mu.Unlock()
	page(w, r, items)
}

func pinJSON(p *Pin) map[string]any {
	return map[string]any{"id": p.ID, "created_at": p.CreatedAt.UTC().Format("2006-01-02T15:04:05"), "title": p.Title, "description": p.Description,
		"link": p.Link, "alt_text": p.Alt, "board_id": p.BoardID, "board_section_id": p.SectionID, "media": map[string]string{"media_type": p.SourceType}}
}

type pinBody struct {
	BoardID        string `json:"board_id"`
	BoardSectionID string `json:"board_section_id"`
	Title          string `json:"title"`
	Description    string `json:"description"`
	Link           string `json:"link"`
	AltText        string `json:"alt_text"`
	MediaSource    struct {
		SourceType  string  `json:"source_type"`
		URL         string  `json:"url"`
		ContentType string  `json:"content_type"`
		Data        string  `json:"data"`
		MediaID     string  `json:"media_id"`
		CoverURL    string  `json:"cover_image_url"`
		CoverFrame  float64 `json:"cover_image_key_frame_time"`
		Items       []struct {
			URL string `json:"url"`
		} `json:"items"`
	} `json:"media_source"`
}

func (s *Server) createPin(w http.ResponseWriter, body []byte) {
	var b pinBody
	if err := json.Unmarshal(body, &b); err != nil {
		fail(w, 400, 1, "Invalid request body")
		return
	}
	for field, lim := range map[string][2]int{"title": {utf8.RuneCountInString(b.Title), 100}, "description": {utf8.RuneCountInString(b.Description), 800},
		"alt_text": {utf8.RuneCountInString(b.AltText), 500}, "link": {len(b.Link), 2048}} {
		if lim[0] > lim[1] {
			fail(w, 400, 1, fmt.Sprintf("Invalid request body: '%s' must be at most %d characters", field, lim[1]))
			return
		}
	}
	bd := s.board(b.BoardID)
	if bd == nil {
		fail(w, 404, 2607, "Board not found.")
		return
	}
	if b.BoardSectionID != "" {
		found := false
		for _, sec := range bd.Sections {
			found = found || sec[0] == b.BoardSectionID
		}
		if !found {
			fail(w, 404, 2608, "Board section not found.")
			return
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p := &Pin{BoardID: b.BoardID, SectionID: b.BoardSectionID, Title: b.Title, Description: b.Description, Link: b.Link, Alt: b.AltText,
		SourceType: b.MediaSource.SourceType, CreatedAt: s.opts.Now()}
	ms := b.MediaSource
	switch ms.SourceType {
	case "image_url":
		if !strings.HasPrefix(ms.URL, "http") {
			fail(w, 400, 1, "Invalid request body: media_source.url must be an http(s) URL")
			return
		}
		p.ImageURLs = []string{ms.URL}
	case "image_base64":
		data, err := base64.StdEncoding.DecodeString(ms.Data)
		if err != nil || len(data) == 0 || !strings.HasPrefix(ms.ContentType, "image/") {
			fail(w, 400, 1, "Invalid request body: media_source.data must be base64 image bytes with an image content_type")
			return
		}
		p.ImageBytes = len(data)
	case "multiple_image_urls":
		if len(ms.Items) < 2 || len(ms.Items) > 5 {
			fail(w, 400, 1, "Invalid request body: a carousel has 2 to 5 items")
			return
		}
		for _, it := range ms.Items {
			p.ImageURLs = append(p.ImageURLs, it.URL)
		}
	case "video_id":
		m := s.media[ms.MediaID]
		if m == nil || m.Status != "succeeded" {
			fail(w, 400, 1, "Invalid request body: media_id is not a processed video")
			return
		}
		if ms.CoverURL == "" && ms.CoverFrame < 0 {
			fail(w, 400, 1, "Invalid request body: a video pin needs a cover")
			return
		}
		p.MediaID, p.CoverURL, p.CoverFrame = ms.MediaID, ms.CoverURL, ms.CoverFrame
	default:
		fail(w, 400, 1, "Invalid request body: unknown media_source.source_type")
		return
	}
	s.nextID += 17
	p.ID = strconv.FormatInt(s.nextID, 10)
	s.pins = append(s.pins, p)
	writeJSON(w, 201, pinJSON(p))
}

func (s *Server) findPin(id string) *Pin {
	for _, p := range s.pins {
		if p.ID == id && !p.Deleted {
			return p
		}
	}
	return nil
}

func (s *Server) deletePin(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.findPin(strings.Split(r.URL.Path, "/")[3])
	if p == nil {
		fail(w, 404, 404, "Pin not found.")
		return
	}
	p.Deleted = true
	w.WriteHeader(http.StatusNoContent)
}

// checkDates enforces start_date/end_date, at most 90 days back.
func (s *Server) checkDates(w http.ResponseWriter, r *http.Request) bool {
	from, err1 := time.Parse(time.DateOnly, r.URL.Query().Get("start_date"))
	to, err2 := time.Parse(time.DateOnly, r.URL.Query().Get("end_date"))
	if err1 != nil || err2 != nil || to.Before(from) {
		fail(w, 400, 1, "start_date and end_date are required (YYYY-MM-DD)")
		return false
	}
	if s.opts.Now().Sub(from) > 90*24*time.Hour {
		fail(w, 400, 1, "start_date cannot be more than 90 days ago")
		return false
	}
	return true
}

var knownMetrics = map[string]bool{"IMPRESSION": true, "SAVE": true, "PIN_CLICK": true, "OUTBOUND_CLICK": true, "VIDEO_MRC_VIEW": true, "VIDEO_AVG_WATCH_TIME": true, "VIDEO_V50_WATCH_TIME": true, "QUARTILE_95_PERCENT_VIEW": true, "TOTAL_COMMENTS": true, "TOTAL_REACTIONS": true}

func (s *Server) pinAnalytics(w http.ResponseWriter, r *http.Request) {
	if !s.checkDates(w, r) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.findPin(strings.Split(r.URL.Path, "/")[3])
	if p == nil {
		fail(w, 404, 404, "Pin not found.")
		return
	}
	values := map[string]int64{"IMPRESSION": p.Impressions, "SAVE": p.Saves, "PIN_CLICK": p.PinClicks, "OUTBOUND_CLICK": p.OutboundClicks, "VIDEO_MRC_VIEW": p.VideoViews}
	sum := map[string]int64{}
	for _, m := range strings.Split(r.URL.Query().Get("metric_types"), ",") {
		if !knownMetrics[m] {
			fail(w, 400, 1, "Invalid metric_types: "+m)
			return
		}
		sum[m] = values[m]
	}
	writeJSON(w, 200, map[string]any{"all": map[string]any{"daily_metrics": []any{}, "summary_metrics": sum}})
}

func (s *Server) accountAnalytics(w http.ResponseWriter, r *http.Request) {
	if !s.checkDates(w, r) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sum := map[string]int64{}
	for _, p := range s.pins {
		sum["IMPRESSION"] += p.Impressions
		sum["SAVE"] += p.Saves
		sum["PIN_CLICK"] += p.PinClicks
		sum["OUTBOUND_CLICK"] += p.OutboundClicks
		sum["ENGAGEMENT"] += p.Saves + p.PinClicks + p.OutboundClicks
	}
	writeJSON(w, 200, map[string]any{"all": map[string]any{"daily_metrics": []any{}, "summary_metrics": sum}})
}

func (s *Server) register(w http.ResponseWriter, body []byte) {
	var b struct {
		MediaType string `json:"media_type"`
	}
	if err := json.Unmarshal(body, &b); err != nil || b.MediaType != "video" {
		fail(w, 400, 1, "Invalid request body: media_type must be video")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextID++
	id := strconv.FormatInt(s.nextID%1_000_000_000_000, 10)
	s.media[id] = &Media{ID: id, Status: "registered"}
	writeJSON(w, 201, map[string]any{"media_id": id, "media_type": "video", "upload_url": s.URL + "/upload/" + id,
		"upload_parameters": map[string]string{"key": "uploads/" + id, "policy": "cG9saWN5", "x-amz-signature": "fake-signature", "Content-Type": "multipart/form-data"}})
}

// upload takes the form POST to the upload URL: every upload parameter, then the file.
func (s *Server) upload(w http.ResponseWriter, r *http.Request, body []byte) {
	id := strings.TrimPrefix(r.URL.Path, "/upload/")
	_, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		http.Error(w, "not a form", http.StatusBadRequest)
		return
	}
	mr := multipart.NewReader(strings.NewReader(string(body)), params["boundary"])
	fields, size := map[string]string{}, -1
	for {
		part, err := mr.NextPart()
		if err != nil {
			break
		}
		b, _ := io.ReadAll(part)
		if part.FormName() == "file" {
			size = len(b)
			continue
		}
		fields[part.FormName()] = string(b)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.media[id]
	if m == nil || fields["key"] != "uploads/"+id || fields["x-amz-signature"] == "" || size <= 0 {
		http.Error(w, "<Error><Code>AccessDenied</Code></Error>", http.StatusForbidden)
		return
	}
	m.Bytes, m.Status, m.polls = size, "processing", s.opts.MediaPolls
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) mediaStatus(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.media[strings.Split(r.URL.Path, "/")[3]]
	if m == nil {
		fail(w, 404, 404, "Media not found.")
		return
	}
	if m.Status == "processing" {
		if m.polls > 0 {
			m.polls--
		} else if s.opts.MediaFails {
			m.Status = "failed"
		} else {
			m.Status = "succeeded"
		}
	}
	writeJSON(w, 200, map[string]any{"media_id": m.ID, "media_type": "video", "status": m.Status})
}
