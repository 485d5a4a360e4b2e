// Package gbptest is a contract-faithful fake of the Google Business
// Profile APIs for connector tests, on real loopback HTTP: Google OAuth
// 2.0 (consent redirect, token endpoint with codes and refresh tokens that
// do not rotate), Account Management v1 accounts, Business Information v1
// locations (readMask required), My Business v4 local posts (create, list,
// delete; validated like Google: 1,500 characters, topic types, event
// schedules, offers, call-to-action types and URLs, photos by public URL),
// v4 reviews (list newest first with page tokens, get, PUT reply), and
// Performance v1 fetchMultiDailyMetricsTimeSeries (unknown metric names
// refused). Errors use Google's {"error":{code,message,status}} shape;
// 429 RESOURCE_EXHAUSTED carries no rate-limit headers. Requests are
// recorded and each route can be switched into failures.
package gbptest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/relais/relais/internal/network/fakerec"
)

// Options configures a fake.
type Options struct {
	// Now is the fake's clock (default time.Now).
	Now func() time.Time
	// ClientID and ClientSecret are the registered client (defaults "g-client", "g-secret").
	ClientID, ClientSecret string
	// Locations are the account's locations (default one: "Boulangerie Relais").
	Locations []Location
}

// Location is a business on the fake.
type Location struct {
	ID, Title string
}

// FaultKind, Fault and Request are the fakes' common ones (fakerec).
type (
	FaultKind = fakerec.FaultKind
	Fault     = fakerec.Fault
	Request   = fakerec.Request
)

// The faults, in Google's shapes: Invalid 400 INVALID_ARGUMENT,
// Unauthorized 401 UNAUTHENTICATED, Forbidden 403 PERMISSION_DENIED,
// RateLimited 429 RESOURCE_EXHAUSTED, ServerError 503 UNAVAILABLE,
// CommitThenFail 500 INTERNAL after the work, CommitThenDrop, Drop.
const (
	Invalid        = fakerec.Invalid
	Unauthorized   = fakerec.Unauthorized
	Forbidden      = fakerec.Forbidden
	RateLimited    = fakerec.RateLimited
	ServerError    = fakerec.ServerError
	CommitThenFail = fakerec.CommitThenFail
	CommitThenDrop = fakerec.CommitThenDrop
	Drop           = fakerec.Drop
)

// Post is a local post on the fake.
type Post struct {
	Name, Location string
	Body           map[string]any
	Summary        string
	CreatedAt      time.Time
	Deleted        bool
}

// Review is a review on the fake.
type Review struct {
	Name, Location, Reviewer, Stars, Comment, Reply string
	CreateTime, UpdateTime                          time.Time
}

// AccountName is the fake's one account.
const AccountName = "accounts/1098765"

// Server is the fake.
type Server struct {
	URL  string
	opts Options
	srv  *httptest.Server

	// Recorder records requests and holds faults (Inject, Requests, Count).
	fakerec.Recorder

	mu      sync.Mutex
	access  map[string]time.Time
	refresh map[string]bool
	codes   map[string]string
	posts   []*Post
	reviews []*Review
	metrics map[string]map[string]int64 // location → metric → value per day
	seq     int
	tok, rt string
}

// New starts a fake.
func New(t testing.TB, o Options) *Server {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.ClientID == "" {
		o.ClientID, o.ClientSecret = "g-client", "g-secret"
	}
	if o.Locations == nil {
		o.Locations = []Location{{ID: "4242", Title: "Boulangerie Relais"}}
	}
	s := &Server{opts: o, access: map[string]time.Time{}, refresh: map[string]bool{}, codes: map[string]string{}, metrics: map[string]map[string]int64{}}
	s.tok, s.rt = s.issue(true)
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	t.Cleanup(s.srv.Close)
	return s
}

// App returns the registered client id and secret.
func (s *Server) App() (string, string) { return s.opts.ClientID, s.opts.ClientSecret }

// Tokens returns the first access and refresh tokens.
func (s *Server) Tokens() (string, string) { return s.tok, s.rt }

// Expire makes every access token expired.
func (s *Server) Expire() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for k := range s.access {
		s.access[k] = s.opts.Now().Add(-time.Second)
	}
}

// Posts returns the local posts not deleted, oldest first.
func (s *Server) Posts() []Post {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Post
	for _, p := range s.posts {
		if !p.Deleted {
			out = append(out, *p)
		}
	}
	return out
}

// AddReview adds a review of a location ("4242") and returns its name.
func (s *Server) AddReview(locationID, reviewer, stars, comment string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	now := s.opts.Now().UTC().Add(time.Duration(s.seq) * time.Millisecond)
	r := &Review{Name: fmt.Sprintf("%s/locations/%s/reviews/r%d", AccountName, locationID, s.seq), Location: locationID, Reviewer: reviewer, Stars: stars, Comment: comment, CreateTime: now, UpdateTime: now}
	s.reviews = append(s.reviews, r)
	return r.Name
}

// Review returns a review by name.
func (s *Server) Review(name string) (Review, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range s.reviews {
		if r.Name == name {
			return *r, true
		}
	}
	return Review{}, false
}

// SetMetric sets a location's daily value of a metric (every day of any range).
func (s *Server) SetMetric(locationID, metric string, perDay int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.metrics[locationID] == nil {
		s.metrics[locationID] = map[string]int64{}
	}
	s.metrics[locationID][metric] = perDay
}

func (s *Server) issue(withRefresh bool) (string, string) {
	a := "ya29." + fakerec.Random()
	s.access[a] = s.opts.Now().Add(time.Hour)
	if !withRefresh {
		return a, ""
	}
	r := "1//" + fakerec.Random()
	s.refresh[r] = true
	return a, r
}

// routeOf names a request's route: the id after each collection replaced
// by :id ("GET /v4/accounts/:id/locations/:id/reviews"), a custom method
// kept ("/v1/locations/:id:fetchMultiDailyMetricsTimeSeries").
func routeOf(method, p string) string {
	parts := strings.Split(p, "/")
	for i := 1; i < len(parts); i++ {
		switch parts[i-1] {
		case "accounts", "locations", "localPosts", "reviews":
			if i > 2 {
				seg := parts[i]
				parts[i] = ":id"
				if j := strings.IndexByte(seg, ':'); j >= 0 {
					parts[i] += seg[j:]
				}
			}
		}
	}
	return method + " " + strings.Join(parts, "/")
}

func gError(w http.ResponseWriter, code int, status, msg string) {
	writeJSON(w, code, map[string]any{"error": map[string]any{"code": code, "message": msg, "status": status}})
}

func writeJSON(w http.ResponseWriter, status int, v any) { fakerec.JSON(w, status, v) }

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	route := routeOf(r.Method, r.URL.Path)
	s.Serve(w, r, route, answerFault, func(w http.ResponseWriter, body []byte) { s.route(w, r, route, body) })
}

// answerFault writes a fault in Google's shape.
func answerFault(w http.ResponseWriter, kind FaultKind) {
	switch kind {
	case Invalid:
		gError(w, 400, "INVALID_ARGUMENT", "Request contains an invalid argument.")
	case Unauthorized:
		gError(w, 401, "UNAUTHENTICATED", "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.")
	case Forbidden:
		gError(w, 403, "PERMISSION_DENIED", "The caller does not have permission")
	case RateLimited:
		gError(w, 429, "RESOURCE_EXHAUSTED", "Quota exceeded for quota metric 'Requests' and limit 'Requests per minute' of service 'mybusiness.googleapis.com'.")
	case CommitThenFail:
		gError(w, 500, "INTERNAL", "Internal error encountered.")
	default:
		gError(w, 503, "UNAVAILABLE", "The service is currently unavailable.")
	}
}

func (s *Server) route(w http.ResponseWriter, r *http.Request, route string, body []byte) {
	switch route {
	case "GET /o/oauth2/v2/auth":
		s.authorize(w, r)
		return
	case "POST /token":
		s.token(w, body)
		return
	}
	tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	s.mu.Lock()
	defer s.mu.Unlock()
	if exp, ok := s.access[tok]; !ok || !exp.After(s.opts.Now()) {
		gError(w, 401, "UNAUTHENTICATED", "Request had invalid authentication credentials.")
		return
	}
	parts := strings.Split(r.URL.Path, "/")
	switch route {
	case "GET /v1/accounts":
		writeJSON(w, 200, map[string]any{"accounts": []any{map[string]any{"name": AccountName, "accountName": "Relais SARL", "type": "PERSONAL", "verificationState": "VERIFIED"}}})
	case "GET /v1/accounts/:id/locations":
		if r.URL.Query().Get("readMask") == "" {
			gError(w, 400, "INVALID_ARGUMENT", "Request contains an invalid argument: read_mask is required")
			return
		}
		if "accounts/"+parts[3] != AccountName {
			gError(w, 404, "NOT_FOUND", "Requested entity was not found.")
			return
		}
		s.listLocations(w, r)
	case "GET /v1/locations/:id":
		if l, ok := s.location(parts[3]); ok {
			writeJSON(w, 200, s.locationJSON(l))
			return
		}
		gError(w, 404, "NOT_FOUND", "Requested entity was not found.")
	case "POST /v4/accounts/:id/locations/:id/localPosts":
		s.createPost(w, parts[5], body)
	case "GET /v4/accounts/:id/locations/:id/localPosts":
		var els []any
		for i := len(s.posts) - 1; i >= 0 && len(els) < 10; i-- {
			if p := s.posts[i]; !p.Deleted && p.Location == parts[5] {
				els = append(els, s.postJSON(p))
			}
		}
		writeJSON(w, 200, map[string]any{"localPosts": els})
	case "DELETE /v4/accounts/:id/locations/:id/localPosts/:id":
		name := strings.TrimPrefix(r.URL.Path, "/v4/")
		for _, p := range s.posts {
			if p.Name == name && !p.Deleted {
				p.Deleted = true
				writeJSON(w, 200, map[string]any{})
				return
			}
		}
		gError(w, 404, "NOT_FOUND", "Requested entity was not found.")
	case "GET /v4/accounts/:id/locations/:id/reviews":
		s.listReviews(w, r, parts[5])
	case "GET /v4/accounts/:id/locations/:id/reviews/:id":
		if rv := s.review(strings.TrimPrefix(r.URL.Path, "/v4/")); rv != nil {
			writeJSON(w, 200, s.reviewJSON(rv))
			return
		}
		gError(w, 404, "NOT_FOUND", "Requested entity was not found.")
	case "PUT /v4/accounts/:id/locations/:id/reviews/:id/reply":
		rv := s.review(strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/v4/"), "/reply"))
		var b struct {
			Comment string `json:"comment"`
		}
		_ = json.Unmarshal(body, &b)
		switch {
		case rv == nil:
			gError(w, 404, "NOT_FOUND", "Requested entity was not found.")
		case strings.TrimSpace(b.Comment) == "" || len([]rune(b.Comment)) > 4096:
			gError(w, 400, "INVALID_ARGUMENT", "Request contains an invalid argument: comment must be 1 to 4096 characters")
		default:
			rv.Reply = b.Comment
			writeJSON(w, 200, map[string]any{"comment": b.Comment, "updateTime": s.opts.Now().UTC().Format(time.RFC3339Nano)})
		}
	case "GET /v1/locations/:id:fetchMultiDailyMetricsTimeSeries":
		s.performance(w, r, strings.TrimSuffix(parts[3], ":fetchMultiDailyMetricsTimeSeries"))
	default:
		gError(w, 404, "NOT_FOUND", "The requested URL "+r.URL.Path+" was not found on this server.")
	}
}

func (s *Server) location(id string) (Location, bool) {
	for _, l := range s.opts.Locations {
		if l.ID == id {
			return l, true
		}
	}
	return Location{}, false
}

func (s *Server) locationJSON(l Location) map[string]any {
	return map[string]any{"name": "locations/" + l.ID, "title": l.Title, "metadata": map[string]any{"mapsUri": "https://maps.google.com/maps?cid=" + l.ID, "newReviewUri": "https://search.google.com/local/writereview?placeid=" + l.ID, "hasVoiceOfMerchant": true}}
}

func (s *Server) listLocations(w http.ResponseWriter, r *http.Request) {
	start, _ := strconv.Atoi(r.URL.Query().Get("pageToken"))
	size, _ := strconv.Atoi(r.URL.Query().Get("pageSize"))
	if size <= 0 || size > 100 {
		size = 10
	}
	var els []any
	for i := start; i < len(s.opts.Locations) && len(els) < size; i++ {
		els = append(els, s.locationJSON(s.opts.Locations[i]))
	}
	ans := map[string]any{"locations": els}
	if start+size < len(s.opts.Locations) {
		ans["nextPageToken"] = strconv.Itoa(start + size)
	}
	writeJSON(w, 200, ans)
}

func (s *Server) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("client_id") != s.opts.ClientID || q.Get("redirect_uri") == "" || !strings.Contains(q.Get("scope"), "business.manage") {
		http.Error(w, "Error 400: invalid_request", http.StatusBadRequest)
		return
	}
	code := "4/" + fakerec.Random()
	s.mu.Lock()
	s.codes[code] = q.Get("redirect_uri")
	s.mu.Unlock()
	fakerec.Consent(w, r, code, url.Values{"scope": {q.Get("scope")}})
}

func (s *Server) token(w http.ResponseWriter, body []byte) {
	f, _ := url.ParseQuery(string(body))
	if f.Get("client_id") != s.opts.ClientID || f.Get("client_secret") != s.opts.ClientSecret {
		writeJSON(w, 401, map[string]any{"error": "invalid_client", "error_description": "The OAuth client was not found."})
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch f.Get("grant_type") {
	case "authorization_code":
		if redirect, ok := s.codes[f.Get("code")]; !ok || redirect != f.Get("redirect_uri") {
			writeJSON(w, 400, map[string]any{"error": "invalid_grant", "error_description": "Bad Request"})
			return
		}
		delete(s.codes, f.Get("code"))
		a, rt := s.issue(true)
		writeJSON(w, 200, map[string]any{"access_token": a, "expires_in": 3599, "refresh_token": rt, "scope": "https://www.googleapis.com/auth/business.manage", "token_type": "Bearer"})
	case "refresh_token":
		if !s.refresh[f.Get("refresh_token")] {
			writeJSON(w, 400, map[string]any{"error": "invalid_grant", "error_description": "Token has been expired or revoked."})
			return
		}
		a, _ := s.issue(false)
		writeJSON(w, 200, map[string]any{"access_token": a, "expires_in": 3599, "scope": "https://www.googleapis.com/auth/business.manage", "token_type": "Bearer"})
	default:
		writeJSON(w, 400, map[string]any{"error": "unsupported_grant_type", "error_description": "Invalid grant_type"})
	}
}

var (
	topics  = map[string]bool{"STANDARD": true, "EVENT": true, "OFFER": true}
	actions = map[string]bool{"BOOK": true, "ORDER": true, "SHOP": true, "LEARN_MORE": true, "SIGN_UP": true, "CALL": true}
)

func (s *Server) createPost(w http.ResponseWriter, locID string, body []byte) {
	if _, ok := s.location(locID); !ok {
		gError(w, 404, "NOT_FOUND", "Requested entity was not found.")
		return
	}
	var b struct {
		LanguageCode string `json:"languageCode"`
		Summary      string `json:"summary"`
		TopicType    string `json:"topicType"`
		CallToAction *struct {
			ActionType string `json:"actionType"`
			URL        string `json:"url"`
		} `json:"callToAction"`
		Event *struct {
			Title    string `json:"title"`
			Schedule *struct {
				StartDate *struct{ Year, Month, Day int } `json:"startDate"`
				EndDate   *struct{ Year, Month, Day int } `json:"endDate"`
			} `json:"schedule"`
		} `json:"event"`
		Offer *struct {
			RedeemOnlineURL string `json:"redeemOnlineUrl"`
		} `json:"offer"`
		Media []struct {
			MediaFormat string `json:"mediaFormat"`
			SourceURL   string `json:"sourceUrl"`
		} `json:"media"`
	}
	bad := func(msg string) { gError(w, 400, "INVALID_ARGUMENT", "Request contains an invalid argument: "+msg) }
	if err := json.Unmarshal(body, &b); err != nil {
		bad(err.Error())
		return
	}
	switch {
	case !topics[b.TopicType]:
		bad("topic_type must be STANDARD, EVENT or OFFER")
	case len([]rune(b.Summary)) > 1500:
		bad(fmt.Sprintf("summary is %d characters; the maximum is 1500", len([]rune(b.Summary))))
	case b.TopicType != "STANDARD" && (b.Event == nil || b.Event.Title == "" || b.Event.Schedule == nil || b.Event.Schedule.StartDate == nil || b.Event.Schedule.EndDate == nil):
		bad("event with title and schedule is required for topic types EVENT and OFFER")
	case b.TopicType != "OFFER" && b.Offer != nil:
		bad("offer is only for topic type OFFER")
	case b.CallToAction != nil && (!actions[b.CallToAction.ActionType] || (b.CallToAction.ActionType != "CALL" && !strings.HasPrefix(b.CallToAction.URL, "http"))):
		bad("call_to_action needs a known action_type and, except CALL, a url")
	default:
		for _, m := range b.Media {
			if m.MediaFormat != "PHOTO" || !strings.HasPrefix(m.SourceURL, "http") {
				bad("media need media_format PHOTO and a public source_url")
				return
			}
		}
		var raw map[string]any
		_ = json.Unmarshal(body, &raw)
		s.seq++
		p := &Post{Name: fmt.Sprintf("%s/locations/%s/localPosts/%d", AccountName, locID, 900000+s.seq), Location: locID, Body: raw, Summary: b.Summary, CreatedAt: s.opts.Now().UTC()}
		s.posts = append(s.posts, p)
		writeJSON(w, 200, s.postJSON(p))
	}
}

func (s *Server) postJSON(p *Post) map[string]any {
	out := map[string]any{}
	for k, v := range p.Body {
		out[k] = v
	}
	out["name"], out["state"] = p.Name, "LIVE"
	out["createTime"], out["updateTime"] = p.CreatedAt.Format(time.RFC3339Nano), p.CreatedAt.Format(time.RFC3339Nano)
	out["searchUrl"] = "https://local.google.com/place?id=" + p.Location + "&use=posts&lpsid=" + p.Name[strings.LastIndexByte(p.Name, '/')+1:]
	return out
}

func (s *Server) review(name string) *Review {
	for _, r := range s.reviews {
		if r.Name == name {
			return r
		}
	}
	return nil
}

func (s *Server) reviewJSON(r *Review) map[string]any {
	id := r.Name[strings.LastIndexByte(r.Name, '/')+1:]
	out := map[string]any{"name": r.Name, "reviewId": id, "reviewer": map[string]any{"displayName": r.Reviewer, "profilePhotoUrl": "https://lh3.googleusercontent.com/" + id},
		"starRating": r.Stars, "createTime": r.CreateTime.Format(time.RFC3339Nano), "updateTime": r.UpdateTime.Format(time.RFC3339Nano)}
	if r.Comment != "" {
		out["comment"] = r.Comment
	}
	if r.Reply != "" {
		out["reviewReply"] = map[string]any{"comment": r.Reply, "updateTime": r.UpdateTime.Format(time.RFC3339Nano)}
	}
	return out
}

func (s *Server) listReviews(w http.ResponseWriter, r *http.Request, locID string) {
	q := r.URL.Query()
	size, _ := strconv.Atoi(q.Get("pageSize"))
	if size <= 0 || size > 50 {
		size = 50
	}
	var list []*Review
	for _, rv := range s.reviews {
		if rv.Location == locID {
			list = append(list, rv)
		}
	}
	sort.SliceStable(list, func(i, j int) bool { return list[i].UpdateTime.After(list[j].UpdateTime) })
	start, _ := strconv.Atoi(q.Get("pageToken"))
	var els []any
	var total float64
	for _, rv := range list {
		total += float64(map[string]int{"ONE": 1, "TWO": 2, "THREE": 3, "FOUR": 4, "FIVE": 5}[rv.Stars])
	}
	for i := start; i < len(list) && len(els) < size; i++ {
		els = append(els, s.reviewJSON(list[i]))
	}
	ans := map[string]any{"reviews": els, "totalReviewCount": len(list)}
	if len(list) > 0 {
		ans["averageRating"] = total / float64(len(list))
	}
	if start+size < len(list) {
		ans["nextPageToken"] = strconv.Itoa(start + size)
	}
	writeJSON(w, 200, ans)
}

// knownMetrics are the Performance API's DailyMetric names the fake accepts.
var knownMetrics = map[string]bool{
	"BUSINESS_IMPRESSIONS_DESKTOP_MAPS": true, "BUSINESS_IMPRESSIONS_DESKTOP_SEARCH": true, "BUSINESS_IMPRESSIONS_MOBILE_MAPS": true,
	"BUSINESS_IMPRESSIONS_MOBILE_SEARCH": true, "BUSINESS_CONVERSATIONS": true, "BUSINESS_DIRECTION_REQUESTS": true, "CALL_CLICKS": true,
	"WEBSITE_CLICKS": true, "BUSINESS_BOOKINGS": true, "BUSINESS_FOOD_ORDERS": true, "BUSINESS_FOOD_MENU_CLICKS": true,
}

func (s *Server) performance(w http.ResponseWriter, r *http.Request, locID string) {
	q := r.URL.Query()
	if _, ok := s.location(locID); !ok {
		gError(w, 404, "NOT_FOUND", "Requested entity was not found.")
		return
	}
	day := func(prefix string) (time.Time, bool) {
		y, e1 := strconv.Atoi(q.Get(prefix + ".year"))
		m, e2 := strconv.Atoi(q.Get(prefix + ".month"))
		d, e3 := strconv.Atoi(q.Get(prefix + ".day"))
		return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC), e1 == nil && e2 == nil && e3 == nil
	}
	from, ok1 := day("dailyRange.startDate")
	to, ok2 := day("dailyRange.endDate")
	if !ok1 || !ok2 || to.Before(from) || len(q["dailyMetrics"]) == 0 {
		gError(w, 400, "INVALID_ARGUMENT", "Request contains an invalid argument: daily_range and daily_metrics are required")
		return
	}
	var series []any
	for _, m := range q["dailyMetrics"] {
		if !knownMetrics[m] {
			gError(w, 400, "INVALID_ARGUMENT", "Invalid value at 'daily_metrics' ("+m+")")
			return
		}
		var vals []any
		for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
			v := map[string]any{"date": map[string]any{"year": d.Year(), "month": int(d.Month()), "day": d.Day()}}
			if n, ok := s.metrics[locID][m]; ok {
				v["value"] = strconv.FormatInt(n, 10)
			}
			vals = append(vals, v)
		}
		series = append(series, map[string]any{"dailyMetric": m, "timeSeries": map[string]any{"datedValues": vals}})
	}
	writeJSON(w, 200, map[string]any{"multiDailyMetricTimeSeries": []any{map[string]any{"dailyMetricTimeSeries": series}}})
}
