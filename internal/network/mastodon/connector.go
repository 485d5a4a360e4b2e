package mastodon

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/relais/relais/internal/network"
)

// Connector publishes to and reads from one Mastodon-API account.
type Connector struct {
	api       api
	accountID string
	// mu guards domain and limits, which RefreshLimits replaces while other
	// calls run, and streamBase, the streaming API's origin once read.
	mu         sync.Mutex
	domain     string
	limits     network.Limits
	streamBase string
	// pollEvery and maxPolls bound waiting for media the server processes asynchronously.
	pollEvery time.Duration
	maxPolls  int
}

var (
	_ network.Connector       = (*Connector)(nil)
	_ network.Editor          = (*Connector)(nil)
	_ network.MetricsReader   = (*Connector)(nil)
	_ network.CommentReader   = (*Connector)(nil)
	_ network.Replier         = (*Connector)(nil)
	_ network.MentionReader   = (*Connector)(nil)
	_ network.ReplyFinder     = (*Connector)(nil)
	_ network.Searcher        = (*Connector)(nil)
	_ network.LimitsRefresher = (*Connector)(nil)
)

type apiAccount struct {
	ID             string `json:"id"`
	Username       string `json:"username"`
	Acct           string `json:"acct"`
	DisplayName    string `json:"display_name"`
	URL            string `json:"url"`
	Avatar         string `json:"avatar"`
	FollowersCount int64  `json:"followers_count"`
	FollowingCount int64  `json:"following_count"`
	StatusesCount  int64  `json:"statuses_count"`
}

type apiStatus struct {
	ID               string     `json:"id"`
	URL              string     `json:"url"`
	URI              string     `json:"uri"`
	InReplyToID      *string    `json:"in_reply_to_id"`
	Content          string     `json:"content"`
	SpoilerText      string     `json:"spoiler_text"`
	Sensitive        bool       `json:"sensitive"`
	Visibility       string     `json:"visibility"`
	Language         *string    `json:"language"`
	CreatedAt        time.Time  `json:"created_at"`
	RepliesCount     int64      `json:"replies_count"`
	ReblogsCount     int64      `json:"reblogs_count"`
	FavouritesCount  int64      `json:"favourites_count"`
	QuotesCount      *int64     `json:"quotes_count"`
	Account          apiAccount `json:"account"`
	MediaAttachments []struct {
		ID string `json:"id"`
	} `json:"media_attachments"`
}

// Kind names the network.
func (c *Connector) Kind() network.Kind { return network.Mastodon }

// Identify returns the account behind the token; a revoked token fails with AuthReconnect.
func (c *Connector) Identify(ctx context.Context) (network.Account, error) {
	acct, _, err := c.verify(ctx)
	return acct, err
}

func (c *Connector) verify(ctx context.Context) (network.Account, apiAccount, error) {
	var a apiAccount
	if _, _, err := c.api.call(ctx, http.MethodGet, "/api/v1/accounts/verify_credentials", nil, nil, nil, &a); err != nil {
		return network.Account{}, a, fmt.Errorf("mastodon: verify credentials: %w", err)
	}
	if a.ID == "" {
		return network.Account{}, a, errors.New("mastodon: verify credentials: the instance returned no account")
	}
	c.mu.Lock()
	domain := c.domain
	c.mu.Unlock()
	return network.Account{
		RemoteID: a.ID, Handle: "@" + a.Username + "@" + domain, DisplayName: a.DisplayName,
		URL: a.URL, AvatarURL: a.Avatar,
	}, a, nil
}

// Check is a cheap health check (the same call as Identify: Mastodon has no cheaper one).
func (c *Connector) Check(ctx context.Context) error {
	_, _, err := c.verify(ctx)
	return err
}

// RefreshLimits re-reads the instance's limits.
func (c *Connector) RefreshLimits(ctx context.Context) (network.Limits, error) {
	l, domain, err := fetchLimits(ctx, api{env: c.api.env, instance: c.api.instance})
	c.mu.Lock()
	defer c.mu.Unlock()
	if err != nil {
		return c.limits, fmt.Errorf("mastodon: refresh limits: %w", err)
	}
	c.limits, c.domain = l, domain
	return l, nil
}

// statusOptions are the per-publication status fields taken from PublishRequest.Options.
type statusOptions struct {
	visibility, spoiler, language string
	sensitive                     bool
}

func optionsOf(req network.PublishRequest) statusOptions {
	o := statusOptions{visibility: req.Options["visibility"], language: req.Language}
	o.spoiler = req.Options["spoiler_text"]
	if o.spoiler == "" {
		o.spoiler = req.Options["content_warning"]
	}
	o.sensitive, _ = strconv.ParseBool(req.Options["sensitive"])
	return o
}

// Publish posts the parts as a chain of replies (a thread), each with an
// Idempotency-Key of "<key>-<part index>", continuing after req.Done; the
// first comment is a reply to the first part. On failure the parts already
// out are returned with the error.
func (c *Connector) Publish(ctx context.Context, req network.PublishRequest) (network.PublishResult, error) {
	res := network.PublishResult{Parts: append([]network.RemotePost(nil), req.Done...)}
	if err := network.CheckParts(network.Mastodon, req); err != nil {
		return res, err
	}
	opts := optionsOf(req)
	parent := ""
	if n := len(req.Done); n > 0 {
		parent = req.Done[n-1].ID
	}
	for i := len(req.Done); i < len(req.Parts); i++ {
		rp, err := c.postPart(ctx, req.Parts[i], parent, opts, idemKey(req.IdempotencyKey, strconv.Itoa(i)))
		if err != nil {
			return res, fmt.Errorf("mastodon: publish part %d of %d: %w", i+1, len(req.Parts), err)
		}
		res.Parts = append(res.Parts, rp)
		parent = rp.ID
	}
	if strings.TrimSpace(req.FirstComment) != "" {
		fc := statusOptions{visibility: opts.visibility, language: opts.language}
		rp, err := c.postPart(ctx, network.Part{Text: req.FirstComment}, res.Parts[0].ID, fc, idemKey(req.IdempotencyKey, "comment"))
		if err != nil {
			return res, fmt.Errorf("mastodon: publish first comment: %w", err)
		}
		res.FirstComment = &rp
	}
	return res, nil
}

func idemKey(key, suffix string) string {
	if key == "" {
		return ""
	}
	return key + "-" + suffix
}

func (c *Connector) postPart(ctx context.Context, p network.Part, replyTo string, o statusOptions, key string) (network.RemotePost, error) {
	mediaIDs, err := c.uploadAll(ctx, p.Media)
	if err != nil {
		return network.RemotePost{}, err
	}
	form := url.Values{"status": {textWithLink(p)}}
	for _, id := range mediaIDs {
		form.Add("media_ids[]", id)
	}
	if replyTo != "" {
		form.Set("in_reply_to_id", replyTo)
	}
	if o.visibility != "" {
		form.Set("visibility", o.visibility)
	}
	if o.spoiler != "" {
		form.Set("spoiler_text", o.spoiler)
	}
	if o.sensitive {
		form.Set("sensitive", "true")
	}
	if o.language != "" {
		form.Set("language", o.language)
	}
	var h http.Header
	if key != "" {
		h = http.Header{"Idempotency-Key": {key}}
	}
	var st apiStatus
	if _, _, err := c.api.call(ctx, http.MethodPost, "/api/v1/statuses", nil, form, h, &st); err != nil {
		return network.RemotePost{}, err
	}
	if st.ID == "" {
		return network.RemotePost{}, &network.Error{Class: network.Unknown, Network: network.Mastodon, Message: "the instance answered without a status id"}
	}
	return network.RemotePost{ID: st.ID, URL: st.URL, Extra: map[string]string{"uri": st.URI}}, nil
}

// textWithLink is the status text: the part's link goes in the text, so
// Mastodon builds its card from it (network.TextAsSent, as the composer counts it).
func textWithLink(p network.Part) string { return network.TextAsSent(network.Mastodon, p) }

func (c *Connector) uploadAll(ctx context.Context, media []network.Media) ([]string, error) {
	return network.UploadEach(ctx, media, c.upload)
}

// upload sends one attachment; a 202 means the server processes it in the
// background, so it polls GET /api/v1/media/:id until 200 (206 meanwhile).
func (c *Connector) upload(ctx context.Context, m network.Media) (string, error) {
	if len(m.Data) == 0 {
		return "", &network.Error{Class: network.Permanent, Network: network.Mastodon, Message: "Mastodon needs the media bytes; this attachment has none"}
	}
	var att struct {
		ID  string  `json:"id"`
		URL *string `json:"url"`
	}
	status, _, err := c.api.upload(ctx, m, &att)
	if err != nil {
		return "", err
	}
	if status == http.StatusOK {
		return att.ID, nil
	}
	for range c.maxPolls {
		select {
		case <-ctx.Done():
			return "", network.TransportError(network.Mastodon, ctx.Err())
		case <-time.After(c.pollEvery):
		}
		status, _, err := c.api.call(ctx, http.MethodGet, "/api/v1/media/"+url.PathEscape(att.ID), nil, nil, nil, nil)
		if err != nil {
			return "", err
		}
		if status == http.StatusOK {
			return att.ID, nil
		}
	}
	return "", &network.Error{Class: network.Retryable, Network: network.Mastodon, Message: fmt.Sprintf("media %s is still processing after %d checks", att.ID, c.maxPolls)}
}

// Delete removes a status; a status that is already gone counts as deleted.
func (c *Connector) Delete(ctx context.Context, remoteID string) error {
	_, _, err := c.api.call(ctx, http.MethodDelete, "/api/v1/statuses/"+url.PathEscape(remoteID), nil, nil, nil, nil)
	if errors.Is(err, network.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("mastodon: delete %s: %w", remoteID, err)
	}
	return nil
}

func (c *Connector) getStatus(ctx context.Context, id string) (apiStatus, error) {
	var st apiStatus
	_, _, err := c.api.call(ctx, http.MethodGet, "/api/v1/statuses/"+url.PathEscape(id), nil, nil, nil, &st)
	return st, err
}

// Edit replaces a status's text. New media replace the attachments; without
// media the current attachments are kept (an edit without media_ids would drop them).
func (c *Connector) Edit(ctx context.Context, remoteID string, part network.Part) error {
	cur, err := c.getStatus(ctx, remoteID)
	if err != nil {
		return fmt.Errorf("mastodon: edit %s: %w", remoteID, err)
	}
	form := url.Values{"status": {textWithLink(part)}}
	if len(part.Media) > 0 {
		ids, err := c.uploadAll(ctx, part.Media)
		if err != nil {
			return fmt.Errorf("mastodon: edit %s: %w", remoteID, err)
		}
		form["media_ids[]"] = ids
	} else {
		for _, m := range cur.MediaAttachments {
			form.Add("media_ids[]", m.ID)
		}
	}
	if cur.SpoilerText != "" {
		form.Set("spoiler_text", cur.SpoilerText)
	}
	if cur.Sensitive {
		form.Set("sensitive", "true")
	}
	if cur.Language != nil {
		form.Set("language", *cur.Language)
	}
	if _, _, err := c.api.call(ctx, http.MethodPut, "/api/v1/statuses/"+url.PathEscape(remoteID), nil, form, nil, nil); err != nil {
		return fmt.Errorf("mastodon: edit %s: %w", remoteID, err)
	}
	return nil
}

// PostMetrics reads the public counts of statuses; Mastodon reports no views
// (-1), and quotes only on servers that know them. Deleted statuses are left out.
func (c *Connector) PostMetrics(ctx context.Context, remoteIDs []string) (map[string]network.PostMetrics, error) {
	out := make(map[string]network.PostMetrics, len(remoteIDs))
	for _, id := range remoteIDs {
		st, err := c.getStatus(ctx, id)
		if errors.Is(err, network.ErrNotFound) {
			continue
		}
		if err != nil {
			return out, fmt.Errorf("mastodon: metrics of %s: %w", id, err)
		}
		quotes := int64(-1)
		if st.QuotesCount != nil {
			quotes = *st.QuotesCount
		}
		out[id] = network.PostMetrics{Likes: st.FavouritesCount, Reposts: st.ReblogsCount, Replies: st.RepliesCount, Quotes: quotes, Views: -1}
	}
	return out, nil
}

// Followers reads the account's followers_count.
func (c *Connector) Followers(ctx context.Context) (int64, error) {
	_, a, err := c.verify(ctx)
	if err != nil {
		return 0, err
	}
	return a.FollowersCount, nil
}

// AccountStats reads the account's followers, following and statuses counts.
func (c *Connector) AccountStats(ctx context.Context) (network.AccountStats, error) {
	_, a, err := c.verify(ctx)
	if err != nil {
		return network.AccountStats{}, err
	}
	return network.AccountStats{Followers: a.FollowersCount, Following: a.FollowingCount, Posts: a.StatusesCount}, nil
}

// Comments returns the replies under a status by others (the descendants in
// /context), leaving out the account's own thread parts.
func (c *Connector) Comments(ctx context.Context, remoteID string) ([]network.Comment, error) {
	var ctxResp struct {
		Descendants []apiStatus `json:"descendants"`
	}
	if _, _, err := c.api.call(ctx, http.MethodGet, "/api/v1/statuses/"+url.PathEscape(remoteID)+"/context", nil, nil, nil, &ctxResp); err != nil {
		return nil, fmt.Errorf("mastodon: comments of %s: %w", remoteID, err)
	}
	var out []network.Comment
	for _, st := range ctxResp.Descendants {
		if c.accountID != "" && st.Account.ID == c.accountID {
			continue
		}
		cm := toComment(st)
		cm.RootID = remoteID
		cm.Kind = "reply"
		out = append(out, cm)
	}
	return out, nil
}

func toComment(st apiStatus) network.Comment {
	cm := network.Comment{
		RemoteID: st.ID, AuthorID: st.Account.ID, AuthorName: st.Account.DisplayName,
		Text: HTMLToText(st.Content), URL: st.URL, CreatedAt: st.CreatedAt,
	}
	if st.Account.Acct != "" {
		cm.AuthorHandle = "@" + st.Account.Acct
	}
	if cm.AuthorName == "" {
		cm.AuthorName = "@" + st.Account.Acct
	}
	if st.InReplyToID != nil {
		cm.ParentID = *st.InReplyToID
	}
	if st.Language != nil {
		cm.Language = *st.Language
	}
	if st.SpoilerText != "" {
		cm.Text = st.SpoilerText + "\n\n" + cm.Text
	}
	return cm
}

// Reply answers a status, addressing its author so they are notified, with
// the parent's visibility. The Idempotency-Key is derived from parent and
// text, so a retried reply within the hour is not posted twice.
func (c *Connector) Reply(ctx context.Context, parentRemoteID, text string) (network.RemotePost, error) {
	parent, err := c.getStatus(ctx, parentRemoteID)
	if err != nil {
		return network.RemotePost{}, fmt.Errorf("mastodon: reply to %s: %w", parentRemoteID, err)
	}
	if parent.Account.ID != c.accountID && parent.Account.Acct != "" && !strings.Contains(text, "@"+parent.Account.Acct) {
		text = "@" + parent.Account.Acct + " " + text
	}
	visibility := parent.Visibility
	if visibility == "" {
		visibility = "public"
	}
	sum := sha256.Sum256([]byte(parentRemoteID + "\x00" + text))
	rp, err := c.postPart(ctx, network.Part{Text: text}, parentRemoteID, statusOptions{visibility: visibility}, "reply-"+hex.EncodeToString(sum[:16]))
	if err != nil {
		return network.RemotePost{}, fmt.Errorf("mastodon: reply to %s: %w", parentRemoteID, err)
	}
	return rp, nil
}

// FindReply looks in the parent's conversation for the account's own reply
// whose text contains text (the inbox's check before sending a reply again
// after a crash).
func (c *Connector) FindReply(ctx context.Context, parentRemoteID, text string) (network.RemotePost, bool, error) {
	if c.accountID == "" {
		// Without the account's id its replies cannot be told from others'.
		return network.RemotePost{}, false, &network.Error{Class: network.Permanent, Network: network.Mastodon, Message: "the channel does not know its account id; reconnect it"}
	}
	var ctxResp struct {
		Descendants []apiStatus `json:"descendants"`
	}
	if _, _, err := c.api.call(ctx, http.MethodGet, "/api/v1/statuses/"+url.PathEscape(parentRemoteID)+"/context", nil, nil, nil, &ctxResp); err != nil {
		return network.RemotePost{}, false, fmt.Errorf("mastodon: replies to %s: %w", parentRemoteID, err)
	}
	want := strings.TrimSpace(text)
	for _, st := range ctxResp.Descendants {
		if st.Account.ID != c.accountID || st.InReplyToID == nil || *st.InReplyToID != parentRemoteID {
			continue
		}
		if strings.Contains(HTMLToText(st.Content), want) {
			return network.RemotePost{ID: st.ID, URL: st.URL}, true, nil
		}
	}
	return network.RemotePost{}, false, nil
}

// mentionPages bounds how many pages one Mentions call reads.
const mentionPages = 10

// Mentions returns mention notifications newer than cursor (a notification
// id), oldest first, and the newest id as the next cursor. The first call
// (empty cursor) returns the latest page.
func (c *Connector) Mentions(ctx context.Context, cursor string) ([]network.Comment, string, error) {
	type notif struct {
		ID     string     `json:"id"`
		Type   string     `json:"type"`
		Status *apiStatus `json:"status"`
	}
	const limit = 40
	var out []network.Comment
	next := cursor
	for page := 0; page < mentionPages; page++ {
		q := url.Values{"types[]": {"mention"}, "limit": {strconv.Itoa(limit)}}
		if next != "" {
			q.Set("min_id", next)
		}
		var ns []notif
		if _, _, err := c.api.call(ctx, http.MethodGet, "/api/v1/notifications", q, nil, nil, &ns); err != nil {
			return out, next, fmt.Errorf("mastodon: mentions: %w", err)
		}
		// Pages come newest first; emit oldest first so the cursor only moves forward.
		for i := len(ns) - 1; i >= 0; i-- {
			n := ns[i]
			if newerID(n.ID, next) {
				next = n.ID
			}
			if n.Type != "mention" || n.Status == nil {
				continue
			}
			cm := toComment(*n.Status)
			cm.Kind = "mention"
			if cm.ParentID != "" {
				cm.Kind = "reply"
			}
			out = append(out, cm)
		}
		if len(ns) < limit || cursor == "" {
			break
		}
	}
	return out, next, nil
}

// newerID orders Mastodon's numeric string ids (longer is newer).
func newerID(a, b string) bool { return network.NewerID(a, b) }

// Search finds public statuses matching query (full text only where the
// instance runs a search backend); the cursor is the result offset.
func (c *Connector) Search(ctx context.Context, query, cursor string) ([]network.Comment, string, error) {
	const limit = 40
	offset, _ := strconv.Atoi(cursor)
	q := url.Values{"q": {query}, "type": {"statuses"}, "limit": {strconv.Itoa(limit)}, "offset": {strconv.Itoa(offset)}}
	var res struct {
		Statuses []apiStatus `json:"statuses"`
	}
	if _, _, err := c.api.call(ctx, http.MethodGet, "/api/v2/search", q, nil, nil, &res); err != nil {
		return nil, cursor, fmt.Errorf("mastodon: search: %w", err)
	}
	out := make([]network.Comment, 0, len(res.Statuses))
	for _, st := range res.Statuses {
		out = append(out, toComment(st))
	}
	next := ""
	if len(res.Statuses) == limit {
		next = strconv.Itoa(offset + limit)
	}
	return out, next, nil
}

// HTMLToText turns a status's HTML content into plain text: paragraphs become
// blank lines, <br> a newline, tags are dropped and entities decoded.
func HTMLToText(s string) string {
	var b strings.Builder
	for len(s) > 0 {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			b.WriteString(s)
			break
		}
		b.WriteString(s[:i])
		j := strings.IndexByte(s[i:], '>')
		if j < 0 {
			b.WriteString(s[i:])
			break
		}
		tag := ""
		if f := strings.Fields(strings.Trim(s[i+1:i+j], "/ ")); len(f) > 0 {
			tag = strings.ToLower(f[0])
		}
		switch {
		case tag == "br":
			b.WriteString("\n")
		case tag == "p" && strings.HasPrefix(s[i:], "</"):
			b.WriteString("\n\n")
		}
		s = s[i+j+1:]
	}
	return strings.TrimSpace(html.UnescapeString(b.String()))
}
