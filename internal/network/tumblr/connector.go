package tumblr

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/relais/relais/internal/network"
)

// Connector publishes to and reads from one Tumblr blog.
type Connector struct {
	api *api
	// blog is the blog's name (the {blog-identifier} of every call), blogUUID its stable id.
	blog, blogUUID string
	// lookups bounds looking for a post whose create call ended without an answer.
	lookups int

	mu       sync.Mutex
	mentions map[string]string // blog name → uuid, "" when not a blog
}

var (
	_ network.Connector          = (*Connector)(nil)
	_ network.Editor             = (*Connector)(nil)
	_ network.MetricsReader      = (*Connector)(nil)
	_ network.AccountStatsReader = (*Connector)(nil)
	_ network.CommentReader      = (*Connector)(nil)
)

// Kind names the network.
func (c *Connector) Kind() network.Kind { return network.Tumblr }

// RateLimit returns the latest normalised rate-limit report.
func (c *Connector) RateLimit() network.RateLimit { return c.api.RateLimit() }

// TokenExpiry is when the access token expires if nothing can renew it.
func (c *Connector) TokenExpiry() time.Time { return c.api.Tok.Deadline() }

// blogInfo is a blog as user/info and blog/info return it.
type blogInfo struct {
	Name      string `json:"name"`
	UUID      string `json:"uuid"`
	Title     string `json:"title"`
	URL       string `json:"url"`
	Primary   bool   `json:"primary"`
	Followers int64  `json:"followers"`
	Posts     int64  `json:"posts"`
	Admin     bool   `json:"admin"`
}

func (b blogInfo) account() network.Account {
	u := b.URL
	if u == "" {
		u = "https://" + b.Name + ".tumblr.com/"
	}
	return network.Account{RemoteID: b.UUID, Handle: b.Name, DisplayName: b.Title, URL: u,
		AvatarURL: "https://api.tumblr.com/v2/blog/" + b.Name + "/avatar/128"}
}

// userInfo reads the account's blogs (GET /v2/user/info).
func (c *Connector) userInfo(ctx context.Context) ([]blogInfo, error) {
	var r struct {
		User struct {
			Name  string     `json:"name"`
			Blogs []blogInfo `json:"blogs"`
		} `json:"user"`
	}
	if err := c.api.do(ctx, request{Method: http.MethodGet, Path: "/v2/user/info"}, &r); err != nil {
		return nil, fmt.Errorf("tumblr: user/info: %w", err)
	}
	return r.User.Blogs, nil
}

// pickBlog returns the account's blog named name (or with that host or
// uuid), or its primary blog when name is empty.
func (c *Connector) pickBlog(ctx context.Context, name string) (blogInfo, error) {
	blogs, err := c.userInfo(ctx)
	if err != nil {
		return blogInfo{}, err
	}
	raw := name
	name = strings.TrimSuffix(strings.ToLower(name), ".tumblr.com")
	var names []string
	for _, b := range blogs {
		host := ""
		if u, err := url.Parse(b.URL); err == nil {
			host = strings.ToLower(u.Hostname())
		}
		if (name == "" && b.Primary) || (name != "" && (strings.EqualFold(b.Name, name) || host == name || b.UUID == raw)) {
			return b, nil
		}
		names = append(names, b.Name)
	}
	if name == "" {
		return blogInfo{}, &network.Error{Class: network.Permanent, Network: network.Tumblr, Message: "the account has no primary blog"}
	}
	return blogInfo{}, &network.Error{Class: network.Permanent, Network: network.Tumblr,
		Message: fmt.Sprintf("the account has no blog %q; its blogs: %s", name, strings.Join(names, ", "))}
}

// Identify returns the blog behind the channel (from user/info).
func (c *Connector) Identify(ctx context.Context) (network.Account, error) {
	name := c.blogUUID
	if name == "" {
		name = c.blog
	}
	b, err := c.pickBlog(ctx, name)
	if err != nil {
		return network.Account{}, err
	}
	return b.account(), nil
}

func (c *Connector) path(tail string) string { return "/v2/blog/" + url.PathEscape(c.blog) + tail }

// PostURL is a post's public address.
func (c *Connector) PostURL(id string) string { return "https://www.tumblr.com/" + c.blog + "/" + id }

// npfPost is the body of POST /v2/blog/{blog}/posts.
type npfPost struct {
	Content             []block `json:"content"`
	State               string  `json:"state,omitempty"`
	Tags                string  `json:"tags,omitempty"`
	ParentTumblelogUUID string  `json:"parent_tumblelog_uuid,omitempty"`
	ParentPostID        string  `json:"parent_post_id,omitempty"`
	ReblogKey           string  `json:"reblog_key,omitempty"`
}

// block is one NPF content block (text, image, video or link).
type block struct {
	Type       string   `json:"type"`
	Text       string   `json:"text,omitempty"`
	Formatting []format `json:"formatting,omitempty"`
	Media      any      `json:"media,omitempty"`
	AltText    string   `json:"alt_text,omitempty"`
	URL        string   `json:"url,omitempty"`
}

// format is an inline link or mention in a text block; offsets count code points.
type format struct {
	Start int         `json:"start"`
	End   int         `json:"end"`
	Type  string      `json:"type"`
	URL   string      `json:"url,omitempty"`
	Blog  *mentionRef `json:"blog,omitempty"`
}

type mentionRef struct {
	UUID string `json:"uuid"`
}

// mediaObject references an uploaded file by the multipart part's name.
type mediaObject struct {
	Type       string `json:"type"`
	Identifier string `json:"identifier"`
	Width      int    `json:"width,omitempty"`
	Height     int    `json:"height,omitempty"`
}

// NPF limits (npf-spec.md, "Post Content Limits").
const (
	maxTextBlock   = 4096
	maxMentions    = 50
	maxInlineLinks = 100
	maxImages      = 30
	maxAltText     = 4096
)

var (
	urlRE     = regexp.MustCompile(`https?://[^\s<>"]+[^\s<>".,;:!?)\]'"]`)
	mentionRE = regexp.MustCompile(`(^|[^\w@/])@([A-Za-z0-9][A-Za-z0-9-]{0,31})\b`)
)

func invalid(format string, a ...any) error {
	return &network.Error{Class: network.InvalidContent, Network: network.Tumblr, Message: fmt.Sprintf(format, a...)}
}

// TextBlocks splits a part's text into NPF text blocks, one per non-empty
// line, with link formatting over every URL and mention formatting over
// every @name that resolve finds a blog for (resolve may be nil).
func TextBlocks(text string, resolve func(name string) string) ([]block, error) {
	var out []block
	links, mentions := 0, 0
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimRight(line, " \t\r")
		if strings.TrimSpace(line) == "" {
			continue
		}
		if n := utf8.RuneCountInString(line); n > maxTextBlock {
			return nil, invalid("a paragraph is %d characters; Tumblr allows %d per paragraph", n, maxTextBlock)
		}
		b := block{Type: "text", Text: line}
		for _, m := range urlRE.FindAllStringIndex(line, -1) {
			links++
			b.Formatting = append(b.Formatting, format{Start: utf8.RuneCountInString(line[:m[0]]), End: utf8.RuneCountInString(line[:m[1]]), Type: "link", URL: line[m[0]:m[1]]})
		}
		if resolve != nil {
			for _, m := range mentionRE.FindAllStringSubmatchIndex(line, -1) {
				uuid := resolve(line[m[4]:m[5]])
				if uuid == "" {
					continue
				}
				mentions++
				start := m[4] - 1 // the @
				b.Formatting = append(b.Formatting, format{Start: utf8.RuneCountInString(line[:start]), End: utf8.RuneCountInString(line[:m[5]]), Type: "mention", Blog: &mentionRef{UUID: uuid}})
			}
		}
		out = append(out, b)
	}
	if links > maxInlineLinks {
		return nil, invalid("the post has %d links; Tumblr allows %d", links, maxInlineLinks)
	}
	if mentions > maxMentions {
		return nil, invalid("the post mentions %d blogs; Tumblr allows %d", mentions, maxMentions)
	}
	return out, nil
}

// resolveMention returns the uuid of the blog named name ("" when there is none).
func (c *Connector) resolveMention(ctx context.Context, name string) string {
	name = strings.ToLower(name)
	c.mu.Lock()
	uuid, ok := c.mentions[name]
	c.mu.Unlock()
	if ok {
		return uuid
	}
	var r struct {
		Blog blogInfo `json:"blog"`
	}
	err := c.api.do(ctx, request{Method: http.MethodGet, Path: "/v2/blog/" + url.PathEscape(name) + "/info"}, &r)
	if err != nil && !errors.Is(err, network.ErrNotFound) {
		return "" // a passing failure: the name stays plain text this time
	}
	c.mu.Lock()
	if c.mentions == nil {
		c.mentions = map[string]string{}
	}
	c.mentions[name] = r.Blog.UUID
	c.mu.Unlock()
	return r.Blog.UUID
}

// build turns a part and the options into the NPF body and the files to upload.
func (c *Connector) build(ctx context.Context, p network.Part, o options) (npfPost, []file, error) {
	blocks, err := TextBlocks(p.Text, func(name string) string { return c.resolveMention(ctx, name) })
	if err != nil {
		return npfPost{}, nil, err
	}
	body := npfPost{Content: blocks, State: o.state, Tags: o.tags}
	var files []file
	images, videos := 0, 0
	for i, m := range p.Media {
		if len(m.Data) == 0 {
			return npfPost{}, nil, &network.Error{Class: network.Permanent, Network: network.Tumblr, Message: fmt.Sprintf("media %d has no bytes to upload", i+1)}
		}
		if n := utf8.RuneCountInString(m.AltText); n > maxAltText {
			return npfPost{}, nil, invalid("alt text of media %d is %d characters; Tumblr allows %d", i+1, n, maxAltText)
		}
		id := "media-" + strconv.Itoa(i+1)
		obj := mediaObject{Type: m.MIME, Identifier: id, Width: m.Width, Height: m.Height}
		switch {
		case strings.HasPrefix(m.MIME, "image/"):
			images++
			body.Content = append(body.Content, block{Type: "image", Media: []mediaObject{obj}, AltText: strings.TrimSpace(m.AltText)})
		case strings.HasPrefix(m.MIME, "video/"):
			videos++
			body.Content = append(body.Content, block{Type: "video", Media: obj})
		default:
			return npfPost{}, nil, invalid("media %d is %s; Tumblr posts take images and video", i+1, m.MIME)
		}
		files = append(files, file{name: id, mime: m.MIME, data: m.Data})
	}
	if images > maxImages {
		return npfPost{}, nil, invalid("the post has %d images; Tumblr allows %d", images, maxImages)
	}
	if videos > 1 {
		return npfPost{}, nil, invalid("the post has %d videos; Tumblr allows one uploaded video per post", videos)
	}
	if videos > 0 && o.reblog != nil {
		return npfPost{}, nil, invalid("Tumblr does not take an uploaded video in a reblog")
	}
	if p.Link != "" {
		body.Content = append(body.Content, block{Type: "link", URL: p.Link})
	}
	if len(body.Content) == 0 && o.reblog == nil {
		return npfPost{}, nil, invalid("a Tumblr post needs text, media or a link")
	}
	if body.Content == nil {
		body.Content = []block{}
	}
	if o.reblog != nil {
		body.ParentTumblelogUUID, body.ParentPostID, body.ReblogKey = o.reblog.blogUUID, o.reblog.id, o.reblog.key
	}
	return body, files, nil
}

// file is one uploaded media part.
type file struct {
	name, mime string
	data       []byte
}

// encode makes the request body: JSON alone, or multipart with the JSON
// first (part "json") and each file under its identifier.
func encode(body npfPost, files []file) ([]byte, string, error) {
	js, err := json.Marshal(body)
	if err != nil {
		return nil, "", err
	}
	if len(files) == 0 {
		return js, "application/json", nil
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="json"`)
	h.Set("Content-Type", "application/json")
	pw, err := mw.CreatePart(h)
	if err != nil {
		return nil, "", err
	}
	_, _ = pw.Write(js)
	for _, f := range files {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; filename=%q`, f.name, f.name+extension(f.mime)))
		h.Set("Content-Type", f.mime)
		fw, err := mw.CreatePart(h)
		if err != nil {
			return nil, "", err
		}
		_, _ = fw.Write(f.data)
	}
	if err := mw.Close(); err != nil {
		return nil, "", err
	}
	return buf.Bytes(), mw.FormDataContentType(), nil
}

func extension(mime string) string {
	switch mime {
	case "image/jpeg":
		return ".jpg"
	case "image/png":
		return ".png"
	case "image/gif":
		return ".gif"
	case "image/webp":
		return ".webp"
	case "video/quicktime":
		return ".mov"
	default:
		return ".mp4"
	}
}

// Publish makes one NPF post (Tumblr has no threads) in the state the
// options ask for, as a reblog when reblog is set. Tumblr has no
// idempotency key: when the create call ends without a clear answer the
// blog's recent posts of that state are searched for the same content
// before anything is retried, and a post that cannot be looked for (a
// private post, or the lookup failing) is left Unknown for a person to
// check (the engine's needs_review).
func (c *Connector) Publish(ctx context.Context, req network.PublishRequest) (network.PublishResult, error) {
	res := network.PublishResult{Parts: append([]network.RemotePost(nil), req.Done...)}
	if err := network.CheckParts(network.Tumblr, req); err != nil {
		return res, err
	}
	if len(req.Parts) > 1 {
		return res, invalid("Tumblr has no threads; a post has one part, this one has %d", len(req.Parts))
	}
	if strings.TrimSpace(req.FirstComment) != "" {
		return res, invalid("Tumblr has no comments that an app can post; remove the first comment")
	}
	if len(req.Done) == 1 {
		return res, nil
	}
	o, err := c.options(ctx, req.Options)
	if err != nil {
		return res, err
	}
	rp, err := c.create(ctx, req.Parts[0], o)
	if err != nil {
		return res, fmt.Errorf("tumblr: publish: %w", err)
	}
	res.Parts = append(res.Parts, rp)
	return res, nil
}

func (c *Connector) create(ctx context.Context, p network.Part, o options) (network.RemotePost, error) {
	body, files, err := c.build(ctx, p, o)
	if err != nil {
		return network.RemotePost{}, err
	}
	data, ctype, err := encode(body, files)
	if err != nil {
		return network.RemotePost{}, fmt.Errorf("encode post: %w", err)
	}
	var r struct {
		ID       string `json:"id"`
		IDString string `json:"id_string"`
	}
	started := c.api.now()
	err = c.api.do(ctx, request{Method: http.MethodPost, Path: c.path("/posts"), Body: data, ContentType: ctype}, &r)
	id := r.ID
	if id == "" {
		id = r.IDString
	}
	if err == nil && id != "" {
		return network.RemotePost{ID: id, URL: c.PostURL(id), Extra: map[string]string{"state": stateOr(o.state)}}, nil
	}
	if err == nil {
		err = &network.Error{Class: network.Unknown, Network: network.Tumblr, Status: http.StatusCreated, Message: "Tumblr answered without a post id"}
	}
	if !outcomeUnknown(err) {
		return network.RemotePost{}, err
	}
	if o.state == "private" {
		// Private posts are not listed to apps: a person must look.
		return network.RemotePost{}, err
	}
	found, lerr := c.findRecent(ctx, body, started)
	if lerr != nil {
		return network.RemotePost{}, fmt.Errorf("%w (and looking for the post failed: %v)", err, lerr)
	}
	if found != "" {
		return network.RemotePost{ID: found, URL: c.PostURL(found), Extra: map[string]string{"state": stateOr(o.state), "reconciled": "true"}}, nil
	}
	var ne *network.Error
	if errors.As(err, &ne) {
		ne.Class = network.Retryable
		ne.Message = strings.TrimSpace(ne.Message + " (the post is not on the blog: safe to retry)")
	}
	return network.RemotePost{}, err
}

func stateOr(s string) string {
	if s == "" {
		return "published"
	}
	return s
}

// outcomeUnknown reports whether a failed create may have taken effect.
func outcomeUnknown(err error) bool {
	var ne *network.Error
	if !errors.As(err, &ne) {
		return true
	}
	return ne.Class == network.Unknown || (ne.Class == network.Retryable && ne.Status >= 500)
}

// Edit replaces a post's content (PUT /v2/blog/{blog}/posts/{id}); the
// state and tags stay as they were.
func (c *Connector) Edit(ctx context.Context, remoteID string, p network.Part) error {
	var cur struct {
		State string   `json:"state"`
		Tags  []string `json:"tags"`
	}
	if err := c.api.do(ctx, request{Method: http.MethodGet, Path: c.path("/posts/" + url.PathEscape(remoteID))}, &cur); err != nil {
		return fmt.Errorf("tumblr: edit %s: %w", remoteID, err)
	}
	state := cur.State
	if state == "queued" {
		state = "queue"
	}
	body, files, err := c.build(ctx, p, options{state: state, tags: strings.Join(cur.Tags, ",")})
	if err != nil {
		return err
	}
	data, ctype, err := encode(body, files)
	if err != nil {
		return err
	}
	if err := c.api.do(ctx, request{Method: http.MethodPut, Path: c.path("/posts/" + url.PathEscape(remoteID)), Body: data, ContentType: ctype}, &struct{}{}); err != nil {
		return fmt.Errorf("tumblr: edit %s: %w", remoteID, err)
	}
	return nil
}

// Delete removes a post (POST /v2/blog/{blog}/post/delete); a post already gone counts as deleted.
func (c *Connector) Delete(ctx context.Context, remoteID string) error {
	form := url.Values{"id": {remoteID}}
	err := c.api.do(ctx, request{Method: http.MethodPost, Path: c.path("/post/delete"), Body: []byte(form.Encode()), ContentType: "application/x-www-form-urlencoded"}, nil)
	if err != nil && !errors.Is(err, network.ErrNotFound) {
		return fmt.Errorf("tumblr: delete %s: %w", remoteID, err)
	}
	return nil
}
