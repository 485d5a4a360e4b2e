package analytics

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/relais/relais/internal/compose"
)

// CSVHeader names the columns of the report's CSV: one row per group
// (workspace, channel, network, label; "previous" rows for the period
// before) and one per post; an empty cell is unknown.
var CSVHeader = []string{"level", "key", "post_id", "publication_id", "channel", "network", "published_at", "text", "url", "labels",
	"posts", "posts_per_week", "likes", "reposts", "replies", "quotes", "views", "impressions", "reach", "clicks", "interactions",
	"followers", "followers_start", "follower_growth", "follower_growth_pct", "engagement_rate", "engagement_basis",
	"conversation_rate", "amplification_rate", "applause_rate", "virality_rate", "ctr"}

// WriteCSV writes the whole report as CSV; text cells are guarded against
// spreadsheet formulas.
func WriteCSV(w io.Writer, rep PeriodReport) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return err
	}
	groupRow := func(level string, g GroupMeasures, s Measures) []string {
		return []string{level, compose.SafeCell(g.Key), "", "", compose.SafeCell(g.Handle), g.Network, "", "", "", "",
			strconv.Itoa(s.Posts), fnum(&s.PostsPerWeek), inum(s.Likes), inum(s.Reposts), inum(s.Replies), inum(s.Quotes), inum(s.Views),
			inum(s.Impressions), inum(s.Reach), inum(s.Clicks), inum(s.Interactions), inum(s.Followers), inum(s.FollowersStart),
			inum(s.FollowerGrowth), fnum(s.FollowerGrowthPct), fnum(s.EngagementRate), s.EngagementBasis,
			fnum(s.ConversationRate), fnum(s.AmplificationRate), fnum(s.ApplauseRate), fnum(s.ViralityRate), fnum(s.CTR)}
	}
	var rows [][]string
	for _, set := range []struct {
		level  string
		groups []GroupMeasures
	}{{"workspace", []GroupMeasures{rep.Workspace}}, {"channel", rep.Channels}, {"network", rep.Networks}, {"label", rep.Labels}} {
		for _, g := range set.groups {
			rows = append(rows, groupRow(set.level, g, g.Measures), groupRow(set.level+"_previous", g, g.Previous))
		}
	}
	for _, p := range rep.Posts {
		rows = append(rows, []string{"post", "", strconv.FormatInt(p.PostID, 10), strconv.FormatInt(p.PublicationID, 10),
			compose.SafeCell(p.Channel), p.Network, p.PublishedAt.Format(time.RFC3339), compose.SafeCell(p.Text), compose.SafeCell(p.URL),
			compose.SafeCell(strings.Join(p.Labels, ";")), "1", "", inum(p.Likes), inum(p.Reposts), inum(p.Replies), inum(p.Quotes),
			inum(p.Views), inum(p.Impressions), inum(p.Reach), inum(p.Clicks), inum(p.Interactions), inum(p.Followers), "", "", "",
			fnum(p.EngagementRate), p.EngagementBasis, "", "", "", fnum(p.ViralityRate), fnum(p.CTR)})
	}
	if err := cw.WriteAll(rows); err != nil {
		return err
	}
	return cw.Error()
}

// FormatCount shows a count, or unknown when it is nil.
func FormatCount(v *int64, unknown string) string {
	if v == nil {
		return unknown
	}
	return strconv.FormatInt(*v, 10)
}

// FormatRate shows a rate with the given decimals and suffix, or unknown when it is nil.
func FormatRate(v *float64, decimals int, suffix, unknown string) string {
	if v == nil {
		return unknown
	}
	return strconv.FormatFloat(*v, 'f', decimals, 64) + suffix
}

func inum(v *int64) string { return FormatCount(v, "") }

func fnum(v *float64) string { return FormatRate(v, 4, "", "") }
