package x

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/relais/relais/internal/network"
)

// Connector publishes to and reads from one X account.
type Connector struct {
	api *api
	// mu guards userID and username, learnt from users/me while other calls run.
	mu       sync.Mutex
	userID   string
	username string
	// pollEvery and maxPolls bound waiting for media processing (STATUS),
	// unless X says when to check again (check_after_secs).
	pollEvery time.Duration
	maxPolls  int
	// recentLookups and lookupEvery bound looking for a post whose create
	// call ended without an answer (X indexes new posts within seconds).
	recentLookups int
	lookupEvery   time.Duration
}

var (
	_ network.Connector       = (*Connector)(nil)
	_ network.MetricsReader   = (*Connector)(nil)
	_ network.CommentReader   = (*Connector)(nil)
	_ network.Replier         = (*Connector)(nil)
	_ network.MentionReader   = (*Connector)(nil)
	_ network.Searcher        = (*Connector)(nil)
	_ network.LimitsRefresher = (*Connector)(nil)
	_ network.CommentHider    = (*Connector)(nil)
)

// Kind names the network.
func (c *Connector) Kind() network.Kind { return network.X }

// RateLimit returns the latest x-rate-limit-* report.
func (c *Connector) RateLimit() network.RateLimit { return c.api.RateLimit() }

// user is a users/me or expanded author object.
type user struct {
	ID              string `json:"id"`
	Name            string `json:"name"`
	Username        string `json:"username"`
	ProfileImageURL string `json:"profile_image_url"`
	// SubscriptionType is the account's X Premium level: None, Basic, Premium or PremiumPlus.
	SubscriptionType string `json:"subscription_type"`
	PublicMetrics    struct {
		FollowersCount int64 `json:"followers_count"`
	} `json:"public_metrics"`
}

func (c *Connector) me(ctx context.Context) (user, error) {
	var r struct {
		Data user `json:"data"`
	}
	err := c.api.do(ctx, request{method: http.MethodGet, path: "/2/users/me", query: url.Values{"user.fields": {"profile_image_url,public_metrics,subscription_type"}}}, &r)
	if err != nil {
		return user{}, fmt.Errorf("x: users/me: %w", err)
	}
	if r.Data.ID == "" {
		return user{}, &network.Error{Class: network.Unknown, Network: network.X, Message: "users/me answered without a user"}
	}
	c.mu.Lock()
	c.userID, c.username = r.Data.ID, r.Data.Username
	c.mu.Unlock()
	return r.Data, nil
}

// self returns the account's id, asking users/me the first time.
func (c *Connector) self(ctx context.Context) (string, error) {
	c.mu.Lock()
	id := c.userID
	c.mu.Unlock()
	if id != "" {
		return id, nil
	}
	u, err := c.me(ctx)
	return u.ID, err
}

// Identify returns the account behind the token (GET /2/users/me).
func (c *Connector) Identify(ctx context.Context) (network.Account, error) {
	u, err := c.me(ctx)
	if err != nil {
		return network.Account{}, err
	}
	return network.Account{RemoteID: u.ID, Handle: "@" + u.Username, DisplayName: u.Name, URL: "https://x.com/" + u.Username, AvatarURL: u.ProfileImageURL}, nil
}

// LongPostLimit is the weighted length of a post by a Premium or Premium+
// subscriber (X's long posts); other accounts have the 280 of DefaultLimits.
const LongPostLimit = 25_000

// limitsFor returns the account's limits: long posts for Premium and
// Premium+ subscribers, the shipped 280 otherwise.
func limitsFor(u user) network.Limits {
	l := network.DefaultLimits[network.X]
	if u.SubscriptionType == "Premium" || u.SubscriptionType == "PremiumPlus" {
		l.MaxText = LongPostLimit
	}
	return l
}

// RefreshLimits re-reads the account's subscription (a channel check runs it).
func (c *Connector) RefreshLimits(ctx context.Context) (network.Limits, error) {
	u, err := c.me(ctx)
	if err != nil {
		return network.DefaultLimits[network.X], err
	}
	return limitsFor(u), nil
}

// Followers reads the account's followers_count.
func (c *Connector) Followers(ctx context.Context) (int64, error) {
	u, err := c.me(ctx)
	return u.PublicMetrics.FollowersCount, err
}

func (c *Connector) postURL(id string) string {
	c.mu.Lock()
	name := c.username
	c.mu.Unlock()
	if name == "" {
		return "https://x.com/i/web/status/" + id
	}
	return "https://x.com/" + name + "/status/" + id
}

// tweetBody is the body of POST /2/tweets.
type tweetBody struct {
	Text  string `json:"text,omitempty"`
	Media *struct {
		MediaIDs []string `json:"media_ids"`
	} `json:"media,omitempty"`
	Reply *struct {
		InReplyToTweetID string `json:"in_reply_to_tweet_id"`
	} `json:"reply,omitempty"`
	QuoteTweetID  string `json:"quote_tweet_id,omitempty"`
	Poll          *poll  `json:"poll,omitempty"`
	ReplySettings string `json:"reply_settings,omitempty"`
}

type poll struct {
	Options         []string `json:"options"`
	DurationMinutes int      `json:"duration_minutes"`
}

// Publish posts the parts as a chain of replies (a thread), continuing after
// req.Done; the first part carries the quote (option quote_tweet_id, an id or
// a post URL), the poll (poll_options, separated by | or new lines, and
// poll_duration_minutes) and reply_settings. The first comment answers the
// first part. On failure the parts already out are returned with the error.
func (c *Connector) Publish(ctx context.Context, req network.PublishRequest) (network.PublishResult, error) {
	res := network.PublishResult{Parts: append([]network.RemotePost(nil), req.Done...)}
	if err := network.CheckParts(network.X, req); err != nil {
		return res, err
	}
	first, err := firstPartOptions(req.Options)
	if err != nil {
		return res, err
	}
	if first.Poll != nil && len(req.Parts[0].Media) > 0 {
		return res, &network.Error{Class: network.InvalidContent, Network: network.X, Message: "a post on X carries either a poll or media, not both"}
	}
	parent := ""
	if n := len(req.Done); n > 0 {
		parent = req.Done[n-1].ID
	}
	for i := len(req.Done); i < len(req.Parts); i++ {
		body := tweetBody{ReplySettings: first.ReplySettings}
		if i == 0 {
			body = first
		}
		rp, err := c.postPart(ctx, req.Parts[i], parent, body)
		if err != nil {
			return res, fmt.Errorf("x: publish part %d of %d: %w", i+1, len(req.Parts), err)
		}
		res.Parts = append(res.Parts, rp)
		parent = rp.ID
	}
	if strings.TrimSpace(req.FirstComment) != "" {
		rp, err := c.postPart(ctx, network.Part{Text: req.FirstComment}, res.Parts[0].ID, tweetBody{})
		if err != nil {
			return res, fmt.Errorf("x: publish first comment: %w", err)
		}
		res.FirstComment = &rp
	}
	return res, nil
}

// Reply settings X accepts.
var replySettings = map[string]bool{"following": true, "mentionedUsers": true, "subscribers": true, "verified": true}

// firstPartOptions reads the quote, poll and reply settings from the options.
func firstPartOptions(o map[string]string) (tweetBody, error) {
	var b tweetBody
	invalid := func(format string, a ...any) (tweetBody, error) {
		return tweetBody{}, &network.Error{Class: network.InvalidContent, Network: network.X, Message: fmt.Sprintf(format, a...)}
	}
	if q := strings.TrimSpace(o["quote_tweet_id"]); q != "" {
		id, ok := PostID(q)
		if !ok {
			return invalid("quote_tweet_id %q is neither a post id nor a post URL", q)
		}
		b.QuoteTweetID = id
	}
	if rs := strings.TrimSpace(o["reply_settings"]); rs != "" && rs != "everyone" {
		if !replySettings[rs] {
			return invalid("reply_settings must be everyone, following, mentionedUsers, subscribers or verified; got %q", rs)
		}
		b.ReplySettings = rs
	}
	if po := strings.TrimSpace(o["poll_options"]); po != "" {
		var opts []string
		for _, s := range strings.FieldsFunc(po, func(r rune) bool { return r == '\n' || r == '|' }) {
			if s = strings.TrimSpace(s); s != "" {
				opts = append(opts, s)
			}
		}
		if len(opts) < 2 || len(opts) > 4 {
			return invalid("a poll has 2 to 4 options; got %d", len(opts))
		}
		for _, s := range opts {
			if n := len([]rune(s)); n > 25 {
				return invalid("poll option %q is %d characters; the limit is 25", s, n)
			}
		}
		d := 1440
		if ds := strings.TrimSpace(o["poll_duration_minutes"]); ds != "" {
			n, err := strconv.Atoi(ds)
			if err != nil || n < 5 || n > 10080 {
				return invalid("poll_duration_minutes must be 5 to 10080 (7 days); got %q", ds)
			}
			d = n
		}
		b.Poll = &poll{Options: opts, DurationMinutes: d}
	}
	return b, nil
}

// PostID reads a post id from an id or a post URL (x.com or twitter.com).
func PostID(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if i := strings.Index(s, "/status/"); i >= 0 {
		s = s[i+len("/status/"):]
		if j := strings.IndexAny(s, "/?#"); j >= 0 {
			s = s[:j]
		}
	}
	if s == "" || len(s) > 19 {
		return "", false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return "", false
		}
	}
	return s, true
}

// postPart uploads the part's media and creates the post. X has no
// idempotency key: when the create call ends without a clear answer (a
// dropped connection, a 5xx) the account's recent posts are searched for
// the same text and parent before anything is retried (networks.md 1.5).
func (c *Connector) postPart(ctx context.Context, p network.Part, replyTo string, body tweetBody) (network.RemotePost, error) {
	ids, err := c.uploadAll(ctx, p.Media)
	if err != nil {
		return network.RemotePost{}, err
	}
	body.Text = network.TextAsSent(network.X, p)
	if len(ids) > 0 {
		body.Media = &struct {
			MediaIDs []string `json:"media_ids"`
		}{ids}
	}
	if replyTo != "" {
		body.Reply = &struct {
			InReplyToTweetID string `json:"in_reply_to_tweet_id"`
		}{replyTo}
	}
	var r struct {
		Data struct {
			ID   string `json:"id"`
			Text string `json:"text"`
		} `json:"data"`
	}
	started := c.api.now()
	err = c.api.do(ctx, request{method: http.MethodPost, path: "/2/tweets", json: body}, &r)
	if err == nil && r.Data.ID != "" {
		return network.RemotePost{ID: r.Data.ID, URL: c.postURL(r.Data.ID)}, nil
	}
	if err == nil {
		err = &network.Error{Class: network.Unknown, Network: network.X, Status: http.StatusCreated, Message: "X answered without a post id"}
	}
	if !outcomeUnknown(err) {
		return network.RemotePost{}, err
	}
	id, found, lerr := c.findRecent(ctx, body.Text, replyTo, started)
	if lerr != nil {
		// Neither the outcome nor the lookup is known: a person must look.
		return network.RemotePost{}, fmt.Errorf("%w (and looking for the post failed: %v)", err, lerr)
	}
	if found {
		return network.RemotePost{ID: id, URL: c.postURL(id), Extra: map[string]string{"reconciled": "true"}}, nil
	}
	// Not among the account's posts: the create did not take effect, so a retry is safe.
	var ne *network.Error
	if errors.As(err, &ne) {
		ne.Class = network.Retryable
		ne.Message = strings.TrimSpace(ne.Message + " (the post is not on the account: safe to retry)")
	}
	return network.RemotePost{}, err
}

// outcomeUnknown reports whether a failed create may have taken effect.
func outcomeUnknown(err error) bool {
	var ne *network.Error
	if !errors.As(err, &ne) {
		return true
	}
	return ne.Class == network.Unknown || (ne.Class == network.Retryable && ne.Status >= 500)
}

// findRecent looks for a post of the account made since started with the
// given text (as X returns it: URLs shortened, entities escaped, a media
// link appended) answering replyTo. It asks a few times, since a new post
// takes a moment to show in the timeline.
func (c *Connector) findRecent(ctx context.Context, text, replyTo string, started time.Time) (string, bool, error) {
	uid, err := c.self(ctx)
	if err != nil {
		return "", false, err
	}
	want := NormalizeText(text)
	for i := 0; i < max(c.recentLookups, 1); i++ {
		if i > 0 {
			select {
			case <-ctx.Done():
				return "", false, ctx.Err()
			case <-time.After(c.lookupEvery):
			}
		}
		var r struct {
			Data []tweet `json:"data"`
		}
		q := url.Values{
			"max_results": {"20"}, "tweet.fields": {"created_at,referenced_tweets"},
			"start_time": {started.Add(-time.Minute).UTC().Format(time.RFC3339)},
		}
		if err := c.api.do(ctx, request{method: http.MethodGet, path: "/2/users/" + url.PathEscape(uid) + "/tweets", query: q}, &r); err != nil {
			return "", false, err
		}
		for _, t := range r.Data {
			if t.repliedTo() == replyTo && SameText(want, NormalizeText(t.Text)) {
				return t.ID, true, nil
			}
		}
	}
	return "", false, nil
}

// Delete removes a post; a post already gone counts as deleted.
func (c *Connector) Delete(ctx context.Context, remoteID string) error {
	err := c.api.do(ctx, request{method: http.MethodDelete, path: "/2/tweets/" + url.PathEscape(remoteID)}, nil)
	if err != nil && !errors.Is(err, network.ErrNotFound) {
		return fmt.Errorf("x: delete %s: %w", remoteID, err)
	}
	return nil
}

// Reply answers a post, with the same exactly-once lookup as Publish.
func (c *Connector) Reply(ctx context.Context, parentRemoteID, text string) (network.RemotePost, error) {
	rp, err := c.postPart(ctx, network.Part{Text: text}, parentRemoteID, tweetBody{})
	if err != nil {
		return rp, fmt.Errorf("x: reply to %s: %w", parentRemoteID, err)
	}
	return rp, nil
}

// HideComment hides a reply under one of the account's posts
// (PUT /2/tweets/:id/hidden; the conversation must be the account's).
func (c *Connector) HideComment(ctx context.Context, remoteID string) error {
	var r struct {
		Data struct {
			Hidden bool `json:"hidden"`
		} `json:"data"`
	}
	err := c.api.do(ctx, request{method: http.MethodPut, path: "/2/tweets/" + url.PathEscape(remoteID) + "/hidden", json: map[string]bool{"hidden": true}}, &r)
	if err != nil {
		return fmt.Errorf("x: hide %s: %w", remoteID, err)
	}
	if !r.Data.Hidden {
		return &network.Error{Class: network.Unknown, Network: network.X, Message: "X did not confirm the reply is hidden"}
	}
	return nil
}
