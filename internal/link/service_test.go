package link

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/store/storetest"
	"github.com/relais/relais/internal/valid"
	"github.com/stretchr/testify/require"
)

var ctx = context.Background()

type bundle struct {
	svc  *Service
	st   store.Store
	ws   store.Workspace
	user store.User
	post store.Post
}

func setup(t *testing.T) bundle {
	t.Helper()
	st := storetest.OpenSQLite(t)
	u := storetest.NewUser(t, st, "links@example.com")
	w := storetest.NewWorkspace(t, st, "links", u.ID)
	ch := storetest.NewChannel(t, st, w.ID, "mastodon", "m1")
	p := storetest.NewPosts(t, st, w.ID, 1, ch.ID)[0]
	return bundle{svc: &Service{Store: st, BaseURL: "https://relais.example/"}, st: st, ws: w, user: u, post: p}
}

func TestCreateValidates(t *testing.T) {
	t.Parallel()
	b := setup(t)
	_, err := b.svc.Create(ctx, b.ws.ID, b.user.ID, Input{TargetURL: "https://a.example/", Code: "taken"})
	require.NoError(t, err)
	for _, tc := range []struct {
		in          Input
		field, code string
	}{
		{Input{}, "target_url", "required"},
		{Input{TargetURL: "javascript:alert(1)"}, "target_url", "format"},
		{Input{TargetURL: "https://a.example/" + strings.Repeat("x", 2048)}, "target_url", "too_long"},
		{Input{TargetURL: "https://a.example/", Code: "a/b"}, "code", "format"},
		{Input{TargetURL: "https://a.example/", Code: "taken"}, "code", "taken"},
		{Input{TargetURL: "https://a.example/", Title: strings.Repeat("é", 201)}, "title", "too_long"},
		{Input{TargetURL: "https://a.example/", PostID: b.post.ID + 99}, "post_id", "not_found"},
		{Input{TargetURL: "https://a.example/", CampaignID: 12345}, "campaign_id", "not_found"},
		{Input{TargetURL: "https://a.example/", UTM: store.UTM{Term: strings.Repeat("t", 201)}}, "utm_term", "too_long"},
	} {
		_, err := b.svc.Create(ctx, b.ws.ID, b.user.ID, tc.in)
		requireInvalid(t, err, tc.field, tc.code)
	}
}

func TestCreateAppliesTemplatesAndFollowRecords(t *testing.T) {
	t.Parallel()
	b := setup(t)
	camp := store.Campaign{WorkspaceID: b.ws.ID, Name: "Spring Sale"}
	require.NoError(t, b.st.CreateCampaign(ctx, &camp))
	l, err := b.svc.Create(ctx, b.ws.ID, b.user.ID, Input{TargetURL: "https://shop.example/a", Network: "bluesky", CampaignID: camp.ID, PostID: b.post.ID})
	require.NoError(t, err)
	require.Len(t, l.Code, 7)
	require.Equal(t, store.UTM{Source: "bluesky", Medium: "social", Campaign: "spring-sale", Content: itoa(b.post.ID)}, l.UTM)
	require.Equal(t, "https://relais.example/l/"+l.Code, b.svc.ShortURL(l))

	mem := &memWriter{}
	b.svc.Recorder = NewRecorder(mem, RecorderOptions{Interval: time.Hour, MaxBatch: 3})
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	b.svc.NowFunc = func() time.Time { return now }
	dest, err := b.svc.Follow(ctx, l.Code, Visit{IP: "203.0.113.9:5555", UserAgent: "Mozilla/5.0 (iPhone) Mobile", Referrer: "https://Mastodon.Social/@a/1?x=secret"})
	require.NoError(t, err)
	require.Equal(t, "https://shop.example/a?utm_campaign=spring-sale&utm_content="+itoa(b.post.ID)+"&utm_medium=social&utm_source=bluesky", dest)
	_, err = b.svc.Follow(ctx, l.Code, Visit{IP: "203.0.113.9:6666", UserAgent: "Mozilla/5.0 (iPhone) Mobile"})
	require.NoError(t, err)
	_, err = b.svc.Follow(ctx, l.Code, Visit{IP: "198.51.100.1", UserAgent: "Twitterbot/1.0"})
	require.NoError(t, err)
	_, err = b.svc.Follow(ctx, "nope!", Visit{})
	require.ErrorIs(t, err, ErrNotFound)
	_, err = b.svc.Follow(ctx, "unknown", Visit{})
	require.ErrorIs(t, err, ErrNotFound)

	clicks := mem.wait(t, 3)
	require.Equal(t, "mastodon.social", clicks[0].ReferrerHost, "only the host of the referrer")
	require.Equal(t, clicks[0].Visitor, clicks[1].Visitor, "same address and browser the same day: one visitor")
	require.NotEqual(t, clicks[0].Visitor, clicks[2].Visitor)
	require.Equal(t, Mobile, clicks[0].Device)
	require.Equal(t, "Twitterbot", clicks[2].Bot)
	for _, c := range clicks {
		require.NotContains(t, c.Visitor, "203.0.113.9")
		require.Equal(t, l.ID, c.LinkID)
		require.Equal(t, b.ws.ID, c.WorkspaceID)
		require.Empty(t, c.Country)
	}

	// The next day, the same visitor gets another hash: the salt rotated.
	now = now.Add(24 * time.Hour)
	_, err = b.svc.Follow(ctx, l.Code, Visit{IP: "203.0.113.9:5555", UserAgent: "Mozilla/5.0 (iPhone) Mobile"})
	require.NoError(t, err)
	require.NoError(t, b.svc.Recorder.Close(ctx))
	all := mem.wait(t, 4)
	require.NotEqual(t, clicks[0].Visitor, all[3].Visitor)

	// A deleted link stops redirecting at once on this instance.
	require.NoError(t, b.svc.Delete(ctx, b.ws.ID, l.ID))
	_, err = b.svc.Follow(ctx, l.Code, Visit{})
	require.ErrorIs(t, err, ErrNotFound)
}

func TestRewriteShortensOncePerPostNetworkURL(t *testing.T) {
	t.Parallel()
	b := setup(t)
	job := store.PublishJob{Publication: store.Publication{WorkspaceID: b.ws.ID, PostID: b.post.ID, ChannelID: 5, Network: "mastodon"}}
	long := "https://shop.example/collections/spring-2026/items?ref=newsletter-long-enough"
	short := "https://a.co/x"
	build := func() network.PublishRequest {
		return network.PublishRequest{Parts: []network.Part{{Text: "New: " + long + " and " + short + ".", Link: long}, {Text: "more " + long}}}
	}

	req := build()
	require.NoError(t, b.svc.Rewrite(ctx, job, lim(network.Mastodon), &req))
	require.Equal(t, build(), req, "off until the workspace turns it on")

	require.NoError(t, b.st.SaveLinkSettings(ctx, store.LinkSettings{WorkspaceID: b.ws.ID, AutoShorten: true}))
	camp := store.Campaign{WorkspaceID: b.ws.ID, Name: "Spring"}
	require.NoError(t, b.st.CreateCampaign(ctx, &camp))
	require.NoError(t, b.st.AttachCampaignPost(ctx, b.ws.ID, camp.ID, b.post.ID))

	// Mastodon counts every URL as 23 characters: every URL is shortened.
	req = build()
	require.NoError(t, b.svc.Rewrite(ctx, job, lim(network.Mastodon), &req))
	urls := FindURLs(req.Parts[0].Text)
	require.Len(t, urls, 2)
	require.True(t, strings.HasPrefix(urls[0], "https://relais.example/l/"), urls[0])
	require.True(t, strings.HasPrefix(urls[1], "https://relais.example/l/"), urls[1])
	require.Equal(t, urls[0], req.Parts[0].Link)
	require.Equal(t, "more "+urls[0], req.Parts[1].Text)

	// A retry builds the same request again: the same links, no new row.
	again := build()
	require.NoError(t, b.svc.Rewrite(ctx, job, lim(network.Mastodon), &again))
	require.Equal(t, req, again)
	links, err := b.st.Links(ctx, b.ws.ID, store.ClickFilter{PostID: b.post.ID}, 10)
	require.NoError(t, err)
	require.Len(t, links, 2)
	require.Equal(t, camp.ID, links[0].CampaignID)
	require.Equal(t, "spring", links[0].UTM.Campaign)
	require.Equal(t, "mastodon", links[0].UTM.Source)

	// Telegram counts URLs as written: a short link longer than the URL is not used.
	tg := job
	tg.Network = "telegram"
	req = build()
	require.NoError(t, b.svc.Rewrite(ctx, tg, lim(network.Telegram), &req))
	require.Contains(t, req.Parts[0].Text, " and "+short+".")
	require.NotContains(t, req.Parts[0].Text, long)
	links, err = b.st.Links(ctx, b.ws.ID, store.ClickFilter{PostID: b.post.ID}, 10)
	require.NoError(t, err)
	require.Len(t, links, 4, "one link per post × network × URL")
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func lim(k network.Kind) network.Limits {
	l, _ := network.LimitsFor(k)
	return l
}

// memWriter keeps batches in memory; it fails the first fail batches.
type memWriter struct {
	mu      sync.Mutex
	clicks  []store.Click
	batches int
	fail    int
}

func (m *memWriter) RecordClicks(_ context.Context, c []store.Click) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail > 0 {
		m.fail--
		return errors.New("database down")
	}
	m.batches++
	m.clicks = append(m.clicks, c...)
	return nil
}

func (m *memWriter) wait(t *testing.T, n int) []store.Click {
	t.Helper()
	require.Eventually(t, func() bool { m.mu.Lock(); defer m.mu.Unlock(); return len(m.clicks) >= n }, 5*time.Second, time.Millisecond)
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]store.Click(nil), m.clicks...)
}

func TestRecorderBatchesRetriesAndFlushesOnClose(t *testing.T) {
	t.Parallel()
	m := &memWriter{fail: 1}
	r := NewRecorder(m, RecorderOptions{Interval: 5 * time.Millisecond, MaxBatch: 4, MaxBuffered: 10})
	for i := range 10 {
		r.Record(store.Click{LinkID: int64(i)})
	}
	r.Record(store.Click{LinkID: 99})
	require.Equal(t, int64(1), r.Dropped(), "over MaxBuffered")
	got := m.wait(t, 10)
	for i, c := range got {
		require.Equal(t, int64(i), c.LinkID, "in order, the failed batch first")
	}
	require.GreaterOrEqual(t, m.batches, 3, "at most MaxBatch per transaction")

	slow := &memWriter{}
	r2 := NewRecorder(slow, RecorderOptions{Interval: time.Hour, MaxBatch: 1000})
	r2.Record(store.Click{LinkID: 1})
	r2.Record(store.Click{LinkID: 2})
	require.NoError(t, r2.Close(ctx))
	require.Len(t, slow.clicks, 2, "Close writes what waits")
	require.Equal(t, int64(2), r2.Written())
	r2.Record(store.Click{LinkID: 3})
	require.Equal(t, int64(1), r2.Dropped(), "after Close")
	require.NoError(t, r.Close(ctx))
}

func TestQR(t *testing.T) {
	t.Parallel()
	png, err := QRPNG("https://relais.example/l/abc", 256)
	require.NoError(t, err)
	require.Equal(t, "\x89PNG", string(png[:4]))
	svg, err := QRSVG("https://relais.example/l/abc?a=1&b=<2>")
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(string(svg), "<svg "))
	require.Contains(t, string(svg), "a=1&amp;b=&lt;2&gt;")
	require.Contains(t, string(svg), "M4 4h7v1h-7z", "the finder pattern starts after the quiet zone")
}

// requireInvalid checks err is a validation error naming field with code.
func requireInvalid(t *testing.T, err error, field, code string) {
	t.Helper()
	ve, ok := valid.As(err)
	require.True(t, ok, "%s: want a validation error, got %v", field, err)
	require.Equal(t, field, ve.Field)
	require.Equal(t, code, ve.Code)
}
