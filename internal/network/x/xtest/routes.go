package xtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

func readAll(r *http.Request) ([]byte, error) {
	if r.Body == nil {
		return nil, nil
	}
	return io.ReadAll(io.LimitReader(r.Body, 64<<20))
}

func invalid(w http.ResponseWriter, detail string) {
	writeJSON(w, 400, map[string]any{
		"errors": []any{map[string]any{"message": detail}},
		"title":  "Invalid Request", "detail": "One or more parameters to your request was invalid.",
		"type": "https://api.twitter.com/2/problems/invalid-request",
	})
}

type createBody struct {
	Text  *string `json:"text"`
	Media *struct {
		MediaIDs []string `json:"media_ids"`
	} `json:"media"`
	Reply *struct {
		InReplyToTweetID string `json:"in_reply_to_tweet_id"`
	} `json:"reply"`
	QuoteTweetID string `json:"quote_tweet_id"`
	Poll         *struct {
		Options         []string `json:"options"`
		DurationMinutes int      `json:"duration_minutes"`
	} `json:"poll"`
	ReplySettings string `json:"reply_settings"`
}

func (s *Server) createTweet(w http.ResponseWriter, uid string, body []byte) {
	var b createBody
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		invalid(w, "The request body is not valid JSON: "+err.Error())
		return
	}
	text := ""
	if b.Text != nil {
		text = *b.Text
	}
	hasMedia := b.Media != nil && len(b.Media.MediaIDs) > 0
	switch {
	case text == "" && !hasMedia && b.Poll == nil && b.QuoteTweetID == "":
		invalid(w, "You must specify either text, media, a poll or a quote tweet id.")
		return
	case weighted(text) > s.maxText():
		writeJSON(w, 400, map[string]any{"detail": "Your Tweet text is too long. For more information on how X determines text length see https://github.com/twitter/twitter-text.", "type": "https://api.twitter.com/2/problems/invalid-request", "title": "Invalid Request", "status": 400})
		return
	case b.Media != nil && (len(b.Media.MediaIDs) == 0 || len(b.Media.MediaIDs) > 4):
		invalid(w, "$.media.media_ids: size must be between 1 and 4")
		return
	case hasMedia && b.Poll != nil:
		invalid(w, "$.media: Only one of media, poll, or quote_tweet_id may be specified")
		return
	case b.ReplySettings != "" && !map[string]bool{"following": true, "mentionedUsers": true, "subscribers": true, "verified": true}[b.ReplySettings]:
		invalid(w, "$.reply_settings: does not have a value in the enumeration [following, mentionedUsers, subscribers, verified]")
		return
	}
	if b.Poll != nil {
		if n := len(b.Poll.Options); n < 2 || n > 4 {
			invalid(w, "$.poll.options: size must be between 2 and 4")
			return
		}
		for _, o := range b.Poll.Options {
			if o == "" || utf8.RuneCountInString(o) > 25 {
				invalid(w, "$.poll.options: each option must be 1 to 25 characters")
				return
			}
		}
		if d := b.Poll.DurationMinutes; d < 5 || d > 10080 {
			invalid(w, "$.poll.duration_minutes: must be between 5 and 10080")
			return
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if hasMedia {
		for _, id := range b.Media.MediaIDs {
			m, ok := s.media[id]
			if !ok || !m.Finalized || m.State != "succeeded" {
				invalid(w, fmt.Sprintf("Your media IDs are invalid: %s", id))
				return
			}
		}
	}
	replyTo := ""
	if b.Reply != nil {
		replyTo = b.Reply.InReplyToTweetID
		if s.find(replyTo) == nil {
			writeJSON(w, 403, map[string]any{"detail": "You attempted to reply to a Tweet that is deleted or not visible to you.", "type": "about:blank", "title": "Forbidden", "status": 403})
			return
		}
	}
	if b.QuoteTweetID != "" && s.find(b.QuoteTweetID) == nil {
		invalid(w, "$.quote_tweet_id: the quoted post does not exist")
		return
	}
	for _, t := range s.tweets {
		if !t.Deleted && t.AuthorID == uid && t.Text == text && text != "" && s.opts.Now().Sub(t.CreatedAt) < 24*time.Hour {
			writeJSON(w, 403, map[string]any{"detail": "You are not allowed to create a Tweet with duplicate content.", "type": "about:blank", "title": "Forbidden", "status": 403})
			return
		}
	}
	t := s.create(uid, text, replyTo)
	t.QuoteID, t.ReplySettings = b.QuoteTweetID, b.ReplySettings
	if hasMedia {
		t.MediaIDs = b.Media.MediaIDs
	}
	if b.Poll != nil {
		t.PollOptions, t.PollMinutes = b.Poll.Options, b.Poll.DurationMinutes
	}
	if q := s.find(b.QuoteTweetID); q != nil {
		q.Quotes++
	}
	writeJSON(w, 201, map[string]any{"data": map[string]any{"id": t.ID, "text": s.displayText(t), "edit_history_tweet_ids": []string{t.ID}}})
}

// displayText is the text as X returns it: URLs shortened to t.co, &<>
// escaped, a media link appended, a reply to someone else led by their @name.
func (s *Server) displayText(t *Tweet) string {
	f := strings.Fields(t.Text)
	out := t.Text
	for _, w := range f {
		if strings.HasPrefix(w, "http://") || strings.HasPrefix(w, "https://") {
			out = strings.Replace(out, w, "https://t.co/"+strconv.Itoa(len(w)%10)+"aBcDeF", 1)
		}
	}
	out = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(out)
	if len(t.MediaIDs) > 0 {
		out = strings.TrimSpace(out + " https://t.co/MeDiA" + t.MediaIDs[0][len(t.MediaIDs[0])-3:])
	}
	if p := s.find(t.ReplyTo); p != nil && p.AuthorID != t.AuthorID {
		out = "@" + s.users[p.AuthorID].Username + " " + out
	}
	return out
}

func (s *Server) deleteTweet(w http.ResponseWriter, uid, id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.findOr404(w, id)
	if t == nil {
		return
	}
	if t.AuthorID != uid {
		problem(w, 403, "Forbidden", "You are not allowed to delete a Tweet that does not belong to you.", "about:blank")
		return
	}
	t.Deleted = true
	writeJSON(w, 200, map[string]any{"data": map[string]bool{"deleted": true}})
}

// render is a post in v2 shape with the fields asked for.
func (s *Server) render(t *Tweet, fields map[string]bool) map[string]any {
	m := map[string]any{"id": t.ID, "text": s.displayText(t), "edit_history_tweet_ids": []string{t.ID}}
	if fields["author_id"] {
		m["author_id"] = t.AuthorID
	}
	if fields["conversation_id"] {
		m["conversation_id"] = t.ConversationID
	}
	if fields["created_at"] {
		m["created_at"] = t.CreatedAt.Format("2006-01-02T15:04:05.000Z")
	}
	if fields["lang"] {
		m["lang"] = "en"
	}
	if fields["referenced_tweets"] {
		var refs []map[string]string
		if t.ReplyTo != "" {
			refs = append(refs, map[string]string{"type": "replied_to", "id": t.ReplyTo})
		}
		if t.QuoteID != "" {
			refs = append(refs, map[string]string{"type": "quoted", "id": t.QuoteID})
		}
		if refs != nil {
			m["referenced_tweets"] = refs
		}
	}
	if fields["public_metrics"] {
		m["public_metrics"] = map[string]int64{"retweet_count": t.Retweets, "reply_count": t.Replies, "like_count": t.Likes, "quote_count": t.Quotes, "bookmark_count": 0, "impression_count": t.Impressions}
	}
	return m
}

// knownTweetFields are the tweet.fields X accepts; others are a 400, as on X.
var knownTweetFields = map[string]bool{
	"article": true, "attachments": true, "author_id": true, "card_uri": true, "community_id": true, "context_annotations": true,
	"conversation_id": true, "created_at": true, "display_text_range": true, "edit_controls": true, "edit_history_tweet_ids": true,
	"entities": true, "geo": true, "id": true, "in_reply_to_user_id": true, "lang": true, "media_metadata": true,
	"non_public_metrics": true, "note_tweet": true, "organic_metrics": true, "possibly_sensitive": true, "promoted_metrics": true,
	"public_metrics": true, "referenced_tweets": true, "reply_settings": true, "scopes": true, "source": true, "text": true, "withheld": true,
}

func fieldsOf(w http.ResponseWriter, r *http.Request) (map[string]bool, bool) {
	f := map[string]bool{}
	for _, n := range strings.Split(r.URL.Query().Get("tweet.fields"), ",") {
		if n == "" {
			continue
		}
		if !knownTweetFields[n] {
			invalid(w, fmt.Sprintf("The `tweet.fields` query parameter value [%s] is not one of [%s]", n, "article,attachments,author_id,…"))
			return nil, false
		}
		f[n] = true
	}
	return f, true
}

func (s *Server) lookup(w http.ResponseWriter, r *http.Request) {
	fields, ok := fieldsOf(w, r)
	if !ok {
		return
	}
	ids := strings.Split(r.URL.Query().Get("ids"), ",")
	if len(ids) == 0 || len(ids) > 100 || ids[0] == "" {
		invalid(w, "The `ids` query parameter value must be 1 to 100 ids")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	resp := map[string]any{}
	var data, errs []any
	for _, id := range ids {
		if t := s.find(id); t != nil {
			data = append(data, s.render(t, fields))
			continue
		}
		errs = append(errs, map[string]any{
			"value": id, "detail": "Could not find tweet with ids: [" + id + "].", "title": "Not Found Error",
			"resource_type": "tweet", "parameter": "ids", "resource_id": id, "type": "https://api.twitter.com/2/problems/resource-not-found",
		})
	}
	if data != nil {
		resp["data"] = data
	}
	if errs != nil {
		resp["errors"] = errs
	}
	writeJSON(w, 200, resp)
}

// list answers a page of posts newest first, with expansions and meta.
func (s *Server) list(w http.ResponseWriter, r *http.Request, match func(*Tweet) bool) {
	fields, ok := fieldsOf(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	max := 10
	if v := q.Get("max_results"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 5 || n > 100 {
			invalid(w, "The `max_results` query parameter value ["+v+"] is not between 5 and 100")
			return
		}
		max = n
	}
	var start time.Time
	if v := q.Get("start_time"); v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			invalid(w, "The `start_time` query parameter value ["+v+"] is not a valid RFC 3339 time")
			return
		}
		start = t
	}
	since := q.Get("since_id")
	s.mu.Lock()
	defer s.mu.Unlock()
	var hits []*Tweet
	for _, t := range s.tweets {
		if t.Deleted || !match(t) || (since != "" && !newer(t.ID, since)) || t.CreatedAt.Before(start) {
			continue
		}
		hits = append(hits, t)
	}
	sort.Slice(hits, func(i, j int) bool { return newer(hits[i].ID, hits[j].ID) })
	offset := 0
	tok := q.Get("next_token")
	if tok == "" {
		tok = q.Get("pagination_token")
	}
	if tok != "" {
		offset, _ = strconv.Atoi(strings.TrimPrefix(tok, "p"))
	}
	page := hits[min(offset, len(hits)):min(offset+max, len(hits))]
	meta := map[string]any{"result_count": len(page)}
	resp := map[string]any{"meta": meta}
	if len(page) > 0 {
		meta["newest_id"], meta["oldest_id"] = page[0].ID, page[len(page)-1].ID
		var data, users []any
		seen := map[string]bool{}
		for _, t := range page {
			data = append(data, s.render(t, fields))
			if u := s.users[t.AuthorID]; u != nil && !seen[u.ID] && q.Get("expansions") == "author_id" {
				seen[u.ID] = true
				um := map[string]any{"id": u.ID, "name": u.Name, "username": u.Username}
				if strings.Contains(q.Get("user.fields"), "public_metrics") {
					um["public_metrics"] = map[string]int64{"followers_count": u.Followers, "following_count": 0, "tweet_count": 0, "listed_count": 0}
				}
				users = append(users, um)
			}
		}
		resp["data"] = data
		if users != nil {
			resp["includes"] = map[string]any{"users": users}
		}
	}
	if offset+max < len(hits) {
		meta["next_token"] = "p" + strconv.Itoa(offset+max)
	}
	writeJSON(w, 200, resp)
}

func newer(a, b string) bool {
	if len(a) != len(b) {
		return len(a) > len(b)
	}
	return a > b
}

func (s *Server) timeline(w http.ResponseWriter, r *http.Request, uid string, mentions bool) {
	s.mu.Lock()
	u := s.users[uid]
	s.mu.Unlock()
	if u == nil {
		notFound(w, "user", uid)
		return
	}
	handle := "@" + strings.ToLower(u.Username)
	s.list(w, r, func(t *Tweet) bool {
		if mentions {
			return t.AuthorID != uid && strings.Contains(strings.ToLower(t.Text), handle)
		}
		return t.AuthorID == uid
	})
}

func (s *Server) search(w http.ResponseWriter, r *http.Request) {
	query := strings.TrimSpace(r.URL.Query().Get("query"))
	if query == "" || utf8.RuneCountInString(query) > 512 {
		invalid(w, "The `query` query parameter value must be 1 to 512 characters")
		return
	}
	root, err := parseQuery(query)
	if err != nil {
		invalid(w, err.Error())
		return
	}
	week := s.opts.Now().Add(-7 * 24 * time.Hour)
	s.list(w, r, func(t *Tweet) bool {
		if t.CreatedAt.Before(week) {
			return false
		}
		p := &searchPost{words: splitWords(t.Text), conversationID: t.ConversationID, lang: "en"}
		if u := s.users[t.AuthorID]; u != nil {
			p.author = strings.ToLower(u.Username)
		}
		// A conversation search leaves out the post that opened it.
		if strings.Contains(query, "conversation_id:") && t.ID == t.ConversationID {
			return false
		}
		return root.match(p)
	})
}

var mediaTypes = map[string]string{
	"image/jpeg": "tweet_image", "image/png": "tweet_image", "image/webp": "tweet_image", "image/bmp": "tweet_image",
	"image/gif": "tweet_gif", "video/mp4": "tweet_video", "video/quicktime": "tweet_video", "video/webm": "tweet_video",
}

// Size limits per category (X's documentation: 5 MB images, 15 MB GIFs, 512 MB videos).
var maxBytes = map[string]int{"tweet_image": 5 << 20, "tweet_gif": 15 << 20, "tweet_video": 512 << 20}

func (s *Server) initUpload(w http.ResponseWriter, body []byte) {
	var b struct {
		MediaType     string `json:"media_type"`
		TotalBytes    int    `json:"total_bytes"`
		MediaCategory string `json:"media_category"`
	}
	if err := json.Unmarshal(body, &b); err != nil {
		invalid(w, "The request body is not valid JSON")
		return
	}
	cat, ok := mediaTypes[b.MediaType]
	switch {
	case !ok:
		invalid(w, "$.media_type: "+b.MediaType+" is not a supported media type")
		return
	case b.MediaCategory != "" && b.MediaCategory != cat && !(cat == "tweet_gif" && b.MediaCategory == "tweet_image"):
		invalid(w, "$.media_category: "+b.MediaCategory+" does not match media type "+b.MediaType)
		return
	case b.TotalBytes <= 0 || b.TotalBytes > maxBytes[cat]:
		invalid(w, fmt.Sprintf("$.total_bytes: must be between 1 and %d for %s", maxBytes[cat], cat))
		return
	}
	s.mu.Lock()
	s.nextID++
	m := &Media{ID: strconv.FormatInt(s.nextID, 10), Type: b.MediaType, Category: cat, Total: b.TotalBytes, State: "uploading"}
	s.media[m.ID] = m
	s.mu.Unlock()
	writeJSON(w, 200, map[string]any{"data": map[string]any{"id": m.ID, "media_key": "3_" + m.ID, "expires_after_secs": 86400}})
}

func (s *Server) appendUpload(w http.ResponseWriter, r *http.Request, id string, body []byte) {
	_, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || params["boundary"] == "" {
		invalid(w, "The append body must be multipart/form-data")
		return
	}
	form, err := multipart.NewReader(bytes.NewReader(body), params["boundary"]).ReadForm(32 << 20)
	if err != nil {
		invalid(w, "The append body is not valid multipart/form-data")
		return
	}
	seg, err := strconv.Atoi(first(form.Value["segment_index"]))
	files := form.File["media"]
	if err != nil || seg < 0 || seg > 999 || len(files) != 1 {
		invalid(w, "$.segment_index and media are required; segment_index is 0 to 999")
		return
	}
	if files[0].Size > 5<<20 {
		invalid(w, "$.media: a segment is at most 5 MB")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.media[id]
	switch {
	case !ok:
		notFound(w, "media", id)
	case m.Finalized:
		invalid(w, "The media has been finalized")
	case seg != m.Segments:
		invalid(w, fmt.Sprintf("$.segment_index: expected %d, got %d", m.Segments, seg))
	default:
		m.Segments++
		m.Received += int(files[0].Size)
		writeJSON(w, 200, map[string]any{"data": map[string]any{"expires_at": s.opts.Now().Add(24 * time.Hour).Unix()}})
	}
}

func first(v []string) string {
	if len(v) == 0 {
		return ""
	}
	return v[0]
}

func (s *Server) processing(m *Media) map[string]any {
	if m.State == "succeeded" && m.Category == "tweet_image" {
		return nil
	}
	p := map[string]any{"state": m.State}
	switch m.State {
	case "pending", "in_progress":
		p["check_after_secs"] = 1
		p["progress_percent"] = 50
	case "failed":
		p["error"] = map[string]any{"code": 1, "name": "InvalidMedia", "message": "Unsupported video format"}
	case "succeeded":
		p["progress_percent"] = 100
	}
	return p
}

func (s *Server) finalize(w http.ResponseWriter, id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.media[id]
	switch {
	case !ok:
		notFound(w, "media", id)
		return
	case m.Finalized:
		invalid(w, "The media has already been finalized")
		return
	case m.Received != m.Total:
		invalid(w, fmt.Sprintf("File size mismatch: received %d bytes, declared %d", m.Received, m.Total))
		return
	}
	m.Finalized = true
	m.State = "succeeded"
	if m.Category != "tweet_image" {
		m.State, m.pollsLeft = "pending", s.opts.MediaPolls
		if strings.Contains(m.Type, "webm") {
			m.pollsLeft = -1 // fails on the first STATUS
		}
	}
	d := map[string]any{"id": m.ID, "media_key": "3_" + m.ID, "size": m.Total, "expires_after_secs": 86400}
	if p := s.processing(m); p != nil {
		d["processing_info"] = p
	}
	writeJSON(w, 200, map[string]any{"data": d})
}

func (s *Server) status(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("command") != "STATUS" {
		invalid(w, "$.command: must be STATUS")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.media[q.Get("media_id")]
	if !ok || !m.Finalized {
		notFound(w, "media", q.Get("media_id"))
		return
	}
	switch {
	case m.State == "succeeded" || m.State == "failed":
	case m.pollsLeft < 0:
		m.State = "failed"
	case m.pollsLeft == 0:
		m.State = "succeeded"
	default:
		m.State = "in_progress"
		m.pollsLeft--
	}
	d := map[string]any{"id": m.ID, "media_key": "3_" + m.ID}
	if p := s.processing(m); p != nil {
		d["processing_info"] = p
	}
	writeJSON(w, 200, map[string]any{"data": d})
}

func (s *Server) metadata(w http.ResponseWriter, body []byte) {
	var b struct {
		ID       string `json:"id"`
		Metadata struct {
			AltText *struct {
				Text string `json:"text"`
			} `json:"alt_text"`
		} `json:"metadata"`
	}
	if err := json.Unmarshal(body, &b); err != nil || b.ID == "" || b.Metadata.AltText == nil {
		invalid(w, "$.id and $.metadata.alt_text are required")
		return
	}
	if n := utf8.RuneCountInString(b.Metadata.AltText.Text); n == 0 || n > 1000 {
		invalid(w, "$.metadata.alt_text.text: size must be between 1 and 1000")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.media[b.ID]
	if !ok {
		notFound(w, "media", b.ID)
		return
	}
	m.AltText = b.Metadata.AltText.Text
	writeJSON(w, 200, map[string]any{"data": map[string]any{"associated_metadata": true, "id": b.ID}})
}

// notFound is X's 404 problem for a missing resource.
func notFound(w http.ResponseWriter, kind, id string) {
	problem(w, 404, "Not Found Error", "Could not find "+kind+" with id: ["+id+"].", "https://api.twitter.com/2/problems/resource-not-found")
}

// hideReply hides a reply in a conversation the caller started.
func (s *Server) hideReply(w http.ResponseWriter, uid, id string, body []byte) {
	var b struct {
		Hidden *bool `json:"hidden"`
	}
	if err := json.Unmarshal(body, &b); err != nil || b.Hidden == nil {
		invalid(w, "$.hidden is required")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.findOr404(w, id)
	if t == nil {
		return
	}
	root := s.find(t.ConversationID)
	if t.ReplyTo == "" || root == nil || root.AuthorID != uid || t.AuthorID == uid {
		problem(w, 403, "Forbidden", "You cannot hide or unhide replies to conversations you did not start.", "about:blank")
		return
	}
	t.Hidden = *b.Hidden
	writeJSON(w, 200, map[string]any{"data": map[string]bool{"hidden": t.Hidden}})
}

// findOr404 returns a live post, or answers X's 404 and returns nil. The caller holds s.mu.
func (s *Server) findOr404(w http.ResponseWriter, id string) *Tweet {
	t := s.find(id)
	if t == nil {
		notFound(w, "tweet", id)
	}
	return t
}
