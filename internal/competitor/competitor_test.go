package competitor_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/competitor"
	"github.com/relais/relais/internal/network/bluesky/blueskytest"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/store/storetest"
	"github.com/relais/relais/internal/valid"
)

func TestPanelCollectAndReport(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			ctx := context.Background()
			st := storetest.Open(t, d)
			u := storetest.NewUser(t, st, "c@competitor.example")
			w := storetest.NewWorkspace(t, st, "comp", u.ID)
			bs := blueskytest.New(t)
			bs.PublicReads = true
			bs.SetFollowers(1200)
			now := time.Date(2026, 6, 10, 12, 0, 0, 0, time.UTC)
			for i, p := range []blueskytest.Post{
				{Text: "new drop #sneakers", Likes: 10, Reposts: 2, CreatedAt: now.Add(-24 * time.Hour)},
				{Text: "summer sale", Likes: 30, Replies: 5, CreatedAt: now.Add(-48 * time.Hour)},
				{Text: "old news", Likes: 1, CreatedAt: now.AddDate(0, 0, -20)},
			} {
				p.URI = "at://" + bs.DID + "/app.bsky.feed.post/p" + string(rune('a'+i))
				p.AuthorDID, p.AuthorHandle = bs.DID, bs.Handle
				bs.AddPost(p)
			}
			svc := &competitor.Service{Store: st, AppView: bs.URL, HTTP: http.DefaultClient, Now: func() time.Time { return now }}

			_, err := svc.CreatePanel(ctx, w.ID, "Fashion", []competitor.AccountInput{{Brand: "Acme", Network: "myspace", Handle: "x"}})
			e, ok := valid.As(err)
			require.True(t, ok, "%v", err)
			require.Equal(t, "network", e.Field)

			p, err := svc.CreatePanel(ctx, w.ID, "Fashion", []competitor.AccountInput{
				{Brand: "Alice Shoes", Network: "bluesky", Handle: "@alice.test"},
				{Brand: "Globex", Network: "bluesky", Handle: "nobody.test"},
			})
			require.NoError(t, err)
			require.Len(t, p.Accounts, 2)

			// Yesterday's figure, to measure growth.
			require.NoError(t, st.SaveCompetitorDay(ctx, store.CompetitorDay{AccountID: accountOf(p, "alice.test"), WorkspaceID: w.ID,
				Day: now.AddDate(0, 0, -1).Truncate(24 * time.Hour), Followers: 1000}))
			res, err := svc.Collect(ctx, w.ID)
			require.NoError(t, err)
			require.Equal(t, 1, res.Accounts)
			require.Len(t, res.Errors, 1, "the unknown account is reported, not fatal")

			for _, m := range []store.Mention{
				{Network: "bluesky", RemoteID: "1", Text: "I love alice shoes", PostedAt: now},
				{Network: "bluesky", RemoteID: "2", Text: "Alice Shoes again", PostedAt: now},
				{Network: "bluesky", RemoteID: "3", Text: "globex is fine", PostedAt: now},
				{Network: "bluesky", RemoteID: "4", Text: "alice in wonderland", PostedAt: now},
			} {
				m.WorkspaceID = w.ID
				_, err := st.SaveMention(ctx, &m)
				require.NoError(t, err)
			}
			r, err := svc.Report(ctx, w.ID, p.ID, 30)
			require.NoError(t, err)
			require.Len(t, r.Rows, 2)
			top := r.Rows[0]
			require.Equal(t, 1, top.Rank)
			require.Equal(t, "Alice Shoes", top.Brand)
			require.True(t, top.Measured)
			require.EqualValues(t, 1200, top.Followers)
			require.EqualValues(t, 200, top.Growth)
			require.InDelta(t, 0.2, top.GrowthRate, 1e-9)
			require.EqualValues(t, 2, top.PostsWeek, "two posts in the last 7 days")
			require.InDelta(t, float64(12+35+1)/3, top.EngagementPost, 1e-9)
			require.EqualValues(t, 35, top.TopPostEng)
			require.EqualValues(t, 2, top.Mentions, "the phrase, not the word alice alone")
			require.InDelta(t, 2.0/3, top.ShareOfVoice, 1e-9)
			require.False(t, r.Rows[1].Measured)

			var buf bytes.Buffer
			require.NoError(t, competitor.WriteCSV(&buf, r))
			recs, err := csv.NewReader(&buf).ReadAll()
			require.NoError(t, err)
			require.Len(t, recs, 3)
			require.Equal(t, "rank", recs[0][0])
			require.Equal(t, "Alice Shoes", recs[1][1])
			require.Equal(t, "1200", recs[1][4])
		})
	}
}

func accountOf(p store.CompetitorPanel, handle string) int64 {
	for _, a := range p.Accounts {
		if a.Handle == handle {
			return a.ID
		}
	}
	return 0
}
