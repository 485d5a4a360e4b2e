package web

import (
	"context"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// TestBrowserComposeScheduleCalendar drives Chromium through the composer:
// three channels, a text over Bluesky's 300-character limit shows the live
// error on the Bluesky variant, a shorter Bluesky override fixes it, the
// post is scheduled and found in the calendar's month view, then dragged to
// another day, and in the week view to another hour. Screenshots of every
// page, on a desktop and on a 390 px phone, go to $RELAIS_ARTIFACTS_DIR.
func TestBrowserComposeScheduleCalendar(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil && os.Getenv("CI") != "true" {
		t.Skip("chromium is not installed at " + chromiumPath)
	}
	b := setup(t)
	ctxb := context.Background()
	u, err := b.auth.CreateUser(ctxb, "olivia@example.com", "Olivia", "correct horse battery", false)
	require.NoError(t, err)
	s := &studio{user: u, ws: b.workspace(t, u, "Acme Studio", "acme")}
	s.owner = b.browser(t)
	seedChannels(t, b, s, "acme")
	_, err = b.compose.CreateSnippet(ctxb, principalOf(t, b, u, s.ws), "Launch tags", "hashtags", "#launch #acme")
	require.NoError(t, err)
	_, err = b.media.Upload(ctxb, s.ws.ID, u.ID, "sunset.png", strings.NewReader(string(pngBytes(t))), 0)
	require.NoError(t, err)

	// 422 answers to a refused form are network entries, not page faults; so
	// is an htmx request cut short by leaving the page (seen under -race: htmx
	// logs the aborted request; a failed answer is htmx:responseError, still caught).
	br := startBrowser(t, 1280, 900, 90*time.Second, func(msg string) bool {
		return strings.Contains(msg, "htmx:sendAbort") || strings.Contains(msg, "htmx:afterRequest")
	})
	ctx, shot, view := br.ctx, br.shot, br.view
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	run := func(steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		require.NoError(t, chromedp.Do(ctx, steps...))
	}
	value := func(a chromedp.Action[string]) string {
		t.Helper()
		v, err := chromedp.Run(ctx, a)
		require.NoError(t, err)
		return v
	}
	url := b.srv.URL
	bsky := "#check-" + s.blueskyID

	run(
		chromedp.Navigate(url+"/login"),
		chromedp.WaitVisible(css(`#email`)),
		chromedp.SendKeys(css(`#email`), "olivia@example.com"),
		chromedp.SendKeys(css(`#password`), "correct horse battery"),
		chromedp.Submit(css(`#password`)),
		chromedp.WaitVisible(css(`.stat`)),
		chromedp.Navigate(url+"/workspaces/acme/posts/new"),
		chromedp.WaitVisible(css(`#text`)),
		chromedp.Click(css(`input[name=channel][value="`+s.blueskyID+`"]`)),
		chromedp.Click(css(`input[name=channel][value="`+s.mastodonID+`"]`)),
		chromedp.Click(css(`input[name=channel][value="`+s.webID+`"]`)),
		chromedp.WaitVisible(css(`#variant-`+s.blueskyID)),
	)
	long := "We are launching the new Acme studio today and we would love you to come and see it. " +
		"There will be coffee, music, a short talk about how we built it, and a tour of every room for anyone who asks. " +
		"Bring a friend, bring your questions, and share this with anyone in town who likes good design and good coffee!!"
	require.Greater(t, len(long), 300)
	run(
		chromedp.SendKeys(css(`#text`), long),
		chromedp.WaitVisible(css(bsky+`.over .problem.sev-error`)),
	)
	counter := value(chromedp.Text(css(bsky + ` .counter`)))
	require.True(t, strings.HasSuffix(counter, "/300"), counter)
	msg := value(chromedp.Text(css(bsky + ` .problem.sev-error`)))
	require.Contains(t, msg, "Bluesky")
	require.Contains(t, msg, "300")
	// The Bluesky variant's own section says it too (an out-of-band swap).
	badge := value(chromedp.Text(css(`#vbadge-` + s.blueskyID + ` .vbadge-problem`)))
	require.Contains(t, badge, "Bluesky")
	require.Contains(t, badge, "300")
	mastodonClass, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("check-`+s.mastodonID+`").className`))
	require.NoError(t, err)
	require.NotContains(t, mastodonClass, "over", "Mastodon allows 500")
	require.Contains(t, value(chromedp.Text(css(`.coach`))), "Create enthusiasm")
	run(chromedp.ScrollIntoView(css(`#text`)), shot("11-compose-over-limit"))

	// Fix it: a shorter Bluesky variant, with the hashtag snippet inserted.
	override := `textarea[name="v.` + s.blueskyID + `.text"]`
	run(
		chromedp.Click(css(`#variant-`+s.blueskyID+` summary`)),
		chromedp.WaitVisible(css(override)),
		chromedp.SendKeys(css(override), "The new Acme studio opens today: coffee, music and a tour. Come by!"),
		chromedp.Click(css(`[data-insert-snippet]`)),
		chromedp.WaitNotPresent(css(bsky+`.over`)),
		chromedp.WaitNotPresent(css(`#vbadge-`+s.blueskyID+` .vbadge-problem`)),
		chromedp.WaitVisible(css(bsky+` .ok-line`)),
	)
	typed, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('`+override+`').value`))
	require.NoError(t, err)
	require.Contains(t, typed, "#launch #acme", "the snippet went where the cursor was")
	_, err = chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelector("`+bsky+` .preview-text").textContent.includes("#launch #acme")`))
	require.NoError(t, err, "the preview follows the inserted snippet")
	// Upload a picture from the composer's picker, with its alt text: it is
	// chosen at once and the previews show it.
	pic := filepath.Join(t.TempDir(), "stage.png")
	stage := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for x := range 64 {
		for y := range 48 {
			stage.Set(x, y, color.RGBA{uint8(200 - y*3), uint8(80 + x), 40, 255})
		}
	}
	f, err := os.Create(pic)
	require.NoError(t, err)
	require.NoError(t, png.Encode(f, stage))
	require.NoError(t, f.Close())
	run(
		chromedp.Click(css(`.compose-main > .card > .media-picker > summary`)),
		chromedp.WaitVisible(css(`#picker-file`)),
		chromedp.SetUploadFiles(css(`#picker-file`), []string{pic}),
		chromedp.SendKeys(css(`#picker-alt`), "The new studio's stage"),
	)
	run(
		chromedp.Click(css(`#picker-upload`)),
		chromedp.WaitVisible(css(`#base-picker input[name=media]:checked`)),
		chromedp.WaitVisible(css(`#check-`+s.mastodonID+` .media-grid img`)),
	)
	items, err := b.media.List(ctxb, s.ws.ID, mediaFilter())
	require.NoError(t, err)
	require.Len(t, items, 2)
	require.Equal(t, "The new studio's stage", items[0].AltText)
	require.Empty(t, value(chromedp.Value(css(`#picker-alt`))), "the picker's inputs are emptied")
	run(chromedp.ScrollIntoView(css(`#variant-`+s.blueskyID)), shot("12-compose-fixed"))

	// Schedule it in three days at 10:00, workspace zone.
	day := time.Now().AddDate(0, 0, 3).Format(time.DateOnly)
	run(
		chromedp.SetValue(css(`#at`), day+"T10:00"),
		chromedp.Click(css(`#schedule-btn`)),
		chromedp.WaitVisible(css(`.flash`)),
	)
	require.Equal(t, "Post scheduled.", value(chromedp.Text(css(`.flash`))))
	require.Contains(t, value(chromedp.Text(css(`h1`))), "Scheduled")
	run(shot("13-post-detail"))

	// The month view shows it on its day; drag it to the next day.
	run(
		chromedp.Navigate(url+"/workspaces/acme/calendar?view=month&date="+day),
		chromedp.WaitVisible(css(`[data-date="`+day+`"] .cal-item`)),
		shot("14-calendar-month"),
	)
	require.Contains(t, value(chromedp.Text(css(`[data-date="`+day+`"] .cal-item`))), "10:00")
	next := time.Now().AddDate(0, 0, 4).Format(time.DateOnly)
	week := day
	if next[:7] == day[:7] { // the drop target must be on the same page
		run(
			chromedp.DragAndDrop(css(`[data-date="`+day+`"] .cal-item`), css(`[data-date="`+next+`"]`)),
			chromedp.WaitVisible(css(`[data-date="`+next+`"] .cal-item`)),
		)
		require.Contains(t, value(chromedp.Text(css(`[data-date="`+next+`"] .cal-item`))), "10:00")
		week = next
	}
	// The week view's hour grid: dragging onto another hour changes the time.
	run(
		chromedp.Navigate(url+"/workspaces/acme/calendar?view=week&date="+week),
		chromedp.WaitVisible(css(`[data-date="`+week+`"][data-hour="10"] .cal-item`)),
		chromedp.DragAndDrop(css(`[data-date="`+week+`"][data-hour="10"] .cal-item`), css(`[data-date="`+week+`"][data-hour="15"]`)),
		chromedp.WaitVisible(css(`[data-date="`+week+`"][data-hour="15"] .cal-item`)),
	)
	require.Contains(t, value(chromedp.Text(css(`[data-date="`+week+`"][data-hour="15"] .cal-item`))), "15:00")
	run(
		chromedp.WaitVisible(css(`.cal-weekview`)),
		shot("15-calendar-week"),
		chromedp.Navigate(url+"/workspaces/acme/media"),
		chromedp.WaitVisible(css(`.media-item`)),
		shot("16-media"),
		chromedp.Navigate(url+"/workspaces/acme/publishing"),
		chromedp.WaitVisible(css(`#rotate-feed`)),
		shot("17-publishing"),
	)

	// A 390 px phone.
	run(
		chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateScale(2)),
		chromedp.Navigate(url+"/workspaces/acme/posts/new"),
		chromedp.WaitVisible(css(`#text`)),
		chromedp.Click(css(`input[name=channel][value="`+s.blueskyID+`"]`)),
		chromedp.SendKeys(css(`#text`), long),
		chromedp.WaitVisible(css(bsky+`.over`)),
		shot("21-phone-compose"),
		chromedp.ScrollIntoView(css(`#variant-`+s.blueskyID)),
		view("21b-phone-compose-variant"),
		chromedp.Navigate(url+"/workspaces/acme/calendar?view=month&date="+day),
		chromedp.WaitVisible(css(`.cal-month`)),
		shot("22-phone-calendar"),
		chromedp.Navigate(url+"/workspaces/acme/calendar?view=list"),
		chromedp.WaitVisible(css(`.table`)),
		shot("23-phone-list"),
		chromedp.Click(css(`.cal-list a`)),
		chromedp.WaitVisible(css(`.variant-view`)),
		shot("24-phone-post"),
	)
	width, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
	require.NoError(t, err)
	require.LessOrEqual(t, width, 390, "no horizontal scrolling on a phone")

	br.requireNoProblems(t)
}
