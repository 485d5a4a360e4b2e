package youtube

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/valid"
)

// PublicProfile reads another channel's public profile and its latest
// uploads (to vet an influencer): channels.list by handle (@name) or id
// (UC…), then the uploads playlist and the videos' statistics — three calls
// of 1 quota unit each. Comments are not read (they would cost a call per
// video), so comment quality stays unknown for YouTube.
func (c *Connector) PublicProfile(ctx context.Context, handle string, posts int) (network.PublicProfile, error) {
	h := strings.TrimSpace(handle)
	h = strings.TrimPrefix(strings.TrimPrefix(h, "https://www.youtube.com/"), "https://youtube.com/")
	q := url.Values{"part": {"snippet,statistics,contentDetails"}}
	switch {
	case strings.HasPrefix(h, "UC") && len(h) == 24:
		q.Set("id", h)
	case strings.HasPrefix(h, "channel/UC"):
		q.Set("id", strings.TrimPrefix(h, "channel/"))
	case h != "" && !strings.ContainsAny(h, " /?#"):
		q.Set("forHandle", "@"+strings.TrimPrefix(h, "@"))
	default:
		return network.PublicProfile{}, valid.Errorf("handle", "format", "%q is not a YouTube handle (@name) or channel id (UC…)", handle)
	}
	var chans struct {
		Items []struct {
			channel
			Snippet struct {
				Title       string `json:"title"`
				Description string `json:"description"`
				CustomURL   string `json:"customUrl"`
				Thumbnails  map[string]struct {
					URL string `json:"url"`
				} `json:"thumbnails"`
			} `json:"snippet"`
			ContentDetails struct {
				RelatedPlaylists struct {
					Uploads string `json:"uploads"`
				} `json:"relatedPlaylists"`
			} `json:"contentDetails"`
		} `json:"items"`
	}
	if err := c.api.do(ctx, request{method: "channels.list", verb: http.MethodGet, url: c.api.app.dataURL("/channels"), query: q}, &chans); err != nil {
		return network.PublicProfile{}, fmt.Errorf("youtube: channels.list: %w", err)
	}
	if len(chans.Items) == 0 {
		return network.PublicProfile{}, &network.Error{Class: network.Permanent, Network: network.YouTube, Status: http.StatusNotFound,
			Message: fmt.Sprintf("no YouTube channel %s", handle)}
	}
	ch := chans.Items[0]
	p := network.PublicProfile{ID: ch.ID, Handle: ch.Snippet.CustomURL, Name: ch.Snippet.Title, Bio: ch.Snippet.Description,
		URL: "https://www.youtube.com/channel/" + ch.ID, Followers: count(ch.Statistics.SubscriberCount), Following: -1,
		Posts: count(ch.Statistics.VideoCount)}
	if ch.Statistics.HiddenSubscriberCount {
		p.Followers = -1
	}
	if t, ok := ch.Snippet.Thumbnails["default"]; ok {
		p.AvatarURL = t.URL
	}
	if ch.Snippet.CustomURL != "" {
		p.URL = "https://www.youtube.com/" + ch.Snippet.CustomURL
	}
	uploads := ch.ContentDetails.RelatedPlaylists.Uploads
	if posts <= 0 || uploads == "" {
		return p, nil
	}
	var items struct {
		Items []struct {
			ContentDetails struct {
				VideoID          string    `json:"videoId"`
				VideoPublishedAt time.Time `json:"videoPublishedAt"`
			} `json:"contentDetails"`
		} `json:"items"`
	}
	pq := url.Values{"part": {"contentDetails"}, "playlistId": {uploads}, "maxResults": {strconv.Itoa(min(posts, 50))}}
	if err := c.api.do(ctx, request{method: "playlistItems.list", verb: http.MethodGet, url: c.api.app.dataURL("/playlistItems"), query: pq}, &items); err != nil {
		return p, fmt.Errorf("youtube: playlistItems.list: %w", err)
	}
	if len(items.Items) == 0 {
		return p, nil
	}
	ids := make([]string, 0, len(items.Items))
	at := map[string]time.Time{}
	for _, it := range items.Items {
		ids = append(ids, it.ContentDetails.VideoID)
		at[it.ContentDetails.VideoID] = it.ContentDetails.VideoPublishedAt
	}
	var vids struct {
		Items []struct {
			ID      string `json:"id"`
			Snippet struct {
				Title       string    `json:"title"`
				Description string    `json:"description"`
				PublishedAt time.Time `json:"publishedAt"`
			} `json:"snippet"`
			Statistics struct {
				ViewCount    string `json:"viewCount"`
				LikeCount    string `json:"likeCount"`
				CommentCount string `json:"commentCount"`
			} `json:"statistics"`
		} `json:"items"`
	}
	vq := url.Values{"part": {"snippet,statistics"}, "id": {strings.Join(ids, ",")}}
	if err := c.api.do(ctx, request{method: "videos.list", verb: http.MethodGet, url: c.api.app.dataURL("/videos"), query: vq}, &vids); err != nil {
		return p, fmt.Errorf("youtube: videos.list: %w", err)
	}
	for _, v := range vids.Items {
		when := v.Snippet.PublishedAt
		if when.IsZero() {
			when = at[v.ID]
		}
		text := v.Snippet.Title
		if v.Snippet.Description != "" {
			text += "\n" + v.Snippet.Description
		}
		p.Recent = append(p.Recent, network.PublicPost{ID: v.ID, URL: "https://www.youtube.com/watch?v=" + v.ID, Text: text, At: when,
			Likes: count(v.Statistics.LikeCount), Comments: count(v.Statistics.CommentCount), Shares: -1,
			Views: count(v.Statistics.ViewCount)})
	}
	return p, nil
}

var _ network.ProfileReader = (*Connector)(nil)
