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
		v.Queries = append(v.Queries, QueryVolume{QueryID: q.ID, Name: q.Name, Daily: make([]int64, days)})
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
