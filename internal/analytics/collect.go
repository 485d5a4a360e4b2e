// Package analytics owns what relais measures after a post went out: the
// collector that takes metric snapshots of publications and daily channel
// counts, the measures computed from them (documented in docs/analytics.md,
// after ../shared/docs/methods.md §1–2), reports over any period compared
// with the period before, and the best time to post (methods.md §3).
package analytics

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"time"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/store"
)

// Horizons are the scheduled readings of a publication, in hours after publishing.
var Horizons = []int{1, 24, 168, 672}

// lastReading bounds how long after publishing the 28-day reading may still
// be taken (a server down on the day takes it late rather than never).
const lastReading = (672 + 7*24) * time.Hour

// rateLimitPause holds a channel that answered 429 without saying until when.
const rateLimitPause = 15 * time.Minute

// Connectors opens a channel's connector; channel.Service is one.
type Connectors interface {
	Connector(ctx context.Context, workspaceID, channelID int64) (network.Connector, network.Limits, error)
}

// ClickCounter counts clicks on relais's short links per publication, for
// the clicks and click-through rate; optional (the links area provides it).
type ClickCounter interface {
	PublicationClicks(ctx context.Context, workspaceID int64, publicationIDs []int64) (map[int64]int64, error)
}

// Collector takes metric snapshots of publications and daily channel counts.
type Collector struct {
	Store      store.Store
	Connectors Connectors
	// Clicks is optional; without it clicks stay unknown.
	Clicks ClickCounter
	Log    *slog.Logger
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// Batch is how many posts one metrics call asks for (40 when 0).
	Batch int
}

// CollectResult says what one collection did.
type CollectResult struct {
	// Snapshots is the number of publication readings saved.
	Snapshots int `json:"snapshots"`
	// Channels is the number of daily channel readings saved.
	Channels int `json:"channels"`
	// Insights is the number of daily channel insight values saved.
	Insights int `json:"insights"`
	// Held lists channels skipped because their network asked to wait (rate limit).
	Held []int64 `json:"held"`
	// Errors are the failures of single channels; the others were collected.
	Errors []string `json:"errors"`
}

// DueHorizon is the scheduled reading a publication of the given age needs
// now, given the largest horizon already taken (-1: none): the largest
// horizon the age has passed, when not yet taken. A late collection takes the
// latest horizon only, never a 1 h reading at 30 h.
func DueHorizon(age time.Duration, taken int) (int, bool) {
	if age > lastReading {
		return 0, false
	}
	for i := len(Horizons) - 1; i >= 0; i-- {
		h := Horizons[i]
		if age >= time.Duration(h)*time.Hour {
			return h, h > taken
		}
	}
	return 0, false
}

func (c *Collector) now() time.Time {
	if c.Now != nil {
		return c.Now().UTC()
	}
	return time.Now().UTC()
}

func (c *Collector) log() *slog.Logger {
	if c.Log != nil {
		return c.Log
	}
	return slog.Default()
}

// Collect takes the due readings of the workspace's publications (workspace
// 0: every workspace, for the periodic job) and each channel's daily counts
// when today's are missing. With now set, every publication of the last 28
// days without a due reading gets a live one and the channels are read
// again: "collect now".
func (c *Collector) Collect(ctx context.Context, workspaceID int64, now bool) (CollectResult, error) {
	var res CollectResult
	at := c.now()
	if err := c.Store.TrackPublications(ctx, workspaceID, at.Add(-lastReading), at); err != nil {
		return res, err
	}
	pubs, err := c.Store.MetricPublications(ctx, workspaceID, at.Add(-lastReading), at)
	if err != nil {
		return res, err
	}
	type due struct {
		pub     store.MetricPublication
		horizon int
	}
	byChannel := map[int64][]due{}
	var channelIDs []int64
	for _, p := range pubs {
		h, ok := DueHorizon(at.Sub(p.PublishedAt), p.TakenHorizon)
		if !ok {
			if !now || at.Sub(p.PublishedAt) > 672*time.Hour {
				continue
			}
			h = 0
		}
		if _, seen := byChannel[p.ChannelID]; !seen {
			channelIDs = append(channelIDs, p.ChannelID)
		}
		byChannel[p.ChannelID] = append(byChannel[p.ChannelID], due{p, h})
	}
	held, err := c.Store.ChannelThrottles(ctx, channelIDs, at)
	if err != nil {
		return res, err
	}
	for _, chID := range channelIDs {
		list := byChannel[chID]
		if _, ok := held[chID]; ok {
			res.Held = append(res.Held, chID)
			continue
		}
		reader, err := c.reader(ctx, list[0].pub.WorkspaceID, chID)
		if err != nil {
			res.Errors = append(res.Errors, fmt.Sprintf("channel %d: %v", chID, err))
			continue
		}
		if reader == nil {
			continue
		}
		var snaps []store.MetricSnapshot
		for start := 0; start < len(list); start += c.batch() {
			part := list[start:min(start+c.batch(), len(list))]
			ids := make([]string, len(part))
			for i, d := range part {
				ids[i] = d.pub.RemoteID
			}
			got, err := reader.PostMetrics(ctx, ids)
			if err != nil {
				if c.hold(ctx, chID, err, at) {
					res.Held = append(res.Held, chID)
				} else {
					res.Errors = append(res.Errors, fmt.Sprintf("channel %d: %v", chID, err))
				}
				break
			}
			for _, d := range part {
				m, ok := got[d.pub.RemoteID]
				if !ok {
					continue // deleted on the network: no reading, not zeros
				}
				snaps = append(snaps, store.MetricSnapshot{PublicationID: d.pub.ID, HorizonHours: d.horizon,
					WorkspaceID: d.pub.WorkspaceID, PostID: d.pub.PostID, ChannelID: chID, Network: d.pub.Network,
					PublishedAt: d.pub.PublishedAt, TakenAt: at, Counts: countsOf(m)})
			}
		}
		if err := c.addClicks(ctx, list[0].pub.WorkspaceID, snaps); err != nil {
			res.Errors = append(res.Errors, fmt.Sprintf("clicks: %v", err))
		}
		if err := c.Store.SaveMetricSnapshots(ctx, snaps); err != nil {
			return res, err
		}
		res.Snapshots += len(snaps)
	}
	if err := c.collectChannels(ctx, workspaceID, now, at, &res); err != nil {
		return res, err
	}
	sort.Slice(res.Held, func(i, j int) bool { return res.Held[i] < res.Held[j] })
	return res, nil
}

func (c *Collector) batch() int {
	if c.Batch > 0 {
		return c.Batch
	}
	return 40
}

// reader opens the channel's metrics capability; nil when it has none.
func (c *Collector) reader(ctx context.Context, workspaceID, channelID int64) (network.MetricsReader, error) {
	conn, _, err := c.Connectors.Connector(ctx, workspaceID, channelID)
	if err != nil {
		return nil, err
	}
	r, _ := conn.(network.MetricsReader)
	return r, nil
}

// hold records a rate limit the network answered, so that no instance calls
// the channel again before it allows (publishing honours the same hold).
func (c *Collector) hold(ctx context.Context, channelID int64, err error, now time.Time) bool {
	var ne *network.Error
	if !errors.As(err, &ne) || (!errors.Is(err, network.ErrRateLimited) && ne.RetryAfter.IsZero()) {
		return false
	}
	until := ne.RetryAfter
	if !until.After(now) {
		until = now.Add(rateLimitPause)
	}
	if herr := c.Store.ThrottleChannel(ctx, channelID, until); herr != nil {
		c.log().Warn("analytics: hold channel", "channel", channelID, "err", herr)
	}
	c.log().Info("analytics: rate limited, channel held", "channel", channelID, "until", until)
	return true
}

func (c *Collector) addClicks(ctx context.Context, workspaceID int64, snaps []store.MetricSnapshot) error {
	if c.Clicks == nil || len(snaps) == 0 {
		return nil
	}
	ids := make([]int64, len(snaps))
	for i, s := range snaps {
		ids[i] = s.PublicationID
	}
	clicks, err := c.Clicks.PublicationClicks(ctx, workspaceID, ids)
	if err != nil {
		return err
	}
	for i := range snaps {
		if n, ok := clicks[snaps[i].PublicationID]; ok {
			snaps[i].Clicks = &n
		}
	}
	return nil
}

// known turns a connector's -1 ("not reported") into nil.
func known(v int64) *int64 {
	if v < 0 {
		return nil
	}
	return &v
}

func countsOf(m network.PostMetrics) store.Counts {
	return store.Counts{Likes: known(m.Likes), Reposts: known(m.Reposts), Replies: known(m.Replies),
		Quotes: known(m.Quotes), Views: known(m.Views)}
}

// collectChannels reads each channel's counts once a UTC day (again when now).
func (c *Collector) collectChannels(ctx context.Context, workspaceID int64, now bool, at time.Time, res *CollectResult) error {
	var channels []store.Channel
	if workspaceID != 0 {
		list, err := c.Store.Channels(ctx, workspaceID)
		if err != nil {
			return err
		}
		channels = list
	} else {
		// Every registered network: a connector without the capability is
		// skipped when opened, so a new connector needs no list to be measured.
		for _, k := range network.Kinds() {
			list, err := c.Store.ChannelsOfNetwork(ctx, string(k))
			if err != nil {
				return err
			}
			channels = append(channels, list...)
		}
	}
	day := at.Truncate(24 * time.Hour)
	taken := map[int64]map[int64]bool{} // workspace → channels read today
	ids := make([]int64, len(channels))
	for i, ch := range channels {
		ids[i] = ch.ID
	}
	held, err := c.Store.ChannelThrottles(ctx, ids, at)
	if err != nil {
		return err
	}
	var days []store.ChannelDay
	for _, ch := range channels {
		if _, ok := held[ch.ID]; ok || ch.Status == store.ChannelNeedsReconnect {
			continue
		}
		if !now {
			if taken[ch.WorkspaceID] == nil {
				list, err := c.Store.ChannelDays(ctx, ch.WorkspaceID, day, day.Add(24*time.Hour))
				if err != nil {
					return err
				}
				taken[ch.WorkspaceID] = map[int64]bool{}
				for _, d := range list {
					taken[ch.WorkspaceID][d.ChannelID] = true
				}
			}
			if taken[ch.WorkspaceID][ch.ID] {
				continue
			}
		}
		conn, _, err := c.Connectors.Connector(ctx, ch.WorkspaceID, ch.ID)
		if err != nil {
			res.Errors = append(res.Errors, fmt.Sprintf("channel %d: %v", ch.ID, err))
			continue
		}
		if ir, ok := conn.(network.InsightsReader); ok {
			if n, err := c.collectInsights(ctx, ch, ir, now, at); err != nil {
				res.Errors = append(res.Errors, fmt.Sprintf("channel %d insights: %v", ch.ID, err))
			} else {
				res.Insights += n
			}
		}
		st, ok, err := accountStats(ctx, conn)
		if err != nil {
			if c.hold(ctx, ch.ID, err, at) {
				res.Held = append(res.Held, ch.ID)
			} else {
				res.Errors = append(res.Errors, fmt.Sprintf("channel %d: %v", ch.ID, err))
			}
			continue
		}
		if !ok {
			continue
		}
		days = append(days, store.ChannelDay{ChannelID: ch.ID, WorkspaceID: ch.WorkspaceID, Network: ch.Network, Day: day,
			Followers: known(st.Followers), Following: known(st.Following), Posts: known(st.Posts), TakenAt: at})
	}
	if err := c.Store.SaveChannelDays(ctx, days); err != nil {
		return err
	}
	res.Channels += len(days)
	return nil
}

// accountStats reads what the connector can tell of the account; false when nothing.
func accountStats(ctx context.Context, conn network.Connector) (network.AccountStats, bool, error) {
	if r, ok := conn.(network.AccountStatsReader); ok {
		st, err := r.AccountStats(ctx)
		return st, true, err
	}
	if r, ok := conn.(network.MetricsReader); ok {
		f, err := r.Followers(ctx)
		return network.AccountStats{Followers: f, Following: -1, Posts: -1}, true, err
	}
	return network.AccountStats{}, false, nil
}
