package link

import (
	"time"

	"github.com/relais/relais/internal/store"
)

// UTMValues holds a link's utm_* values.
type UTMValues struct {
	Source   string `json:"source,omitempty" maxLength:"200"`
	Medium   string `json:"medium,omitempty" maxLength:"200"`
	Campaign string `json:"campaign,omitempty" maxLength:"200"`
	Content  string `json:"content,omitempty" maxLength:"200"`
	Term     string `json:"term,omitempty" maxLength:"200"`
}

// ShortLink is a short link with its clicks (all time), as the API and the CLI print it.
type ShortLink struct {
	ID          int64     `json:"id"`
	Code        string    `json:"code"`
	ShortURL    string    `json:"short_url" doc:"The public address, under the instance's base URL"`
	TargetURL   string    `json:"target_url"`
	Destination string    `json:"destination" doc:"Where the link redirects: the target with the UTM values added"`
	Title       string    `json:"title"`
	PostID      int64     `json:"post_id,omitempty"`
	CampaignID  int64     `json:"campaign_id,omitempty"`
	Network     string    `json:"network,omitempty"`
	UTM         UTMValues `json:"utm"`
	Automatic   bool      `json:"automatic" doc:"Made at publish time for a link of a post"`
	Clicks      int64     `json:"clicks" doc:"Clicks by people (bots and link-preview fetchers apart)"`
	Unique      int64     `json:"unique_clicks" doc:"Unique visitors, counted per day and summed"`
	Bots        int64     `json:"bot_clicks" doc:"Requests of known bots and link-preview fetchers"`
	CreatedAt   time.Time `json:"created_at"`
}

// View shows a link with its click counts.
func (s *Service) View(l store.Link, c store.ClickCount) ShortLink {
	return ShortLink{ID: l.ID, Code: l.Code, ShortURL: s.ShortURL(l), TargetURL: l.TargetURL, Destination: Destination(l), Title: l.Title,
		PostID: l.PostID, CampaignID: l.CampaignID, Network: l.Network, Automatic: l.SourceKey != "",
		UTM:    UTMValues{Source: l.UTM.Source, Medium: l.UTM.Medium, Campaign: l.UTM.Campaign, Content: l.UTM.Content, Term: l.UTM.Term},
		Clicks: c.Clicks, Unique: c.Unique, Bots: c.Bots, CreatedAt: l.CreatedAt}
}
