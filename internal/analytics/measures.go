package analytics

import (
	"sort"
	"time"

	"github.com/relais/relais/internal/store"
)

// The denominators a rate may use; every rate says which in a field.
const (
	BasisReach       = "reach"
	BasisFollowers   = "followers"
	BasisImpressions = "impressions"
	BasisMixed       = "mixed"
)

// Counts are the interaction counts of a post or the sums of a group's;
// nil is unknown.
type Counts struct {
	Likes       *int64 `json:"likes"`
	Reposts     *int64 `json:"reposts"`
	Replies     *int64 `json:"replies"`
	Quotes      *int64 `json:"quotes"`
	Views       *int64 `json:"views"`
	Impressions *int64 `json:"impressions"`
	Reach       *int64 `json:"reach"`
	Clicks      *int64 `json:"clicks"`
	// Interactions is E = likes + replies + reposts + quotes (those known).
	Interactions *int64 `json:"interactions"`
}

// PostMeasures are one publication's counts and rates (methods.md §1–2). A
// nil count or rate is unknown: the network does not report it, or its
// denominator is unknown or zero.
type PostMeasures struct {
	PostID        int64      `json:"post_id"`
	PublicationID int64      `json:"publication_id"`
	ChannelID     int64      `json:"channel_id"`
	Channel       string     `json:"channel"`
	Network       string     `json:"network"`
	Text          string     `json:"text"`
	URL           string     `json:"url"`
	PublishedAt   time.Time  `json:"published_at"`
	CollectedAt   *time.Time `json:"collected_at"`
	Labels        []string   `json:"labels"`
	Counts
	// Followers is F at post time: the channel's count on the day it went out.
	Followers *int64 `json:"followers"`
	// EngagementRate is E / reach × 100 where reach is known, else E / F × 100.
	EngagementRate  *float64 `json:"engagement_rate"`
	EngagementBasis string   `json:"engagement_basis"`
	// ViralityRate is shares (reposts + quotes) / the report's virality basis × 100.
	ViralityRate *float64 `json:"virality_rate"`
	// CTR is clicks / impressions × 100, else clicks / reach × 100.
	CTR *float64 `json:"ctr"`

	// viralityDen and ctrDen are the denominators used, for the group sums.
	viralityDen, ctrDen *int64
}

// Measures aggregates the posts of one group (workspace, channel, network,
// label) over a period.
type Measures struct {
	Posts int `json:"posts"`
	// PostsPerWeek is the posting frequency: P / days × 7.
	PostsPerWeek float64 `json:"posts_per_week"`
	Counts
	// EngagementRate is the median of the posts' engagement rates.
	EngagementRate  *float64 `json:"engagement_rate"`
	EngagementBasis string   `json:"engagement_basis"`
	// ConversationRate, AmplificationRate and ApplauseRate are Kaushik's:
	// replies, shares (reposts + quotes) and likes per post.
	ConversationRate  *float64 `json:"conversation_rate"`
	AmplificationRate *float64 `json:"amplification_rate"`
	ApplauseRate      *float64 `json:"applause_rate"`
	// ViralityRate is Σ shares / Σ basis × 100 over the posts.
	ViralityRate *float64 `json:"virality_rate"`
	CTR          *float64 `json:"ctr"`
	// Followers are the first and last known daily counts of the period;
	// growth is their difference, and its share of the first in %.
	FollowersStart    *int64   `json:"followers_start"`
	Followers         *int64   `json:"followers"`
	FollowerGrowth    *int64   `json:"follower_growth"`
	FollowerGrowthPct *float64 `json:"follower_growth_pct"`
}

// engagement of one reading: E, or nil when no interaction count is known.
func engagement(c store.Counts) *int64 {
	return sum(c.Likes, c.Replies, c.Reposts, c.Quotes)
}

func shares(c store.Counts) *int64 { return sum(c.Reposts, c.Quotes) }

// sum adds the known values; nil when none is known.
func sum(vs ...*int64) *int64 {
	var out *int64
	for _, v := range vs {
		if v == nil {
			continue
		}
		if out == nil {
			out = new(int64)
		}
		*out += *v
	}
	return out
}

// add adds a known v to *acc, which becomes known (a sum of its own, never
// one of the posts' counts).
func add(acc **int64, v *int64) {
	if v == nil {
		return
	}
	if *acc == nil {
		*acc = new(int64)
	}
	**acc += *v
}

// rate is num / den × 100; nil when either is unknown or den is zero.
func rate(num, den *int64) *float64 {
	if num == nil || den == nil || *den <= 0 {
		return nil
	}
	r := float64(*num) / float64(*den) * 100
	return &r
}

// perPost is num / n; nil when unknown or n is zero.
func perPost(num *int64, n int) *float64 {
	if num == nil || n == 0 {
		return nil
	}
	r := float64(*num) / float64(n)
	return &r
}

// median of the values; nil for none.
func median(vs []float64) *float64 {
	if len(vs) == 0 {
		return nil
	}
	s := append([]float64(nil), vs...)
	sort.Float64s(s)
	m := s[len(s)/2]
	if len(s)%2 == 0 {
		m = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return &m
}

// viralityBasis is the one denominator of a report's virality rates
// (methods.md: keep it fixed per report): impressions when every read post
// has them, else reach when every one has it, else followers.
func viralityBasis(rows []store.PostMetricRow) string {
	imp, reach := true, true
	for _, r := range rows {
		if r.TakenAt.IsZero() {
			continue
		}
		imp = imp && r.Impressions != nil
		reach = reach && r.Reach != nil
	}
	switch {
	case imp && len(rows) > 0:
		return BasisImpressions
	case reach && len(rows) > 0:
		return BasisReach
	}
	return BasisFollowers
}

// measurePost computes a publication's measures; followers is F at post
// time (nil: unknown) and basis the report's virality basis.
func measurePost(r store.PostMetricRow, channel string, followers *int64, basis string) PostMeasures {
	m := PostMeasures{PostID: r.PostID, PublicationID: r.ID, ChannelID: r.ChannelID, Channel: channel, Network: r.Network,
		Text: Excerpt(r.Text, 140), URL: r.URL, PublishedAt: r.PublishedAt, Labels: []string{}, Followers: followers,
		Counts: Counts{Likes: r.Likes, Reposts: r.Reposts, Replies: r.Replies, Quotes: r.Quotes, Views: r.Views,
			Impressions: r.Impressions, Reach: r.Reach, Clicks: r.Clicks}}
	for _, l := range r.Labels {
		m.Labels = append(m.Labels, l.Key+":"+l.Value)
	}
	if !r.TakenAt.IsZero() {
		t := r.TakenAt
		m.CollectedAt = &t
	}
	m.Interactions = engagement(r.Counts)
	if er := rate(m.Interactions, r.Reach); er != nil {
		m.EngagementRate, m.EngagementBasis = er, BasisReach
	} else if er := rate(m.Interactions, followers); er != nil {
		m.EngagementRate, m.EngagementBasis = er, BasisFollowers
	}
	m.viralityDen = basisValue(basis, r.Counts, followers)
	m.ViralityRate = rate(shares(r.Counts), m.viralityDen)
	if ctr := rate(r.Clicks, r.Impressions); ctr != nil {
		m.CTR, m.ctrDen = ctr, r.Impressions
	} else if ctr := rate(r.Clicks, r.Reach); ctr != nil {
		m.CTR, m.ctrDen = ctr, r.Reach
	}
	return m
}

func basisValue(basis string, c store.Counts, followers *int64) *int64 {
	switch basis {
	case BasisImpressions:
		return c.Impressions
	case BasisReach:
		return c.Reach
	}
	return followers
}

// Summarise aggregates posts read over a period of the given length; days
// are the daily counts of the group's channels (for follower growth).
func Summarise(posts []PostMeasures, period time.Duration, days []store.ChannelDay) Measures {
	s := Measures{Posts: len(posts)}
	if period > 0 {
		s.PostsPerWeek = float64(len(posts)) / period.Hours() * 24 * 7
	}
	var ers []float64
	bases := map[string]bool{}
	var shareSum, virDen, ctrNum, ctrDen *int64
	var read int
	ers = make([]float64, 0, len(posts))
	for i := range posts {
		p := &posts[i]
		add(&s.Likes, p.Likes)
		add(&s.Reposts, p.Reposts)
		add(&s.Replies, p.Replies)
		add(&s.Quotes, p.Quotes)
		add(&s.Views, p.Views)
		add(&s.Impressions, p.Impressions)
		add(&s.Reach, p.Reach)
		add(&s.Clicks, p.Clicks)
		add(&s.Interactions, p.Interactions)
		if p.CollectedAt != nil {
			read++
		}
		if p.EngagementRate != nil {
			ers = append(ers, *p.EngagementRate)
			bases[p.EngagementBasis] = true
		}
		if p.ViralityRate != nil {
			add(&shareSum, p.Reposts)
			add(&shareSum, p.Quotes)
			add(&virDen, p.viralityDen)
		}
		if p.CTR != nil {
			add(&ctrNum, p.Clicks)
			add(&ctrDen, p.ctrDen)
		}
	}
	s.EngagementRate = median(ers)
	switch len(bases) {
	case 0:
	case 1:
		for b := range bases {
			s.EngagementBasis = b
		}
	default:
		s.EngagementBasis = BasisMixed
	}
	s.ConversationRate = perPost(s.Replies, read)
	s.AmplificationRate = perPost(sum(s.Reposts, s.Quotes), read)
	s.ApplauseRate = perPost(s.Likes, read)
	s.ViralityRate = rate(shareSum, virDen)
	s.CTR = rate(ctrNum, ctrDen)
	s.FollowersStart, s.Followers = followerEnds(days)
	if s.FollowersStart != nil && s.Followers != nil {
		g := *s.Followers - *s.FollowersStart
		s.FollowerGrowth = &g
		s.FollowerGrowthPct = rate(&g, s.FollowersStart)
	}
	return s
}

// followerEnds sums, over the channels with at least one known count, the
// first and the last known follower count of the days given.
func followerEnds(days []store.ChannelDay) (*int64, *int64) {
	first, last := map[int64]store.ChannelDay{}, map[int64]store.ChannelDay{}
	for _, d := range days {
		if d.Followers == nil {
			continue
		}
		if f, ok := first[d.ChannelID]; !ok || d.Day.Before(f.Day) {
			first[d.ChannelID] = d
		}
		if l, ok := last[d.ChannelID]; !ok || d.Day.After(l.Day) {
			last[d.ChannelID] = d
		}
	}
	var start, end *int64
	for id := range first {
		start, end = sum(start, first[id].Followers), sum(end, last[id].Followers)
	}
	return start, end
}

// followersAt is the channel's follower count on the day of t: the last
// known reading on or before that day, else the first after it. days are
// the channel's readings with a known count, oldest first.
func followersAt(days []store.ChannelDay, t time.Time) *int64 {
	if len(days) == 0 {
		return nil
	}
	day := t.UTC().Truncate(24 * time.Hour)
	i := sort.Search(len(days), func(i int) bool { return days[i].Day.After(day) })
	if i == 0 {
		return days[0].Followers
	}
	return days[i-1].Followers
}

// Excerpt is the text's first n characters (runes), with an ellipsis when cut.
func Excerpt(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
