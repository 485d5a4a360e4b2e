package linkedin

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/valid"
)

// Connector publishes to and reads from one LinkedIn member or organization.
type Connector struct {
	api *api
	// as is AsMember or AsOrganization; author is the URN posts are made as.
	as, author string
	// pollEvery and maxPolls bound waiting for a video to be processed.
	pollEvery time.Duration
	maxPolls  int
	// lookups and lookupEvery bound looking for a post whose create call
	// ended without an answer.
	lookups     int
	lookupEvery time.Duration
	// attempts remembers when each publication's create call was first sent.
	attempts *network.AttemptLog
}

var (
	_ network.Connector          = (*Connector)(nil)
	_ network.MetricsReader      = (*Connector)(nil)
	_ network.AccountStatsReader = (*Connector)(nil)
	_ network.CommentReader      = (*Connector)(nil)
	_ network.Replier            = (*Connector)(nil)
	_ network.ReplyFinder        = (*Connector)(nil)
	_ network.TokenExpirer       = (*Connector)(nil)
)

// Kind names the network.
func (c *Connector) Kind() network.Kind { return network.LinkedIn }

// RateLimit returns the latest normalised rate-limit report.
func (c *Connector) RateLimit() network.RateLimit { return c.api.RateLimit() }

// Author is the URN the channel posts as.
func (c *Connector) Author() string { return c.author }

// TokenExpiry is when the 60-day token expires if nothing can renew it.
func (c *Connector) TokenExpiry() time.Time {
	if c.api.tokens.CanRenew() && c.api.app.ClientID != "" {
		return time.Time{}
	}
	_, exp, _ := c.api.tokens.Current()
	return exp
}

// member reads the signed-in member (OpenID Connect userinfo).
func (c *Connector) member(ctx context.Context) (network.Account, error) {
	var u struct {
		Sub     string `json:"sub"`
		Name    string `json:"name"`
		Picture string `json:"picture"`
	}
	if _, err := c.api.do(ctx, request{method: http.MethodGet, path: "/v2/userinfo"}, &u); err != nil {
		return network.Account{}, fmt.Errorf("linkedin: userinfo: %w", err)
	}
	if u.Sub == "" {
		return network.Account{}, &network.Error{Class: network.Unknown, Network: network.LinkedIn, Message: "userinfo answered without a member id"}
	}
	return network.Account{RemoteID: "urn:li:person:" + u.Sub, Handle: u.Name, DisplayName: u.Name, AvatarURL: u.Picture}, nil
}

type organization struct {
	ID            int64  `json:"id"`
	LocalizedName string `json:"localizedName"`
	VanityName    string `json:"vanityName"`
}

func (o organization) urn() string { return fmt.Sprintf("urn:li:organization:%d", o.ID) }

func (o organization) account() network.Account {
	a := network.Account{RemoteID: o.urn(), Handle: o.LocalizedName, DisplayName: o.LocalizedName}
	if o.VanityName != "" {
		a.Handle = o.VanityName
		a.URL = "https://www.linkedin.com/company/" + o.VanityName + "/"
	}
	return a
}

func (c *Connector) organization(ctx context.Context, urn string) (organization, error) {
	id := strings.TrimPrefix(urn, "urn:li:organization:")
	var o organization
	if _, err := c.api.do(ctx, request{method: http.MethodGet, path: "/rest/organizations/" + url.PathEscape(id)}, &o); err != nil {
		return o, fmt.Errorf("linkedin: read organization %s: %w", id, err)
	}
	return o, nil
}

// pickOrganization lists the organizations the member administers and
// chooses the one named by want (name, vanity name, id or URN), or the only one.
func (c *Connector) pickOrganization(ctx context.Context, want string) (network.Account, error) {
	var acls struct {
		Elements []struct {
			Organization string `json:"organization"`
			State        string `json:"state"`
		} `json:"elements"`
	}
	if _, err := c.api.do(ctx, request{method: http.MethodGet, path: "/rest/organizationAcls", rawQuery: "q=roleAssignee&role=ADMINISTRATOR&state=APPROVED&count=100"}, &acls); err != nil {
		return network.Account{}, fmt.Errorf("linkedin: list administered organizations: %w", err)
	}
	var names []string
	var fit []organization
	for _, e := range acls.Elements {
		o, err := c.organization(ctx, e.Organization)
		if err != nil {
			return network.Account{}, err
		}
		names = append(names, o.LocalizedName)
		id := fmt.Sprint(o.ID)
		if want == "" || want == id || want == o.urn() || strings.EqualFold(want, o.LocalizedName) || strings.EqualFold(want, o.VanityName) {
			fit = append(fit, o)
		}
	}
	list := strings.Join(names, ", ")
	switch {
	case len(names) == 0:
		return network.Account{}, valid.Errorf("organization", "no_organization", "This LinkedIn member administers no organization page; post as the member or ask for the administrator role")
	case len(fit) == 1:
		c.author = fit[0].urn()
		return fit[0].account(), nil
	case want == "":
		return network.Account{}, valid.Errorf("organization", "several_organizations", "This member administers %d organization pages (%s); enter the one to connect", len(names), list).WithArgs(len(names), list)
	}
	return network.Account{}, valid.Errorf("organization", "unknown_organization", "No organization page named %q among %s", want, list).WithArgs(want, list)
}

// Identify reads the member or the organization the channel posts as.
func (c *Connector) Identify(ctx context.Context) (network.Account, error) {
	if c.as == AsOrganization {
		o, err := c.organization(ctx, c.author)
		if err != nil {
			return network.Account{}, err
		}
		return o.account(), nil
	}
	return c.member(ctx)
}

// PostURL is a post's public address.
func PostURL(urn string) string { return "https://www.linkedin.com/feed/update/" + urn + "/" }

// reserved are the characters of LinkedIn's "little text format" that
// must be escaped in commentary to show as written.
const reserved = `\|{}@[]()<>#*_~`

// EscapeText escapes the little text format's reserved characters, except
// the # of hashtags (a # starting a word and followed by a letter or digit), which LinkedIn links.
func EscapeText(s string) string {
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	rs := []rune(s)
	for i, r := range rs {
		hashtag := r == '#' && i+1 < len(rs) && isTagStart(rs[i+1]) && (i == 0 || !isWord(rs[i-1]))
		if !hashtag && strings.ContainsRune(reserved, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// isTagStart reports whether r may begin a hashtag's word (a letter or a digit).
func isTagStart(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

func isWord(r rune) bool {
	return r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r > 127
}

// UnescapeText reverses EscapeText (for comparing what LinkedIn returns).
func UnescapeText(s string) string {
	var b strings.Builder
	esc := false
	for _, r := range s {
		if r == '\\' && !esc {
			esc = true
			continue
		}
		esc = false
		b.WriteRune(r)
	}
	return b.String()
}

// postBody is the body of POST /rest/posts.
type postBody struct {
	Author                    string         `json:"author"`
	Commentary                string         `json:"commentary"`
	Visibility                string         `json:"visibility"`
	Distribution              distribution   `json:"distribution"`
	Content                   map[string]any `json:"content,omitempty"`
	LifecycleState            string         `json:"lifecycleState"`
	IsReshareDisabledByAuthor bool           `json:"isReshareDisabledByAuthor"`
}

type distribution struct {
	FeedDistribution               string   `json:"feedDistribution"`
	TargetEntities                 []any    `json:"targetEntities"`
	ThirdPartyDistributionChannels []string `json:"thirdPartyDistributionChannels"`
}

// Publish makes one LinkedIn post from the first part: text only; an
// article (the link with its title, description and, when one image is
// attached, that image as thumbnail); one image; several images
// (multiImage); one video; or one PDF document. The first comment is a
// comment by the author under the post.
func (c *Connector) Publish(ctx context.Context, req network.PublishRequest) (network.PublishResult, error) {
	res := network.PublishResult{Parts: append([]network.RemotePost(nil), req.Done...)}
	if err := network.CheckParts(network.LinkedIn, req); err != nil {
		return res, err
	}
	if len(req.Parts) > 1 {
		return res, &network.Error{Class: network.InvalidContent, Network: network.LinkedIn, Message: "LinkedIn has no threads: a post has one part"}
	}
	opts, err := readOptions(req.Options, c.as)
	if err != nil {
		return res, err
	}
	if len(req.Done) == 0 {
		rp, err := c.post(ctx, req.Parts[0], opts, req.IdempotencyKey)
		if err != nil {
			return res, fmt.Errorf("linkedin: publish: %w", err)
		}
		res.Parts = append(res.Parts, rp)
	}
	if strings.TrimSpace(req.FirstComment) != "" {
		rp, err := c.Reply(ctx, res.Parts[0].ID, req.FirstComment)
		if err != nil {
			return res, fmt.Errorf("linkedin: publish first comment: %w", err)
		}
		res.FirstComment = &rp
	}
	return res, nil
}

// post uploads the media, builds the content and creates the post. LinkedIn
// has no idempotency key, so exactly-once rests on looking before creating
// again: the time of the first create call is recorded under the
// publication's key (durably, in the channel's checkpoints); a later attempt
// — after an unknown outcome or a crash — first reads the author's latest
// posts for one created since then with the same commentary. When the
// create itself ends without a clear answer (a dropped connection, a 5xx) the
// same lookup runs at once; not found means the create did not take effect
// and a retry is safe.
func (c *Connector) post(ctx context.Context, p network.Part, o options, key string) (network.RemotePost, error) {
	text := p.Text
	if p.Link != "" && !usesArticle(p, o) && !strings.Contains(text, p.Link) {
		text = strings.TrimSpace(text + "\n\n" + p.Link)
	}
	commentary := EscapeText(text)
	prev, err := c.attempts.Started(ctx, key)
	if err != nil {
		return network.RemotePost{}, err
	}
	if !prev.IsZero() {
		id, found, err := c.findRecent(ctx, commentary, prev)
		if err != nil {
			return network.RemotePost{}, fmt.Errorf("looking for the post an earlier attempt may have made: %w", err)
		}
		if found {
			return network.RemotePost{ID: id, URL: PostURL(id), Extra: map[string]string{"reconciled": "true"}}, nil
		}
	}
	content, err := c.content(ctx, p, o)
	if err != nil {
		return network.RemotePost{}, err
	}
	body := postBody{
		Author: c.author, Commentary: commentary, Visibility: o.visibility, Content: content, LifecycleState: "PUBLISHED",
		Distribution: distribution{FeedDistribution: "MAIN_FEED", TargetEntities: []any{}, ThirdPartyDistributionChannels: []string{}},
	}
	started := c.api.now()
	if prev.IsZero() {
		if err := c.attempts.Start(ctx, key, started); err != nil {
			return network.RemotePost{}, err
		}
	} else {
		started = prev
	}
	ans, err := c.api.do(ctx, request{method: http.MethodPost, path: "/rest/posts", json: body}, nil)
	if id := ans.header.Get("x-restli-id"); err == nil && id != "" {
		return network.RemotePost{ID: id, URL: PostURL(id)}, nil
	}
	if err == nil {
		err = &network.Error{Class: network.Unknown, Network: network.LinkedIn, Status: ans.status, Message: "LinkedIn answered without the post's id (x-restli-id)"}
	}
	if !outcomeUnknown(err) {
		return network.RemotePost{}, err
	}
	id, found, lerr := c.findRecent(ctx, body.Commentary, started)
	if lerr != nil {
		return network.RemotePost{}, fmt.Errorf("%w (and looking for the post failed: %v)", err, lerr)
	}
	if found {
		return network.RemotePost{ID: id, URL: PostURL(id), Extra: map[string]string{"reconciled": "true"}}, nil
	}
	var ne *network.Error
	if errors.As(err, &ne) {
		ne.Class = network.Retryable
		ne.Message = strings.TrimSpace(ne.Message + " (the post is not on the page: safe to retry)")
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

// findRecent looks among the author's latest posts for one created since
// started with this commentary (as sent, escaped).
func (c *Connector) findRecent(ctx context.Context, commentary string, started time.Time) (string, bool, error) {
	q := "q=author&author=" + EscapeURN(c.author) + "&count=10&sortBy=CREATED"
	for i := 0; i < max(c.lookups, 1); i++ {
		if i > 0 {
			select {
			case <-ctx.Done():
				return "", false, ctx.Err()
			case <-time.After(c.lookupEvery):
			}
		}
		var r struct {
			Elements []struct {
				ID         string `json:"id"`
				Commentary string `json:"commentary"`
				CreatedAt  int64  `json:"createdAt"`
			} `json:"elements"`
		}
		if _, err := c.api.do(ctx, request{method: http.MethodGet, path: "/rest/posts", rawQuery: q}, &r); err != nil {
			return "", false, err
		}
		for _, e := range r.Elements {
			if e.Commentary == commentary && time.UnixMilli(e.CreatedAt).After(started.Add(-time.Minute)) {
				return e.ID, true, nil
			}
		}
	}
	return "", false, nil
}

// Delete removes a post; a post already gone counts as deleted.
func (c *Connector) Delete(ctx context.Context, remoteID string) error {
	_, err := c.api.do(ctx, request{method: http.MethodDelete, path: "/rest/posts/" + EscapeURN(remoteID)}, nil)
	if err != nil && !errors.Is(err, network.ErrNotFound) {
		return fmt.Errorf("linkedin: delete %s: %w", remoteID, err)
	}
	return nil
}
