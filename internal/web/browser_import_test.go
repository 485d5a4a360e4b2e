package web

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// TestBrowserImportMappingAndSlotGrid drives Chromium through the import's
// mapping step (a Buffer file that names no channel) and the publishing
// page's weekly slot grid, on a desktop and on a 390 px phone.
func TestBrowserImportMappingAndSlotGrid(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil && os.Getenv("CI") != "true" {
		t.Skip("chromium is not installed at " + chromiumPath)
	}
	b := setup(t)
	ctxb := context.Background()
	u, err := b.auth.CreateUser(ctxb, "ines@example.com", "Ines", "correct horse battery", false)
	require.NoError(t, err)
	s := &studio{user: u, ws: b.workspace(t, u, "Import Studio", "imp")}
	s.owner = b.browser(t)
	seedChannels(t, b, s, "imp")

	day := time.Now().AddDate(0, 0, 5).Format("2006-01-02")
	file := filepath.Join(t.TempDir(), "buffer.csv")
	require.NoError(t, os.WriteFile(file, []byte("Text,Image URL,Tags,Posting Time,Notes\nFrom Buffer in a browser,,\"launch,spring\","+day+" 2:05 PM,internal\n"), 0o600))

	// The 422 of a refused import is a network entry, not a page fault.
	br := startBrowser(t, 1280, 900, 90*time.Second, nil)
	ctx, shot := br.ctx, br.shot
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	run := func(steps ...chromedp.Action[chromedp.Void]) { t.Helper(); br.do(t, steps...) }
	text := func(sel string) string { t.Helper(); return br.text(t, sel) }
	url := b.srv.URL
	br.signIn(t, url, "ines@example.com")
	run(
		chromedp.Navigate(url+"/workspaces/imp/import"),
		chromedp.WaitVisible(css(`#file`)),
		chromedp.SetUploadFiles(css(`#file`), []string{file}),
		chromedp.Submit(css(`#file`)),
		chromedp.WaitVisible(css(`#import-mapping`)),
		shot("31-import-mapping"),
	)
	require.Contains(t, text(`#import-format`), "Buffer")
	require.Contains(t, text(`#import-ignored`), "Notes")
	run(
		chromedp.Click(css(`#import-ch-`+s.mastodonID)),
		chromedp.Click(css(`#import-again`)),
		chromedp.WaitVisible(css(`.flash`)),
		shot("32-import-done"),
	)
	require.Contains(t, text(`.flash`), "1 post created, 1 scheduled.")

	// The slot grid: tick Monday 09:00 and add Saturday 10:15.
	cell := `#slots-` + s.mastodonID + ` input[name=slot][value="1-09:00"]`
	run(
		chromedp.Navigate(url+"/workspaces/imp/publishing"),
		chromedp.WaitVisible(css(cell)),
		chromedp.Click(css(cell)),
		chromedp.SetValue(css(`#slots-`+s.mastodonID+` input[name=new_time]`), "10:15"),
		chromedp.Click(css(`#slots-`+s.mastodonID+` input[name=new_day][value="6"]`)),
		chromedp.Click(css(`#save-grid-`+s.mastodonID)),
		chromedp.WaitVisible(css(`.flash`)),
		chromedp.WaitVisible(css(`#slots-`+s.mastodonID+` input[value="6-10:15"]`)),
		shot("33-slot-grid"),
	)
	checked, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector('`+cell+`').checked && document.querySelector('#slots-`+s.mastodonID+` input[value="6-10:15"]').checked`))
	require.NoError(t, err)
	require.True(t, checked)
	cs, err := b.st.ChannelSlots(ctxb, s.ws.ID, s.mastodon.ID)
	require.NoError(t, err)
	require.Equal(t, "Mon 09:00; Sat 10:15", cs.Spec)

	// A 390 px phone: the grid and the mapping step fit without scrolling the page sideways.
	run(
		chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateScale(2)),
		chromedp.Navigate(url+"/workspaces/imp/publishing"),
		chromedp.WaitVisible(css(cell)),
		shot("34-phone-slot-grid"),
	)
	width, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
	require.NoError(t, err)
	require.LessOrEqual(t, width, 390, "no horizontal scrolling on a phone")
	run(
		chromedp.Navigate(url+"/workspaces/imp/calendar?view=week&date="+day),
		chromedp.WaitVisible(css(`.cal-hours`)),
		shot("35-phone-week"),
	)
	width, err = chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
	require.NoError(t, err)
	require.LessOrEqual(t, width, 390, "no horizontal scrolling on a phone")
	require.True(t, strings.Contains(text(`.cal-hours`), "14:00"))
	br.requireNoProblems(t)
}
