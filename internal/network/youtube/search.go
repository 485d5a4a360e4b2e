package youtube

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/relais/relais/internal/network"
)

// Search finds public videos (search.list, type=video, newest first, 50 a
// page) whose title or description match query in YouTube's syntax (terms
// side by side: all; "|": any; -term: not; "quoted phrases"); cursor is a
// page token. Every call counts against the search.list quota, which the
// connector checks before sending (a refusal names the reset).
func (c *Connector) Search(ctx context.Context, query, cursor string) ([]network.Comment, string, error) {
	query = strings.TrimSpace(query)
	if query == "" {
		return nil, "", nil
	}
	q := url.Values{"part": {"snippet"}, "type": {"video"}, "order": {"date"}, "maxResults": {"50"}, "q": {query}}
	if cursor != "" {
		q.Set("pageToken", cursor)
	}
	var r struct {
		NextPageToken string `json:"nextPageToken"`
		Items         []struct {
			ID struct {
				VideoID string `json:"videoId"`
			} `json:"id"`
			Snippet struct {
				PublishedAt  time.Time `json:"publishedAt"`
				ChannelID    string    `json:"channelId"`
				Title        string    `json:"title"`
				Description  string    `json:"description"`
				ChannelTitle string    `json:"channelTitle"`
			} `json:"snippet"`
		} `json:"items"`
	}
	if err := c.api.do(ctx, request{method: "search.list", verb: http.MethodGet, url: c.api.app.dataURL("/search"), query: q}, &r); err != nil {
		return nil, cursor, fmt.Errorf("youtube: search: %w", err)
	}
	out := make([]network.Comment, 0, len(r.Items))
	for _, it := range r.Items {
		if it.ID.VideoID == "" {
			continue
		}
		sn := it.Snippet
		text := html.UnescapeString(sn.Title)
		if d := strings.TrimSpace(html.UnescapeString(sn.Description)); d != "" {
			text += "\n\n" + d
		}
		out = append(out, network.Comment{RemoteID: it.ID.VideoID, RootID: it.ID.VideoID, AuthorID: sn.ChannelID,
			AuthorName: html.UnescapeString(sn.ChannelTitle), Text: text, URL: "https://www.youtube.com/watch?v=" + it.ID.VideoID,
			CreatedAt: sn.PublishedAt.UTC()})
	}
	return out, r.NextPageToken, nil
}

var _ network.Searcher = (*Connector)(nil)
