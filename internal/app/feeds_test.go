package app_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/mmcdole/gofeed"
	"github.com/relais/relais/internal/compose"
	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/store"
	"github.com/stretchr/testify/require"
)

// feedSite is a running relais with a website channel that published one
// post with an image (alt text set), and a library image the post does not use.
type feedSite struct {
	base             string
	channel          store.Channel
	image, unrelated store.Media
	feeds            struct{ rss, atom, json string }
}

func newFeedSite(t *testing.T) feedSite {
	t.Helper()
	a, base := serveApp(t)
	ctx := context.Background()
	u, err := a.Auth.CreateUser(ctx, "ines@example.com", "Inès", "correct horse battery", false)
	require.NoError(t, err)
	ws, err := a.Auth.CreateWorkspace(ctx, u, "Maison Lune", "lune", "Europe/Paris")
	require.NoError(t, err)
	p, err := a.Auth.Principal(ctx, u, ws.ID)
	require.NoError(t, err)
	s := feedSite{base: base}
	s.channel, err = a.Channels.Connect(ctx, p, network.Website, map[string]string{"title": "Maison Lune news", "site_url": "https://lune.example", "language": "fr"})
	require.NoError(t, err)
	f := a.Channels.Feeds(s.channel)
	s.feeds.rss, s.feeds.atom, s.feeds.json = f.RSS, f.Atom, f.JSON

	s.image, err = a.Media.Upload(ctx, ws.ID, u.ID, "coats.png", bytes.NewReader(testPNG(t, 40)), 0)
	require.NoError(t, err)
	s.image, err = a.Media.SetAlt(ctx, ws.ID, s.image.ID, "Three coats from the autumn lookbook")
	require.NoError(t, err)
	s.unrelated, err = a.Media.Upload(ctx, ws.ID, u.ID, "private.png", bytes.NewReader(testPNG(t, 90)), 0)
	require.NoError(t, err)

	post, err := a.Compose.Create(ctx, p, compose.PostInput{Text: "Our autumn lookbook is live.",
		Media: []compose.MediaRef{{MediaID: s.image.ID}}, Variants: []compose.VariantInput{{ChannelID: s.channel.ID}}})
	require.NoError(t, err)
	_, err = a.Compose.PublishNow(ctx, p, post.ID)
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		entries, err := a.Store.ChannelFeed(ctx, ws.ID, s.channel.ID, 10)
		return err == nil && len(entries) == 1
	}, 30*time.Second, 50*time.Millisecond, "the engine publishes the post on the website channel")
	return s
}

func testPNG(t *testing.T, shade uint8) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 60, 40))
	for x := range 60 {
		for y := range 40 {
			img.Set(x, y, color.RGBA{shade, uint8(2 * x), uint8(3 * y), 255})
		}
	}
	var buf bytes.Buffer
	require.NoError(t, png.Encode(&buf, img))
	return buf.Bytes()
}

func fetch(t *testing.T, url string, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	require.NoError(t, err)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return res, body
}

// TestWebsiteFeedMediaAuthorAndConditionalGet: a website post's image is an
// enclosure (RSS), a rel=enclosure link (Atom), the image and an attachment
// (JSON Feed) and an <img> with its alt text in the HTML of all three; the
// author is a dc:creator that feed parsers read; the image is served at the
// feed's own stable URL; and a reader polling with If-None-Match or
// If-Modified-Since gets 304 Not Modified.
func TestWebsiteFeedMediaAuthorAndConditionalGet(t *testing.T) {
	t.Parallel()
	s := newFeedSite(t)
	mediaURL := strings.TrimSuffix(s.feeds.rss, "rss.xml") + "media/" + itoa(s.image.ID)
	for _, tc := range []struct {
		format, url, ctype string
		enclosure          bool
	}{
		{"rss", s.feeds.rss, "application/rss+xml", true},
		{"atom", s.feeds.atom, "application/atom+xml", true},
		{"json", s.feeds.json, "application/feed+json", true},
	} {
		t.Run(tc.format, func(t *testing.T) {
			res, body := fetch(t, tc.url)
			require.Equal(t, http.StatusOK, res.StatusCode)
			require.Contains(t, res.Header.Get("Content-Type"), tc.ctype)
			parsed, err := gofeed.NewParser().Parse(bytes.NewReader(body))
			require.NoError(t, err, "%s", body)
			require.Len(t, parsed.Items, 1)
			it := parsed.Items[0]
			require.Len(t, it.Enclosures, 1, "%s", body)
			require.Equal(t, mediaURL, it.Enclosures[0].URL)
			require.Equal(t, "image/png", it.Enclosures[0].Type)
			require.Equal(t, itoa(s.image.Bytes), it.Enclosures[0].Length)
			require.NotEmpty(t, it.Authors, "%s", body)
			require.Equal(t, "Maison Lune news", it.Authors[0].Name)
			html := it.Content
			if html == "" {
				html = it.Description
			}
			require.Contains(t, html, `<img src="`+mediaURL+`" alt="Three coats from the autumn lookbook"/>`)
			if tc.format == "json" {
				require.NotNil(t, it.Image)
				require.Equal(t, mediaURL, it.Image.URL)
			}
			if tc.format == "rss" {
				require.Contains(t, string(body), `xmlns:dc="http://purl.org/dc/elements/1.1/"`)
				require.Contains(t, string(body), `<dc:creator>Maison Lune news</dc:creator>`)
				require.NotNil(t, it.DublinCoreExt)
				require.Equal(t, []string{"Maison Lune news"}, it.DublinCoreExt.Creator)
			}

			// Conditional GET.
			etag, modified := res.Header.Get("ETag"), res.Header.Get("Last-Modified")
			require.NotEmpty(t, etag)
			require.NotEmpty(t, modified)
			res, body = fetch(t, tc.url, "If-None-Match", etag)
			require.Equal(t, http.StatusNotModified, res.StatusCode)
			require.Empty(t, body)
			res, _ = fetch(t, tc.url, "If-Modified-Since", modified)
			require.Equal(t, http.StatusNotModified, res.StatusCode)
			res, _ = fetch(t, tc.url, "If-None-Match", `"stale"`)
			require.Equal(t, http.StatusOK, res.StatusCode)
			res, _ = fetch(t, tc.url, "If-Modified-Since", "Mon, 01 Jan 2001 00:00:00 GMT")
			require.Equal(t, http.StatusOK, res.StatusCode)
		})
	}

	// The image is served at its feed URL; library items the feed does not show are not.
	res, body := fetch(t, mediaURL)
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Equal(t, "image/png", res.Header.Get("Content-Type"))
	_, err := png.Decode(bytes.NewReader(body))
	require.NoError(t, err)
	res, _ = fetch(t, strings.TrimSuffix(s.feeds.rss, "rss.xml")+"media/"+itoa(s.unrelated.ID))
	require.Equal(t, http.StatusNotFound, res.StatusCode)
	res, _ = fetch(t, s.base+"/feeds/"+strings.Repeat("A", 24)+"/media/"+itoa(s.image.ID))
	require.Equal(t, http.StatusNotFound, res.StatusCode)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestBrowserWebsiteFeedItemWithImage opens a website post's public item page
// in Chromium, as a feed reader's "open in browser" does: the text, then the
// image, loaded from the feed's media URL under the page's CSP, with its alt text.
func TestBrowserWebsiteFeedItemWithImage(t *testing.T) {
	_, noChromium := os.Stat(chromiumPath)
	if noChromium != nil && os.Getenv("CI") != "true" {
		t.Skip("needs " + chromiumPath)
	}
	s := newFeedSite(t)
	_, body := fetch(t, s.feeds.rss)
	parsed, err := gofeed.NewParser().Parse(bytes.NewReader(body))
	require.NoError(t, err)
	require.Len(t, parsed.Items, 1)
	itemURL := parsed.Items[0].Link
	require.True(t, strings.HasPrefix(itemURL, s.base+"/feeds/"), itemURL)

	bctx := chromium(t, 60*time.Second)

	require.NoError(t, chromedp.Do(bctx, chromedp.Navigate(itemURL), chromedp.WaitVisible(chromedp.CSS(`article img`))))
	loaded, err := chromedp.Run(bctx, chromedp.Evaluate[bool](`(function(){var i=document.querySelector('article img');return i.complete&&i.naturalWidth===60&&i.naturalHeight===40})()`))
	require.NoError(t, err)
	require.True(t, loaded, "the image loads from the feed's media URL")
	alt, err := chromedp.Run(bctx, chromedp.Evaluate[string](`document.querySelector('article img').alt`))
	require.NoError(t, err)
	require.Equal(t, "Three coats from the autumn lookbook", alt)
	text, err := chromedp.Run(bctx, chromedp.Text(chromedp.CSS(`article`)))
	require.NoError(t, err)
	require.Contains(t, text, "Our autumn lookbook is live.")
	if dir := os.Getenv("RELAIS_ARTIFACTS_DIR"); dir != "" {
		shot, err := chromedp.Run(bctx, chromedp.FullScreenshot(90))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(dir+"/feed-item-with-image.png", shot, 0o644))
	}
}
