package storetest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/store"
)

// SeedTimingEffect publishes weeks × 7 posts on channel ch over the weeks
// before now, at seven local hours of week in loc, and measures them so
// that the posts at peak (a weekday and hour in loc) get four times the
// interactions of the others, with 1,000 followers on every posting day:
// a channel whose best time to post is plain.
func SeedTimingEffect(t testing.TB, s store.Store, workspaceID int64, ch store.Channel, loc *time.Location, peak time.Weekday, peakHour, weeks int) {
	t.Helper()
	now := time.Now().In(loc)
	// The Monday 00:00 (in loc) two weeks before this one's: every seeded post
	// is at least a week old, so before the UTC day the best-time model reads
	// up to. (The week before this one had, early on a Monday, its Sunday
	// evening posts after midnight UTC, which the model leaves for tomorrow.)
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
	monday := day.AddDate(0, 0, -((int(day.Weekday())+6)%7)-14)
	hours := []struct {
		day  time.Weekday
		hour int
	}{{time.Monday, 9}, {peak, peakHour}, {time.Wednesday, 18}, {time.Thursday, 8}, {time.Friday, 14}, {time.Saturday, 11}, {time.Sunday, 19}}
	posts := NewPosts(t, s, workspaceID, weeks*len(hours), ch.ID)
	var snaps []store.MetricSnapshot
	var days []store.ChannelDay
	for w := range weeks {
		for i, h := range hours {
			at := monday.AddDate(0, 0, -7*w+(int(h.day)+6)%7).Add(time.Duration(h.hour)*time.Hour + 5*time.Minute)
			k := w*len(hours) + i
			pub := PublishAt(t, s, workspaceID, posts[k:k+1], at)[0]
			likes := int64(10 + k%4)
			if h.day == peak && h.hour == peakHour {
				likes *= 4
			}
			snaps = append(snaps, store.MetricSnapshot{PublicationID: pub.ID, HorizonHours: 24, WorkspaceID: workspaceID, PostID: pub.PostID,
				ChannelID: ch.ID, Network: ch.Network, PublishedAt: at.UTC(), TakenAt: at.Add(24 * time.Hour).UTC(),
				Counts: store.Counts{Likes: n64(likes), Reposts: n64(2), Replies: n64(1)}})
			utc := at.UTC()
			days = append(days, store.ChannelDay{ChannelID: ch.ID, WorkspaceID: workspaceID, Network: ch.Network,
				Day: time.Date(utc.Year(), utc.Month(), utc.Day(), 0, 0, 0, 0, time.UTC), Followers: n64(1000), TakenAt: utc})
		}
	}
	require.NoError(t, s.SaveMetricSnapshots(ctx, snaps))
	require.NoError(t, s.SaveChannelDays(ctx, days))
}
