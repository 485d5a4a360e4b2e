package listen

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/coder/websocket"
)

// DefaultJetstream is the public Jetstream endpoint of Bluesky (configurable).
const DefaultJetstream = "wss://jetstream2.us-east.bsky.network/subscribe"

// PostCollection is the collection of Bluesky posts.
const PostCollection = "app.bsky.feed.post"

// JetEvent is one Jetstream message: JSON over WebSocket, one per message,
// in the shape Jetstream sends (kind "commit", "identity" or "account";
// TimeUS is the cursor).
type JetEvent struct {
	DID    string     `json:"did"`
	TimeUS int64      `json:"time_us"`
	Kind   string     `json:"kind"`
	Commit *JetCommit `json:"commit,omitempty"`
	// Identity carries a handle change.
	Identity *struct {
		DID    string `json:"did"`
		Handle string `json:"handle"`
		Seq    int64  `json:"seq"`
		Time   string `json:"time"`
	} `json:"identity,omitempty"`
}

// JetCommit is a repository write.
type JetCommit struct {
	Rev        string   `json:"rev"`
	Operation  string   `json:"operation"`
	Collection string   `json:"collection"`
	RKey       string   `json:"rkey"`
	Record     *JetPost `json:"record,omitempty"`
	CID        string   `json:"cid,omitempty"`
}

// JetPost is an app.bsky.feed.post record.
type JetPost struct {
	Type      string     `json:"$type"`
	CreatedAt string     `json:"createdAt"`
	Langs     []string   `json:"langs,omitempty"`
	Text      string     `json:"text"`
	Facets    []JetFacet `json:"facets,omitempty"`
	Reply     *struct {
		Parent struct {
			URI string `json:"uri"`
		} `json:"parent"`
	} `json:"reply,omitempty"`
}

// JetFacet is a rich-text facet: a mention (DID), a link or a hashtag.
type JetFacet struct {
	Index struct {
		ByteStart int `json:"byteStart"`
		ByteEnd   int `json:"byteEnd"`
	} `json:"index"`
	Features []struct {
		Type string `json:"$type"`
		DID  string `json:"did,omitempty"`
		URI  string `json:"uri,omitempty"`
		Tag  string `json:"tag,omitempty"`
	} `json:"features"`
}

// Item is a post from any source, ready for matching and storing.
type Item struct {
	Post
	RemoteID        string
	URL             string
	AuthorName      string
	AuthorFollowers int64
	PostedAt        time.Time
}

// ToItem turns a post creation into an Item; ok is false for every other
// event (deletions, likes, identity and account events).
func (e *JetEvent) ToItem() (Item, bool) {
	c := e.Commit
	if e.Kind != "commit" || c == nil || c.Operation != "create" || c.Collection != PostCollection || c.Record == nil {
		return Item{}, false
	}
	r := c.Record
	it := Item{
		Post:     Post{Network: "bluesky", Author: e.DID, Text: r.Text},
		RemoteID: "at://" + e.DID + "/" + PostCollection + "/" + c.RKey,
		URL:      "https://bsky.app/profile/" + e.DID + "/post/" + c.RKey,
	}
	if len(r.Langs) > 0 {
		it.Lang = r.Langs[0]
	}
	for _, f := range r.Facets {
		for _, ft := range f.Features {
			switch ft.Type {
			case "app.bsky.richtext.facet#tag":
				it.Hashtags = append(it.Hashtags, ft.Tag)
			case "app.bsky.richtext.facet#mention":
				// The handle as written in the text, else the DID.
				h := ft.DID
				if s, e := f.Index.ByteStart, f.Index.ByteEnd; s >= 0 && s < e && e <= len(r.Text) {
					h = strings.TrimPrefix(r.Text[s:e], "@")
				}
				it.Mentions = append(it.Mentions, h)
			}
		}
	}
	it.PostedAt, _ = time.Parse(time.RFC3339Nano, r.CreatedAt)
	if it.PostedAt.IsZero() {
		it.PostedAt = time.UnixMicro(e.TimeUS).UTC()
	}
	return it, true
}

// SubscribeURL is the endpoint's subscription URL for posts, from cursor
// (microseconds; 0: live).
func SubscribeURL(endpoint string, cursor int64) (string, error) {
	u, err := url.Parse(endpoint)
	if err != nil || (u.Scheme != "ws" && u.Scheme != "wss") || u.Host == "" {
		return "", fmt.Errorf("listen: jetstream endpoint %q is not a ws:// or wss:// URL", endpoint)
	}
	q := u.Query()
	q.Set("wantedCollections", PostCollection)
	if cursor > 0 {
		q.Set("cursor", strconv.FormatInt(cursor, 10))
	} else {
		q.Del("cursor")
	}
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// JetstreamClient reads Jetstream and hands each event to Handle, resuming
// from the last cursor after a disconnection. Events are delivered in
// order; Handle returning an error stops Run.
type JetstreamClient struct {
	Endpoint string
	// Cursor is the time_us to resume from (0: live); Run advances it.
	Cursor int64
	// Rewind is subtracted from the cursor on reconnection so no event in
	// flight is lost (Jetstream's advice: a few seconds); the events read
	// twice are deduplicated downstream by their remote id.
	Rewind time.Duration
	// Handle receives each event's cursor and, for a post creation, the post (nil otherwise).
	Handle func(ctx context.Context, timeUS int64, post *Item) error
	Log    *slog.Logger
	// MaxBackoff bounds the wait between reconnections (default 30 s).
	MaxBackoff time.Duration
}

// errHandle marks an error of the handler, which ends Run.
type errHandle struct{ err error }

func (e errHandle) Error() string { return e.err.Error() }

// Run reads until ctx ends or Handle fails, reconnecting with backoff.
func (c *JetstreamClient) Run(ctx context.Context) error {
	backoff := 250 * time.Millisecond
	maxBackoff := c.MaxBackoff
	if maxBackoff <= 0 {
		maxBackoff = 30 * time.Second
	}
	first := true
	for {
		cursor := c.Cursor
		if !first && cursor > 0 {
			cursor -= c.Rewind.Microseconds()
		}
		first = false
		n, err := c.session(ctx, cursor)
		var he errHandle
		if errors.As(err, &he) {
			if ctx.Err() != nil {
				return nil // the handler saw the cancellation
			}
			return he.err
		}
		if ctx.Err() != nil {
			return nil
		}
		if n > 0 {
			backoff = 250 * time.Millisecond
		}
		if c.Log != nil {
			c.Log.Warn("jetstream disconnected", "endpoint", c.Endpoint, "cursor", c.Cursor, "err", err, "retry_in", backoff)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, maxBackoff)
	}
}

// session reads one connection; n is the number of events read.
func (c *JetstreamClient) session(ctx context.Context, cursor int64) (n int, err error) {
	u, err := SubscribeURL(c.Endpoint, cursor)
	if err != nil {
		return 0, errHandle{err}
	}
	conn, _, err := websocket.Dial(ctx, u, nil)
	if err != nil {
		return 0, err
	}
	defer conn.CloseNow()
	conn.SetReadLimit(1 << 20)
	for {
		_, raw, err := conn.Read(ctx)
		if err != nil {
			return n, err
		}
		it, timeUS, isPost, err := DecodeJet(raw)
		if err != nil {
			continue // a malformed message is skipped, never fatal
		}
		if timeUS <= c.Cursor && cursor != c.Cursor {
			// Rewound on reconnection: already handled.
			continue
		}
		if c.Handle != nil {
			var post *Item
			if isPost {
				post = &it
			}
			if err := c.Handle(ctx, timeUS, post); err != nil {
				return n, errHandle{err}
			}
		}
		if timeUS > c.Cursor {
			c.Cursor = timeUS
		}
		n++
	}
}
