package snapchat

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/relais/relais/internal/network"
)

// Connector publishes to one Snapchat Public Profile.
type Connector struct {
	api *api
	// maxPolls and pollEvery bound waiting for Snapchat to process a media.
	maxPolls  int
	pollEvery time.Duration

	mu        sync.Mutex
	profileID string
	username  string
}

var (
	_ network.Connector          = (*Connector)(nil)
	_ network.MetricsReader      = (*Connector)(nil)
	_ network.AccountStatsReader = (*Connector)(nil)
)

// Kind names the network.
func (c *Connector) Kind() network.Kind { return Kind }

// RateLimit returns the latest rate-limit report.
func (c *Connector) RateLimit() network.RateLimit { return c.api.RateLimit() }

// TokenExpiry is when the access token expires if nothing can renew it.
func (c *Connector) TokenExpiry() time.Time { return c.api.Tok.Deadline() }

func invalid(format string, a ...any) error {
	return &network.Error{Class: network.InvalidContent, Network: Kind, Message: fmt.Sprintf(format, a...)}
}

func (c *Connector) path(tail string) string {
	c.mu.Lock()
	id := c.profileID
	c.mu.Unlock()
	return "/v1/public_profiles/" + url.PathEscape(id) + tail
}

// publicProfile is the Public Profile entity.
type publicProfile struct {
	ID              string `json:"id"`
	DisplayName     string `json:"display_name"`
	SnapUserName    string `json:"snap_user_name"`
	SubscriberCount *int64 `json:"subscriber_count"`
	LogoURLs        struct {
		OriginalLogoURL string `json:"original_logo_url"`
	} `json:"logo_urls"`
}

func (p publicProfile) account() network.Account {
	return network.Account{RemoteID: p.ID, Handle: p.SnapUserName, DisplayName: p.DisplayName,
		URL: "https://www.snapchat.com/add/" + p.SnapUserName, AvatarURL: p.LogoURLs.OriginalLogoURL}
}

// profile reads the Public Profile of the signed-in user (GET /v1/me/public_profile).
func (c *Connector) profile(ctx context.Context) (publicProfile, error) {
	var r struct {
		PublicProfiles []struct {
			PublicProfile publicProfile `json:"public_profile"`
		} `json:"public_profiles"`
	}
	if err := c.api.do(ctx, request{Method: http.MethodGet, Path: "/v1/me/public_profile"}, &r); err != nil {
		return publicProfile{}, fmt.Errorf("snapchat: public profile: %w", err)
	}
	if len(r.PublicProfiles) == 0 || r.PublicProfiles[0].PublicProfile.ID == "" {
		return publicProfile{}, &network.Error{Class: network.Permanent, Network: Kind, Message: "this Snapchat account has no Public Profile; create one in the Snapchat app first"}
	}
	p := r.PublicProfiles[0].PublicProfile
	c.mu.Lock()
	c.profileID, c.username = p.ID, p.SnapUserName
	c.mu.Unlock()
	return p, nil
}

// Identify returns the Public Profile behind the token.
func (c *Connector) Identify(ctx context.Context) (network.Account, error) {
	p, err := c.profile(ctx)
	if err != nil {
		return network.Account{}, err
	}
	return p.account(), nil
}

// Limits of what is posted (unconfirmed: Snap's help centre and partners' docs).
const (
	maxSavedTitle   = 45
	maxSpotlightTxt = 160
)

// Publish posts one media as a Story (default), a Saved Story (option
// placement=saved_story, titled by the option title or the text's first
// line) or a Spotlight (the text as its description). The upload is safe
// to repeat (an unused media expires after 24 hours); the posting call has
// no idempotency key and nothing to look a post up by, so an unknown
// outcome stays unknown and the engine asks a person (needs review).
func (c *Connector) Publish(ctx context.Context, req network.PublishRequest) (network.PublishResult, error) {
	res := network.PublishResult{Parts: append([]network.RemotePost(nil), req.Done...)}
	if err := network.CheckParts(Kind, req); err != nil {
		return res, err
	}
	if len(req.Parts) > 1 || strings.TrimSpace(req.FirstComment) != "" {
		return res, invalid("Snapchat posts one media without threads or comments")
	}
	if len(req.Done) == 1 {
		return res, nil
	}
	p := req.Parts[0]
	if len(p.Media) != 1 {
		return res, invalid("a Snapchat post is exactly one image or video; this one has %d media", len(p.Media))
	}
	placement := strings.TrimSpace(req.Options["placement"])
	if placement == "" {
		placement = "story"
	}
	text := strings.TrimSpace(p.Text)
	title := strings.TrimSpace(req.Options["title"])
	switch placement {
	case "story":
	case "saved_story":
		if title == "" {
			title, _, _ = strings.Cut(text, "\n")
			title = strings.TrimSpace(title)
		}
		if title == "" {
			return res, invalid("a Saved Story needs a title: set the title option or start the text with it")
		}
		if n := utf8.RuneCountInString(title); n > maxSavedTitle {
			return res, invalid("the Saved Story title is %d characters; Snapchat allows %d", n, maxSavedTitle)
		}
	case "spotlight":
		if !strings.HasPrefix(p.Media[0].MIME, "video/") {
			return res, invalid("Spotlight takes videos only")
		}
		if n := utf8.RuneCountInString(text); n > maxSpotlightTxt {
			return res, invalid("the Spotlight description is %d characters; Snapchat allows %d", n, maxSpotlightTxt)
		}
	default:
		return res, invalid("placement must be story, saved_story or spotlight; got %q", placement)
	}
	if c.profileID == "" {
		if _, err := c.profile(ctx); err != nil {
			return res, err
		}
	}
	id, err := c.upload(ctx, p.Media[0], "relais-"+req.IdempotencyKey)
	if err != nil {
		if network.ClassOf(err) == network.Unknown {
			// Nothing is posted yet: an orphan media does no harm.
			var ne *network.Error
			if errors.As(err, &ne) {
				ne.Class = network.Retryable
			}
		}
		return res, fmt.Errorf("snapchat: upload: %w", err)
	}
	rp, err := c.post(ctx, placement, id, title, text, req.Language)
	if err != nil {
		return res, fmt.Errorf("snapchat: post %s: %w", placement, err)
	}
	res.Parts = append(res.Parts, rp)
	return res, nil
}

func (c *Connector) post(ctx context.Context, placement, mediaID, title, text, lang string) (network.RemotePost, error) {
	var r struct {
		Stories []struct {
			Story struct {
				ID string `json:"id"`
			} `json:"story"`
		} `json:"stories"`
		SavedStories []struct {
			SavedStory struct {
				ID string `json:"id"`
			} `json:"saved_story"`
		} `json:"saved_stories"`
		Spotlights []struct {
			Spotlight struct {
				ID string `json:"id"`
			} `json:"spotlight"`
		} `json:"spotlights"`
	}
	var body any
	path := ""
	switch placement {
	case "story":
		path, body = "/stories", map[string]any{"media_id": mediaID}
	case "saved_story":
		path, body = "/saved_stories", map[string]any{"saved_stories": []map[string]any{{"snap_sources": []map[string]string{{"media_id": mediaID}}, "title": title}}}
	default:
		if lang == "" {
			lang = "en_US"
		}
		path, body = "/spotlights", map[string]any{"media_id": mediaID, "description": text, "locale": lang}
	}
	if err := c.api.do(ctx, request{Method: http.MethodPost, Path: c.path(path), JSON: body}, &r); err != nil {
		return network.RemotePost{}, err
	}
	id := ""
	switch {
	case len(r.Stories) > 0:
		id = r.Stories[0].Story.ID
	case len(r.SavedStories) > 0:
		id = r.SavedStories[0].SavedStory.ID
	case len(r.Spotlights) > 0:
		id = r.Spotlights[0].Spotlight.ID
	}
	if id == "" {
		return network.RemotePost{}, &network.Error{Class: network.Unknown, Network: Kind, Message: "Snapchat answered without the post's id"}
	}
	c.mu.Lock()
	user := c.username
	c.mu.Unlock()
	return network.RemotePost{ID: placement + ":" + id, URL: "https://www.snapchat.com/add/" + user, Extra: map[string]string{"placement": placement, "media_id": mediaID}}, nil
}

// Delete removes a Saved Story; Stories expire by themselves after 24
// hours and the API offers no deletion of Stories or Spotlights.
func (c *Connector) Delete(ctx context.Context, remoteID string) error {
	placement, id, _ := strings.Cut(remoteID, ":")
	if placement != "saved_story" {
		return &network.Error{Class: network.Permanent, Network: Kind, Message: "Snapchat's API cannot delete a Story or a Spotlight; delete it in the Snapchat app (Stories expire after 24 hours)"}
	}
	err := c.api.do(ctx, request{Method: http.MethodDelete, Path: c.path("/saved_stories/" + url.PathEscape(id))}, nil)
	if err != nil && !errors.Is(err, network.ErrNotFound) {
		return fmt.Errorf("snapchat: delete %s: %w", remoteID, err)
	}
	return nil
}

// Followers reads the profile's subscriber count.
func (c *Connector) Followers(ctx context.Context) (int64, error) {
	p, err := c.profile(ctx)
	if err != nil {
		return 0, err
	}
	if p.SubscriberCount == nil {
		return -1, nil
	}
	return *p.SubscriberCount, nil
}

// AccountStats gives the subscribers; Snapchat reports no following or post count here.
func (c *Connector) AccountStats(ctx context.Context) (network.AccountStats, error) {
	f, err := c.Followers(ctx)
	return network.AccountStats{Followers: f, Following: -1, Posts: -1}, err
}

// PostMetrics reads a Story's or Spotlight's views when the API reports
// them (GET …/{stories|spotlights}/{id}/stats, views); other posts are left out.
func (c *Connector) PostMetrics(ctx context.Context, remoteIDs []string) (map[string]network.PostMetrics, error) {
	out := map[string]network.PostMetrics{}
	for _, rid := range remoteIDs {
		placement, id, _ := strings.Cut(rid, ":")
		tail := map[string]string{"story": "/stories/", "spotlight": "/spotlights/", "saved_story": "/saved_stories/"}[placement]
		if tail == "" {
			continue
		}
		var r struct {
			Stats struct {
				Views       *int64 `json:"views"`
				Screenshots *int64 `json:"screenshots"`
				Shares      *int64 `json:"shares"`
			} `json:"stats"`
		}
		if err := c.api.do(ctx, request{Method: http.MethodGet, Path: c.path(tail + url.PathEscape(id) + "/stats")}, &r); err != nil {
			if network.ClassOf(err) == network.Permanent {
				continue
			}
			return out, fmt.Errorf("snapchat: stats of %s: %w", rid, err)
		}
		m := network.PostMetrics{Likes: -1, Reposts: -1, Replies: -1, Quotes: -1, Views: -1}
		if r.Stats.Views != nil {
			m.Views = *r.Stats.Views
		}
		if r.Stats.Shares != nil {
			m.Reposts = *r.Stats.Shares
		}
		out[rid] = m
	}
	return out, nil
}
