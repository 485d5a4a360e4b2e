package analytics

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/valid"
)

// MaxPeriod bounds a report's period.
const MaxPeriod = 3 * 366 * 24 * time.Hour

// followerLookback is how far before a period the daily counts are read to
// know F for the first posts.
const followerLookback = 35 * 24 * time.Hour

// Filter narrows a report to some posts; the zero Filter keeps all. Campaigns
// plug in as PostIDs (the posts attached to the campaign).
type Filter struct {
	ChannelID int64
	Network   string
	// PostIDs keeps only these posts (nil: all).
	PostIDs []int64
	// Label keeps the posts carrying it ("theme:launch").
	Label string
}

func (f Filter) keeps(r store.PostMetricRow) bool {
	if f.ChannelID != 0 && r.ChannelID != f.ChannelID {
		return false
	}
	if f.Network != "" && r.Network != f.Network {
		return false
	}
	if f.PostIDs != nil {
		found := false
		for _, id := range f.PostIDs {
			found = found || id == r.PostID
		}
		if !found {
			return false
		}
	}
	if f.Label != "" {
		for _, l := range r.Labels {
			if l.Key+":"+l.Value == f.Label {
				return true
			}
		}
		return false
	}
	return true
}

// GroupMeasures is a summary of one channel, network or label, with the previous
// period's for comparison.
type GroupMeasures struct {
	Key string `json:"key"`
	// ChannelID and Handle are set for a channel's group.
	ChannelID int64  `json:"channel_id,omitempty"`
	Network   string `json:"network,omitempty"`
	Handle    string `json:"handle,omitempty"`
	Measures
	Previous Measures `json:"previous"`
}

// PeriodReport is a workspace's measures over a period, compared with the period
// of the same length just before.
type PeriodReport struct {
	WorkspaceID  int64     `json:"workspace_id"`
	From         time.Time `json:"from"`
	To           time.Time `json:"to"`
	PreviousFrom time.Time `json:"previous_from"`
	// ViralityBasis is the one denominator of the report's virality rates.
	ViralityBasis string          `json:"virality_basis"`
	Workspace     GroupMeasures   `json:"workspace"`
	Channels      []GroupMeasures `json:"channels"`
	Networks      []GroupMeasures `json:"networks"`
	Labels        []GroupMeasures `json:"labels"`
	Posts         []PostMeasures  `json:"posts"`
	// Definitions say how each measure is computed.
	Definitions map[string]string `json:"definitions"`
}

// Definitions are the formulas every report prints (docs/analytics.md).
var Definitions = map[string]string{
	"interactions":       "E = likes + replies + reposts + quotes, of the counts the network reports",
	"engagement_rate":    "E / reach × 100 where reach is known (basis \"reach\"), else E / F × 100 with F the channel's followers on the day of posting (basis \"followers\"); for a group, the median over its posts",
	"conversation_rate":  "replies / P (Kaushik 2011), P = posts with a reading",
	"amplification_rate": "(reposts + quotes) / P (Kaushik 2011)",
	"applause_rate":      "likes / P (Kaushik 2011)",
	"virality_rate":      "(reposts + quotes) / basis × 100, one basis per report: impressions, else reach, else followers",
	"follower_growth":    "F_end − F_start over the period's daily counts; follower_growth_pct = growth / F_start × 100",
	"posts_per_week":     "P / days × 7",
	"ctr":                "clicks on relais's short links / impressions × 100, else / reach × 100",
}

// Service computes reports from the store.
type Service struct {
	Store store.Store
	// Texts gives the report's wording in a language (en, fr, de); nil
	// prints the measure keys.
	Texts func(lang string) ReportText
	// Media reads the brand's logo (nil: reports without a logo image).
	Media MediaReader
	// best keeps the day's best-time models.
	best bestCache
}

// CheckPeriod refuses a period that is empty, reversed or too long.
func CheckPeriod(from, to time.Time) error {
	switch {
	case from.IsZero() || to.IsZero():
		return valid.Errorf("from", "required", "from and to are both required")
	case !to.After(from):
		return valid.Errorf("to", "order", "to (%s) must be after from (%s)", to.Format(time.RFC3339), from.Format(time.RFC3339))
	case to.Sub(from) > MaxPeriod:
		return valid.Errorf("to", "too_long", "to: a report covers at most %d days; this one covers %d", int(MaxPeriod.Hours()/24), int(to.Sub(from).Hours()/24))
	}
	return nil
}

// periodData is what one period's measures need.
type periodData struct {
	posts []PostMeasures
	days  []store.ChannelDay
	basis string
}

// data is what the store gave for a time range: the publications with their
// latest reading, the daily channel counts from followerLookback before it,
// and the channels. Every measure is derived from it in memory, so one
// dashboard reads the store once.
type data struct {
	rows []store.PostMetricRow
	// followers is F at post time of each row.
	followers []*int64
	days      []store.ChannelDay
	channels  []store.Channel
	handles   map[int64]string
}

func (s *Service) fetch(ctx context.Context, workspaceID int64, from, to time.Time) (data, error) {
	return s.fetchWith(ctx, workspaceID, from, to, s.Store.PostMetrics, true)
}

// fetchWith reads the rows with read (PostMetrics, or the narrower
// PostRates), the daily counts and, when withChannels, the channels.
func (s *Service) fetchWith(ctx context.Context, workspaceID int64, from, to time.Time,
	read func(context.Context, int64, time.Time, time.Time) ([]store.PostMetricRow, error), withChannels bool) (data, error) {
	var d data
	var err error
	if d.rows, err = read(ctx, workspaceID, from, to); err != nil {
		return d, err
	}
	if d.days, err = s.Store.ChannelDays(ctx, workspaceID, from.Add(-followerLookback).Truncate(24*time.Hour), to); err != nil {
		return d, err
	}
	d.handles = map[int64]string{}
	if withChannels {
		if d.channels, err = s.Store.Channels(ctx, workspaceID); err != nil {
			return d, err
		}
		for _, c := range d.channels {
			d.handles[c.ID] = c.Handle
		}
	}
	byChannel := map[int64][]store.ChannelDay{}
	for _, day := range d.days {
		if day.Followers != nil {
			byChannel[day.ChannelID] = append(byChannel[day.ChannelID], day)
		}
	}
	d.followers = make([]*int64, len(d.rows))
	for i, r := range d.rows {
		d.followers[i] = followersAt(byChannel[r.ChannelID], r.PublishedAt)
	}
	return d, nil
}

// period derives the measures of the posts published in [from, to) that the filter keeps.
func (d data) period(from, to time.Time, f Filter) periodData {
	var inPeriod []store.ChannelDay
	first := from.Truncate(24 * time.Hour)
	for _, day := range d.days {
		if !day.Day.Before(first) && day.Day.Before(to) && (f.ChannelID == 0 || day.ChannelID == f.ChannelID) && (f.Network == "" || day.Network == f.Network) {
			inPeriod = append(inPeriod, day)
		}
	}
	// The rows are in publishing order: the period is one slice of them.
	lo := sort.Search(len(d.rows), func(i int) bool { return !d.rows[i].PublishedAt.Before(from) })
	hi := sort.Search(len(d.rows), func(i int) bool { return !d.rows[i].PublishedAt.Before(to) })
	var kept []int
	for i := lo; i < hi; i++ {
		if f.keeps(d.rows[i]) {
			kept = append(kept, i)
		}
	}
	pd := periodData{days: inPeriod, basis: viralityBasis(d.rows[lo:hi])}
	pd.posts = make([]PostMeasures, 0, len(kept))
	for _, i := range kept {
		r := d.rows[i]
		pd.posts = append(pd.posts, measurePost(r, d.handles[r.ChannelID], d.followers[i], pd.basis))
	}
	return pd
}

// Report computes the workspace's report for [from, to) and the period before.
func (s *Service) Report(ctx context.Context, workspaceID int64, from, to time.Time, f Filter) (PeriodReport, error) {
	if err := CheckPeriod(from, to); err != nil {
		return PeriodReport{}, err
	}
	from, to = from.UTC(), to.UTC()
	d, err := s.fetch(ctx, workspaceID, from.Add(-to.Sub(from)), to)
	if err != nil {
		return PeriodReport{}, err
	}
	return d.report(workspaceID, from, to, f), nil
}

func (d data) report(workspaceID int64, from, to time.Time, f Filter) PeriodReport {
	length := to.Sub(from)
	cur, prev := d.period(from, to, f), d.period(from.Add(-length), from, f)
	rep := PeriodReport{WorkspaceID: workspaceID, From: from, To: to, PreviousFrom: from.Add(-length), ViralityBasis: cur.basis,
		Posts: cur.posts, Definitions: Definitions}
	if rep.Posts == nil {
		rep.Posts = []PostMeasures{}
	}
	group := func(key string, postOK func(PostMeasures) bool, dayOK func(store.ChannelDay) bool) GroupMeasures {
		return GroupMeasures{Key: key,
			Measures: Summarise(pick(cur.posts, postOK), length, pickDays(cur.days, dayOK)),
			Previous: Summarise(pick(prev.posts, postOK), length, pickDays(prev.days, dayOK))}
	}
	all := func(PostMeasures) bool { return true }
	allDays := func(store.ChannelDay) bool { return true }
	rep.Workspace = group("workspace", all, allDays)
	networks := map[string]bool{}
	rep.Channels = []GroupMeasures{}
	for _, c := range d.channels {
		if (f.ChannelID != 0 && c.ID != f.ChannelID) || (f.Network != "" && c.Network != f.Network) {
			continue
		}
		id := c.ID
		g := group(fmt.Sprintf("channel:%d", id), func(p PostMeasures) bool { return p.ChannelID == id },
			func(d store.ChannelDay) bool { return d.ChannelID == id })
		g.ChannelID, g.Network, g.Handle = id, c.Network, c.Handle
		rep.Channels = append(rep.Channels, g)
		networks[c.Network] = true
	}
	rep.Networks = []GroupMeasures{}
	for _, n := range sortedKeys(networks) {
		g := group("network:"+n, func(p PostMeasures) bool { return p.Network == n }, func(d store.ChannelDay) bool { return d.Network == n })
		g.Network = n
		rep.Networks = append(rep.Networks, g)
	}
	labels := map[string]bool{}
	for _, p := range append(append([]PostMeasures{}, cur.posts...), prev.posts...) {
		for _, l := range p.Labels {
			labels[l] = true
		}
	}
	rep.Labels = []GroupMeasures{}
	for _, l := range sortedKeys(labels) {
		rep.Labels = append(rep.Labels, group("label:"+l, func(p PostMeasures) bool { return hasLabel(p, l) }, func(store.ChannelDay) bool { return false }))
	}
	return rep
}

// Dashboard is what the dashboard shows, read from the store once.
type Dashboard struct {
	Report    PeriodReport
	Series    []DayPoint
	BestTimes []ChannelBestTimes
}

// Dashboard computes the report of [from, to), its time series (one read
// of the store) and the best times of the day of now (cached per workspace,
// time zone and day).
func (s *Service) Dashboard(ctx context.Context, workspaceID int64, from, to time.Time, tz string, now time.Time) (Dashboard, error) {
	if err := CheckPeriod(from, to); err != nil {
		return Dashboard{}, err
	}
	from, to = from.UTC(), to.UTC()
	best, err := s.BestTimes(ctx, workspaceID, tz, now)
	if err != nil {
		return Dashboard{}, err
	}
	d, err := s.fetch(ctx, workspaceID, from.Add(-to.Sub(from)), to)
	if err != nil {
		return Dashboard{}, err
	}
	return Dashboard{Report: d.report(workspaceID, from, to, Filter{}), Series: d.series(from, to, Filter{}), BestTimes: best}, nil
}

func hasLabel(p PostMeasures, l string) bool {
	for _, x := range p.Labels {
		if x == l {
			return true
		}
	}
	return false
}

// pick keeps the posts ok accepts; the measures are large, so they are
// counted first and copied once.
func pick(posts []PostMeasures, ok func(PostMeasures) bool) []PostMeasures {
	n := 0
	for i := range posts {
		if ok(posts[i]) {
			n++
		}
	}
	if n == len(posts) {
		return posts
	}
	out := make([]PostMeasures, 0, n)
	for i := range posts {
		if ok(posts[i]) {
			out = append(out, posts[i])
		}
	}
	return out
}

func pickDays(days []store.ChannelDay, ok func(store.ChannelDay) bool) []store.ChannelDay {
	var out []store.ChannelDay
	for _, d := range days {
		if ok(d) {
			out = append(out, d)
		}
	}
	return out
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// DayPoint is one day of a time series.
type DayPoint struct {
	Day            time.Time `json:"day"`
	Posts          int       `json:"posts"`
	Interactions   *int64    `json:"interactions"`
	EngagementRate *float64  `json:"engagement_rate"`
	// Followers sums the channels' known counts of the day.
	Followers *int64 `json:"followers"`
}

// Timeseries is the report's posts and follower counts day by day (UTC).
func (s *Service) Timeseries(ctx context.Context, workspaceID int64, from, to time.Time, f Filter) ([]DayPoint, error) {
	if err := CheckPeriod(from, to); err != nil {
		return nil, err
	}
	from, to = from.UTC().Truncate(24*time.Hour), to.UTC()
	d, err := s.fetch(ctx, workspaceID, from, to)
	if err != nil {
		return nil, err
	}
	return d.series(from, to, f), nil
}

func (d data) series(from, to time.Time, f Filter) []DayPoint {
	from = from.Truncate(24 * time.Hour)
	pd := d.period(from, to, f)
	var out []DayPoint
	index := map[int64]int{}
	for day := from; day.Before(to); day = day.Add(24 * time.Hour) {
		index[day.Unix()] = len(out)
		out = append(out, DayPoint{Day: day})
	}
	rates := make([][]float64, len(out))
	for _, p := range pd.posts {
		i, ok := index[p.PublishedAt.Truncate(24*time.Hour).Unix()]
		if !ok {
			continue
		}
		out[i].Posts++
		out[i].Interactions = sum(out[i].Interactions, p.Interactions)
		if p.EngagementRate != nil {
			rates[i] = append(rates[i], *p.EngagementRate)
		}
	}
	for i := range out {
		out[i].EngagementRate = median(rates[i])
	}
	for _, day := range pd.days {
		if i, ok := index[day.Day.Unix()]; ok {
			out[i].Followers = sum(out[i].Followers, day.Followers)
		}
	}
	return out
}

// ParseLabel checks a label filter "key:value".
func ParseLabel(s string) (string, error) {
	if s == "" {
		return "", nil
	}
	if k, v, ok := strings.Cut(s, ":"); !ok || k == "" || v == "" {
		return "", valid.Errorf("label", "format", "a label filter is key:value (theme:launch); got %q", s)
	}
	return s, nil
}

// ParsePeriod reads a period's bounds: a day (YYYY-MM-DD, UTC; the last
// day is included) or an RFC 3339 time (the end excluded). Defaults: to is
// now, from is 28 days before to.
func ParsePeriod(fromS, toS string, now time.Time) (time.Time, time.Time, error) {
	to := now.UTC()
	if toS != "" {
		t, day, err := parseBound(toS)
		if err != nil {
			return time.Time{}, time.Time{}, valid.Errorf("to", "format", "to: %q is neither a day (2026-12-31) nor an RFC 3339 time", toS)
		}
		if day {
			t = t.Add(24 * time.Hour)
		}
		to = t
	}
	from := to.Add(-28 * 24 * time.Hour)
	if fromS != "" {
		t, _, err := parseBound(fromS)
		if err != nil {
			return time.Time{}, time.Time{}, valid.Errorf("from", "format", "from: %q is neither a day (2026-12-01) nor an RFC 3339 time", fromS)
		}
		from = t
	}
	return from, to, CheckPeriod(from, to)
}

func parseBound(s string) (time.Time, bool, error) {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, true, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	return t.UTC(), false, err
}

// BestTimesHistory is how far back the best-time model reads (16 weeks, as Sprout's).
const BestTimesHistory = 16 * 7 * 24 * time.Hour

// BestTimes is the best-time model of the workspace's posts of the 16
// weeks before the UTC day of now began, in the workspace's time zone
// (methods.md §3 refits it once a day). It is kept per workspace, time zone
// and day, so only a day's first dashboard fits it, from the narrow read
// (PostRates: counts without text, URL or labels).
func (s *Service) BestTimes(ctx context.Context, workspaceID int64, tz string, now time.Time) ([]ChannelBestTimes, error) {
	day := now.UTC().Truncate(24 * time.Hour)
	key := bestKey{workspaceID, tz, day.Unix()}
	if best, ok := s.best.get(key); ok {
		return best, nil
	}
	d, err := s.fetchWith(ctx, workspaceID, day.Add(-BestTimesHistory), day, s.Store.PostRates, false)
	if err != nil {
		return nil, err
	}
	best := d.bestTimes(zone(tz), day)
	s.best.put(key, best)
	return best, nil
}

// bestKey names a cached best-time model.
type bestKey struct {
	workspaceID int64
	tz          string
	day         int64
}

// maxBestCache bounds the cached models (one per workspace and day).
const maxBestCache = 20_000

// bestCache keeps best-time models of the current day; a new day's entry
// drops the older days'.
type bestCache struct {
	mu  sync.Mutex
	m   map[bestKey][]ChannelBestTimes
	day int64
}

func (c *bestCache) get(k bestKey) ([]ChannelBestTimes, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[k]
	return v, ok
}

func (c *bestCache) put(k bestKey, v []ChannelBestTimes) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || k.day > c.day || len(c.m) >= maxBestCache {
		if k.day < c.day {
			return // a past day's model, asked late: not worth keeping
		}
		c.m, c.day = map[bestKey][]ChannelBestTimes{}, k.day
	}
	if k.day == c.day {
		c.m[k] = v
	}
}

func zone(tz string) *time.Location {
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return time.UTC
	}
	return loc
}

func (d data) bestTimes(loc *time.Location, now time.Time) []ChannelBestTimes {
	var obs []Observation
	for _, p := range d.period(now.Add(-BestTimesHistory), now, Filter{}).posts {
		if p.EngagementRate != nil {
			obs = append(obs, Observation{ChannelID: p.ChannelID, Network: p.Network, At: p.PublishedAt, Rate: *p.EngagementRate})
		}
	}
	return BestTimes(obs, loc)
}
