package gbp

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/valid"
)

// Connector publishes to and reads from one Business Profile location.
type Connector struct {
	api *api
	// account is "accounts/1", location "locations/2", title the business's name.
	account, location, title string
	// lookups and lookupEvery bound looking for a post whose create ended without an answer.
	lookups     int
	lookupEvery time.Duration
	// attempts remembers when each publication's create call was first sent.
	attempts *network.AttemptLog
}

var (
	_ network.Connector      = (*Connector)(nil)
	_ network.MentionReader  = (*Connector)(nil)
	_ network.Replier        = (*Connector)(nil)
	_ network.ReplyFinder    = (*Connector)(nil)
	_ network.InsightsReader = (*Connector)(nil)
)

// Kind names the network.
func (c *Connector) Kind() network.Kind { return network.GoogleBusiness }

// RateLimit returns the latest normalised rate-limit report.
func (c *Connector) RateLimit() network.RateLimit { return c.api.RateLimit() }

// location is a Business Information location.
type location struct {
	// Name is "locations/{id}"; Account is the "accounts/{id}" it was listed under.
	Name     string `json:"name"`
	Title    string `json:"title"`
	Account  string `json:"-"`
	Metadata struct {
		MapsURI       string `json:"mapsUri"`
		NewReviewURI  string `json:"newReviewUri"`
		HasVoiceOfMer bool   `json:"hasVoiceOfMerchant"`
	} `json:"metadata"`
}

func (l location) account() network.Account {
	return network.Account{RemoteID: l.Name, Handle: l.Title, DisplayName: l.Title, URL: l.Metadata.MapsURI}
}

// v4 is the location's path in the My Business API v4 (accounts/1/locations/2).
func (c *Connector) v4() string {
	return c.api.ep.V4 + "/" + c.account + "/" + c.location
}

// pickLocation lists every account's locations and chooses the one named
// by want (title, "locations/ID" or ID), or the only one.
func (c *Connector) pickLocation(ctx context.Context, want string) (location, error) {
	var accts struct {
		Accounts []struct {
			Name        string `json:"name"`
			AccountName string `json:"accountName"`
		} `json:"accounts"`
	}
	if err := c.api.do(ctx, http.MethodGet, c.api.ep.Accounts+"/accounts?pageSize=20", nil, &accts); err != nil {
		return location{}, fmt.Errorf("google_business: list accounts: %w", err)
	}
	var all, fit []location
	for _, a := range accts.Accounts {
		token := ""
		for {
			var r struct {
				Locations     []location `json:"locations"`
				NextPageToken string     `json:"nextPageToken"`
			}
			q := url.Values{"readMask": {"name,title,metadata"}, "pageSize": {"100"}}
			if token != "" {
				q.Set("pageToken", token)
			}
			if err := c.api.do(ctx, http.MethodGet, c.api.ep.Info+"/"+a.Name+"/locations?"+q.Encode(), nil, &r); err != nil {
				return location{}, fmt.Errorf("google_business: list locations of %s: %w", a.Name, err)
			}
			for _, l := range r.Locations {
				l.Account = a.Name
				all = append(all, l)
				if want == "" || want == l.Name || "locations/"+want == l.Name || strings.EqualFold(want, l.Title) {
					fit = append(fit, l)
				}
			}
			if token = r.NextPageToken; token == "" {
				break
			}
		}
	}
	var names []string
	for _, l := range all {
		names = append(names, l.Title)
	}
	list := strings.Join(names, ", ")
	switch {
	case len(all) == 0:
		return location{}, valid.Errorf("location", "no_location", "This Google account manages no Business Profile location")
	case len(fit) == 1:
		c.account, c.location, c.title = fit[0].Account, fit[0].Name, fit[0].Title
		return fit[0], nil
	case want == "":
		return location{}, valid.Errorf("location", "several_locations", "This Google account manages %d locations (%s); enter the one to connect", len(all), list).WithArgs(len(all), list)
	}
	return location{}, valid.Errorf("location", "unknown_location", "No location named %q among %s", want, list).WithArgs(want, list)
}

// Identify reads the location.
func (c *Connector) Identify(ctx context.Context) (network.Account, error) {
	var l location
	if err := c.api.do(ctx, http.MethodGet, c.api.ep.Info+"/"+c.location+"?readMask=name,title,metadata", nil, &l); err != nil {
		return network.Account{}, fmt.Errorf("google_business: read %s: %w", c.location, err)
	}
	return l.account(), nil
}

// localPost is a v4 LocalPost.
type localPost struct {
	Name         string        `json:"name,omitempty"`
	LanguageCode string        `json:"languageCode,omitempty"`
	Summary      string        `json:"summary,omitempty"`
	TopicType    string        `json:"topicType"`
	CallToAction *callToAction `json:"callToAction,omitempty"`
	Event        *event        `json:"event,omitempty"`
	Offer        *offer        `json:"offer,omitempty"`
	Media        []mediaItem   `json:"media,omitempty"`
	SearchURL    string        `json:"searchUrl,omitempty"`
	State        string        `json:"state,omitempty"`
	CreateTime   string        `json:"createTime,omitempty"`
}

type callToAction struct {
	ActionType string `json:"actionType"`
	URL        string `json:"url,omitempty"`
}

type event struct {
	Title    string   `json:"title"`
	Schedule schedule `json:"schedule"`
}

type schedule struct {
	StartDate date     `json:"startDate"`
	StartTime *timeDay `json:"startTime,omitempty"`
	EndDate   date     `json:"endDate"`
	EndTime   *timeDay `json:"endTime,omitempty"`
}

type date struct {
	Year  int `json:"year"`
	Month int `json:"month"`
	Day   int `json:"day"`
}

type timeDay struct {
	Hours   int `json:"hours"`
	Minutes int `json:"minutes"`
	Seconds int `json:"seconds"`
	Nanos   int `json:"nanos"`
}

type offer struct {
	CouponCode      string `json:"couponCode,omitempty"`
	RedeemOnlineURL string `json:"redeemOnlineUrl,omitempty"`
	TermsConditions string `json:"termsConditions,omitempty"`
}

type mediaItem struct {
	MediaFormat string `json:"mediaFormat"`
	SourceURL   string `json:"sourceUrl"`
}

// Publish makes one local post: its topic type, event, offer and call to
// action come from the post options; a photo goes by its public URL
// (Google fetches it); a link without a call to action becomes LEARN_MORE.
func (c *Connector) Publish(ctx context.Context, req network.PublishRequest) (network.PublishResult, error) {
	res := network.PublishResult{Parts: append([]network.RemotePost(nil), req.Done...)}
	if err := network.CheckParts(network.GoogleBusiness, req); err != nil {
		return res, err
	}
	if len(req.Parts) > 1 {
		return res, invalid("a Google Business Profile post has one part")
	}
	if len(req.Done) == 1 {
		return res, nil
	}
	p := req.Parts[0]
	post, err := buildPost(p, req.Options, req.Language)
	if err != nil {
		return res, err
	}
	rp, err := c.create(ctx, post, req.IdempotencyKey)
	if err != nil {
		return res, fmt.Errorf("google_business: publish: %w", err)
	}
	res.Parts = append(res.Parts, rp)
	return res, nil
}

func invalid(format string, a ...any) error {
	return &network.Error{Class: network.InvalidContent, Network: network.GoogleBusiness, Message: fmt.Sprintf(format, a...)}
}

// create posts the local post. The API has no idempotency key: the time of
// the first create call is recorded under the publication's key (durably,
// in the channel's checkpoints), and a later attempt — after an unknown
// outcome or a crash — first reads the location's latest posts for one
// created since then with the same summary. A create ending without a
// clear answer runs the same lookup at once; not found, a retry is safe.
func (c *Connector) create(ctx context.Context, post localPost, key string) (network.RemotePost, error) {
	prev, err := c.attempts.Started(ctx, key)
	if err != nil {
		return network.RemotePost{}, err
	}
	if !prev.IsZero() {
		found, ok, err := c.findRecent(ctx, post.Summary, prev)
		if err != nil {
			return network.RemotePost{}, fmt.Errorf("looking for the post an earlier attempt may have made: %w", err)
		}
		if ok {
			return network.RemotePost{ID: found.Name, URL: found.SearchURL, Extra: map[string]string{"reconciled": "true"}}, nil
		}
	}
	started := c.api.now()
	if prev.IsZero() {
		if err := c.attempts.Start(ctx, key, started); err != nil {
			return network.RemotePost{}, err
		}
	} else {
		started = prev
	}
	var got localPost
	err = c.api.do(ctx, http.MethodPost, c.v4()+"/localPosts", post, &got)
	if err == nil && got.Name != "" {
		return network.RemotePost{ID: got.Name, URL: got.SearchURL}, nil
	}
	if err == nil {
		err = &network.Error{Class: network.Unknown, Network: network.GoogleBusiness, Message: "Google answered without the post's name"}
	}
	if !outcomeUnknown(err) {
		return network.RemotePost{}, err
	}
	found, ok, lerr := c.findRecent(ctx, post.Summary, started)
	if lerr != nil {
		return network.RemotePost{}, fmt.Errorf("%w (and looking for the post failed: %v)", err, lerr)
	}
	if ok {
		return network.RemotePost{ID: found.Name, URL: found.SearchURL, Extra: map[string]string{"reconciled": "true"}}, nil
	}
	var ne *network.Error
	if errors.As(err, &ne) {
		ne.Class = network.Retryable
		ne.Message = strings.TrimSpace(ne.Message + " (the post is not on the profile: safe to retry)")
	}
	return network.RemotePost{}, err
}

func outcomeUnknown(err error) bool {
	var ne *network.Error
	if !errors.As(err, &ne) {
		return true
	}
	return ne.Class == network.Unknown || (ne.Class == network.Retryable && ne.Status >= 500)
}

func (c *Connector) findRecent(ctx context.Context, summary string, started time.Time) (localPost, bool, error) {
	for i := 0; i < max(c.lookups, 1); i++ {
		if i > 0 {
			select {
			case <-ctx.Done():
				return localPost{}, false, ctx.Err()
			case <-time.After(c.lookupEvery):
			}
		}
		var r struct {
			LocalPosts []localPost `json:"localPosts"`
		}
		if err := c.api.do(ctx, http.MethodGet, c.v4()+"/localPosts?pageSize=10", nil, &r); err != nil {
			return localPost{}, false, err
		}
		for _, p := range r.LocalPosts {
			t, _ := time.Parse(time.RFC3339Nano, p.CreateTime)
			if p.Summary == summary && t.After(started.Add(-time.Minute)) {
				return p, true, nil
			}
		}
	}
	return localPost{}, false, nil
}

// Delete removes a local post; one already gone counts as deleted.
func (c *Connector) Delete(ctx context.Context, remoteID string) error {
	err := c.api.do(ctx, http.MethodDelete, c.api.ep.V4+"/"+remoteID, nil, nil)
	if err != nil && !errors.Is(err, network.ErrNotFound) {
		return fmt.Errorf("google_business: delete %s: %w", remoteID, err)
	}
	return nil
}
