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
)

// review is a v4 review.
type review struct {
	Name     string `json:"name"`
	ReviewID string `json:"reviewId"`
	Reviewer struct {
		DisplayName     string `json:"displayName"`
		ProfilePhotoURL string `json:"profilePhotoUrl"`
		IsAnonymous     bool   `json:"isAnonymous"`
	} `json:"reviewer"`
	StarRating  string `json:"starRating"`
	Comment     string `json:"comment"`
	CreateTime  string `json:"createTime"`
	UpdateTime  string `json:"updateTime"`
	ReviewReply *struct {
		Comment    string `json:"comment"`
		UpdateTime string `json:"updateTime"`
	} `json:"reviewReply"`
}

var stars = map[string]int{"ONE": 1, "TWO": 2, "THREE": 3, "FOUR": 4, "FIVE": 5}

// Stars turns a starRating ("FOUR") into 1–5, 0 when unspecified.
func Stars(rating string) int { return stars[rating] }

// ReviewText is how a review reads in the inbox: its stars first
// ("★★★★☆ 4/5"), then the reviewer's words (a rating alone has none).
func ReviewText(rating, comment string) string {
	n := Stars(rating)
	if n == 0 {
		return strings.TrimSpace(comment)
	}
	head := strings.Repeat("★", n) + strings.Repeat("☆", 5-n) + fmt.Sprintf(" %d/5", n)
	if strings.TrimSpace(comment) == "" {
		return head
	}
	return head + "\n" + strings.TrimSpace(comment)
}

// Mentions reads the location's reviews updated after the cursor (an RFC
// 3339 time), newest first, and returns them with the newest update time
// as the next cursor. The star rating is carried into the message text.
func (c *Connector) Mentions(ctx context.Context, cursor string) ([]network.Comment, string, error) {
	since, _ := time.Parse(time.RFC3339Nano, cursor)
	next := cursor
	var out []network.Comment
	token := ""
	for page := 0; page < 10; page++ {
		q := url.Values{"pageSize": {"50"}, "orderBy": {"updateTime desc"}}
		if token != "" {
			q.Set("pageToken", token)
		}
		var r struct {
			Reviews       []review `json:"reviews"`
			NextPageToken string   `json:"nextPageToken"`
		}
		if err := c.api.do(ctx, http.MethodGet, c.v4()+"/reviews?"+q.Encode(), nil, &r); err != nil {
			return out, next, fmt.Errorf("google_business: reviews: %w", err)
		}
		older := false
		for _, rv := range r.Reviews {
			up, _ := time.Parse(time.RFC3339Nano, rv.UpdateTime)
			if !since.IsZero() && !up.After(since) {
				older = true
				break
			}
			if next == cursor || up.After(mustTime(next)) {
				next = up.UTC().Format(time.RFC3339Nano)
			}
			created, _ := time.Parse(time.RFC3339Nano, rv.CreateTime)
			out = append(out, network.Comment{
				RemoteID: rv.Name, AuthorID: "review:" + rv.Reviewer.DisplayName, AuthorName: rv.Reviewer.DisplayName, Kind: "mention",
				Text: ReviewText(rv.StarRating, rv.Comment), CreatedAt: created,
			})
		}
		if older || r.NextPageToken == "" {
			break
		}
		token = r.NextPageToken
	}
	return out, next, nil
}

func mustTime(s string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}

// Reply answers a review (PUT …/reviews/{id}/reply). The PUT replaces the
// location's one reply to the review, so sending it again after a lost
// answer cannot make a second reply: it is exactly-once by nature.
func (c *Connector) Reply(ctx context.Context, parentRemoteID, text string) (network.RemotePost, error) {
	if !strings.Contains(parentRemoteID, "/reviews/") {
		return network.RemotePost{}, invalid("only reviews can be answered on Google Business Profile; %q is not one", parentRemoteID)
	}
	if n := len([]rune(text)); n > 4096 {
		return network.RemotePost{}, invalid("a review reply is at most 4096 characters; this one has %d", n)
	}
	var r struct {
		Comment string `json:"comment"`
	}
	if err := c.api.do(ctx, http.MethodPut, c.api.ep.V4+"/"+parentRemoteID+"/reply", map[string]string{"comment": text}, &r); err != nil {
		return network.RemotePost{}, fmt.Errorf("google_business: reply to %s: %w", parentRemoteID, err)
	}
	return network.RemotePost{ID: parentRemoteID + "/reply"}, nil
}

// FindReply reports the location's reply to a review when it contains text.
func (c *Connector) FindReply(ctx context.Context, parentRemoteID, text string) (network.RemotePost, bool, error) {
	var rv review
	err := c.api.do(ctx, http.MethodGet, c.api.ep.V4+"/"+parentRemoteID, nil, &rv)
	if errors.Is(err, network.ErrNotFound) {
		return network.RemotePost{}, false, nil
	}
	if err != nil {
		return network.RemotePost{}, false, fmt.Errorf("google_business: read %s: %w", parentRemoteID, err)
	}
	if rv.ReviewReply != nil && strings.Contains(rv.ReviewReply.Comment, strings.TrimSpace(text)) {
		return network.RemotePost{ID: parentRemoteID + "/reply"}, true, nil
	}
	return network.RemotePost{}, false, nil
}

// InsightMetrics are the daily metrics read (Performance API DailyMetric names).
var InsightMetrics = []string{
	"BUSINESS_IMPRESSIONS_DESKTOP_MAPS", "BUSINESS_IMPRESSIONS_DESKTOP_SEARCH", "BUSINESS_IMPRESSIONS_MOBILE_MAPS",
	"BUSINESS_IMPRESSIONS_MOBILE_SEARCH", "BUSINESS_DIRECTION_REQUESTS", "CALL_CLICKS", "WEBSITE_CLICKS",
}

// Insights reads the location's daily metrics between from and to
// (fetchMultiDailyMetricsTimeSeries; days without a value are left out).
func (c *Connector) Insights(ctx context.Context, from, to time.Time) ([]network.DailyInsight, error) {
	q := url.Values{"dailyMetrics": InsightMetrics}
	for prefix, t := range map[string]time.Time{"dailyRange.startDate": from, "dailyRange.endDate": to} {
		q.Set(prefix+".year", fmt.Sprint(t.Year()))
		q.Set(prefix+".month", fmt.Sprint(int(t.Month())))
		q.Set(prefix+".day", fmt.Sprint(t.Day()))
	}
	var r struct {
		MultiDailyMetricTimeSeries []struct {
			DailyMetricTimeSeries []struct {
				DailyMetric string `json:"dailyMetric"`
				TimeSeries  struct {
					DatedValues []struct {
						Date  date   `json:"date"`
						Value string `json:"value"`
					} `json:"datedValues"`
				} `json:"timeSeries"`
			} `json:"dailyMetricTimeSeries"`
		} `json:"multiDailyMetricTimeSeries"`
	}
	if err := c.api.do(ctx, http.MethodGet, c.api.ep.Performance+"/"+c.location+":fetchMultiDailyMetricsTimeSeries?"+q.Encode(), nil, &r); err != nil {
		return nil, fmt.Errorf("google_business: performance: %w", err)
	}
	var out []network.DailyInsight
	for _, m := range r.MultiDailyMetricTimeSeries {
		for _, s := range m.DailyMetricTimeSeries {
			for _, v := range s.TimeSeries.DatedValues {
				if v.Value == "" {
					continue
				}
				var n int64
				if _, err := fmt.Sscan(v.Value, &n); err != nil {
					continue
				}
				out = append(out, network.DailyInsight{Day: time.Date(v.Date.Year, time.Month(v.Date.Month), v.Date.Day, 0, 0, 0, 0, time.UTC), Metric: s.DailyMetric, Value: n})
			}
		}
	}
	return out, nil
}
