package vimeotest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

var views = map[string]bool{"anybody": true, "nobody": true, "unlisted": true, "password": true, "disable": true, "contacts": true, "users": true}
var embeds = map[string]bool{"public": true, "private": true, "whitelist": true}

func (s *Server) route(w http.ResponseWriter, r *http.Request, route string, body []byte) {
	switch route {
	case "GET /oauth/authorize":
		s.authorize(w, r)
		return
	case "POST /oauth/access_token":
		s.accessToken(w, r, body)
		return
	case "HEAD /tus/:id", "PATCH /tus/:id":
		s.tus(w, r, body)
		return
	}
	if r.Header.Get("Authorization") != "Bearer "+s.token {
		vimeoError(w, 401, "A valid user token must be passed.", "The token is invalid or was revoked.", 8003)
		return
	}
	if !strings.Contains(r.Header.Get("Accept"), "version=3.4") {
		vimeoError(w, 400, "Unsupported API version", "Accept must ask for version=3.4 (this fake pins it).", 2210)
		return
	}
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	switch route {
	case "GET /me":
		s.me(w)
	case "POST /me/videos":
		s.createVideo(w, body)
	case "GET /me/videos":
		s.listVideos(w)
	case "GET /videos/:id":
		s.getVideo(w, parts[1])
	case "DELETE /videos/:id":
		s.deleteVideo(w, parts[1])
	case "GET /videos/:id/comments":
		s.listComments(w, parts[1], "")
	case "POST /videos/:id/comments":
		s.postComment(w, parts[1], "", body)
	case "GET /videos/:id/comments/:id/replies":
		s.listComments(w, parts[1], parts[3])
	case "POST /videos/:id/comments/:id/replies":
		s.postComment(w, parts[1], parts[3], body)
	default:
		vimeoError(w, 404, "The requested page could not be found.", "Unknown route "+route, 5000)
	}
}

func (s *Server) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("client_id") != s.opts.ClientID || q.Get("response_type") != "code" || !strings.Contains(q.Get("scope"), "upload") {
		http.Error(w, "invalid authorize request", http.StatusBadRequest)
		return
	}
	code := "vc-" + randomString()
	s.mu.Lock()
	s.codes[code] = q.Get("redirect_uri")
	s.mu.Unlock()
	u, _ := url.Parse(q.Get("redirect_uri"))
	uq := u.Query()
	uq.Set("state", q.Get("state"))
	uq.Set("code", code)
	u.RawQuery = uq.Encode()
	http.Redirect(w, r, u.String(), http.StatusFound)
}

func (s *Server) accessToken(w http.ResponseWriter, r *http.Request, body []byte) {
	id, secret, ok := r.BasicAuth()
	if !ok || id != s.opts.ClientID || secret != s.opts.ClientSecret {
		writeJSON(w, 401, map[string]string{"error": "invalid_client", "error_description": "The client credentials are invalid."})
		return
	}
	form, _ := url.ParseQuery(string(body))
	s.mu.Lock()
	redirect, ok := s.codes[form.Get("code")]
	delete(s.codes, form.Get("code"))
	s.mu.Unlock()
	if form.Get("grant_type") != "authorization_code" || !ok || redirect != form.Get("redirect_uri") {
		writeJSON(w, 400, map[string]string{"error": "invalid_grant", "error_description": "The authorization code provided is invalid."})
		return
	}
	writeJSON(w, 200, map[string]any{"access_token": s.token, "token_type": "bearer", "scope": "public private upload edit delete interact stats", "user": s.userJSON()})
}

func (s *Server) userJSON() map[string]any {
	n := len(s.Videos())
	return map[string]any{"uri": UserURI, "name": "Relais Fake", "link": "https://vimeo.com/relaisfake", "account": s.opts.Plan,
		"pictures": map[string]any{"base_link": "https://i.vimeocdn.com/portrait/4242"},
		"metadata": map[string]any{"connections": map[string]any{
			"followers": map[string]any{"uri": UserURI + "/followers", "total": 321},
			"following": map[string]any{"uri": UserURI + "/following", "total": 12},
			"videos":    map[string]any{"uri": UserURI + "/videos", "total": n},
		}}}
}

func (s *Server) me(w http.ResponseWriter) { writeJSON(w, 200, s.userJSON()) }

func (s *Server) createVideo(w http.ResponseWriter, body []byte) {
	var b struct {
		Upload struct {
			Approach string `json:"approach"`
			Size     string `json:"size"`
		} `json:"upload"`
		Name        string `json:"name"`
		Description string `json:"description"`
		Password    string `json:"password"`
		Privacy     struct {
			View  string `json:"view"`
			Embed string `json:"embed"`
		} `json:"privacy"`
	}
	if err := json.Unmarshal(body, &b); err != nil {
		vimeoError(w, 400, "The JSON body could not be read.", err.Error(), 2204)
		return
	}
	size, err := strconv.Atoi(b.Upload.Size)
	switch {
	case b.Upload.Approach != "tus":
		vimeoError(w, 400, "The upload approach is not supported by this fake.", "upload.approach must be tus", 2204)
	case err != nil || size <= 0:
		vimeoError(w, 400, "The upload size is missing or invalid.", "upload.size must be a positive number of bytes", 2204)
	case b.Privacy.View != "" && !views[b.Privacy.View]:
		vimeoError(w, 400, "The privacy setting is invalid.", "privacy.view is not one of the allowed values", 2204)
	case b.Privacy.Embed != "" && !embeds[b.Privacy.Embed]:
		vimeoError(w, 400, "The embed setting is invalid.", "privacy.embed is not one of the allowed values", 2204)
	case b.Privacy.View == "password" && b.Password == "":
		vimeoError(w, 400, "A password is required.", "privacy.view password needs password", 2204)
	case len([]rune(b.Name)) > 128:
		vimeoError(w, 400, "The title is too long.", "name is longer than 128 characters", 2204)
	default:
		s.mu.Lock()
		s.nextID++
		v := &Video{ID: strconv.Itoa(s.nextID), Name: b.Name, Description: b.Description, View: b.Privacy.View, Embed: b.Privacy.Embed,
			Password: b.Password, Size: size, Created: s.opts.Now().UTC().Truncate(time.Second)}
		if v.View == "" {
			v.View = "anybody"
		}
		s.videos = append(s.videos, v)
		out := s.videoJSON(v)
		s.mu.Unlock()
		writeJSON(w, 200, out)
	}
}

func (s *Server) videoJSON(v *Video) map[string]any {
	status := "in_progress"
	if len(v.Received) == v.Size {
		status = "complete"
	}
	n := 0
	for _, c := range s.comments {
		if c.VideoID == v.ID {
			n++
		}
	}
	var plays any = v.Plays
	if s.opts.Plan == "basic" {
		plays = nil
	}
	up := map[string]any{"approach": "tus", "size": v.Size, "status": status}
	if status != "complete" {
		up["upload_link"] = s.URL + "/tus/" + v.ID + "x" + "f1le"
	}
	return map[string]any{"uri": "/videos/" + v.ID, "name": v.Name, "description": v.Description, "link": "https://vimeo.com/" + v.ID,
		"created_time": v.Created.Format(time.RFC3339), "privacy": map[string]any{"view": v.View, "embed": v.Embed},
		"upload": up, "stats": map[string]any{"plays": plays},
		"metadata": map[string]any{"connections": map[string]any{
			"comments": map[string]any{"uri": "/videos/" + v.ID + "/comments", "total": n},
			"likes":    map[string]any{"uri": "/videos/" + v.ID + "/likes", "total": v.Likes},
		}}}
}

func (s *Server) listVideos(w http.ResponseWriter) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var vs []*Video
	for _, v := range s.videos {
		if !v.Deleted {
			vs = append(vs, v)
		}
	}
	sort.SliceStable(vs, func(i, j int) bool { return vs[i].Created.After(vs[j].Created) })
	data := []any{}
	for _, v := range vs {
		data = append(data, s.videoJSON(v))
	}
	writeJSON(w, 200, map[string]any{"total": len(data), "page": 1, "per_page": 10, "data": data})
}

func (s *Server) getVideo(w http.ResponseWriter, id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v := s.video(id)
	if v == nil {
		vimeoError(w, 404, "The requested video couldn't be found.", "No video with that id.", 5000)
		return
	}
	writeJSON(w, 200, s.videoJSON(v))
}

func (s *Server) deleteVideo(w http.ResponseWriter, id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v := s.video(id)
	if v == nil {
		vimeoError(w, 404, "The requested video couldn't be found.", "No video with that id.", 5000)
		return
	}
	v.Deleted = true
	w.WriteHeader(http.StatusNoContent)
}

// tusVideo finds the video of an upload link ("/tus/<id>xf1le").
func (s *Server) tusVideo(p string) *Video {
	id := strings.TrimSuffix(strings.TrimPrefix(p, "/tus/"), "xf1le")
	return s.video(id)
}

func (s *Server) interrupt(r *http.Request, body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v := s.tusVideo(r.URL.Path)
	if v == nil || r.Header.Get("Upload-Offset") != strconv.Itoa(len(v.Received)) {
		return
	}
	v.Received = append(v.Received, body[:len(body)/2]...)
}

func (s *Server) tus(w http.ResponseWriter, r *http.Request, body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v := s.tusVideo(r.URL.Path)
	w.Header().Set("Tus-Resumable", "1.0.0")
	switch {
	case v == nil:
		w.WriteHeader(http.StatusNotFound)
		return
	case r.Header.Get("Tus-Resumable") != "1.0.0":
		w.WriteHeader(http.StatusPreconditionFailed)
		return
	}
	if r.Method == http.MethodHead {
		w.Header().Set("Upload-Offset", strconv.Itoa(len(v.Received)))
		w.Header().Set("Upload-Length", strconv.Itoa(v.Size))
		w.WriteHeader(http.StatusOK)
		return
	}
	off, err := strconv.Atoi(r.Header.Get("Upload-Offset"))
	switch {
	case r.Header.Get("Content-Type") != "application/offset+octet-stream":
		w.WriteHeader(http.StatusUnsupportedMediaType)
	case err != nil || off != len(v.Received):
		w.WriteHeader(http.StatusConflict)
	case off+len(body) > v.Size:
		w.WriteHeader(http.StatusRequestEntityTooLarge)
	default:
		v.Received = append(v.Received, body...)
		w.Header().Set("Upload-Offset", strconv.Itoa(len(v.Received)))
		w.WriteHeader(http.StatusNoContent)
	}
}

func (s *Server) commentJSON(c *Comment) map[string]any {
	replies := 0
	for _, x := range s.comments {
		if x.ParentID == c.ID {
			replies++
		}
	}
	return map[string]any{"uri": "/videos/" + c.VideoID + "/comments/" + c.ID, "type": "video", "text": c.Text,
		"created_on": c.Created.Format(time.RFC3339), "link": "https://vimeo.com/" + c.VideoID + "#comment_" + c.ID,
		"user": map[string]any{"uri": c.UserURI, "name": c.UserName, "link": "https://vimeo.com/user" + strings.TrimPrefix(c.UserURI, "/users/")},
		"metadata": map[string]any{"connections": map[string]any{"replies": map[string]any{
			"uri": "/videos/" + c.VideoID + "/comments/" + c.ID + "/replies", "total": replies}}}}
}

func (s *Server) listComments(w http.ResponseWriter, videoID, parent string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.video(videoID) == nil {
		vimeoError(w, 404, "The requested video couldn't be found.", "No video with that id.", 5000)
		return
	}
	data := []any{}
	for i := len(s.comments) - 1; i >= 0; i-- {
		c := s.comments[i]
		if c.VideoID == videoID && c.ParentID == parent {
			data = append(data, s.commentJSON(c))
		}
	}
	writeJSON(w, 200, map[string]any{"total": len(data), "data": data})
}

func (s *Server) postComment(w http.ResponseWriter, videoID, parent string, body []byte) {
	var b struct {
		Text string `json:"text"`
	}
	_ = json.Unmarshal(body, &b)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.video(videoID) == nil {
		vimeoError(w, 404, "The requested video couldn't be found.", "No video with that id.", 5000)
		return
	}
	if parent != "" {
		var p *Comment
		for _, c := range s.comments {
			if c.ID == parent && c.VideoID == videoID {
				p = c
			}
		}
		if p == nil || p.ParentID != "" {
			vimeoError(w, 400, "You can only reply to a top-level comment.", "The parent comment is missing or is a reply.", 2204)
			return
		}
	}
	if strings.TrimSpace(b.Text) == "" {
		vimeoError(w, 400, "The comment text is required.", "text is empty", 2204)
		return
	}
	writeJSON(w, 201, s.commentJSON(s.addComment(videoID, parent, UserURI, "Relais Fake", b.Text)))
}
