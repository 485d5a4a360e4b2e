package youtubetest

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"github.com/relais/relais/internal/network/fakerec"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// chunkUnit is the resumable protocol's chunk granularity.
const chunkUnit = 256 << 10

// costs are the quota units of each route (determine_quota_cost).
var costs = map[string]int{
	"GET /youtube/v3/channels": 1, "GET /youtube/v3/videos": 1, "DELETE /youtube/v3/videos": 50,
	"GET /youtube/v3/commentThreads": 1, "POST /youtube/v3/commentThreads": 50, "GET /youtube/v3/comments": 1,
	"POST /youtube/v3/comments": 50, "POST /youtube/v3/comments/setModerationStatus": 50,
	"POST /upload/youtube/v3/thumbnails/set": 50, "POST /youtube/v3/playlistItems": 50, "GET /youtube/v3/playlistItems": 1,
}

var categories = map[string]bool{"1": true, "2": true, "10": true, "15": true, "17": true, "19": true, "20": true, "22": true, "23": true, "24": true, "25": true, "26": true, "27": true, "28": true}

var pacific = func() *time.Location {
	l, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		return time.FixedZone("PST", -8*3600)
	}
	return l
}()

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	route := r.Method + " " + r.URL.Path
	s.mu.Lock()
	rec := Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Header: r.Header.Clone(), Length: len(body)}
	if !strings.HasPrefix(r.URL.Path, "/upload/") {
		rec.Body = body
	}
	s.requests = append(s.requests, rec)
	fault := s.faults.Take(route)
	s.mu.Unlock()
	switch fault {
	case Invalid:
		googleError(w, 400, "badRequest", "global", "Bad Request")
		return
	case Unauthorized:
		googleError(w, 401, "authError", "global", "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.")
		return
	case QuotaExceeded:
		s.quotaExceeded(w)
		return
	case Forbidden:
		googleError(w, 403, "insufficientPermissions", "global", "Request had insufficient authentication scopes.")
		return
	case ServerError:
		googleError(w, 503, "backendError", "global", "Backend Error")
		return
	case Drop:
		drop(w)
		return
	case Interrupt:
		s.interrupt(r, body)
		drop(w)
		return
	case Expire:
		s.mu.Lock()
		if se := s.sessions[r.URL.Query().Get("upload_id")]; se != nil {
			se.gone = true
		}
		s.mu.Unlock()
	}
	rw := &fakerec.Muted{ResponseWriter: w, Mute: fault == CommitThenFail || fault == CommitThenDrop}
	s.route(rw, r, route, body)
	switch fault {
	case CommitThenFail:
		googleError(w, 500, "backendError", "global", "Backend Error")
	case CommitThenDrop:
		drop(w)
	}
}

func (s *Server) quotaExceeded(w http.ResponseWriter) {
	googleError(w, 403, "quotaExceeded", "youtube.quota", "The request cannot be completed because you have exceeded your <a href=\"/youtube/v3/getting-started#quota\">quota</a>.")
}

func (s *Server) route(w http.ResponseWriter, r *http.Request, route string, body []byte) {
	switch route {
	case "POST /token":
		s.token(w, body)
		return
	case "GET /o/oauth2/v2/auth":
		s.consent(w, r)
		return
	}
	if !s.authenticate(w, r) || !s.charge(w, route) {
		return
	}
	q := r.URL.Query()
	switch route {
	case "GET /youtube/v3/channels":
		s.channels(w, q)
	case "GET /youtube/v3/search":
		s.search(w, q)
	case "POST /upload/youtube/v3/videos":
		s.startUpload(w, r, body)
	case "PUT /upload/youtube/v3/videos":
		s.putUpload(w, r, body)
	case "GET /youtube/v3/videos":
		s.listVideos(w, q)
	case "DELETE /youtube/v3/videos":
		s.deleteVideo(w, q.Get("id"))
	case "POST /upload/youtube/v3/thumbnails/set":
		s.thumbnail(w, r, q.Get("videoId"), body)
	case "POST /youtube/v3/playlistItems":
		s.playlistItem(w, body)
	case "GET /youtube/v3/playlistItems":
		s.listPlaylistItems(w, q)
	case "GET /youtube/v3/commentThreads":
		s.listThreads(w, q)
	case "POST /youtube/v3/commentThreads":
		s.insertThread(w, body)
	case "GET /youtube/v3/comments":
		s.listComments(w, q)
	case "POST /youtube/v3/comments":
		s.insertComment(w, body)
	case "POST /youtube/v3/comments/setModerationStatus":
		s.moderate(w, q)
	case "GET /v2/reports":
		s.report(w, q)
	default:
		googleError(w, 404, "notFound", "global", "Not Found")
	}
}

func (s *Server) authenticate(w http.ResponseWriter, r *http.Request) bool {
	tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	s.mu.Lock()
	t, ok := s.access[tok]
	s.mu.Unlock()
	if !ok || !s.opts.Now().Before(t.expires) {
		googleError(w, 401, "authError", "global", "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.")
		return false
	}
	return true
}

// charge counts a call's quota on the Pacific day; over budget it answers 403 quotaExceeded.
func (s *Server) charge(w http.ResponseWriter, route string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	day := s.opts.Now().In(pacific).Format("2006-01-02")
	if day != s.quotaDay {
		s.quotaDay, s.units, s.uploads, s.searches = day, 0, 0, 0
	}
	if route == "GET /youtube/v3/search" {
		if s.searches >= s.opts.SearchesPerDay {
			s.quotaExceeded(w)
			return false
		}
		s.searches++
		return true
	}
	if route == "POST /upload/youtube/v3/videos" {
		if s.uploads >= s.opts.UploadsPerDay {
			s.quotaExceeded(w)
			return false
		}
		s.uploads++
		return true
	}
	c, ok := costs[route]
	if !ok {
		return true
	}
	if s.units+c > s.opts.DailyUnits {
		s.quotaExceeded(w)
		return false
	}
	s.units += c
	return true
}

func (s *Server) consent(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("client_id") != s.opts.ClientID || q.Get("response_type") != "code" || q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "" || !strings.Contains(q.Get("scope"), "youtube") {
		http.Error(w, "Error 400: invalid_request", http.StatusBadRequest)
		return
	}
	code := "4/" + randomString()
	s.mu.Lock()
	s.codes[code] = [2]string{q.Get("code_challenge"), q.Get("redirect_uri")}
	s.mu.Unlock()
	u, _ := url.Parse(q.Get("redirect_uri"))
	uq := u.Query()
	uq.Set("state", q.Get("state"))
	uq.Set("code", code)
	uq.Set("scope", q.Get("scope"))
	u.RawQuery = uq.Encode()
	http.Redirect(w, r, u.String(), http.StatusFound)
}

func oauthError(w http.ResponseWriter, status int, code, desc string) {
	writeJSON(w, status, map[string]string{"error": code, "error_description": desc})
}

func (s *Server) token(w http.ResponseWriter, body []byte) {
	form, err := url.ParseQuery(string(body))
	if err != nil {
		oauthError(w, 400, "invalid_request", "Invalid request body")
		return
	}
	if form.Get("client_id") != s.opts.ClientID || form.Get("client_secret") != s.opts.ClientSecret {
		oauthError(w, 401, "invalid_client", "The OAuth client was not found.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch form.Get("grant_type") {
	case "authorization_code":
		c, ok := s.codes[form.Get("code")]
		delete(s.codes, form.Get("code"))
		sum := sha256.Sum256([]byte(form.Get("code_verifier")))
		if !ok || c[1] != form.Get("redirect_uri") || base64.RawURLEncoding.EncodeToString(sum[:]) != c[0] {
			oauthError(w, 400, "invalid_grant", "Bad Request")
			return
		}
		a, rt := s.issue(true)
		writeJSON(w, 200, map[string]any{"access_token": a, "expires_in": int(s.opts.TokenLifetime / time.Second), "refresh_token": rt,
			"scope": "https://www.googleapis.com/auth/youtube.upload https://www.googleapis.com/auth/youtube.force-ssl", "token_type": "Bearer"})
	case "refresh_token":
		issued, ok := s.refresh[form.Get("refresh_token")]
		if !ok || (s.opts.Testing && s.opts.Now().Sub(issued) >= 7*24*time.Hour) {
			oauthError(w, 400, "invalid_grant", "Token has been expired or revoked.")
			return
		}
		a, _ := s.issue(false)
		writeJSON(w, 200, map[string]any{"access_token": a, "expires_in": int(s.opts.TokenLifetime / time.Second), "scope": "https://www.googleapis.com/auth/youtube.upload", "token_type": "Bearer"})
	default:
		oauthError(w, 400, "unsupported_grant_type", "Invalid grant_type: "+form.Get("grant_type"))
	}
}

func (s *Server) channels(w http.ResponseWriter, q url.Values) {
	if h, id := q.Get("forHandle"), q.Get("id"); h != "" || id != "" {
		s.otherChannels(w, h, id)
		return
	}
	if q.Get("mine") != "true" {
		googleError(w, 400, "missingRequiredParameter", "youtube.parameter", "No filter selected. Expected one of: mine, id, forHandle.")
		return
	}
	if s.opts.NoChannel {
		writeJSON(w, 200, map[string]any{"kind": "youtube#channelListResponse", "pageInfo": map[string]int{"totalResults": 0}, "items": []any{}})
		return
	}
	n := len(s.Videos())
	s.mu.Lock()
	subs := s.subs
	s.mu.Unlock()
	writeJSON(w, 200, map[string]any{"kind": "youtube#channelListResponse", "items": []any{map[string]any{
		"kind": "youtube#channel", "id": ChannelID,
		"snippet":    map[string]any{"title": "Relais Fake", "customUrl": "@relaisfake", "thumbnails": map[string]any{"default": map[string]any{"url": "https://yt3.ggpht.com/relaisfake=s88"}}},
		"statistics": map[string]any{"viewCount": "9000", "subscriberCount": strconv.FormatInt(subs, 10), "hiddenSubscriberCount": false, "videoCount": strconv.Itoa(n)},
	}}})
}

// otherChannels answers channels.list by handle or id; an unknown one is an
// empty list, as on YouTube.
func (s *Server) otherChannels(w http.ResponseWriter, handle, id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	items := []any{}
	for _, c := range s.others {
		if (id != "" && c.ID == id) || (handle != "" && strings.EqualFold(strings.TrimPrefix(handle, "@"), strings.TrimPrefix(c.Handle, "@"))) {
			stats := map[string]any{"viewCount": "0", "videoCount": strconv.Itoa(len(c.Videos)), "hiddenSubscriberCount": c.HiddenSubscribers}
			if !c.HiddenSubscribers {
				stats["subscriberCount"] = strconv.FormatInt(c.Subscribers, 10)
			}
			items = append(items, map[string]any{"kind": "youtube#channel", "id": c.ID,
				"snippet": map[string]any{"title": c.Title, "description": c.Description, "customUrl": "@" + strings.TrimPrefix(strings.ToLower(c.Handle), "@"),
					"thumbnails": map[string]any{"default": map[string]any{"url": "https://yt3.ggpht.com/" + c.ID + "=s88"}}},
				"statistics":     stats,
				"contentDetails": map[string]any{"relatedPlaylists": map[string]string{"uploads": uploadsOf(c.ID)}}})
		}
	}
	writeJSON(w, 200, map[string]any{"kind": "youtube#channelListResponse", "pageInfo": map[string]int{"totalResults": len(items)}, "items": items})
}

// otherUploads answers playlistItems.list for another channel's uploads playlist.
func (s *Server) otherUploads(playlistID string, max int) ([]any, bool) {
	for _, c := range s.others {
		if uploadsOf(c.ID) != playlistID {
			continue
		}
		items := []any{}
		for i, v := range c.Videos {
			if i >= max {
				break
			}
			items = append(items, map[string]any{"kind": "youtube#playlistItem", "id": "PLI" + v.ID,
				"contentDetails": map[string]any{"videoId": v.ID, "videoPublishedAt": v.PublishedAt.UTC().Format(time.RFC3339)}})
		}
		return items, true
	}
	return nil, false
}

// otherVideo finds a video of another channel.
func (s *Server) otherVideo(id string) *OtherVideo {
	for _, c := range s.others {
		for i := range c.Videos {
			if c.Videos[i].ID == id {
				return &c.Videos[i]
			}
		}
	}
	return nil
}

// tagsLength counts tags as YouTube does: a comma between tags, quotes around a tag with a space.
func tagsLength(tags []string) int {
	n := 0
	for i, t := range tags {
		n += runes(t)
		if strings.Contains(t, " ") {
			n += 2
		}
		if i > 0 {
			n++
		}
	}
	return n
}

func (s *Server) startUpload(w http.ResponseWriter, r *http.Request, body []byte) {
	q := r.URL.Query()
	if q.Get("uploadType") != "resumable" {
		googleError(w, 400, "badRequest", "global", "Only the resumable upload is served by this fake")
		return
	}
	size := atoi(r.Header.Get("X-Upload-Content-Length"))
	if size <= 0 {
		googleError(w, 400, "badContent", "youtube.video", "X-Upload-Content-Length is required")
		return
	}
	var meta map[string]any
	if err := json.Unmarshal(body, &meta); err != nil {
		googleError(w, 400, "parseError", "global", "Parse Error")
		return
	}
	sn, st := obj(meta, "snippet"), obj(meta, "status")
	title, desc := str(sn, "title"), str(sn, "description")
	switch {
	case strings.TrimSpace(title) == "":
		googleError(w, 400, "invalidTitle", "youtube.video", "The request metadata specifies an invalid or empty video title.")
	case runes(title) > 100 || strings.ContainsAny(title, "<>"):
		googleError(w, 400, "invalidTitle", "youtube.video", "The request metadata specifies an invalid video title.")
	case len(desc) > 5000 || strings.ContainsAny(desc, "<>"):
		googleError(w, 400, "invalidDescription", "youtube.video", "The request metadata specifies an invalid video description.")
	case tagsLength(strs(sn["tags"])) > 500:
		googleError(w, 400, "invalidTags", "youtube.video", "The request metadata specifies invalid video keywords.")
	case str(sn, "categoryId") != "" && !categories[str(sn, "categoryId")]:
		googleError(w, 400, "invalidCategoryId", "youtube.video", "The snippet.categoryId property specifies an invalid category ID.")
	case str(st, "privacyStatus") != "" && str(st, "privacyStatus") != "public" && str(st, "privacyStatus") != "private" && str(st, "privacyStatus") != "unlisted":
		googleError(w, 400, "invalidVideoMetadata", "youtube.video", "The request metadata is invalid.")
	case str(st, "publishAt") != "" && str(st, "privacyStatus") != "private":
		googleError(w, 400, "invalidPublishAt", "youtube.video", "The request metadata specifies an invalid scheduled publishing time.")
	default:
		id := randomString()[:16]
		s.mu.Lock()
		s.sessions[id] = &session{meta: meta, size: size, mime: r.Header.Get("X-Upload-Content-Type")}
		s.mu.Unlock()
		w.Header().Set("Location", s.URL+"/upload/youtube/v3/videos?uploadType=resumable&upload_id="+id)
		w.WriteHeader(200)
	}
}

// contentRange reads "bytes a-b/n" or "bytes */n".
func contentRange(v string) (first, last, total int, status bool, ok bool) {
	v, found := strings.CutPrefix(v, "bytes ")
	if !found {
		return 0, 0, 0, false, false
	}
	rng, tot, found := strings.Cut(v, "/")
	if !found {
		return 0, 0, 0, false, false
	}
	total = atoi(tot)
	if rng == "*" {
		return 0, 0, total, true, total > 0
	}
	a, b, found := strings.Cut(rng, "-")
	first, last = atoi(a), atoi(b)
	return first, last, total, false, found && last >= first && total > 0
}

func (s *Server) interrupt(r *http.Request, body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	se := s.sessions[r.URL.Query().Get("upload_id")]
	first, _, _, status, ok := contentRange(r.Header.Get("Content-Range"))
	if se == nil || !ok || status || first != len(se.received) {
		return
	}
	se.received = append(se.received, body[:min(chunkUnit, len(body))]...)
}

func (s *Server) putUpload(w http.ResponseWriter, r *http.Request, body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	se := s.sessions[r.URL.Query().Get("upload_id")]
	if se == nil || se.gone {
		googleError(w, 404, "notFound", "global", "Upload session not found or expired")
		return
	}
	first, last, total, status, ok := contentRange(r.Header.Get("Content-Range"))
	if !ok || total != se.size {
		googleError(w, 400, "badContent", "global", "Content-Range does not match the announced X-Upload-Content-Length")
		return
	}
	if se.done != "" {
		for _, v := range s.videos {
			if v.ID == se.done {
				s.writeVideo(w, 200, v)
			}
		}
		return
	}
	if !status {
		switch {
		case first != len(se.received):
			googleError(w, 400, "badContent", "global", "Content-Range does not start at the next byte expected")
			return
		case last-first+1 != len(body):
			googleError(w, 400, "badContent", "global", "Content-Range does not match the body's length")
			return
		case last+1 < total && len(body)%chunkUnit != 0:
			googleError(w, 400, "badContent", "global", "A chunk other than the last must be a multiple of 256 KiB")
			return
		}
		se.received = append(se.received, body...)
	}
	if len(se.received) < se.size {
		if len(se.received) > 0 {
			w.Header().Set("Range", "bytes=0-"+strconv.Itoa(len(se.received)-1))
		}
		w.Header().Set("Content-Length", "0")
		w.WriteHeader(http.StatusPermanentRedirect)
		return
	}
	sn, st := obj(se.meta, "snippet"), obj(se.meta, "status")
	s.nextID++
	v := &Video{ID: "vid" + strconv.Itoa(100000 + s.nextID)[1:] + randomString()[:4], Title: str(sn, "title"), Description: str(sn, "description"),
		Tags: strs(sn["tags"]), CategoryID: str(sn, "categoryId"), Privacy: str(st, "privacyStatus"), PublishAt: str(st, "publishAt"), Size: se.size}
	v.ID = strings.NewReplacer("-", "x", "_", "y").Replace(v.ID)
	if v.Privacy == "" {
		v.Privacy = "public"
	}
	v.MadeForKids, _ = st["selfDeclaredMadeForKids"].(bool)
	s.videos = append(s.videos, v)
	se.done = v.ID
	s.writeVideo(w, 200, v)
}

func (s *Server) writeVideo(w http.ResponseWriter, status int, v *Video) {
	writeJSON(w, status, map[string]any{"kind": "youtube#video", "id": v.ID,
		"snippet": map[string]any{"channelId": ChannelID, "title": v.Title, "description": v.Description, "tags": v.Tags, "categoryId": v.CategoryID},
		"status":  map[string]any{"uploadStatus": "uploaded", "privacyStatus": v.Privacy, "publishAt": v.PublishAt, "selfDeclaredMadeForKids": v.MadeForKids}})
}

func (s *Server) listVideos(w http.ResponseWriter, q url.Values) {
	ids := strings.Split(q.Get("id"), ",")
	if len(ids) > 50 {
		googleError(w, 400, "invalidValue", "youtube.parameter", "Too many ids: at most 50")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	items := []any{}
	for _, id := range ids {
		if v := s.video(id); v != nil {
			items = append(items, map[string]any{"kind": "youtube#video", "id": v.ID, "statistics": map[string]string{
				"viewCount": strconv.FormatInt(v.Views, 10), "likeCount": strconv.FormatInt(v.Likes, 10),
				"favoriteCount": "0", "commentCount": strconv.FormatInt(v.Comments, 10)}})
		} else if o := s.otherVideo(id); o != nil {
			items = append(items, map[string]any{"kind": "youtube#video", "id": o.ID,
				"snippet": map[string]any{"title": o.Title, "description": o.Description, "publishedAt": o.PublishedAt.UTC().Format(time.RFC3339)},
				"statistics": map[string]string{"viewCount": strconv.FormatInt(o.Views, 10), "likeCount": strconv.FormatInt(o.Likes, 10),
					"favoriteCount": "0", "commentCount": strconv.FormatInt(o.Comments, 10)}})
		}
	}
	writeJSON(w, 200, map[string]any{"kind": "youtube#videoListResponse", "items": items})
}

func (s *Server) deleteVideo(w http.ResponseWriter, id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v := s.video(id)
	if v == nil {
		googleError(w, 404, "videoNotFound", "youtube.video", "The video that you are trying to delete cannot be found.")
		return
	}
	v.Deleted = true
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) thumbnail(w http.ResponseWriter, r *http.Request, id string, body []byte) {
	ct := r.Header.Get("Content-Type")
	s.mu.Lock()
	defer s.mu.Unlock()
	v := s.video(id)
	switch {
	case v == nil:
		googleError(w, 404, "videoNotFound", "youtube.thumbnail", "The video that you are trying to insert a thumbnail image for cannot be found.")
	case ct != "image/jpeg" && ct != "image/png":
		googleError(w, 400, "mediaBodyRequired", "youtube.thumbnail", "The request does not include the image content.")
	case len(body) > 2<<20:
		googleError(w, 400, "invalidImage", "youtube.thumbnail", "The provided image content is invalid.")
	default:
		v.Thumbnail = body
		writeJSON(w, 200, map[string]any{"kind": "youtube#thumbnailSetResponse", "items": []any{map[string]any{"default": map[string]any{"url": "https://i.ytimg.com/vi/" + id + "/default.jpg"}}}})
	}
}

func (s *Server) playlistItem(w http.ResponseWriter, body []byte) {
	var b map[string]any
	_ = json.Unmarshal(body, &b)
	sn := obj(b, "snippet")
	pl, vid := str(sn, "playlistId"), str(obj(sn, "resourceId"), "videoId")
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.playlist[pl]; !ok {
		googleError(w, 404, "playlistNotFound", "youtube.playlistItem", "The playlist identified with the request's playlistId parameter cannot be found.")
		return
	}
	if s.video(vid) == nil {
		googleError(w, 404, "videoNotFound", "youtube.playlistItem", "The video that you are trying to add to the playlist cannot be found.")
		return
	}
	s.playlist[pl] = append(s.playlist[pl], vid)
	writeJSON(w, 200, map[string]any{"kind": "youtube#playlistItem", "id": "PLI" + randomString()[:10], "snippet": sn})
}

func (s *Server) listPlaylistItems(w http.ResponseWriter, q url.Values) {
	s.mu.Lock()
	defer s.mu.Unlock()
	max := 5
	if n, err := strconv.Atoi(q.Get("maxResults")); err == nil {
		if n < 0 || n > 50 {
			googleError(w, 400, "invalidValue", "youtube.parameter", "maxResults must be between 0 and 50")
			return
		}
		max = n
	}
	if items, ok := s.otherUploads(q.Get("playlistId"), max); ok {
		writeJSON(w, 200, map[string]any{"kind": "youtube#playlistItemListResponse", "items": items})
		return
	}
	ids, ok := s.playlist[q.Get("playlistId")]
	if !ok {
		googleError(w, 404, "playlistNotFound", "youtube.playlistItem", "The playlist identified with the request's playlistId parameter cannot be found.")
		return
	}
	items := []any{}
	for i, id := range ids {
		if v := q.Get("videoId"); v == "" || v == id {
			items = append(items, map[string]any{"kind": "youtube#playlistItem", "id": "PLI" + q.Get("playlistId") + strconv.Itoa(i)})
		}
	}
	writeJSON(w, 200, map[string]any{"kind": "youtube#playlistItemListResponse", "items": items})
}

func (s *Server) commentJSON(c *Comment) map[string]any {
	return map[string]any{"kind": "youtube#comment", "id": c.ID, "snippet": map[string]any{
		"videoId": c.VideoID, "parentId": c.ParentID, "textDisplay": c.Text, "textOriginal": c.Text,
		"authorDisplayName": c.AuthorName, "authorChannelUrl": "http://www.youtube.com/@" + lower(c.AuthorName),
		"authorChannelId": map[string]string{"value": c.AuthorID}, "moderationStatus": c.Moderation,
		"publishedAt": c.PublishedAt.Format(time.RFC3339), "updatedAt": c.PublishedAt.Format(time.RFC3339),
	}}
}

func (s *Server) listThreads(w http.ResponseWriter, q url.Values) {
	if q.Get("videoId") == "" && q.Get("allThreadsRelatedToChannelId") == "" {
		googleError(w, 400, "missingRequiredParameter", "youtube.parameter", "No filter selected.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if id := q.Get("videoId"); id != "" {
		v := s.video(id)
		if v == nil {
			googleError(w, 404, "videoNotFound", "youtube.commentThread", "The video identified by the videoId parameter could not be found.")
			return
		}
		if v.CommentsDisabled {
			googleError(w, 403, "commentsDisabled", "youtube.commentThread", "The video identified by the videoId parameter has disabled comments.")
			return
		}
	}
	var tops []*Comment
	for _, c := range s.comments {
		if c.ParentID == "" && c.Moderation == "published" && (c.VideoID == q.Get("videoId") || (q.Get("videoId") == "" && s.video(c.VideoID) != nil)) {
			tops = append(tops, c)
		}
	}
	sort.SliceStable(tops, func(i, j int) bool { return tops[i].PublishedAt.After(tops[j].PublishedAt) })
	items := []any{}
	for _, t := range tops {
		var replies []any
		for _, c := range s.comments {
			if c.ParentID == t.ID && c.Moderation == "published" {
				replies = append(replies, s.commentJSON(c))
			}
		}
		item := map[string]any{"kind": "youtube#commentThread", "id": t.ID, "snippet": map[string]any{
			"channelId": ChannelID, "videoId": t.VideoID, "topLevelComment": s.commentJSON(t), "totalReplyCount": len(replies), "canReply": true}}
		if len(replies) > 0 {
			item["replies"] = map[string]any{"comments": replies}
		}
		items = append(items, item)
	}
	writeJSON(w, 200, map[string]any{"kind": "youtube#commentThreadListResponse", "items": items})
}

func (s *Server) insertThread(w http.ResponseWriter, body []byte) {
	var b map[string]any
	_ = json.Unmarshal(body, &b)
	sn := obj(b, "snippet")
	text := str(obj(obj(sn, "topLevelComment"), "snippet"), "textOriginal")
	s.mu.Lock()
	defer s.mu.Unlock()
	v := s.video(str(sn, "videoId"))
	switch {
	case v == nil:
		googleError(w, 404, "videoNotFound", "youtube.commentThread", "The video could not be found.")
	case v.CommentsDisabled:
		googleError(w, 403, "commentsDisabled", "youtube.commentThread", "The video has disabled comments.")
	case strings.TrimSpace(text) == "" || runes(text) > 10000:
		googleError(w, 400, "commentTextTooLong", "youtube.commentThread", "The comment text is empty or too long.")
	default:
		c := s.addComment(v.ID, "", ChannelID, "Relais Fake", text)
		writeJSON(w, 200, map[string]any{"kind": "youtube#commentThread", "id": c.ID, "snippet": map[string]any{"videoId": v.ID, "topLevelComment": s.commentJSON(c)}})
	}
}

func (s *Server) listComments(w http.ResponseWriter, q url.Values) {
	s.mu.Lock()
	defer s.mu.Unlock()
	items := []any{}
	for _, c := range s.comments {
		if c.ParentID == q.Get("parentId") && c.ParentID != "" {
			items = append(items, s.commentJSON(c))
		}
	}
	writeJSON(w, 200, map[string]any{"kind": "youtube#commentListResponse", "items": items})
}

func (s *Server) insertComment(w http.ResponseWriter, body []byte) {
	var b map[string]any
	_ = json.Unmarshal(body, &b)
	sn := obj(b, "snippet")
	parent, text := str(sn, "parentId"), str(sn, "textOriginal")
	s.mu.Lock()
	defer s.mu.Unlock()
	var top *Comment
	for _, c := range s.comments {
		if c.ID == parent {
			top = c
		}
	}
	switch {
	case top == nil || top.ParentID != "":
		googleError(w, 404, "parentCommentNotFound", "youtube.comment", "The specified parent comment could not be found.")
	case strings.TrimSpace(text) == "":
		googleError(w, 400, "commentTextRequired", "youtube.comment", "The comment resource that is being inserted must specify a value for the snippet.textOriginal property.")
	case s.video(top.VideoID) != nil && s.video(top.VideoID).CommentsDisabled:
		googleError(w, 403, "commentsDisabled", "youtube.comment", "The video has disabled comments.")
	default:
		writeJSON(w, 200, s.commentJSON(s.addComment(top.VideoID, parent, ChannelID, "Relais Fake", text)))
	}
}

func (s *Server) moderate(w http.ResponseWriter, q url.Values) {
	st := q.Get("moderationStatus")
	if st != "heldForReview" && st != "published" && st != "rejected" {
		googleError(w, 400, "invalidModerationStatus", "youtube.comment", "The moderationStatus parameter specifies an invalid value.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.comments {
		if c.ID == q.Get("id") {
			c.Moderation = st
			w.WriteHeader(http.StatusNoContent)
			return
		}
	}
	googleError(w, 404, "commentNotFound", "youtube.comment", "One or more comments could not be found.")
}

// validMetrics are the Analytics metrics the fake knows; removed or
// misspelt names are refused, so drift shows up as a failing test.
var validMetrics = map[string]bool{"views": true, "estimatedMinutesWatched": true, "averageViewDuration": true, "likes": true, "dislikes": true,
	"comments": true, "shares": true, "subscribersGained": true, "subscribersLost": true}

func (s *Server) report(w http.ResponseWriter, q url.Values) {
	if q.Get("ids") != "channel==MINE" || q.Get("startDate") == "" || q.Get("endDate") == "" {
		googleError(w, 400, "badRequest", "global", "Required: ids=channel==MINE, startDate, endDate")
		return
	}
	var headers []any
	var row []any
	s.mu.Lock()
	defer s.mu.Unlock()
	var vids []*Video
	if f := q.Get("filters"); f != "" {
		v := s.video(strings.TrimPrefix(f, "video=="))
		if v != nil {
			vids = append(vids, v)
		}
	} else {
		for _, v := range s.videos {
			if !v.Deleted {
				vids = append(vids, v)
			}
		}
	}
	for _, m := range strings.Split(q.Get("metrics"), ",") {
		if !validMetrics[m] {
			googleError(w, 400, "badRequest", "global", "Unknown identifier ("+m+") given in field parameters.metrics.")
			return
		}
		var n int64
		for _, v := range vids {
			switch m {
			case "views":
				n += v.Views
			case "likes":
				n += v.Likes
			case "comments":
				n += v.Comments
			case "shares":
				n += v.Shares
			case "estimatedMinutesWatched":
				n += v.Views * 2
			case "subscribersGained":
				n += v.Views / 100
			}
		}
		headers = append(headers, map[string]string{"name": m, "columnType": "METRIC", "dataType": "INTEGER"})
		row = append(row, n)
	}
	writeJSON(w, 200, map[string]any{"kind": "youtubeAnalytics#resultTable", "columnHeaders": headers, "rows": []any{row}})
}
