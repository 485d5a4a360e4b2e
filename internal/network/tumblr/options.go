package tumblr

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/relais/relais/internal/network"
)

// PostOptions are the Tumblr choices a post can make beyond its text, link
// and media, read by Publish from PublishRequest.Options: the post's state
// (published, added to the blog's queue, saved as a draft, or private),
// its tags, and the post to reblog. The composer shows them (registered in init).
func PostOptions() []network.Field {
	return []network.Field{
		{Name: "state", Label: "State", Type: network.FieldChoice, Options: []string{"published", "queue", "draft", "private"}},
		{Name: "tags", Label: "Tags", Help: "Separated by commas, without #"},
		{Name: "reblog", Label: "Reblog", Help: "The address of the Tumblr post to reblog; the text is added under it"},
	}
}

// options are the parsed post options.
type options struct {
	state, tags string
	reblog      *parent
}

// parent is the post a reblog answers.
type parent struct {
	blogUUID, id, key string
}

// Tag limits: Tumblr keeps 30 tags of up to 140 characters (unconfirmed in the API docs; the web editor's limits).
const (
	maxTags   = 30
	maxTagLen = 140
)

var states = map[string]bool{"published": true, "queue": true, "draft": true, "private": true}

func (c *Connector) options(ctx context.Context, o map[string]string) (options, error) {
	var out options
	if s := strings.TrimSpace(o["state"]); s != "" {
		if !states[s] {
			return out, invalid("state must be published, queue, draft or private; got %q", s)
		}
		if s != "published" {
			out.state = s
		}
	}
	tags, err := Tags(o["tags"])
	if err != nil {
		return out, err
	}
	out.tags = strings.Join(tags, ",")
	if r := strings.TrimSpace(o["reblog"]); r != "" {
		blog, id, ok := PostRef(r)
		if !ok {
			return out, invalid("reblog %q is not the address of a Tumblr post", r)
		}
		var p struct {
			ID            string `json:"id_string"`
			TumblelogUUID string `json:"tumblelog_uuid"`
			ReblogKey     string `json:"reblog_key"`
		}
		if err := c.api.do(ctx, request{Method: http.MethodGet, Path: "/v2/blog/" + url.PathEscape(blog) + "/posts/" + url.PathEscape(id)}, &p); err != nil {
			return out, fmt.Errorf("tumblr: the post to reblog: %w", err)
		}
		if p.TumblelogUUID == "" || p.ReblogKey == "" {
			return out, invalid("the post %s cannot be reblogged (Tumblr gave no reblog key)", r)
		}
		out.reblog = &parent{blogUUID: p.TumblelogUUID, id: id, key: p.ReblogKey}
	}
	return out, nil
}

// Tags splits a comma-separated list, dropping a leading # and empty
// entries, and checks Tumblr's count and length.
func Tags(s string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	for _, t := range strings.Split(s, ",") {
		t = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(t), "#"))
		if t == "" || seen[strings.ToLower(t)] {
			continue
		}
		if n := utf8.RuneCountInString(t); n > maxTagLen {
			return nil, invalid("tag %q is %d characters; Tumblr allows %d", t, n, maxTagLen)
		}
		seen[strings.ToLower(t)] = true
		out = append(out, t)
	}
	if len(out) > maxTags {
		return nil, invalid("the post has %d tags; Tumblr allows %d", len(out), maxTags)
	}
	return out, nil
}

// PostRef reads a blog and post id from a post address
// (https://www.tumblr.com/blog/123, https://blog.tumblr.com/post/123/slug)
// or "blog/123".
func PostRef(s string) (blog, id string, ok bool) {
	s = strings.TrimSpace(s)
	path := s
	if u, err := url.Parse(s); err == nil && u.Host != "" {
		host := strings.ToLower(u.Hostname())
		path = strings.Trim(u.Path, "/")
		switch {
		case host == "www.tumblr.com" || host == "tumblr.com":
		case strings.HasSuffix(host, ".tumblr.com"):
			rest, found := strings.CutPrefix(path, "post/")
			if !found {
				return "", "", false
			}
			path = strings.TrimSuffix(host, ".tumblr.com") + "/" + rest
		default:
			return "", "", false
		}
	}
	parts := strings.Split(strings.Trim(path, "/"), "/")
	if len(parts) < 2 || !ValidBlogName(parts[0]) || strings.Contains(parts[0], ".") {
		return "", "", false
	}
	id = parts[1]
	if id == "" || len(id) > 20 || strings.Trim(id, "0123456789") != "" {
		return "", "", false
	}
	return strings.ToLower(parts[0]), id, true
}
