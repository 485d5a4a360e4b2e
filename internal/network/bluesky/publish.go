package bluesky

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/network/opengraph"
)

const collectionPost = "app.bsky.feed.post"

// blob is a reference to uploaded bytes, as uploadBlob returns it.
type blob struct {
	Type     string  `json:"$type"`
	Ref      blobRef `json:"ref"`
	MimeType string  `json:"mimeType"`
	Size     int64   `json:"size"`
}

type blobRef struct {
	Link string `json:"$link"`
}

// strongRef points at one version of a record.
type strongRef struct {
	URI string `json:"uri"`
	CID string `json:"cid"`
}

type replyRef struct {
	Root   strongRef `json:"root"`
	Parent strongRef `json:"parent"`
}

type aspectRatio struct {
	Width  int `json:"width"`
	Height int `json:"height"`
}

type embedImage struct {
	Image       blob         `json:"image"`
	Alt         string       `json:"alt"`
	AspectRatio *aspectRatio `json:"aspectRatio,omitempty"`
}

type external struct {
	URI         string `json:"uri"`
	Title       string `json:"title"`
	Description string `json:"description"`
	Thumb       *blob  `json:"thumb,omitempty"`
}

type embed struct {
	Type     string       `json:"$type"`
	Images   []embedImage `json:"images,omitempty"`
	External *external    `json:"external,omitempty"`
}

// postRecord is an app.bsky.feed.post record.
type postRecord struct {
	Type      string    `json:"$type"`
	Text      string    `json:"text"`
	CreatedAt string    `json:"createdAt"`
	Facets    []Facet   `json:"facets,omitempty"`
	Embed     *embed    `json:"embed,omitempty"`
	Reply     *replyRef `json:"reply,omitempty"`
	Langs     []string  `json:"langs,omitempty"`
}

// Publish posts req's parts as a thread (a chain of replies), continuing after
// req.Done. Each part's record key comes from req.CreatedAt, req.IdempotencyKey
// and the part's index, so a retry of the same publication finds the records
// already written instead of writing them twice.
func (c *Connector) Publish(ctx context.Context, req network.PublishRequest) (network.PublishResult, error) {
	var res network.PublishResult
	if len(req.Parts) == 0 {
		return res, invalid("a post needs at least one part")
	}
	if req.CreatedAt.IsZero() {
		return res, &network.Error{Class: network.Permanent, Network: network.Bluesky,
			Message: "the publication has no creation time, so no duplicate-safe record key can be derived"}
	}
	if len(req.Done) > len(req.Parts) {
		return res, &network.Error{Class: network.Permanent, Network: network.Bluesky,
			Message: fmt.Sprintf("%d parts are marked done but the thread has %d", len(req.Done), len(req.Parts))}
	}
	res.Parts = append(res.Parts, req.Done...)
	var root, parent *strongRef
	if len(req.Done) > 0 {
		r, err := refOf(req.Done[0])
		if err != nil {
			return res, err
		}
		p, err := refOf(req.Done[len(req.Done)-1])
		if err != nil {
			return res, err
		}
		root, parent = &r, &p
	}
	for i := len(req.Done); i < len(req.Parts); i++ {
		rec, err := c.buildRecord(ctx, req.Language, req.Parts[i], true)
		if err != nil {
			return res, fmt.Errorf("bluesky: part %d: %w", i+1, err)
		}
		if root != nil {
			rec.Reply = &replyRef{Root: *root, Parent: *parent}
		}
		rp, ref, err := c.createPost(ctx, recordKey(req.CreatedAt, req.IdempotencyKey, i), rec)
		if err != nil {
			return res, err
		}
		res.Parts = append(res.Parts, rp)
		if root == nil {
			root = &ref
		}
		parent = &ref
	}
	if strings.TrimSpace(req.FirstComment) != "" {
		first, err := refOf(res.Parts[0])
		if err != nil {
			return res, err
		}
		// A first comment is text: a link in it must not turn into a second card.
		rec, err := c.buildRecord(ctx, req.Language, network.Part{Text: req.FirstComment}, false)
		if err != nil {
			return res, fmt.Errorf("bluesky: first comment: %w", err)
		}
		rec.Reply = &replyRef{Root: first, Parent: first}
		rp, _, err := c.createPost(ctx, recordKey(req.CreatedAt, req.IdempotencyKey, len(req.Parts)), rec)
		if err != nil {
			return res, err
		}
		res.FirstComment = &rp
	}
	return res, nil
}

// Reply answers a post (anyone's) with text.
func (c *Connector) Reply(ctx context.Context, parentRemoteID string, text string) (network.RemotePost, error) {
	parent, err := c.postRef(ctx, parentRemoteID)
	if err != nil {
		return network.RemotePost{}, err
	}
	rec, err := c.buildRecord(ctx, "", network.Part{Text: text}, false)
	if err != nil {
		return network.RemotePost{}, err
	}
	rec.Reply = &replyRef{Root: parent.root, Parent: parent.self}
	now := c.cl.clock()
	rp, _, err := c.createPost(ctx, TID(now.UnixMicro(), uint16(now.Nanosecond()&0x3ff)), rec)
	return rp, err
}

// Delete removes a post by its at:// URI.
func (c *Connector) Delete(ctx context.Context, remoteID string) error {
	repo, collection, rkey, err := parseATURI(remoteID)
	if err != nil {
		return err
	}
	if repo != c.DID() {
		return &network.Error{Class: network.Permanent, Network: network.Bluesky, Message: "the post belongs to another account: " + remoteID}
	}
	return c.cl.do(ctx, call{method: http.MethodPost, nsid: "com.atproto.repo.deleteRecord", auth: true,
		body: map[string]string{"repo": repo, "collection": collection, "rkey": rkey}}, nil)
}

// buildRecord turns a part into a post record: facets, then (withEmbed) images or a link card.
func (c *Connector) buildRecord(ctx context.Context, lang string, part network.Part, withEmbed bool) (postRecord, error) {
	text := part.Text
	if withEmbed {
		// With images there is no room for a link card: the link goes in the
		// text, as the composer counted it.
		text = network.TextAsSent(network.Bluesky, part)
	}
	rec := postRecord{
		Type: collectionPost,
		Text: text,
		// createdAt is when the post goes out; the record key, not this, carries the retry-stable time.
		CreatedAt: c.cl.clock().UTC().Format("2006-01-02T15:04:05.000Z"),
		Facets:    buildFacets(ctx, text, c.resolveMention),
	}
	if lang != "" {
		rec.Langs = []string{lang}
	}
	switch {
	case !withEmbed:
	case len(part.Media) > 0:
		e, err := c.imagesEmbed(ctx, part.Media)
		if err != nil {
			return rec, err
		}
		rec.Embed = e
	default:
		link := part.Link
		if link == "" {
			link = firstLink(part.Text)
		}
		if link != "" {
			rec.Embed = c.linkCard(ctx, link)
		}
	}
	return rec, nil
}

// resolveMention asks the PDS for a handle's DID.
func (c *Connector) resolveMention(ctx context.Context, handle string) (string, error) {
	return resolveHandleXRPC(ctx, c.cl.http, c.cl.pds, handle)
}

// linkCard builds an external embed from the page's OpenGraph tags. A card is
// decoration: when the page cannot be read the post goes out without one.
func (c *Connector) linkCard(ctx context.Context, link string) *embed {
	card, err := opengraph.Fetch(ctx, c.cl.http, link)
	if err != nil {
		slog.DebugContext(ctx, "bluesky: no link card", "url", link, "err", err)
		return nil
	}
	ext := &external{URI: link, Title: card.Title, Description: card.Description}
	if card.ImageURL != "" {
		thumb, err := c.uploadRemoteImage(ctx, card.ImageURL, maxThumbBytes)
		if err != nil {
			slog.DebugContext(ctx, "bluesky: link card without thumbnail", "url", card.ImageURL, "err", err)
		} else {
			ext.Thumb = &thumb
		}
	}
	return &embed{Type: "app.bsky.embed.external", External: ext}
}

// createPost writes rec under rkey. When the write fails in a way that may
// hide an earlier success (the PDS answers a key conflict with a 500, and a
// dropped connection says nothing), it reads the key back: a record there is
// this publication's, written by an earlier attempt.
func (c *Connector) createPost(ctx context.Context, rkey string, rec postRecord) (network.RemotePost, strongRef, error) {
	did := c.DID()
	var out strongRef
	err := c.cl.do(ctx, call{method: http.MethodPost, nsid: "com.atproto.repo.createRecord", auth: true,
		body: map[string]any{"repo": did, "collection": collectionPost, "rkey": rkey, "record": rec}}, &out)
	if err != nil {
		cls := network.ClassOf(err)
		if cls != network.Retryable && cls != network.Unknown && !isConflict(err) {
			return network.RemotePost{}, strongRef{}, err
		}
		existing, gerr := c.getRecord(ctx, did, collectionPost, rkey)
		if gerr != nil {
			return network.RemotePost{}, strongRef{}, err
		}
		out = existing
	}
	return c.remotePost(out), out, nil
}

func isConflict(err error) bool {
	var ne *network.Error
	return errors.As(err, &ne) && (ne.Status == http.StatusConflict || strings.Contains(strings.ToLower(ne.Message), "already exists"))
}

func (c *Connector) getRecord(ctx context.Context, repo, collection, rkey string) (strongRef, error) {
	var out strongRef
	err := c.cl.do(ctx, call{method: http.MethodGet, nsid: "com.atproto.repo.getRecord", auth: true,
		query: url.Values{"repo": {repo}, "collection": {collection}, "rkey": {rkey}}}, &out)
	if err != nil {
		return strongRef{}, err
	}
	if out.URI == "" || out.CID == "" {
		return strongRef{}, fmt.Errorf("bluesky: getRecord answered without uri and cid")
	}
	return out, nil
}

func isRecordNotFound(err error) bool {
	var ne *network.Error
	return errors.As(err, &ne) && (ne.Code == "RecordNotFound" || ne.Status == http.StatusNotFound)
}

func (c *Connector) remotePost(ref strongRef) network.RemotePost {
	_, _, rkey, _ := parseATURI(ref.URI)
	return network.RemotePost{
		ID:    ref.URI,
		URL:   "https://bsky.app/profile/" + c.handle() + "/post/" + rkey,
		Extra: map[string]string{"cid": ref.CID},
	}
}

func refOf(p network.RemotePost) (strongRef, error) {
	cid := p.Extra["cid"]
	if !strings.HasPrefix(p.ID, "at://") || cid == "" {
		return strongRef{}, &network.Error{Class: network.Permanent, Network: network.Bluesky,
			Message: fmt.Sprintf("published part %q lacks the at:// URI or CID a reply needs", p.ID)}
	}
	return strongRef{URI: p.ID, CID: cid}, nil
}

// parseATURI splits at://repo/collection/rkey.
func parseATURI(s string) (repo, collection, rkey string, err error) {
	rest, ok := strings.CutPrefix(s, "at://")
	parts := strings.Split(rest, "/")
	if !ok || len(parts) != 3 || parts[0] == "" || parts[1] == "" || parts[2] == "" {
		return "", "", "", &network.Error{Class: network.Permanent, Network: network.Bluesky, Message: fmt.Sprintf("%q is not an at:// post URI", s)}
	}
	return parts[0], parts[1], parts[2], nil
}

// threadRefs are the references a reply to a post needs.
type threadRefs struct {
	self, root strongRef
}

// postRef reads a post's CID and thread root: from the account's own PDS when
// the post is its own (no AppView needed), otherwise from the AppView.
func (c *Connector) postRef(ctx context.Context, uri string) (threadRefs, error) {
	repo, collection, rkey, err := parseATURI(uri)
	if err != nil {
		return threadRefs{}, err
	}
	var self strongRef
	var reply *replyRef
	if repo == c.DID() {
		var out struct {
			URI   string `json:"uri"`
			CID   string `json:"cid"`
			Value struct {
				Reply *replyRef `json:"reply"`
			} `json:"value"`
		}
		err := c.cl.do(ctx, call{method: http.MethodGet, nsid: "com.atproto.repo.getRecord", auth: true,
			query: url.Values{"repo": {repo}, "collection": {collection}, "rkey": {rkey}}}, &out)
		if err != nil {
			return threadRefs{}, err
		}
		self, reply = strongRef{URI: out.URI, CID: out.CID}, out.Value.Reply
	} else {
		posts, err := c.getPosts(ctx, []string{uri})
		if err != nil {
			return threadRefs{}, err
		}
		if len(posts) == 0 {
			return threadRefs{}, &network.Error{Class: network.Permanent, Network: network.Bluesky, Status: http.StatusNotFound, Message: "post not found: " + uri}
		}
		self, reply = strongRef{URI: posts[0].URI, CID: posts[0].CID}, posts[0].Record.Reply
	}
	refs := threadRefs{self: self, root: self}
	if reply != nil && reply.Root.URI != "" {
		refs.root = reply.Root
	}
	return refs, nil
}

// The capabilities the connector offers, checked at compile time.
var (
	_ network.Provider      = (*Provider)(nil)
	_ network.OAuthProvider = (*Provider)(nil)
	_ network.Connector     = (*Connector)(nil)
	_ network.HealthChecker = (*Connector)(nil)
	_ network.MetricsReader = (*Connector)(nil)
	_ network.CommentReader = (*Connector)(nil)
	_ network.Replier       = (*Connector)(nil)
	_ network.MentionReader = (*Connector)(nil)
	_ network.Searcher      = (*Connector)(nil)
)
