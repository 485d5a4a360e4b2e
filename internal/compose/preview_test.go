package compose

import (
	"strings"
	"testing"

	"github.com/rivo/uniseg"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/network"
)

func TestPreviewTruncation(t *testing.T) {
	t.Parallel()
	words := strings.TrimSpace(strings.Repeat("Sunny days ahead ", 40)) // 679 characters
	tests := []struct {
		kind network.Kind
		fold int
		more string
	}{
		{network.Instagram, 125, "… more"},
		{network.LinkedIn, 210, "…see more"},
		{network.Facebook, 480, "… See more"},
	}
	for _, tc := range tests {
		t.Run(string(tc.kind), func(t *testing.T) {
			t.Parallel()
			p := Preview(words, limits(tc.kind), nil, "")
			require.True(t, p.Truncated)
			require.Equal(t, tc.more, p.MoreLabel)
			require.True(t, strings.HasPrefix(words, p.Visible))
			n := uniseg.GraphemeClusterCount(p.Visible)
			require.LessOrEqual(t, n, tc.fold)
			require.Greater(t, n, tc.fold*4/5-1)
			// Cut between words, not inside one.
			require.Equal(t, " ", words[len(p.Visible):len(p.Visible)+1])
		})
	}

	short := Preview("Short and sweet", limits(network.Instagram), []MediaInfo{{Kind: MediaImage}}, "")
	require.False(t, short.Truncated)
	require.Equal(t, "Short and sweet", short.Visible)

	// A long word is cut by graphemes, never inside an emoji sequence.
	p := Preview(strings.Repeat(family, 200), limits(network.Instagram), nil, "")
	require.Equal(t, strings.Repeat(family, 125), p.Visible)

	lines := Preview("One\nTwo\nThree\nFour", limits(network.LinkedIn), nil, "")
	require.True(t, lines.Truncated)
	require.Equal(t, "One\nTwo\nThree", lines.Visible)
	require.Equal(t, "…see more", lines.MoreLabel)
	require.False(t, Preview("One\nTwo\nThree\n", limits(network.LinkedIn), nil, "").Truncated)

	x := Preview(strings.Repeat("a", 281), limits(network.X), nil, "")
	require.False(t, x.Truncated)
	require.True(t, x.OverLimit)
}

func TestPreviewLinkCard(t *testing.T) {
	t.Parallel()
	text := "New post: https://www.Example.com/blog/1 and https://other.org"
	p := Preview(text, limits(network.Bluesky), nil, "")
	require.Equal(t, &LinkCard{URL: "https://www.Example.com/blog/1", Domain: "example.com"}, p.Link)

	p = Preview(text, limits(network.Bluesky), nil, "https://chosen.example/x")
	require.Equal(t, "chosen.example", p.Link.Domain)

	p = Preview(text, limits(network.Bluesky), []MediaInfo{{Kind: MediaImage}}, "")
	require.Nil(t, p.Link, "media replaces the card")

	require.Nil(t, Preview(text, limits(network.Instagram), nil, "").Link, "Instagram has no link cards")
	require.Nil(t, Preview("no links here", limits(network.X), nil, "").Link)
	require.Equal(t, "example.com", Preview("see example.com/x", limits(network.X), nil, "").Link.Domain)
	require.Nil(t, Preview("see example.com/x", limits(network.Mastodon), nil, "").Link, "Mastodon links need a protocol")
}

func TestPreviewMediaGrid(t *testing.T) {
	t.Parallel()
	media := func(n int) []MediaInfo { return make([]MediaInfo, n) }
	tests := []struct {
		name       string
		kind       network.Kind
		n          int
		layout     string
		rows, cols int
		cells      int
		hidden     int
	}{
		{"none", network.X, 0, "none", 0, 0, 0, 0},
		{"single", network.X, 1, "grid", 1, 1, 1, 0},
		{"pair", network.X, 2, "grid", 1, 2, 2, 0},
		{"three", network.Bluesky, 3, "grid", 2, 2, 3, 0},
		{"four", network.Mastodon, 4, "grid", 2, 2, 4, 0},
		{"facebook five", network.Facebook, 5, "grid", 2, 6, 5, 0},
		{"facebook eight shows five", network.Facebook, 8, "grid", 2, 6, 5, 3},
		{"telegram album seven", network.Telegram, 7, "grid", 3, 6, 7, 0},
		{"instagram carousel", network.Instagram, 6, "carousel", 1, 1, 1, 5},
		{"pinterest single", network.Pinterest, 1, "carousel", 1, 1, 1, 0},
		{"pinterest carousel", network.Pinterest, 5, "carousel", 1, 1, 1, 4},
		{"tiktok photos swipe", network.TikTok, 3, "carousel", 1, 1, 1, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			g := Preview("x", limits(tc.kind), media(tc.n), "").Media
			require.Equal(t, tc.layout, g.Layout)
			require.Equal(t, tc.rows, g.Rows)
			require.Equal(t, tc.cols, g.Cols)
			require.Len(t, g.Cells, tc.cells)
			require.Equal(t, tc.hidden, g.Hidden)
			// Cells tile the grid exactly: every cell covered once.
			covered := map[[2]int]int{}
			for i, c := range g.Cells {
				require.Equal(t, i, c.Media)
				for r := c.Row; r < c.Row+c.RowSpan; r++ {
					for col := c.Col; col < c.Col+c.ColSpan; col++ {
						covered[[2]int{r, col}]++
					}
				}
			}
			require.Len(t, covered, g.Rows*g.Cols)
			for k, v := range covered {
				require.Equal(t, 1, v, "cell %v covered twice", k)
			}
		})
	}
}

// TestPreviewShowsTheLinkAsSent: the preview's text is what the network
// receives, so a network that carries the link in the text shows it there
// and counts it; Bluesky shows it as a card only.
func TestPreviewShowsTheLinkAsSent(t *testing.T) {
	t.Parallel()
	link := "https://example.com/launch"
	for _, tc := range []struct {
		kind  network.Kind
		text  string
		value int
	}{
		{network.Mastodon, "Opening today\n\n" + link, 13 + 2 + 23},
		{network.Telegram, "Opening today\n\n" + link, 13 + 2 + len(link)},
		{network.Bluesky, "Opening today", 13},
	} {
		t.Run(string(tc.kind), func(t *testing.T) {
			t.Parallel()
			p := Preview("Opening today", limits(tc.kind), nil, link)
			require.Equal(t, tc.text, p.Text)
			require.Equal(t, tc.value, p.Measure.Value)
			require.NotNil(t, p.Link)
			require.Equal(t, "example.com", p.Link.Domain)
		})
	}
}

func TestPreviewSegments(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		kind network.Kind
		text string
		want []Segment
	}{
		{"mastodon shortens long links", network.Mastodon, "New: https://www.example.com/collections/winter-2026/coats #winter @ana@example.social!",
			[]Segment{
				{Text: "New: ", Kind: SegmentText},
				{Text: "example.com/collections/winter…", Kind: SegmentLink, Href: "https://www.example.com/collections/winter-2026/coats"},
				{Text: " ", Kind: SegmentText},
				{Text: "#winter", Kind: SegmentHashtag},
				{Text: " ", Kind: SegmentText},
				{Text: "@ana@example.social", Kind: SegmentMention},
				{Text: "!", Kind: SegmentText},
			}},
		{"bluesky shows the link as written", network.Bluesky, "See https://example.com/a",
			[]Segment{{Text: "See ", Kind: SegmentText}, {Text: "https://example.com/a", Kind: SegmentLink, Href: "https://example.com/a"}}},
		{"x links bare domains", network.X, "go to example.com now",
			[]Segment{{Text: "go to ", Kind: SegmentText}, {Text: "example.com", Kind: SegmentLink, Href: "https://example.com"}, {Text: " now", Kind: SegmentText}}},
		{"mastodon does not link bare domains", network.Mastodon, "go to example.com now",
			[]Segment{{Text: "go to example.com now", Kind: SegmentText}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tc.want, Segments(tc.text, tc.kind))
		})
	}
}

func TestPreviewReplies(t *testing.T) {
	t.Parallel()
	l := limits(network.Bluesky)
	p := Preview("First part", l, nil, "")
	p.AddReplies(l, []string{"Second part #two", strings.Repeat("a", 301)}, "Tickets: https://example.com/t")
	require.Len(t, p.Thread, 2)
	require.Equal(t, "Second part #two", p.Thread[0].Text)
	require.Equal(t, SegmentHashtag, p.Thread[0].Segments[1].Kind)
	require.False(t, p.Thread[0].OverLimit)
	require.True(t, p.Thread[1].OverLimit, "each part is measured")
	require.NotNil(t, p.FirstComment)
	require.Equal(t, SegmentLink, p.FirstComment.Segments[1].Kind)
	q := Preview("Alone", l, nil, "")
	q.AddReplies(l, nil, "  ")
	require.Empty(t, q.Thread)
	require.Nil(t, q.FirstComment)
}

// TestPreviewCardFollowsTheNetwork: Mastodon makes its card from the first
// URL of the text as sent, X from the last, Bluesky from the link field.
func TestPreviewCardFollowsTheNetwork(t *testing.T) {
	t.Parallel()
	text, link := "Read https://blog.example.com/post first", "https://shop.example.org/coats"
	for kind, want := range map[network.Kind]string{
		network.Mastodon: "blog.example.com",
		network.Telegram: "blog.example.com",
		network.X:        "shop.example.org",
		network.Bluesky:  "shop.example.org",
	} {
		p := Preview(text, limits(kind), nil, link)
		require.NotNil(t, p.Link, kind)
		require.Equal(t, want, p.Link.Domain, kind)
	}
}
