package metatest

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// route serves one call; it runs with s.mu held and returns the HTTP status.
func (s *Server) route(c *call, method string) int {
	if e := s.oauth(c, method); e != nil {
		return *e
	}
	if c.graph == "" && len(c.parts) == 3 && c.parts[0] == "video-upload" && method == "POST" {
		return s.serveUpload(c)
	}
	if e := s.auth(c); e != nil {
		return s.writeError(c.w, e)
	}
	var (
		out any
		e   *graphError
	)
	if c.graph == "threads" {
		out, e = s.threadsRoute(c, method)
	} else {
		out, e = s.graphRoute(c, method)
	}
	if e != nil {
		return s.writeError(c.w, e)
	}
	return writeJSON(c.w, out)
}

// oauth serves the login dialogs and token endpoints; nil when the call is not one.
func (s *Server) oauth(c *call, method string) *int {
	path := strings.Join(c.parts, "/")
	p := c.p
	answer := func(v any) *int { st := writeJSON(c.w, v); return &st }
	fail := func(e *graphError) *int { st := s.writeError(c.w, e); return &st }
	switch {
	case path == "dialog/oauth" || path == "oauth/authorize":
		// The consent page: a test user who says yes at once.
		app := p.Get("client_id")
		kind := map[string]string{AppID: "user", InstagramAppID: "iglogin", ThreadsAppID: "threads"}[app]
		if kind == "" || p.Get("redirect_uri") == "" {
			return fail(badParam("Invalid app ID or redirect_uri"))
		}
		if (path == "dialog/oauth") != (kind == "user") {
			return fail(badParam("This login dialog does not serve app %s", app))
		}
		subject := map[string]string{"user": s.UserID, "iglogin": s.IGUserID, "threads": s.ThreadsUserID}[kind]
		code := randomToken("code")
		s.codes[code] = codeGrant{appID: app, redirect: p.Get("redirect_uri"), subject: subject, kind: kind}
		q := url.Values{"code": {code}, "state": {p.Get("state")}}
		c.w.Header().Set("Location", p.Get("redirect_uri")+"?"+q.Encode())
		c.w.WriteHeader(http.StatusFound)
		st := http.StatusFound
		return &st
	case path == "oauth/access_token" && p.Get("grant_type") == "fb_exchange_token":
		if p.Get("client_id") != AppID || p.Get("client_secret") != AppSecret {
			return fail(gerr(400, 101, 0, "OAuthException", "Error validating application. Invalid application ID or secret."))
		}
		t := s.tokens[p.Get("fb_exchange_token")]
		if t == nil || t.Kind != "user" || (!t.Expires.IsZero() && !c.now.Before(t.Expires)) {
			return fail(gerr(400, 190, 0, "OAuthException", "Invalid OAuth access token."))
		}
		tok := s.issue("user", t.Subject, 0, true)
		return answer(map[string]any{"access_token": tok, "token_type": "bearer", "expires_in": int((60 * 24 * time.Hour).Seconds())})
	case path == "oauth/access_token":
		app := p.Get("client_id")
		secret := map[string]string{AppID: AppSecret, InstagramAppID: InstagramAppSecret, ThreadsAppID: ThreadsAppSecret}[app]
		if secret == "" || p.Get("client_secret") != secret {
			return fail(gerr(400, 101, 0, "OAuthException", "Error validating application. Invalid application ID or secret."))
		}
		g, ok := s.codes[p.Get("code")]
		delete(s.codes, p.Get("code"))
		if !ok || g.appID != app {
			return fail(gerr(400, 100, 36009, "OAuthException", "This authorization code has been used."))
		}
		if g.redirect != p.Get("redirect_uri") {
			return fail(gerr(400, 100, 36008, "OAuthException", "Error validating verification code. Please make sure your redirect_uri is identical to the one you used in the OAuth dialog request"))
		}
		if app != AppID && p.Get("grant_type") != "authorization_code" {
			return fail(badParam("grant_type must be authorization_code"))
		}
		tok := s.issue(g.kind, g.subject, 0, false)
		switch g.kind {
		case "iglogin":
			return answer(map[string]any{"data": []map[string]any{{"access_token": tok, "user_id": g.subject, "permissions": "instagram_business_basic,instagram_business_content_publish"}}})
		case "threads":
			return answer(map[string]any{"access_token": tok, "user_id": g.subject})
		}
		return answer(map[string]any{"access_token": tok, "token_type": "bearer", "expires_in": 3600})
	case path == "access_token" || path == "refresh_access_token":
		grant := p.Get("grant_type")
		kind := map[string]string{"ig_exchange_token": "iglogin", "th_exchange_token": "threads", "ig_refresh_token": "iglogin", "th_refresh_token": "threads"}[grant]
		t := s.tokens[c.tok]
		if kind == "" || (path == "access_token") != strings.Contains(grant, "exchange") {
			return fail(badParam("Unsupported grant_type %q", grant))
		}
		if t == nil || t.Kind != kind || t.Revoked || (!t.Expires.IsZero() && !c.now.Before(t.Expires)) {
			return fail(gerr(400, 190, 0, "OAuthException", "Invalid OAuth access token - Cannot parse access token"))
		}
		if path == "access_token" {
			secret := map[string]string{"iglogin": InstagramAppSecret, "threads": ThreadsAppSecret}[kind]
			if p.Get("client_secret") != secret {
				return fail(gerr(400, 101, 0, "OAuthException", "Error validating client secret."))
			}
			if t.LongLived {
				return fail(badParam("The access token is already long-lived"))
			}
		} else {
			if !t.LongLived {
				return fail(badParam("Only long-lived tokens can be refreshed"))
			}
			if c.now.Sub(t.Issued) < 24*time.Hour {
				return fail(badParam("A long-lived token can be refreshed once it is at least 24 hours old"))
			}
		}
		tok := s.issue(kind, t.Subject, 0, true)
		return answer(map[string]any{"access_token": tok, "token_type": "bearer", "expires_in": int((60 * 24 * time.Hour).Seconds())})
	}
	return nil
}

func (s *Server) obj(id string) (*Object, *graphError) {
	o := s.objects[id]
	if o == nil || o.Deleted {
		return nil, notFound(id)
	}
	return o, nil
}

// owns reports whether the token may act on behalf of the account id.
func (s *Server) owns(t *token, account string) bool {
	if t.Subject == account {
		return true
	}
	o := s.objects[account]
	if o == nil {
		return false
	}
	switch t.Kind {
	case "user":
		// A user token manages the user's pages and their Instagram accounts.
		return o.Type == "page" || o.Type == "iguser" && s.objects[o.Owner] != nil && s.objects[o.Owner].Type == "page"
	case "page":
		return o.Type == "iguser" && o.Owner == t.Subject
	}
	return false
}

// accountOf is the page, Instagram or Threads user an object belongs to.
func (s *Server) accountOf(o *Object) string {
	for i := 0; o != nil && i < 10; i++ {
		switch o.Type {
		case "page", "iguser", "thuser":
			return o.ID
		}
		if o.Owner != "" {
			return o.Owner
		}
		o = s.objects[o.Parent]
	}
	return ""
}

func (s *Server) graphRoute(c *call, method string) (any, *graphError) {
	parts, p, t := c.parts, c.p, c.t
	id := parts[0]
	if id == "me" {
		id = t.Subject
	}
	if id == "ig_hashtag_search" && method == "GET" {
		return s.hashtagSearch(c)
	}
	if len(parts) == 1 {
		o, e := s.obj(id)
		if e != nil {
			return nil, e
		}
		switch method {
		case "GET":
			return s.read(c, o)
		case "DELETE":
			if !s.owns(t, s.accountOf(o)) {
				return nil, gerr(403, 200, 0, "OAuthException", "(#200) Permissions error")
			}
			o.Deleted = true
			return map[string]bool{"success": true}, nil
		case "POST":
			if v := p.Get("is_hidden"); v != "" && o.Type == "comment" {
				o.Hidden = v == "true"
				return map[string]bool{"success": true}, nil
			}
			if v := p.Get("hide"); v != "" && o.Type == "comment" {
				o.Hidden = v == "true"
				return map[string]bool{"success": true}, nil
			}
			if msg := p.Get("message"); msg != "" && (o.Type == "post" || o.Type == "comment") {
				o.Fields["message"] = msg
				return map[string]bool{"success": true}, nil
			}
			return nil, badParam("Unsupported post request")
		}
	}
	if len(parts) != 2 {
		return nil, gerr(400, 2500, 0, "OAuthException", "Unknown path components: /"+strings.Join(parts[1:], "/"))
	}
	o, e := s.obj(id)
	if e != nil {
		return nil, e
	}
	edge := parts[1]
	switch method + " " + edge {
	case "GET accounts":
		if o.Type != "user" {
			return nil, badParam("Tried accessing nonexisting field (accounts)")
		}
		var data []map[string]any
		for _, pid := range s.order {
			pg := s.objects[pid]
			if pg.Type != "page" {
				continue
			}
			d := map[string]any{"id": pg.ID, "name": pg.Fields["name"], "category": pg.Fields["category"], "tasks": []string{"MANAGE", "CREATE_CONTENT", "MODERATE", "ANALYZE"}}
			d["access_token"] = s.issue("page", pg.ID, 0, true)
			for _, iid := range s.order {
				if ig := s.objects[iid]; ig.Type == "iguser" && ig.Owner == pg.ID {
					d["instagram_business_account"] = map[string]string{"id": ig.ID}
				}
			}
			data = append(data, d)
		}
		return s.page(c, data), nil
	case "GET conversations":
		return s.conversations(c, o)
	case "GET messages":
		if o.Type != "conversation" || !s.owns(c.t, o.Owner) {
			return nil, notFound(o.ID)
		}
		var data []map[string]any
		for _, id := range s.order {
			if m := s.objects[id]; m.Type == "message" && m.Parent == o.ID {
				data = append(data, s.fieldsOf(c, m))
			}
		}
		return s.page(c, data), nil
	case "POST messages":
		return s.sendMessage(c, o)
	case "POST feed":
		return s.pagePost(c, o)
	case "POST photos":
		return s.pagePhoto(c, o)
	case "POST videos":
		return s.pageVideo(c, o)
	case "POST video_reels":
		return s.pageReel(c, o)
	case "POST photo_stories":
		return s.photoStory(c, o)
	case "POST video_stories":
		return s.videoStory(c, o)
	case "GET feed", "GET published_posts":
		return s.page(c, s.list(c, "post", o.ID)), nil
	case "GET tagged":
		var data []map[string]any
		for _, id := range s.order {
			if x := s.objects[id]; x.Type == "post" && x.Fields["tags"] == o.ID && !x.Deleted {
				data = append(data, s.fieldsOf(c, x))
			}
		}
		return s.page(c, data), nil
	case "GET comments":
		return s.page(c, s.comments(c, o, p.Get("filter") == "stream")), nil
	case "POST comments":
		return s.comment(c, o, false)
	case "GET replies":
		if o.Type != "comment" {
			return nil, notFound(o.ID + "/replies")
		}
		return s.page(c, s.comments(c, o, false)), nil
	case "POST replies":
		if o.Type != "comment" || o.Fields["threads"] == true {
			return nil, gerr(400, 100, 33, "GraphMethodException", fmt.Sprintf("Unsupported post request. Object with ID '%s' does not exist, cannot be loaded due to missing permissions, or does not support this operation.", o.ID))
		}
		return s.comment(c, o, true)
	case "GET insights":
		return s.insights(c, o, false)
	case "POST media":
		return s.createContainer(c, o, false)
	case "POST media_publish":
		return s.publish(c, o, false)
	case "GET media":
		return s.page(c, s.list(c, "igmedia", o.ID)), nil
	case "GET content_publishing_limit":
		if o.Type != "iguser" {
			return nil, badParam("Tried accessing nonexisting field (content_publishing_limit)")
		}
		return map[string]any{"data": []map[string]any{{"quota_usage": s.quota(o.ID, c.now, s.published), "config": map[string]int{"quota_total": 100, "quota_duration": 86400}}}}, nil
	case "GET tags":
		var data []map[string]any
		for _, id := range s.order {
			if x := s.objects[id]; x.Type == "igmedia" && x.Fields["tags"] == o.ID && !x.Deleted {
				data = append(data, s.fieldsOf(c, x))
			}
		}
		return s.page(c, data), nil
	case "GET recent_media", "GET top_media":
		if o.Type != "hashtag" {
			return nil, notFound(o.ID)
		}
		var data []map[string]any
		for _, id := range s.order {
			x := s.objects[id]
			if x.Type == "igmedia" && !x.Deleted && strings.Contains(strings.ToLower(fmt.Sprint(x.Fields["caption"])), "#"+fmt.Sprint(o.Fields["name"])) {
				data = append(data, s.fieldsOf(c, x))
			}
		}
		return s.page(c, data), nil
	}
	return nil, gerr(400, 100, 0, "OAuthException", fmt.Sprintf("Unsupported %s request. Unknown edge %q on %s", strings.ToLower(method), edge, o.Type))
}

// quota counts publications of account within the last 24 hours.
func (s *Server) quota(account string, now time.Time, book map[string][]time.Time) int {
	n := 0
	for _, at := range book[account] {
		if now.Sub(at) < 24*time.Hour {
			n++
		}
	}
	return n
}

// page slices a list by the limit/after cursors and adds Graph paging.
func (s *Server) page(c *call, data []map[string]any) map[string]any {
	limit, _ := strconv.Atoi(c.p.Get("limit"))
	if limit <= 0 || limit > 100 {
		limit = 25
	}
	start := 0
	if a := c.p.Get("after"); a != "" {
		if b, err := base64.RawURLEncoding.DecodeString(a); err == nil {
			start, _ = strconv.Atoi(string(b))
		}
	}
	if start > len(data) {
		start = len(data)
	}
	end := min(start+limit, len(data))
	out := map[string]any{"data": append([]map[string]any{}, data[start:end]...)}
	if len(data) > 0 {
		cur := func(i int) string { return base64.RawURLEncoding.EncodeToString([]byte(strconv.Itoa(i))) }
		paging := map[string]any{"cursors": map[string]string{"before": cur(start), "after": cur(end)}}
		if end < len(data) {
			q := url.Values{}
			for k, v := range c.p {
				q[k] = v
			}
			q.Set("after", cur(end))
			paging["next"] = s.URL + c.r.URL.Path + "?" + q.Encode()
		}
		out["paging"] = paging
	}
	return out
}

// list returns the objects of a type owned by account, newest first.
func (s *Server) list(c *call, typ, account string) []map[string]any {
	var objs []*Object
	for i := len(s.order) - 1; i >= 0; i-- {
		x := s.objects[s.order[i]]
		if x.Type == typ && x.Owner == account && !x.Deleted && x.Fields["is_reply"] != true {
			objs = append(objs, x)
		}
	}
	sort.SliceStable(objs, func(i, j int) bool { return objs[i].Created.After(objs[j].Created) })
	data := make([]map[string]any, 0, len(objs))
	for _, x := range objs {
		data = append(data, s.fieldsOf(c, x))
	}
	return data
}

// topFields splits a Graph fields list at the top level ("a,b{c,d},e.limit(1)" → a, b, e).
func topFields(s string) []string {
	var out []string
	depth, start := 0, 0
	for i, r := range s {
		switch r {
		case '{', '(':
			depth++
		case '}', ')':
			depth--
		case ',':
			if depth == 0 {
				out = append(out, s[start:i])
				start = i + 1
			}
		}
	}
	out = append(out, s[start:])
	for i, f := range out {
		f = strings.TrimSpace(f)
		if j := strings.IndexAny(f, "{.("); j >= 0 {
			f = f[:j]
		}
		out[i] = f
	}
	return out
}

// all is every public field of an object as the API would render it.
func (s *Server) all(o *Object) map[string]any {
	m := map[string]any{"id": o.ID}
	for k, v := range o.Fields {
		if !strings.HasPrefix(k, "_") && k != "tags" && k != "mentions" && k != "threads" {
			m[k] = v
		}
	}
	ts := o.Created.UTC().Format("2006-01-02T15:04:05-0700")
	switch o.Type {
	case "post", "photo", "video":
		m["created_time"] = ts
		m["reactions"] = map[string]any{"data": []any{}, "summary": map[string]int64{"total_count": s.metric(o, "reactions")}}
		m["comments"] = map[string]any{"data": []any{}, "summary": map[string]int{"total_count": s.countComments(o.ID)}}
		m["shares"] = map[string]int64{"count": s.metric(o, "shares")}
	case "comment":
		m["created_time"], m["timestamp"] = ts, ts
		if o.Fields["threads"] == true {
			m["replied_to"] = map[string]string{"id": o.Parent}
			m["root_post"] = map[string]string{"id": s.root(o).ID}
			m["permalink"] = "https://www.threads.net/@" + fmt.Sprint(o.Fields["username"]) + "/post/" + o.ID
		} else {
			m["parent"] = map[string]string{"id": o.Parent}
			m["is_hidden"], m["hidden"] = o.Hidden, o.Hidden
			m["like_count"] = s.metric(o, "likes")
		}
		m["permalink_url"] = "https://www.facebook.com/" + o.ID
	case "igmedia":
		m["timestamp"] = ts
		m["comments_count"] = s.countComments(o.ID) + intOf(o.Fields["comments_count"])
		if _, ok := o.Fields["like_count"]; !ok {
			m["like_count"] = s.metric(o, "likes")
		}
	case "thread":
		m["timestamp"] = ts
	case "message":
		m["created_time"] = ts
	case "container":
		m["status_code"] = o.Status
		m["status"] = o.Status
		if o.Status == "ERROR" {
			m["status"] = "ERROR: " + fmt.Sprint(o.Fields["_error"])
			m["error_message"] = o.Fields["_error"]
		}
	case "iguser":
		media := 0
		for _, id := range s.order {
			if x := s.objects[id]; x.Type == "igmedia" && x.Owner == o.ID && !x.Deleted {
				media++
			}
		}
		m["media_count"] = max(media, intOf(o.Fields["media_count"]))
	}
	return m
}

func intOf(v any) int {
	switch n := v.(type) {
	case int:
		return n
	case int64:
		return int(n)
	case float64:
		return int(n)
	}
	return 0
}

func (s *Server) root(o *Object) *Object {
	for i := 0; i < 50; i++ {
		p := s.objects[o.Parent]
		if p == nil {
			return o
		}
		o = p
	}
	return o
}

func (s *Server) metric(o *Object, name string) int64 {
	if m, ok := o.Fields["_insights"].(map[string]int64); ok {
		return m[name]
	}
	return 0
}

// countComments counts the live comments under id at every depth (replies included).
func (s *Server) countComments(id string) int {
	n := 0
	for _, cid := range s.order {
		if x := s.objects[cid]; (x.Type == "comment" || x.Type == "thread") && x.Parent == id && !x.Deleted {
			n += 1 + s.countComments(x.ID)
		}
	}
	return n
}

// fieldsOf renders the requested fields of an object (all when none are asked for).
func (s *Server) fieldsOf(c *call, o *Object) map[string]any {
	all := s.all(o)
	f := c.p.Get("fields")
	if f == "" {
		return map[string]any{"id": o.ID, "name": all["name"], "message": all["message"]}
	}
	out := map[string]any{"id": o.ID}
	for _, name := range topFields(f) {
		if v, ok := all[name]; ok {
			out[name] = v
		}
	}
	return out
}

var discoveryField = regexp.MustCompile(`business_discovery\.username\(([A-Za-z0-9._]+)\)`)

func (s *Server) read(c *call, o *Object) (any, *graphError) {
	f := c.p.Get("fields")
	if m := discoveryField.FindStringSubmatch(f); m != nil {
		if o.Type != "iguser" || !s.owns(c.t, o.ID) {
			return nil, badParam("business_discovery is only available on your own Instagram professional account")
		}
		if c.t.Kind == "iglogin" {
			return nil, gerr(400, 100, 0, "OAuthException", "(#100) Tried accessing nonexisting field (business_discovery) on node type (User)")
		}
		for _, id := range s.order {
			t := s.objects[id]
			if t.Type == "iguser" && t.Fields["username"] == m[1] {
				bd := s.all(t)
				delete(bd, "tags")
				bd["media"] = map[string]any{"data": s.list(&call{p: url.Values{"fields": {"id,caption,like_count,comments_count,timestamp,permalink,media_type"}}}, "igmedia", t.ID)}
				return map[string]any{"id": o.ID, "business_discovery": bd}, nil
			}
		}
		e := gerr(400, 110, 2207013, "OAuthException", "(#110) Invalid user id")
		e.UserTitle, e.UserMsg = "Cannot find User", "The user with username: "+m[1]+" cannot be found."
		return nil, e
	}
	if o.Type == "container" {
		s.advance(o, c.now)
	}
	if o.Type == "page" && strings.Contains(f, "instagram_business_account") {
		out := s.fieldsOf(c, o)
		for _, id := range s.order {
			if ig := s.objects[id]; ig.Type == "iguser" && ig.Owner == o.ID {
				out["instagram_business_account"] = map[string]string{"id": ig.ID}
			}
		}
		return out, nil
	}
	out := s.fieldsOf(c, o)
	if o.Type == "iguser" && c.t.Kind == "iglogin" && strings.Contains(f, "user_id") {
		out["user_id"] = o.ID
	}
	return out, nil
}

// advance moves a container through its states as it is read.
func (s *Server) advance(o *Object, now time.Time) {
	switch {
	case o.Status == "PUBLISHED" || o.Status == "ERROR":
	case now.Sub(o.Created) >= 24*time.Hour:
		o.Status = "EXPIRED"
	case o.Status == "IN_PROGRESS":
		o.polls--
		if o.polls < 0 {
			o.Status = "FINISHED"
		}
	}
}

func (s *Server) pagePost(c *call, pg *Object) (any, *graphError) {
	p := c.p
	if pg.Type != "page" || c.t.Kind != "page" || c.t.Subject != pg.ID {
		return nil, gerr(403, 200, 0, "OAuthException", "(#200) If posting to a page, requires both pages_read_engagement and pages_manage_posts as an admin with sufficient administrative permission")
	}
	msg, link := p.Get("message"), p.Get("link")
	var media []string
	for i := 0; ; i++ {
		v := p.Get(fmt.Sprintf("attached_media[%d]", i))
		if v == "" {
			break
		}
		var am struct {
			MediaFBID string `json:"media_fbid"`
		}
		if json.Unmarshal([]byte(v), &am) != nil || am.MediaFBID == "" {
			return nil, badParam("attached_media[%d] must be {\"media_fbid\":\"…\"}", i)
		}
		ph := s.objects[am.MediaFBID]
		if ph == nil || ph.Type != "photo" || ph.Owner != pg.ID || ph.Fields["published"] != false {
			return nil, badParam("attached_media[%d]: %s is not an unpublished photo of this Page", i, am.MediaFBID)
		}
		media = append(media, ph.ID)
	}
	if msg == "" && link == "" && len(media) == 0 {
		return nil, badParam("param message or link or attached_media is required")
	}
	if utf8.RuneCountInString(msg) > 63206 {
		return nil, badParam("Message is too long: the limit is 63206 characters")
	}
	if link != "" {
		if u, err := url.Parse(link); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, badParam("The link parameter is not a valid URL")
		}
	}
	post := &Object{ID: pg.ID + "_" + s.newID(), Type: "post", Owner: pg.ID, Created: c.now,
		Fields: map[string]any{"message": msg, "link": link, "permalink_url": "", "_media": media}}
	if sp := p.Get("scheduled_publish_time"); sp != "" || p.Get("published") == "false" {
		at, err := strconv.ParseInt(sp, 10, 64)
		if p.Get("published") != "false" || err != nil || time.Unix(at, 0).Before(c.now.Add(10*time.Minute)) || time.Unix(at, 0).After(c.now.Add(75*24*time.Hour)) {
			return nil, gerr(400, 100, 1363026, "OAuthException", "(#100) The specified scheduled publish time is invalid. It must be between 10 minutes and 75 days from now, with published=false.")
		}
		post.Fields["scheduled_publish_time"] = at
		post.Fields["is_published"] = false
	}
	post.Fields["permalink_url"] = "https://www.facebook.com/" + strings.Replace(post.ID, "_", "/posts/", 1)
	s.put(post)
	return map[string]string{"id": post.ID}, nil
}

func (s *Server) mediaURL(u string) *graphError {
	pu, err := url.Parse(u)
	if u == "" || err != nil || (pu.Scheme != "http" && pu.Scheme != "https") || pu.Host == "" {
		return mediaFetchError()
	}
	if !s.opts.FetchMedia {
		return nil
	}
	// Meta fetches the file itself; the lock is released meanwhile in real life,
	// here the fetch is short and the test's media server is separate.
	resp, err := http.Get(u)
	if err != nil {
		return mediaFetchError()
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		return mediaFetchError()
	}
	return nil
}

func (s *Server) pagePhoto(c *call, pg *Object) (any, *graphError) {
	p := c.p
	if pg.Type != "page" || c.t.Kind != "page" || c.t.Subject != pg.ID {
		return nil, gerr(403, 200, 0, "OAuthException", "(#200) Requires pages_manage_posts permission")
	}
	if p.Get("url") == "" && p.Get("source") == "" {
		return nil, badParam("Requires one of the params: url, source")
	}
	if e := s.mediaURL(p.Get("url")); p.Get("url") != "" && e != nil {
		e.Code, e.Subcode, e.Message = 324, 2069019, "(#324) Missing or invalid image file"
		return nil, e
	}
	ph := &Object{ID: s.newID(), Type: "photo", Owner: pg.ID, Created: c.now, Fields: map[string]any{"name": p.Get("caption"), "alt_text_custom": p.Get("alt_text_custom"), "published": p.Get("published") != "false"}}
	s.put(ph)
	if p.Get("published") == "false" {
		return map[string]string{"id": ph.ID}, nil
	}
	post := &Object{ID: pg.ID + "_" + s.newID(), Type: "post", Owner: pg.ID, Created: c.now, Fields: map[string]any{"message": p.Get("caption"), "_media": []string{ph.ID}}}
	post.Fields["permalink_url"] = "https://www.facebook.com/" + strings.Replace(post.ID, "_", "/posts/", 1)
	s.put(post)
	ph.Parent = post.ID
	return map[string]string{"id": ph.ID, "post_id": post.ID}, nil
}

func (s *Server) pageVideo(c *call, pg *Object) (any, *graphError) {
	p := c.p
	if pg.Type != "page" || c.t.Kind != "page" || c.t.Subject != pg.ID {
		return nil, gerr(403, 200, 0, "OAuthException", "(#200) Requires publish_video permission")
	}
	if p.Get("file_url") == "" {
		return nil, badParam("Requires file_url or a file upload")
	}
	if e := s.mediaURL(p.Get("file_url")); e != nil {
		e.Code, e.Subcode, e.Message = 351, 0, "(#351) Sorry, there was a problem with your video file. Please try again with another file."
		return nil, e
	}
	v := &Object{ID: s.newID(), Type: "video", Owner: pg.ID, Created: c.now, Fields: map[string]any{"description": p.Get("description"), "title": p.Get("title")}}
	s.put(v)
	post := &Object{ID: pg.ID + "_" + v.ID, Type: "post", Owner: pg.ID, Created: c.now, Fields: map[string]any{"message": p.Get("description"), "_media": []string{v.ID}}}
	post.Fields["permalink_url"] = "https://www.facebook.com/" + pg.ID + "/videos/" + v.ID
	s.put(post)
	return map[string]string{"id": v.ID}, nil
}

// pageReel serves the Reels publishing phases: start (a video id and its
// upload URL), the upload (serveUpload, a file_url header), finish.
func (s *Server) pageReel(c *call, pg *Object) (any, *graphError) {
	p := c.p
	if pg.Type != "page" || c.t.Kind != "page" || c.t.Subject != pg.ID {
		return nil, gerr(403, 200, 0, "OAuthException", "(#200) Requires pages_manage_posts permission")
	}
	switch p.Get("upload_phase") {
	case "start":
		v := &Object{ID: s.newID(), Type: "video", Owner: pg.ID, Created: c.now, Fields: map[string]any{"_reel": true, "_uploaded": false}}
		s.put(v)
		return map[string]string{"video_id": v.ID, "upload_url": s.URL + "/video-upload/" + GraphVersion + "/" + v.ID}, nil
	case "finish":
		v := s.objects[p.Get("video_id")]
		if v == nil || v.Fields["_reel"] != true || v.Owner != pg.ID {
			return nil, badParam("video_id is not a Reel started on this Page")
		}
		if v.Fields["_uploaded"] != true {
			return nil, gerr(400, 6000, 1363130, "OAuthException", "(#6000) The video was not uploaded before the finish phase")
		}
		if p.Get("video_state") != "PUBLISHED" && p.Get("video_state") != "SCHEDULED" && p.Get("video_state") != "DRAFT" {
			return nil, badParam("video_state must be PUBLISHED, SCHEDULED or DRAFT")
		}
		v.Fields["description"] = p.Get("description")
		post := &Object{ID: pg.ID + "_" + v.ID, Type: "post", Owner: pg.ID, Created: c.now, Fields: map[string]any{"message": p.Get("description"), "_media": []string{v.ID}, "_reel": true}}
		post.Fields["permalink_url"] = "https://www.facebook.com/reel/" + v.ID
		s.put(post)
		return map[string]any{"success": true, "post_id": post.ID}, nil
	}
	return nil, badParam("upload_phase must be start or finish")
}

// photoStory publishes an unpublished photo of the Page as a story
// (photo_id); a photo already used in a post is refused, as Meta does.
func (s *Server) photoStory(c *call, pg *Object) (any, *graphError) {
	if pg.Type != "page" || c.t.Kind != "page" || c.t.Subject != pg.ID {
		return nil, gerr(403, 200, 0, "OAuthException", "(#200) Requires pages_manage_posts permission")
	}
	ph := s.objects[c.p.Get("photo_id")]
	switch {
	case c.p.Get("photo_id") == "":
		return nil, badParam("The parameter photo_id is required")
	case ph == nil || ph.Type != "photo" || ph.Owner != pg.ID:
		return nil, badParam("photo_id is not a photo of this Page")
	case ph.Fields["published"] == true || ph.Parent != "":
		return nil, badParam("The photo was already used in a post; a story needs an unpublished photo")
	}
	post := &Object{ID: pg.ID + "_" + s.newID(), Type: "post", Owner: pg.ID, Created: c.now, Fields: map[string]any{"_media": []string{ph.ID}, "_story": "photo"}}
	s.put(post)
	ph.Parent = post.ID
	return map[string]any{"success": true, "post_id": post.ID}, nil
}

// videoStory serves the video-story phases: start (a video id and its
// upload URL), the upload (serveUpload), finish.
func (s *Server) videoStory(c *call, pg *Object) (any, *graphError) {
	if pg.Type != "page" || c.t.Kind != "page" || c.t.Subject != pg.ID {
		return nil, gerr(403, 200, 0, "OAuthException", "(#200) Requires pages_manage_posts permission")
	}
	switch c.p.Get("upload_phase") {
	case "start":
		v := &Object{ID: s.newID(), Type: "video", Owner: pg.ID, Created: c.now, Fields: map[string]any{"_story": true, "_uploaded": false}}
		s.put(v)
		return map[string]string{"video_id": v.ID, "upload_url": s.URL + "/video-upload/" + GraphVersion + "/" + v.ID}, nil
	case "finish":
		v := s.objects[c.p.Get("video_id")]
		if v == nil || v.Fields["_story"] != true || v.Owner != pg.ID {
			return nil, badParam("video_id is not a video story started on this Page")
		}
		if v.Fields["_uploaded"] != true {
			return nil, gerr(400, 6000, 1363130, "OAuthException", "(#6000) The video was not uploaded before the finish phase")
		}
		post := &Object{ID: pg.ID + "_" + v.ID, Type: "post", Owner: pg.ID, Created: c.now, Fields: map[string]any{"_media": []string{v.ID}, "_story": "video"}}
		s.put(post)
		return map[string]any{"success": true, "post_id": post.ID}, nil
	}
	return nil, badParam("upload_phase must be start or finish")
}

// serveUpload takes a Reel's bytes by URL (the file_url header), as rupload.facebook.com does.
func (s *Server) serveUpload(c *call) int {
	v := s.objects[c.parts[len(c.parts)-1]]
	auth := c.r.Header.Get("Authorization")
	tok := strings.TrimPrefix(auth, "OAuth ")
	t := s.tokens[tok]
	switch {
	case t == nil || v == nil || v.Owner != t.Subject:
		return s.writeError(c.w, gerr(401, 190, 0, "OAuthException", "Invalid OAuth access token"))
	case c.r.Header.Get("file_url") == "":
		return s.writeError(c.w, badParam("The file_url header is required for an upload by URL"))
	}
	if e := s.mediaURL(c.r.Header.Get("file_url")); e != nil {
		return s.writeError(c.w, e)
	}
	v.Fields["_uploaded"] = true
	return writeJSON(c.w, map[string]bool{"success": true})
}

// Message adds a direct message from a person to the account (a Page's
// Messenger inbox or an Instagram account's) and returns the conversation id.
func (s *Server) Message(account, fromID, fromName, text string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	conv := ""
	for _, id := range s.order {
		if o := s.objects[id]; o.Type == "conversation" && o.Owner == account && o.Fields["_with"] == fromID {
			conv = o.ID
		}
	}
	now := s.opts.Now()
	if conv == "" {
		conv = "t_" + s.newID()
		s.put(&Object{ID: conv, Type: "conversation", Owner: account, Created: now, Fields: map[string]any{"_with": fromID, "_name": fromName}})
	}
	s.objects[conv].Fields["_last_in"] = now
	s.objects[conv].Fields["updated_time"] = now.UTC().Format("2006-01-02T15:04:05-0700")
	s.put(&Object{ID: "m_" + s.newID(), Type: "message", Owner: account, Parent: conv, Created: now,
		Fields: map[string]any{"message": text, "from": map[string]string{"id": fromID, "name": fromName, "username": fromName}}})
	return conv
}

func (s *Server) conversations(c *call, acct *Object) (any, *graphError) {
	if !s.owns(c.t, acct.ID) && !(acct.Type == "page" && c.t.Subject == acct.ID) {
		return nil, gerr(403, 200, 0, "OAuthException", "(#200) Requires pages_messaging or instagram_manage_messages permission")
	}
	platform := c.p.Get("platform")
	account := acct.ID
	if acct.Type == "page" && platform == "instagram" {
		// A Page's token reads its linked Instagram account's conversations.
		for _, id := range s.order {
			if ig := s.objects[id]; ig.Type == "iguser" && ig.Owner == acct.ID {
				account = ig.ID
			}
		}
	} else if acct.Type == "page" && platform != "" && platform != "messenger" {
		return nil, badParam("platform must be messenger or instagram")
	}
	var data []map[string]any
	for i := len(s.order) - 1; i >= 0; i-- {
		o := s.objects[s.order[i]]
		if o.Type == "conversation" && o.Owner == account {
			data = append(data, map[string]any{"id": o.ID, "updated_time": o.Fields["updated_time"],
				"participants": map[string]any{"data": []map[string]string{{"id": fmt.Sprint(o.Fields["_with"]), "name": fmt.Sprint(o.Fields["_name"])}, {"id": account}}}})
		}
	}
	return s.page(c, data), nil
}

// sendMessage answers a person within the 24-hour window that their last message opened.
func (s *Server) sendMessage(c *call, acct *Object) (any, *graphError) {
	var rcpt struct {
		ID string `json:"id"`
	}
	var msg struct {
		Text string `json:"text"`
	}
	if json.Unmarshal([]byte(c.p.Get("recipient")), &rcpt) != nil || rcpt.ID == "" || json.Unmarshal([]byte(c.p.Get("message")), &msg) != nil || msg.Text == "" {
		return nil, badParam("recipient {\"id\"} and message {\"text\"} are required")
	}
	if !s.owns(c.t, acct.ID) && c.t.Subject != acct.ID {
		return nil, gerr(403, 200, 0, "OAuthException", "(#200) Requires pages_messaging permission")
	}
	for _, id := range s.order {
		o := s.objects[id]
		owner := o.Owner
		if o.Type != "conversation" || o.Fields["_with"] != rcpt.ID || (owner != acct.ID && s.objects[owner] != nil && s.objects[owner].Owner != acct.ID) {
			continue
		}
		last, _ := o.Fields["_last_in"].(time.Time)
		if c.now.Sub(last) > 24*time.Hour {
			return nil, gerr(400, 10, 2018278, "OAuthException", "(#10) This message is sent outside of allowed window.")
		}
		m := &Object{ID: "m_" + s.newID(), Type: "message", Owner: owner, Parent: o.ID, Created: c.now,
			Fields: map[string]any{"message": msg.Text, "from": map[string]string{"id": owner}}}
		s.put(m)
		return map[string]string{"recipient_id": rcpt.ID, "message_id": m.ID}, nil
	}
	return nil, gerr(400, 100, 2018001, "OAuthException", "(#100) No matching user found")
}

// comments lists the comments under o (with filter=stream, every depth; else top level).
func (s *Server) comments(c *call, o *Object, stream bool) []map[string]any {
	var data []map[string]any
	var walk func(parent string)
	walk = func(parent string) {
		for _, id := range s.order {
			x := s.objects[id]
			if x.Type != "comment" || x.Parent != parent || x.Deleted {
				continue
			}
			// Hidden comments stay visible to the page or account that hid them.
			data = append(data, s.fieldsOf(c, x))
			if stream {
				walk(x.ID)
			}
		}
	}
	walk(o.ID)
	if c.p.Get("order") == "reverse_chronological" {
		for i, j := 0, len(data)-1; i < j; i, j = i+1, j-1 {
			data[i], data[j] = data[j], data[i]
		}
	}
	return data
}

// comment answers o (a post, a media or a comment) as the page or account.
func (s *Server) comment(c *call, o *Object, reply bool) (any, *graphError) {
	msg := c.p.Get("message")
	if strings.TrimSpace(msg) == "" {
		return nil, badParam("Missing message")
	}
	account := s.accountOf(o)
	if !s.owns(c.t, account) {
		return nil, gerr(403, 200, 0, "OAuthException", "(#200) Requires pages_manage_engagement or instagram_manage_comments permission")
	}
	if s.objects[account] != nil && s.objects[account].Type == "iguser" && utf8.RuneCountInString(msg) > 2200 {
		return nil, badParam("The comment is too long (2200 characters at most)")
	}
	author := fmt.Sprint(s.objects[account].Fields["name"])
	if u, ok := s.objects[account].Fields["username"]; ok {
		author = fmt.Sprint(u)
	}
	cm := &Object{ID: s.newID(), Type: "comment", Owner: account, Parent: o.ID, Created: c.now,
		Fields: map[string]any{"message": msg, "text": msg, "username": author, "from": map[string]any{"id": account, "name": author, "username": author}}}
	if o.Type == "post" {
		cm.ID = strings.SplitN(o.ID, "_", 2)[len(strings.SplitN(o.ID, "_", 2))-1] + "_" + cm.ID
	}
	s.put(cm)
	return map[string]string{"id": cm.ID}, nil
}

// Metric names the fake accepts per node type; removed names (impressions,
// plays, video_views, page_fans, post_impressions…) answer code 100.
var metrics = map[string][]string{
	"post":      {"post_media_view", "post_total_media_view_unique", "post_clicks", "post_reactions_by_type_total"},
	"page":      {"page_media_view", "page_total_media_view_unique", "page_follows", "page_post_engagements", "page_daily_follows_unique"},
	"igmedia":   {"views", "reach", "likes", "comments", "shares", "saved", "total_interactions", "profile_visits", "follows", "ig_reels_avg_watch_time"},
	"iguser":    {"views", "reach", "accounts_engaged", "total_interactions", "follower_count", "profile_views", "profile_links_taps"},
	"thread":    {"views", "likes", "replies", "reposts", "quotes", "shares"},
	"thuser":    {"views", "likes", "replies", "reposts", "quotes", "clicks", "followers_count", "follower_demographics"},
	"igstories": {"views", "reach", "replies", "navigation", "shares"},
}

func (s *Server) insights(c *call, o *Object, threadsUser bool) (any, *graphError) {
	names := strings.Split(c.p.Get("metric"), ",")
	if c.p.Get("metric") == "" {
		return nil, badParam("The parameter metric is required")
	}
	typ := o.Type
	if typ == "photo" || typ == "video" {
		typ = "post"
	}
	allowed := metrics[typ]
	var data []map[string]any
	for _, n := range names {
		n = strings.TrimSpace(n)
		ok := false
		for _, a := range allowed {
			ok = ok || a == n
		}
		if !ok {
			return nil, badParam("metric[%d] must be one of the following values: %s", len(data), strings.Join(allowed, ", "))
		}
		v := s.metric(o, n)
		switch n {
		case "comments", "replies":
			if v == 0 {
				v = int64(s.countComments(o.ID))
			}
		case "followers_count", "follower_count":
			if v == 0 {
				v = int64(intOf(o.Fields["followers_count"]))
			}
		}
		d := map[string]any{"name": n, "period": "lifetime", "title": n, "id": o.ID + "/insights/" + n + "/lifetime"}
		if threadsUser || c.p.Get("metric_type") == "total_value" {
			d["total_value"] = map[string]int64{"value": v}
		} else {
			d["values"] = []map[string]any{{"value": v}}
		}
		if p := c.p.Get("period"); p != "" {
			d["period"] = p
		}
		data = append(data, d)
	}
	return map[string]any{"data": data}, nil
}

var (
	hashtagRe = regexp.MustCompile(`#[\p{L}\p{N}_]+`)
	mentionRe = regexp.MustCompile(`@[A-Za-z0-9._]+`)
)

// createContainer makes an Instagram (threads=false) or Threads media container.
func (s *Server) createContainer(c *call, acct *Object, threads bool) (any, *graphError) {
	p := c.p
	wantType := map[bool]string{false: "iguser", true: "thuser"}[threads]
	if acct.Type != wantType || !s.owns(c.t, acct.ID) {
		return nil, gerr(403, 10, 0, "OAuthException", "(#10) Application does not have permission for this action")
	}
	mt := strings.ToUpper(p.Get("media_type"))
	text := p.Get("caption")
	if threads {
		text = p.Get("text")
	}
	item := p.Get("is_carousel_item") == "true"
	img, vid := p.Get("image_url"), p.Get("video_url")
	var allowedTypes []string
	if threads {
		allowedTypes = []string{"TEXT", "IMAGE", "VIDEO", "CAROUSEL"}
	} else {
		allowedTypes = []string{"", "IMAGE", "VIDEO", "REELS", "STORIES", "CAROUSEL"}
	}
	okType := false
	for _, a := range allowedTypes {
		okType = okType || a == mt
	}
	if !okType {
		return nil, badParam("Param media_type must be one of {%s}", strings.Join(allowedTypes, ", "))
	}
	if threads {
		if n := threadsLength(text); n > 500 {
			return nil, badParam("Param text must be at most 500 characters long (emoji count as their UTF-8 bytes); this text counts %d", n)
		}
		if mt == "TEXT" && strings.TrimSpace(text) == "" {
			return nil, badParam("Param text is required for TEXT posts")
		}
		if rc := p.Get("reply_control"); rc != "" {
			switch rc {
			case "everyone", "accounts_you_follow", "mentioned_only", "parent_post_author_only", "followers_only":
			default:
				return nil, badParam("Param reply_control must be one of everyone, accounts_you_follow, mentioned_only, parent_post_author_only, followers_only")
			}
		}
		for _, ref := range []string{"reply_to_id", "quote_post_id"} {
			if v := p.Get(ref); v != "" {
				if x := s.objects[v]; x == nil || x.Deleted || (x.Type != "thread" && !(x.Type == "comment" && x.Fields["threads"] == true)) {
					return nil, badParam("Param %s %q is not a Threads post", ref, v)
				}
			}
		}
	} else {
		if n := utf8.RuneCountInString(text); n > 2200 {
			return nil, badParam("The caption is too long: %d characters, 2200 at most", n)
		}
		if n := len(hashtagRe.FindAllString(text, -1)); n > 30 {
			return nil, badParam("The caption has %d hashtags, 30 at most", n)
		}
		if n := len(mentionRe.FindAllString(text, -1)); n > 20 {
			return nil, badParam("The caption mentions %d accounts, 20 at most", n)
		}
		if mt == "VIDEO" && !item {
			return nil, gerr(400, 100, 2207067, "OAuthException", "(#100) The VIDEO media type is no longer supported; use REELS")
		}
		if v := p.Get("collaborators"); v != "" {
			var names []string
			if json.Unmarshal([]byte(v), &names) != nil || len(names) > 3 || mt == "STORIES" || item {
				return nil, badParam("collaborators must be a JSON list of at most 3 usernames, and is not available for stories or carousel items")
			}
		}
	}
	o := &Object{ID: s.newID(), Type: "container", Owner: acct.ID, Status: "IN_PROGRESS", polls: s.opts.Polls, Created: c.now,
		Fields: map[string]any{"_media_type": mt, "_text": text, "_item": item, "_alt": p.Get("alt_text"), "_reply_to": p.Get("reply_to_id"), "_quote": p.Get("quote_post_id"), "_reply_control": p.Get("reply_control")}}
	switch {
	case mt == "CAROUSEL":
		children := strings.Split(p.Get("children"), ",")
		maxItems := map[bool]int{false: 10, true: 20}[threads]
		if p.Get("children") == "" || len(children) < 2 || len(children) > maxItems {
			return nil, badParam("Param children must list 2 to %d carousel items", maxItems)
		}
		for _, ch := range children {
			x := s.objects[strings.TrimSpace(ch)]
			if x == nil || x.Type != "container" || x.Owner != acct.ID || x.Fields["_item"] != true {
				return nil, badParam("Child %q is not a carousel item container of this account", ch)
			}
			s.advance(x, c.now)
			if x.Status != "FINISHED" {
				return nil, gerr(400, 9007, 2207027, "OAuthException", "(#9007) Media ID is not available: carousel item "+x.ID+" is "+x.Status)
			}
			o.Children = append(o.Children, x.ID)
		}
	case mt == "TEXT":
	case img != "" && vid != "", img == "" && vid == "":
		return nil, badParam("Exactly one of image_url and video_url is required")
	case img != "":
		if mt == "VIDEO" || mt == "REELS" {
			return nil, badParam("media_type %s needs video_url", mt)
		}
		if e := s.mediaURL(img); e != nil {
			return nil, e
		}
	default:
		if mt == "" || mt == "IMAGE" {
			return nil, badParam("video_url needs media_type REELS, STORIES or VIDEO")
		}
		if e := s.mediaURL(vid); e != nil {
			o.Status, o.Fields["_error"] = "ERROR", "Media download has failed. (2207052)"
		}
	}
	s.put(o)
	return map[string]string{"id": o.ID}, nil
}

// threadsLength counts as Threads does: characters, with each emoji as its UTF-8 bytes.
func threadsLength(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x1F000 || r >= 0x2600 && r <= 0x27BF || r == 0xFE0F || r == 0x200D {
			n += utf8.RuneLen(r)
		} else {
			n++
		}
	}
	return n
}

func (s *Server) publish(c *call, acct *Object, threads bool) (any, *graphError) {
	wantType := map[bool]string{false: "iguser", true: "thuser"}[threads]
	if acct.Type != wantType || !s.owns(c.t, acct.ID) {
		return nil, gerr(403, 10, 0, "OAuthException", "(#10) Application does not have permission for this action")
	}
	o := s.objects[c.p.Get("creation_id")]
	if o == nil || o.Type != "container" || o.Owner != acct.ID {
		return nil, badParam("Param creation_id %q is not a container of this account", c.p.Get("creation_id"))
	}
	s.advance(o, c.now)
	switch o.Status {
	case "IN_PROGRESS":
		return nil, gerr(400, 9007, 2207027, "OAuthException", "(#9007) Media ID is not available")
	case "ERROR":
		return nil, gerr(400, 9007, 2207027, "OAuthException", "(#9007) The media container is in ERROR: "+fmt.Sprint(o.Fields["_error"]))
	case "EXPIRED":
		// (unconfirmed) the code and subcode Meta answers for an expired container.
		return nil, gerr(400, 100, 2207008, "OAuthException", "(#100) The media container has expired (containers must be published within 24 hours)")
	case "PUBLISHED":
		// (unconfirmed) Meta refuses to publish a container twice.
		return nil, gerr(400, 100, 2207006, "OAuthException", "(#100) The media container has already been published")
	}
	isReply := o.Fields["_reply_to"] != ""
	book, quota := s.published, 100
	if threads {
		quota = 250
		if isReply {
			book, quota = s.replies, 1000
		}
	}
	if s.quota(acct.ID, c.now, book) >= quota {
		e := gerr(400, 9, 2207042, "OAuthException", fmt.Sprintf("(#9) You reached the maximum of %d posts in 24 hours", quota))
		e.UserTitle = "Maximum number of posts reached"
		return nil, e
	}
	book[acct.ID] = append(book[acct.ID], c.now)
	m := &Object{ID: s.newID(), Owner: acct.ID, Created: c.now, Fields: map[string]any{}}
	mt := fmt.Sprint(o.Fields["_media_type"])
	username := fmt.Sprint(acct.Fields["username"])
	if threads {
		m.Type = "thread"
		m.Fields["text"] = o.Fields["_text"]
		m.Fields["media_type"] = map[string]string{"TEXT": "TEXT_POST", "IMAGE": "IMAGE", "VIDEO": "VIDEO", "CAROUSEL": "CAROUSEL_ALBUM"}[mt]
		m.Fields["permalink"] = "https://www.threads.net/@" + username + "/post/T" + m.ID
		m.Fields["username"] = username
		m.Fields["reply_audience"] = o.Fields["_reply_control"]
		if rt := fmt.Sprint(o.Fields["_reply_to"]); rt != "" {
			// A reply is a post of its own that also shows under its parent.
			m.Parent, m.Fields["is_reply"] = rt, true
			m.Fields["replied_to"] = map[string]string{"id": rt}
		}
		if q := fmt.Sprint(o.Fields["_quote"]); q != "" {
			m.Fields["quoted_post"] = map[string]string{"id": q}
		}
	} else {
		m.Type = "igmedia"
		m.Fields["caption"] = o.Fields["_text"]
		m.Fields["media_type"] = map[string]string{"": "IMAGE", "IMAGE": "IMAGE", "REELS": "VIDEO", "STORIES": "STORY", "CAROUSEL": "CAROUSEL_ALBUM"}[mt]
		m.Fields["media_product_type"] = map[string]string{"": "FEED", "IMAGE": "FEED", "REELS": "REELS", "STORIES": "STORY", "CAROUSEL": "FEED"}[mt]
		m.Fields["permalink"] = "https://www.instagram.com/p/C" + m.ID + "/"
		m.Fields["username"] = username
		if mt == "STORIES" {
			delete(m.Fields, "caption")
			m.Fields["permalink"] = "https://www.instagram.com/stories/" + username + "/" + m.ID + "/"
		}
	}
	s.put(m)
	o.Status, o.Published = "PUBLISHED", m.ID
	for _, ch := range o.Children {
		s.objects[ch].Status, s.objects[ch].Published = "PUBLISHED", m.ID
	}
	return map[string]string{"id": m.ID}, nil
}

func (s *Server) hashtagSearch(c *call) (any, *graphError) {
	user, q := c.p.Get("user_id"), strings.ToLower(strings.TrimPrefix(c.p.Get("q"), "#"))
	if user == "" || q == "" {
		return nil, badParam("Params user_id and q are required")
	}
	if !s.owns(c.t, user) || c.t.Kind == "iglogin" {
		return nil, gerr(403, 10, 0, "OAuthException", "(#10) Hashtag search needs Instagram Public Content Access through Facebook Login")
	}
	var recent []hashtagUse
	seen := false
	for _, u := range s.hashtags[user] {
		if c.now.Sub(u.at) < 7*24*time.Hour {
			recent = append(recent, u)
			seen = seen || u.tag == q
		}
	}
	if !seen && len(recent) >= 30 {
		// (unconfirmed) the code Meta answers past 30 unique hashtags in 7 days.
		return nil, gerr(400, 24, 2207034, "OAuthException", "(#24) You have reached the maximum of 30 unique hashtags searched in 7 days")
	}
	if !seen {
		recent = append(recent, hashtagUse{tag: q, at: c.now})
	}
	s.hashtags[user] = recent
	id := "1784" + fmt.Sprintf("%011d", len(q)*7919+int(q[0]))
	if s.objects[id] == nil {
		s.put(&Object{ID: id, Type: "hashtag", Created: c.now, Fields: map[string]any{"name": q}})
	}
	return map[string]any{"data": []map[string]string{{"id": id}}}, nil
}

func (s *Server) threadsRoute(c *call, method string) (any, *graphError) {
	parts, p, t := c.parts, c.p, c.t
	id := parts[0]
	if id == "me" {
		id = t.Subject
	}
	if id == "keyword_search" && method == "GET" {
		q := strings.ToLower(p.Get("q"))
		if q == "" {
			return nil, badParam("Param q is required")
		}
		var data []map[string]any
		for i := len(s.order) - 1; i >= 0; i-- {
			x := s.objects[s.order[i]]
			if x.Type == "thread" && !x.Deleted && strings.Contains(strings.ToLower(fmt.Sprint(x.Fields["text"])), q) {
				data = append(data, s.fieldsOf(c, x))
			}
		}
		return s.page(c, data), nil
	}
	o, e := s.obj(id)
	if e != nil {
		return nil, e
	}
	if len(parts) == 1 {
		switch method {
		case "GET":
			return s.read(c, o)
		case "DELETE":
			if o.Owner != t.Subject {
				return nil, gerr(403, 10, 0, "OAuthException", "(#10) You can only delete your own posts")
			}
			o.Deleted = true
			return map[string]any{"success": true, "deleted_id": o.ID}, nil
		}
	}
	if len(parts) != 2 {
		return nil, gerr(400, 2500, 0, "OAuthException", "Unknown path components")
	}
	switch method + " " + parts[1] {
	case "POST threads":
		return s.createContainer(c, o, true)
	case "POST threads_publish":
		return s.publish(c, o, true)
	case "GET threads":
		return s.page(c, s.list(c, "thread", o.ID)), nil
	case "GET threads_publishing_limit":
		return map[string]any{"data": []map[string]any{{
			"quota_usage": s.quota(o.ID, c.now, s.published), "config": map[string]int{"quota_total": 250, "quota_duration": 86400},
			"reply_quota_usage": s.quota(o.ID, c.now, s.replies), "reply_config": map[string]int{"quota_total": 1000, "quota_duration": 86400},
		}}}, nil
	case "GET replies", "GET conversation":
		var data []map[string]any
		var walk func(parent string)
		walk = func(parent string) {
			for _, cid := range s.order {
				x := s.objects[cid]
				if x.Deleted || x.Parent != parent || !(x.Type == "thread" || x.Type == "comment" && x.Fields["threads"] == true) {
					continue
				}
				d := s.fieldsOf(c, x)
				if x.Hidden {
					d["hide_status"] = "HIDDEN"
				} else {
					d["hide_status"] = "NOT_HUSHED"
				}
				data = append(data, d)
				if parts[1] == "conversation" {
					walk(x.ID)
				}
			}
		}
		walk(o.ID)
		return s.page(c, data), nil
	case "POST manage_reply":
		if !(o.Type == "comment" && o.Fields["threads"] == true || o.Type == "thread" && o.Fields["is_reply"] == true) {
			return nil, badParam("Only replies can be hidden")
		}
		if s.accountOf(s.root(o)) != t.Subject {
			return nil, gerr(403, 10, 0, "OAuthException", "(#10) Only replies to your own posts can be hidden")
		}
		o.Hidden = p.Get("hide") == "true"
		return map[string]bool{"success": true}, nil
	case "GET insights":
		return s.insights(c, o, false)
	case "GET threads_insights":
		if o.Type != "thuser" {
			return nil, badParam("threads_insights is an edge of a Threads user")
		}
		return s.insights(c, o, true)
	case "GET mentions":
		var data []map[string]any
		for i := len(s.order) - 1; i >= 0; i-- {
			x := s.objects[s.order[i]]
			if x.Type == "thread" && !x.Deleted && x.Fields["mentions"] == o.ID {
				data = append(data, s.fieldsOf(c, x))
			}
		}
		return s.page(c, data), nil
	}
	return nil, gerr(400, 100, 0, "OAuthException", "Unsupported request: "+method+" "+parts[1])
}
