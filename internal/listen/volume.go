package listen

import (
	"context"
	"time"
)

// QueryVolume is one query's mentions over a period, by day.
type QueryVolume struct {
	QueryID  int64  `json:"query_id"`
	Name     string `json:"name"`
	Mentions int64  `json:"mentions"`
	Positive int64  `json:"positive"`
	Negative int64  `json:"negative"`
	Reach    int64  `json:"reach" doc:"Sum of the authors' followers"`
	// NetSentiment is (positive − negative) / mentions, in [-1, 1].
	NetSentiment float64 `json:"net_sentiment"`
	// ShareOfVoice is the query's mentions over all queries' mentions of the period, in [0, 1].
	ShareOfVoice float64 `json:"share_of_voice"`
	Daily        []int64 `json:"daily" doc:"Mentions per day, oldest first, one per day of the period"`
	// DailyPositive and DailyNegative split Daily by sentiment.
	DailyPositive []int64 `json:"daily_positive"`
	DailyNegative []int64 `json:"daily_negative"`
}

// Volume is the mention volume of a workspace's queries over Days days.
type Volume struct {
	Since   time.Time     `json:"since"`
	Days    int           `json:"days"`
	Queries []QueryVolume `json:"queries"`
}

// MaxVolumeDays bounds the period of Volume.
const MaxVolumeDays = 366

// Volume counts each query's mentions, sentiment, reach and share of voice
// per UTC day over the last days days (today included).
func (s *Service) Volume(ctx context.Context, workspaceID int64, days int) (Volume, error) {
	if days <= 0 {
		days = 30
	}
	days = min(days, MaxVolumeDays)
	today := s.now().Truncate(24 * time.Hour)
	since := today.AddDate(0, 0, -(days - 1))
	qs, err := s.Queries(ctx, workspaceID)
	if err != nil {
		return Volume{}, err
	}
	buckets, err := s.Store.MentionVolume(ctx, workspaceID, since, today.AddDate(0, 0, 1))
	if err != nil {
		return Volume{}, err
	}
	v := Volume{Since: since, Days: days, Queries: make([]QueryVolume, 0, len(qs))}
	idx := map[int64]int{}
	for _, q := range qs {
		idx[q.ID] = len(v.Queries)
		v.Queries = append(v.Queries, QueryVolume{QueryID: q.ID, Name: q.Name, Daily: make([]int64, days),
			DailyPositive: make([]int64, days), DailyNegative: make([]int64, days)})
	}
	var total int64
	for _, b := range buckets {
		i, ok := idx[b.QueryID]
		if !ok {
			continue
		}
		q := &v.Queries[i]
		q.Mentions += b.Mentions
		q.Positive += b.Positive
		q.Negative += b.Negative
		q.Reach += b.Reach
		if d := int(b.Day.Sub(since) / (24 * time.Hour)); d >= 0 && d < days {
			q.Daily[d] += b.Mentions
			q.DailyPositive[d] += b.Positive
			q.DailyNegative[d] += b.Negative
		}
		total += b.Mentions
	}
	for i := range v.Queries {
		q := &v.Queries[i]
		if q.Mentions > 0 {
			q.NetSentiment = float64(q.Positive-q.Negative) / float64(q.Mentions)
		}
		if total > 0 {
			q.ShareOfVoice = float64(q.Mentions) / float64(total)
		}
	}
	return v, nil
}

// Chart is the volume as day-by-day series for charts: for each query its
// mentions, its net sentiment ((positive − negative) / mentions; nil on a
// day without mentions) and its share of voice (its mentions over all the
// queries' mentions of the day; nil on a day without any).
type Chart struct {
	X         []int64      `json:"x" doc:"Days, as Unix seconds at 00:00 UTC"`
	Names     []string     `json:"names"`
	Volume    [][]int64    `json:"volume"`
	Sentiment [][]*float64 `json:"sentiment"`
	Share     [][]*float64 `json:"share"`
}

// Chart turns v into chart series.
func (v Volume) Chart() Chart {
	c := Chart{X: make([]int64, v.Days), Names: []string{}, Volume: [][]int64{}, Sentiment: [][]*float64{}, Share: [][]*float64{}}
	totals := make([]int64, v.Days)
	for i := range c.X {
		c.X[i] = v.Since.AddDate(0, 0, i).Unix()
	}
	for _, q := range v.Queries {
		for i, n := range q.Daily {
			totals[i] += n
		}
	}
	for _, q := range v.Queries {
		sent, share := make([]*float64, v.Days), make([]*float64, v.Days)
		for i, n := range q.Daily {
			if n > 0 {
				x := float64(q.DailyPositive[i]-q.DailyNegative[i]) / float64(n)
				sent[i] = &x
			}
			if totals[i] > 0 {
				x := float64(n) / float64(totals[i])
				share[i] = &x
			}
		}
		c.Names = append(c.Names, q.Name)
		c.Volume = append(c.Volume, q.Daily)
		c.Sentiment = append(c.Sentiment, sent)
		c.Share = append(c.Share, share)
	}
	return c
}
