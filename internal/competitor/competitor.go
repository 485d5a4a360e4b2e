// Package competitor owns the competitor benchmark: panels of brands with
// their accounts on the networks, the accounts' public metrics collected
// once a day (Bluesky profiles and author feeds from the public AppView,
// Mastodon account lookups through a workspace's Mastodon channel), and the
// report: a ranking table with growth, posting frequency, engagement per
// post, top post, formats, hashtags and share of voice from listening.
// See docs/listening.md.
package competitor

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/relais/relais/internal/moderation"
	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/network/mastodon"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/valid"
)

// DefaultAppView is Bluesky's public AppView (no token needed).
const DefaultAppView = "https://public.api.bsky.app"

// Networks are those whose public metrics are collected.
var Networks = []string{"bluesky", "mastodon", "instagram", "youtube", "x"}

// Limits named in the messages that refuse input.
const (
	MaxPanelName   = 100
	MaxBrand       = 100
	MaxHandle      = 200
	MaxAccounts    = 200
	recentPostsCap = 50
)

// Connectors opens a workspace's channel connector.
type Connectors interface {
	Connector(ctx context.Context, workspaceID, channelID int64) (network.Connector, network.Limits, error)
}

// Service keeps panels and collects their metrics.
type Service struct {
	Store      store.Store
	Connectors Connectors
	// AppView is the Bluesky AppView read for profiles and feeds (default DefaultAppView).
	AppView string
	HTTP    *http.Client
	Log     *slog.Logger
	Now     func() time.Time
}

func (s *Service) now() time.Time {
	if s.Now == nil {
		return time.Now().UTC()
	}
	return s.Now().UTC()
}

// AccountInput is an account to add to a panel.
type AccountInput struct {
	Brand   string `json:"brand"`
	Network string `json:"network"`
	Handle  string `json:"handle"`
}

// ParseAccount reads "Brand:network:handle".
func ParseAccount(v string) (AccountInput, error) {
	parts := strings.SplitN(v, ":", 3)
	if len(parts) != 3 {
		return AccountInput{}, valid.Errorf("accounts", "format", "An account is written brand:network:handle (Acme:bluesky:acme.bsky.social); %q is not", v)
	}
	return AccountInput{Brand: parts[0], Network: parts[1], Handle: parts[2]}, nil
}

// CreatePanel stores a panel with its accounts.
func (s *Service) CreatePanel(ctx context.Context, workspaceID int64, name string, accounts []AccountInput) (store.CompetitorPanel, error) {
	name, err := valid.Text("name", "Name", name, MaxPanelName)
	if err != nil {
		return store.CompetitorPanel{}, err
	}
	if len(accounts) > MaxAccounts {
		return store.CompetitorPanel{}, valid.Errorf("accounts", "too_many", "A panel allows at most %d accounts; there are %d", MaxAccounts, len(accounts))
	}
	for i := range accounts {
		if err := checkAccount(&accounts[i]); err != nil {
			return store.CompetitorPanel{}, err
		}
	}
	p := store.CompetitorPanel{WorkspaceID: workspaceID, Name: name, CreatedAt: s.now()}
	if err := s.Store.CreateCompetitorPanel(ctx, &p); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return p, valid.Errorf("name", "taken", "A panel named %q exists already", name)
		}
		return p, err
	}
	for _, a := range accounts {
		if _, err := s.AddAccount(ctx, workspaceID, p.ID, a); err != nil {
			return p, err
		}
	}
	return s.Store.CompetitorPanel(ctx, workspaceID, p.ID)
}

func checkAccount(a *AccountInput) error {
	var err error
	if a.Brand, err = valid.Text("brand", "Brand", a.Brand, MaxBrand); err != nil {
		return err
	}
	a.Network = strings.ToLower(strings.TrimSpace(a.Network))
	if !slices.Contains(Networks, a.Network) {
		return valid.Errorf("network", "invalid", "network: %q is not one of %s (the networks whose public metrics are read)", a.Network, strings.Join(Networks, ", "))
	}
	a.Handle = strings.TrimLeft(strings.TrimSpace(a.Handle), "@")
	if a.Handle, err = valid.Text("handle", "Handle", a.Handle, MaxHandle); err != nil {
		return err
	}
	return nil
}

// AddAccount adds an account to a panel of the workspace.
func (s *Service) AddAccount(ctx context.Context, workspaceID, panelID int64, a AccountInput) (store.CompetitorAccount, error) {
	if err := checkAccount(&a); err != nil {
		return store.CompetitorAccount{}, err
	}
	acc := store.CompetitorAccount{WorkspaceID: workspaceID, PanelID: panelID, Brand: a.Brand, Network: a.Network, Handle: a.Handle}
	err := s.Store.AddCompetitorAccount(ctx, &acc)
	if errors.Is(err, store.ErrConflict) {
		return acc, valid.Errorf("handle", "taken", "%s on %s is in the panel already", a.Handle, a.Network)
	}
	return acc, err
}

// post is a recent post of an account, for the metrics.
type post struct {
	URL        string
	Engagement int64
	At         time.Time
	Format     string
	Tags       []string
}

// metrics turns a profile and recent posts into a day's metrics.
func metrics(acc store.CompetitorAccount, day time.Time, followers, total int64, posts []post) store.CompetitorDay {
	d := store.CompetitorDay{AccountID: acc.ID, WorkspaceID: acc.WorkspaceID, Day: day, Followers: followers, Posts: total, Formats: map[string]int{}}
	tags := map[string]int{}
	var eng int64
	for _, p := range posts {
		eng += p.Engagement
		if !p.At.Before(day.AddDate(0, 0, -6)) {
			d.PostsWeek++
		}
		if p.Engagement > d.TopPostEng || d.TopPostURL == "" {
			d.TopPostEng, d.TopPostURL = p.Engagement, p.URL
		}
		d.Formats[p.Format]++
		for _, t := range p.Tags {
			tags[strings.ToLower(t)]++
		}
	}
	if len(posts) > 0 {
		d.EngagementPost = float64(eng) / float64(len(posts))
	}
	for t := range tags {
		d.Hashtags = append(d.Hashtags, t)
	}
	slices.SortFunc(d.Hashtags, func(a, b string) int { return cmp.Or(cmp.Compare(tags[b], tags[a]), cmp.Compare(a, b)) })
	if len(d.Hashtags) > 5 {
		d.Hashtags = d.Hashtags[:5]
	}
	return d
}

// CollectResult counts a collection.
type CollectResult struct {
	Accounts int      `json:"accounts"`
	Errors   []string `json:"errors,omitempty"`
}

// Collect reads today's metrics of every workspace's competitor accounts
// (or of one workspace when workspaceID is not 0).
func (s *Service) Collect(ctx context.Context, workspaceID int64) (CollectResult, error) {
	all, err := s.Store.AllCompetitorAccounts(ctx)
	if err != nil {
		return CollectResult{}, err
	}
	var res CollectResult
	day := s.now().Truncate(24 * time.Hour)
	for _, a := range all {
		if workspaceID != 0 && a.WorkspaceID != workspaceID {
			continue
		}
		if ctx.Err() != nil {
			break
		}
		var d store.CompetitorDay
		switch a.Network {
		case "bluesky":
			d, err = s.bluesky(ctx, a, day)
		case "mastodon":
			d, err = s.mastodon(ctx, a, day)
		case "instagram", "youtube", "x":
			d, err = s.profile(ctx, a, day)
		default:
			continue
		}
		if err == nil {
			d.TakenAt = s.now()
			err = s.Store.SaveCompetitorDay(ctx, d)
		}
		if err != nil {
			res.Errors = append(res.Errors, fmt.Sprintf("%s %s: %v", a.Network, a.Handle, err))
			continue
		}
		res.Accounts++
	}
	return res, nil
}

// get reads a public AppView answer through the connectors' guarded HTTP
// client (private addresses refused, bodies bounded).
func (s *Service) get(ctx context.Context, u string, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	resp, err := network.Env{HTTP: s.HTTP}.Client().Do(req)
	if err != nil {
		return err
	}
	b, err := network.ReadBody(resp)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("bluesky: %s answered HTTP %d", req.URL.Path, resp.StatusCode)
	}
	return json.Unmarshal(b, out)
}

func (s *Service) bluesky(ctx context.Context, a store.CompetitorAccount, day time.Time) (store.CompetitorDay, error) {
	base := strings.TrimRight(cmp.Or(s.AppView, DefaultAppView), "/")
	var prof struct {
		Followers int64 `json:"followersCount"`
		Posts     int64 `json:"postsCount"`
	}
	if err := s.get(ctx, base+"/xrpc/app.bsky.actor.getProfile?actor="+url.QueryEscape(a.Handle), &prof); err != nil {
		return store.CompetitorDay{}, err
	}
	var feed struct {
		Feed []struct {
			Post struct {
				URI    string `json:"uri"`
				Author struct {
					Handle string `json:"handle"`
				} `json:"author"`
				Record struct {
					Text      string `json:"text"`
					CreatedAt string `json:"createdAt"`
					Facets    []struct {
						Features []struct {
							Type string `json:"$type"`
							Tag  string `json:"tag"`
						} `json:"features"`
					} `json:"facets"`
				} `json:"record"`
				Embed *struct {
					Type string `json:"$type"`
				} `json:"embed"`
				Likes   int64 `json:"likeCount"`
				Reposts int64 `json:"repostCount"`
				Replies int64 `json:"replyCount"`
				Quotes  int64 `json:"quoteCount"`
			} `json:"post"`
		} `json:"feed"`
	}
	if err := s.get(ctx, fmt.Sprintf("%s/xrpc/app.bsky.feed.getAuthorFeed?actor=%s&limit=%d", base, url.QueryEscape(a.Handle), recentPostsCap), &feed); err != nil {
		return store.CompetitorDay{}, err
	}
	var posts []post
	for _, f := range feed.Feed {
		p := f.Post
		at, _ := time.Parse(time.RFC3339Nano, p.Record.CreatedAt)
		rkey := p.URI[strings.LastIndexByte(p.URI, '/')+1:]
		pp := post{URL: "https://bsky.app/profile/" + p.Author.Handle + "/post/" + rkey, At: at,
			Engagement: p.Likes + p.Reposts + p.Replies + p.Quotes, Format: "text"}
		if p.Embed != nil {
			switch {
			case strings.Contains(p.Embed.Type, "images"):
				pp.Format = "image"
			case strings.Contains(p.Embed.Type, "video"):
				pp.Format = "video"
			case strings.Contains(p.Embed.Type, "external"):
				pp.Format = "link"
			}
		}
		for _, fc := range p.Record.Facets {
			for _, ft := range fc.Features {
				if ft.Type == "app.bsky.richtext.facet#tag" {
					pp.Tags = append(pp.Tags, ft.Tag)
				}
			}
		}
		posts = append(posts, pp)
	}
	return metrics(a, day, prof.Followers, prof.Posts, posts), nil
}

// accountLookup is the Mastodon connector's public account reading.
type accountLookup interface {
	LookupAccount(ctx context.Context, acct string) (mastodon.AccountStats, error)
}

func (s *Service) mastodon(ctx context.Context, a store.CompetitorAccount, day time.Time) (store.CompetitorDay, error) {
	if s.Connectors == nil {
		return store.CompetitorDay{}, errors.New("no channel registry")
	}
	chans, err := s.Store.Channels(ctx, a.WorkspaceID)
	if err != nil {
		return store.CompetitorDay{}, err
	}
	for _, ch := range chans {
		if ch.Network != "mastodon" || ch.Status == store.ChannelNeedsReconnect {
			continue
		}
		conn, _, err := s.Connectors.Connector(ctx, a.WorkspaceID, ch.ID)
		if err != nil {
			return store.CompetitorDay{}, err
		}
		lk, ok := conn.(accountLookup)
		if !ok {
			continue
		}
		st, err := lk.LookupAccount(ctx, a.Handle)
		if err != nil {
			return store.CompetitorDay{}, err
		}
		var posts []post
		for _, p := range st.Recent {
			f := "text"
			if p.Media > 0 {
				f = "media"
			}
			posts = append(posts, post{URL: p.URL, At: p.CreatedAt, Engagement: p.Favs + p.Reblogs, Format: f, Tags: p.Tags})
		}
		return metrics(a, day, st.Followers, st.Posts, posts), nil
	}
	return store.CompetitorDay{}, errors.New("connect a Mastodon channel to this workspace: Mastodon accounts are looked up through it")
}

// PanelRow is one brand's line of the report.
type PanelRow struct {
	Rank           int            `json:"rank"`
	Brand          string         `json:"brand"`
	Network        string         `json:"network"`
	Handle         string         `json:"handle"`
	Followers      int64          `json:"followers"`
	Growth         int64          `json:"growth" doc:"Followers gained over the period"`
	GrowthRate     float64        `json:"growth_rate" doc:"Growth over the followers at the start of the period"`
	PostsWeek      int64          `json:"posts_week" doc:"Posts of the last 7 days"`
	EngagementPost float64        `json:"engagement_per_post" doc:"Mean likes, reposts, replies and quotes of the recent posts"`
	TopPostURL     string         `json:"top_post_url,omitempty"`
	TopPostEng     int64          `json:"top_post_engagement"`
	Formats        map[string]int `json:"formats"`
	Hashtags       []string       `json:"hashtags"`
	Mentions       int64          `json:"mentions" doc:"Listening mentions naming the brand over the period"`
	ShareOfVoice   float64        `json:"share_of_voice" doc:"The brand's mentions over all the panel's brands' mentions"`
	Measured       bool           `json:"measured" doc:"False while no metrics were collected"`
	// DailyFollowers are the followers on each day of the report's Days (null: not measured that day).
	DailyFollowers []*int64 `json:"daily_followers"`
}

// PanelReport is a panel's benchmark over a period.
type PanelReport struct {
	Panel string     `json:"panel"`
	Since time.Time  `json:"since"`
	Until time.Time  `json:"until"`
	Rows  []PanelRow `json:"rows"`
	// Days are the UTC days of the period, oldest first (the x of DailyFollowers).
	Days []time.Time `json:"days"`
}

// Report ranks a panel's accounts by followers, with growth over the last
// days days and share of voice in the workspace's listening mentions.
func (s *Service) Report(ctx context.Context, workspaceID, panelID int64, days int) (PanelReport, error) {
	if days <= 0 {
		days = 30
	}
	p, err := s.Store.CompetitorPanel(ctx, workspaceID, panelID)
	if err != nil {
		return PanelReport{}, err
	}
	until := s.now()
	since := until.AddDate(0, 0, -days).Truncate(24 * time.Hour)
	ds, err := s.Store.CompetitorDays(ctx, workspaceID, panelID, since)
	if err != nil {
		return PanelReport{}, err
	}
	first, last := map[int64]store.CompetitorDay{}, map[int64]store.CompetitorDay{}
	var dayList []time.Time
	dayIndex := map[string]int{}
	for d := since; !d.After(until); d = d.AddDate(0, 0, 1) {
		dayIndex[d.Format(time.DateOnly)] = len(dayList)
		dayList = append(dayList, d)
	}
	daily := map[int64][]*int64{}
	for _, d := range ds {
		if i, ok := dayIndex[d.Day.UTC().Format(time.DateOnly)]; ok {
			if daily[d.AccountID] == nil {
				daily[d.AccountID] = make([]*int64, len(dayList))
			}
			n := d.Followers
			daily[d.AccountID][i] = &n
		}
		if _, ok := first[d.AccountID]; !ok {
			first[d.AccountID] = d
		}
		last[d.AccountID] = d
	}
	ms, err := s.Store.Mentions(ctx, workspaceID, store.MentionFilter{Since: since, Limit: 20000})
	if err != nil {
		return PanelReport{}, err
	}
	brandMentions := map[string]int64{}
	var total int64
	for _, a := range p.Accounts {
		if _, ok := brandMentions[a.Brand]; ok {
			continue
		}
		q, err := moderation.ParseQuery(`"` + strings.ReplaceAll(a.Brand, `"`, " ") + `"`)
		if err != nil || q == nil {
			brandMentions[a.Brand] = 0
			continue
		}
		var n int64
		for _, m := range ms {
			if q.Match(moderation.Words(m.Text)) {
				n++
			}
		}
		brandMentions[a.Brand] = n
		total += n
	}
	r := PanelReport{Panel: p.Name, Since: since, Until: until, Days: dayList}
	for _, a := range p.Accounts {
		row := PanelRow{Brand: a.Brand, Network: a.Network, Handle: a.Handle, Formats: map[string]int{}, Hashtags: []string{}, Mentions: brandMentions[a.Brand],
			DailyFollowers: daily[a.ID]}
		if row.DailyFollowers == nil {
			row.DailyFollowers = make([]*int64, len(dayList))
		}
		if total > 0 {
			row.ShareOfVoice = float64(row.Mentions) / float64(total)
		}
		if l, ok := last[a.ID]; ok {
			f := first[a.ID]
			row.Measured = true
			row.Followers, row.PostsWeek, row.EngagementPost = l.Followers, l.PostsWeek, l.EngagementPost
			row.TopPostURL, row.TopPostEng = l.TopPostURL, l.TopPostEng
			row.Growth = l.Followers - f.Followers
			if f.Followers > 0 {
				row.GrowthRate = float64(row.Growth) / float64(f.Followers)
			}
			if l.Formats != nil {
				row.Formats = l.Formats
			}
			if l.Hashtags != nil {
				row.Hashtags = l.Hashtags
			}
		}
		r.Rows = append(r.Rows, row)
	}
	slices.SortStableFunc(r.Rows, func(a, b PanelRow) int {
		return cmp.Or(cmp.Compare(b.Followers, a.Followers), cmp.Compare(a.Brand, b.Brand))
	})
	for i := range r.Rows {
		r.Rows[i].Rank = i + 1
	}
	return r, nil
}

// BrandAccountView is a competitor brand's account as the CLI and the API show it.
type BrandAccountView struct {
	ID      int64  `json:"id"`
	Brand   string `json:"brand"`
	Network string `json:"network"`
	Handle  string `json:"handle"`
}

// ViewAccount is the view of a stored account.
func ViewAccount(a store.CompetitorAccount) BrandAccountView {
	return BrandAccountView{ID: a.ID, Brand: a.Brand, Network: a.Network, Handle: a.Handle}
}
