package web

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"mime/multipart"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/store"
	"github.com/stretchr/testify/require"
)

// studio is a workspace with a Bluesky, a Mastodon and a website channel.
type studio struct {
	ws                           store.Workspace
	owner                        *browser
	user                         store.User
	bluesky, mastodon, website   store.Channel
	blueskyID, mastodonID, webID string
}

func newStudio(t *testing.T, b *bundle, slug string) *studio {
	t.Helper()
	return newStudioAs(t, b, slug, false)
}

// newStudioAs is newStudio with an owner who is an instance administrator when admin.
func newStudioAs(t *testing.T, b *bundle, slug string, admin bool) *studio {
	t.Helper()
	s := &studio{owner: b.browser(t)}
	s.user = s.owner.signInAs(slug+"@example.com", admin)
	s.ws = b.workspace(t, s.user, "Studio "+slug, slug)
	seedChannels(t, b, s, slug)
	return s
}

// seedChannels creates the studio's three channels directly in the store.
func seedChannels(t *testing.T, b *bundle, s *studio, slug string) {
	t.Helper()
	ctx := context.Background()
	for _, c := range []*store.Channel{&s.bluesky, &s.mastodon, &s.website} {
		*c = store.Channel{WorkspaceID: s.ws.ID, Status: store.ChannelOK}
	}
	s.bluesky.Network, s.bluesky.RemoteID, s.bluesky.Handle = "bluesky", "did:plc:"+slug, "@"+slug+".bsky.social"
	s.mastodon.Network, s.mastodon.RemoteID, s.mastodon.Handle = "mastodon", "m-"+slug, "@"+slug+"@mastodon.social"
	s.website.Network, s.website.RemoteID, s.website.Handle = "website", "w-"+slug, slug+".example"
	for _, c := range []*store.Channel{&s.bluesky, &s.mastodon, &s.website} {
		require.NoError(t, b.st.CreateChannel(ctx, c))
	}
	s.blueskyID, s.mastodonID, s.webID = id(s.bluesky.ID), id(s.mastodon.ID), id(s.website.ID)
}

func id(n int64) string { return strconv.FormatInt(n, 10) }

// tomorrow is a moment in the future as the datetime input sends it.
func tomorrow(hour int) string {
	return time.Now().AddDate(0, 0, 2).Format("2006-01-02") + fmt.Sprintf("T%02d:00", hour)
}

var postLocation = regexp.MustCompile(`^/workspaces/[a-z0-9-]+/posts/(\d+)$`)

// postIDOf returns the id of the post a save redirected to.
func postIDOf(t *testing.T, res response) int64 {
	t.Helper()
	require.Equal(t, http.StatusSeeOther, res.StatusCode, res.Body)
	m := postLocation.FindStringSubmatch(res.Header.Get("Location"))
	require.NotNil(t, m, res.Header.Get("Location"))
	n, _ := strconv.ParseInt(m[1], 10, 64)
	return n
}

func TestComposerLiveValidationNamesNetworkLimitAndValue(t *testing.T) {
	t.Parallel()
	b := setup(t)
	s := newStudio(t, b, "acme")
	res := s.owner.get("/workspaces/acme/posts/new")
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Contains(t, res.Body, `hx-post="/workspaces/acme/posts/validate"`)
	require.Contains(t, res.Body, `hx-trigger="input changed delay:300ms, change`)
	require.Contains(t, res.Body, "@acme.bsky.social")

	long := strings.Repeat("word ", 62) + "end" // 313 characters
	res = s.owner.post("/workspaces/acme/posts/validate", form("text", long, "channel", s.blueskyID, "channel", s.mastodonID))
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.NotContains(t, res.Body, "<html", "a fragment, not a page")
	require.Contains(t, res.Body, "313/300")
	require.Contains(t, res.Body, "313/500")
	require.Regexp(t, `Bluesky[^<]*300[^<]*313|Bluesky[^<]*313[^<]*300`, res.Body)
	require.Contains(t, res.Body, `id="check-`+s.blueskyID+`"`)
	require.Contains(t, res.Body, "coach-rule", "the coach panel is shown")

	// The override fixes Bluesky; Mastodon keeps the base text.
	res = s.owner.post("/workspaces/acme/posts/validate", form("text", long, "channel", s.blueskyID, "v."+s.blueskyID+".text", "Short for Bluesky https://example.com/a"))
	require.NotContains(t, res.Body, "live-variant over")
	require.Contains(t, res.Body, "example.com", "link card")

	// French messages.
	s.owner.lang = "fr"
	res = s.owner.post("/workspaces/acme/posts/validate", form("text", long, "channel", s.blueskyID))
	require.Contains(t, res.Body, "313/300")
	require.Contains(t, res.Body, "Coach de contenu")
	s.owner.lang = ""

	// Nothing chosen: the panel says so; an unknown channel is named.
	res = s.owner.post("/workspaces/acme/posts/validate", form("text", "hi"))
	require.Contains(t, res.Body, "choose at least one channel")
	res = s.owner.post("/workspaces/acme/posts/validate", form("text", "hi", "labels", "oops"))
	require.Contains(t, res.Body, "key=value")
}

func TestComposerSaveScheduleAndShow(t *testing.T) {
	t.Parallel()
	b := setup(t)
	s := newStudio(t, b, "acme")
	long := strings.Repeat("word ", 62) + "end"
	at := tomorrow(9)
	base := []string{"text", long, "channel", s.blueskyID, "channel", s.mastodonID, "channel", s.webID, "labels", "theme=launch, target_group=students",
		"timezone", "Europe/Paris", "at", at, "action", "schedule"}

	// Over the limit: 422, the problem next to Bluesky's field, everything kept.
	res := s.owner.post("/workspaces/acme/posts", form(base...))
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode)
	require.Contains(t, res.Body, "Bluesky")
	require.Contains(t, res.Body, `class="field-error"`)
	require.Contains(t, res.Body, "theme=launch, target_group=students")
	require.Contains(t, res.Body, `value="`+at+`"`)
	require.Regexp(t, `name="channel" value="`+s.webID+`"[^>]*checked`, res.Body)
	posts, err := b.st.Posts(context.Background(), s.ws.ID, store.PostFilter{Limit: 10})
	require.NoError(t, err)
	require.Empty(t, posts, "nothing saved")

	// Fixed with a Bluesky override: saved and scheduled.
	res = s.owner.post("/workspaces/acme/posts", form(append(base, "v."+s.blueskyID+".text", "Launch day! Short version for Bluesky.")...))
	pid := postIDOf(t, res)
	post, err := b.st.Post(context.Background(), s.ws.ID, pid)
	require.NoError(t, err)
	require.Equal(t, store.PostScheduled, post.State)
	paris, _ := time.LoadLocation("Europe/Paris")
	require.Equal(t, at, post.ScheduledAt.In(paris).Format(datetimeLayout))

	res = s.owner.get(res.Header.Get("Location"))
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Contains(t, res.Body, "Post scheduled.")
	require.Contains(t, res.Body, "Launch day! Short version for Bluesky.")
	require.Contains(t, res.Body, "theme=launch")
	require.Contains(t, res.Body, "/reschedule")

	// The edit form shows the saved post.
	res = s.owner.get("/workspaces/acme/posts/" + id(pid) + "/edit")
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Contains(t, res.Body, "Launch day! Short version for Bluesky.</textarea>")
	require.Contains(t, res.Body, `value="`+at+`"`)

	// A draft may be invalid; scheduling it later refuses with the reason.
	res = s.owner.post("/workspaces/acme/posts", form("text", long, "channel", s.blueskyID, "action", "draft"))
	draft := postIDOf(t, res)
	res = s.owner.post("/workspaces/acme/posts/"+id(draft)+"/reschedule", form("at", at, "timezone", "Europe/Paris"))
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode)
	require.Contains(t, res.Body, "Bluesky")
}

func TestComposerBadInput(t *testing.T) {
	t.Parallel()
	b := setup(t)
	s := newStudio(t, b, "acme")
	for _, tc := range []struct {
		name string
		kv   []string
		want string
	}{
		{"no channel", []string{"text", "hello", "action", "draft"}, "choose at least one channel"},
		{"bad label", []string{"text", "hello", "channel", s.webID, "labels", "nolabel", "action", "draft"}, "must be key=value"},
		{"bad zone", []string{"text", "hello", "channel", s.webID, "timezone", "Mars/Olympus", "action", "draft"}, "not an IANA time zone"},
		{"no date", []string{"text", "hello", "channel", s.webID, "action", "schedule"}, "choose a date and a time"},
		{"past", []string{"text", "hello", "channel", s.webID, "at", "2020-01-01T10:00", "action", "schedule"}, "in the past"},
		{"no slots", []string{"text", "hello", "channel", s.webID, "action", "queue"}, "has posting slots"},
		{"other workspace channel", []string{"text", "hello", "channel", "99999", "action", "draft"}, "no channel 99999"},
	} {
		res := s.owner.post("/workspaces/acme/posts", form(tc.kv...))
		require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode, tc.name)
		require.Contains(t, res.Body, tc.want, tc.name)
		require.Contains(t, res.Body, "hello", tc.name+": the text is kept")
	}
	// Split into thread fills the Mastodon thread parts.
	long := strings.Repeat("This sentence is here to be split. ", 30)
	res := s.owner.post("/workspaces/acme/posts/split", form("text", long, "channel", s.mastodonID, "split", s.mastodonID))
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Contains(t, res.Body, "\n---\n")
	res = s.owner.post("/workspaces/acme/posts/split", form("text", long, "channel", s.webID, "split", s.webID))
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode)
	require.Regexp(t, `[A-Za-z] does not support threads`, res.Body, "the message names the network")
}

func TestPostPagesAreScopedToTheWorkspace(t *testing.T) {
	t.Parallel()
	b := setup(t)
	mine := newStudio(t, b, "mine")
	theirs := newStudio(t, b, "theirs")
	res := theirs.owner.post("/workspaces/theirs/posts", form("text", "secret plan", "channel", theirs.webID, "action", "draft"))
	theirPost := id(postIDOf(t, res))
	m, err := b.media.Upload(context.Background(), theirs.ws.ID, theirs.user.ID, "x.png", bytes.NewReader(pngBytes(t)), 0)
	require.NoError(t, err)
	theirMedia := id(m.ID)

	for _, path := range []string{"/posts/" + theirPost, "/posts/" + theirPost + "/edit", "/media/" + theirMedia + "/file", "/posts/abc"} {
		res := mine.owner.get("/workspaces/mine" + path)
		require.Equal(t, http.StatusNotFound, res.StatusCode, path)
		require.NotContains(t, res.Body, "secret plan")
		res = mine.owner.get("/workspaces/theirs" + path)
		require.Equal(t, http.StatusNotFound, res.StatusCode, "not a member: "+path)
	}
	for _, path := range []string{"/posts/" + theirPost, "/posts/" + theirPost + "/submit", "/posts/" + theirPost + "/approve",
		"/posts/" + theirPost + "/reject", "/posts/" + theirPost + "/reopen", "/posts/" + theirPost + "/reschedule", "/posts/" + theirPost + "/queue",
		"/posts/" + theirPost + "/now", "/posts/" + theirPost + "/cancel", "/posts/" + theirPost + "/retry/1", "/posts/" + theirPost + "/comments",
		"/posts/" + theirPost + "/delete", "/media/" + theirMedia + "/alt", "/media/" + theirMedia + "/delete", "/channels/" + theirs.webID + "/slots"} {
		res := mine.owner.post("/workspaces/mine"+path, form("text", "x", "channel", mine.webID, "body", "hi", "alt_text", "a", "at", tomorrow(9), "spec", "Mon 09:00"))
		require.Equal(t, http.StatusNotFound, res.StatusCode, path)
	}
	theirID, _ := strconv.ParseInt(theirPost, 10, 64)
	post, err := b.st.Post(context.Background(), theirs.ws.ID, theirID)
	require.NoError(t, err)
	require.Equal(t, "secret plan", post.Text, "untouched")
	_, err = b.media.Get(context.Background(), theirs.ws.ID, m.ID)
	require.NoError(t, err, "their media is still there")
}

func TestRolesOnPostPages(t *testing.T) {
	t.Parallel()
	b := setup(t)
	s := newStudio(t, b, "acme")
	ctx := context.Background()
	_, err := b.auth.UpdateWorkspace(ctx, principalOf(t, b, s.user, s.ws), auth.WorkspaceSettings{Name: s.ws.Name, Slug: s.ws.Slug, Timezone: s.ws.Timezone, ApprovalRequired: true})
	require.NoError(t, err)
	member := func(email string, role store.Role) *browser {
		br := b.browser(t)
		u := br.signIn(email)
		require.NoError(t, b.st.AddMember(ctx, s.ws.ID, u.ID, role))
		return br
	}
	viewer, editor, approver := member("v@example.com", store.RoleViewer), member("e@example.com", store.RoleEditor), member("a@example.com", store.RoleApprover)

	require.Equal(t, http.StatusNotFound, viewer.get("/workspaces/acme/posts/new").StatusCode)
	require.Equal(t, http.StatusNotFound, viewer.post("/workspaces/acme/posts", form("text", "x", "channel", s.webID)).StatusCode)
	require.Equal(t, http.StatusNotFound, viewer.post("/workspaces/acme/media", nil).StatusCode)

	// The editor submits (approval is required); scheduling is refused until approved.
	res := editor.get("/workspaces/acme/posts/new")
	require.Contains(t, res.Body, `value="submit"`)
	res = editor.post("/workspaces/acme/posts", form("text", "Big news", "channel", s.webID, "action", "schedule", "at", tomorrow(10)))
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode)
	require.Contains(t, res.Body, "requires approval")
	res = editor.post("/workspaces/acme/posts", form("text", "Big news", "channel", s.webID, "action", "submit"))
	pid := id(postIDOf(t, res))
	post, _ := b.st.Post(ctx, s.ws.ID, postIDOf(t, res))
	require.Equal(t, store.PostInReview, post.State)

	// The viewer sees it without controls; the approver sees the review form.
	res = viewer.get("/workspaces/acme/posts/" + pid)
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.NotContains(t, res.Body, "/approve")
	require.NotContains(t, res.Body, "/edit")
	require.Equal(t, http.StatusNotFound, viewer.post("/workspaces/acme/posts/"+pid+"/approve", nil).StatusCode)
	require.Equal(t, http.StatusNotFound, editor.post("/workspaces/acme/posts/"+pid+"/approve", nil).StatusCode)
	res = approver.get("/workspaces/acme/posts/" + pid)
	require.Contains(t, res.Body, "/approve")
	res = approver.post("/workspaces/acme/posts/"+pid+"/reject", form("note", "Needs a picture"))
	require.Equal(t, http.StatusSeeOther, res.StatusCode)
	res = editor.get("/workspaces/acme/posts/" + pid)
	require.Contains(t, res.Body, "Needs a picture")
	require.Contains(t, res.Body, "Sent back")
	require.Equal(t, http.StatusSeeOther, editor.post("/workspaces/acme/posts/"+pid+"/submit", nil).StatusCode)
	require.Equal(t, http.StatusSeeOther, approver.post("/workspaces/acme/posts/"+pid+"/approve", form("note", "Go")).StatusCode)
	res = editor.post("/workspaces/acme/posts/"+pid+"/reschedule", form("at", tomorrow(11), "timezone", "Europe/Berlin"))
	require.Equal(t, http.StatusSeeOther, res.StatusCode, res.Body)
	post, _ = b.st.Post(ctx, s.ws.ID, post.ID)
	require.Equal(t, store.PostScheduled, post.State)
	require.Equal(t, "Europe/Berlin", post.Timezone)

	// Comments, history, cancel, reopen and delete.
	require.Equal(t, http.StatusUnprocessableEntity, editor.post("/workspaces/acme/posts/"+pid+"/comments", form("body", " ")).StatusCode)
	require.Equal(t, http.StatusSeeOther, approver.post("/workspaces/acme/posts/"+pid+"/comments", form("body", "Looks great")).StatusCode)
	require.Equal(t, http.StatusSeeOther, editor.post("/workspaces/acme/posts/"+pid+"/cancel", nil).StatusCode)
	require.Equal(t, http.StatusSeeOther, editor.post("/workspaces/acme/posts/"+pid+"/reopen", nil).StatusCode)
	res = editor.get("/workspaces/acme/posts/" + pid)
	require.Contains(t, res.Body, "Looks great")
	for _, action := range []string{"Submitted for review", "Approved", "Scheduled", "Cancelled", "Reopened"} {
		require.Contains(t, res.Body, action)
	}
	require.Equal(t, http.StatusSeeOther, editor.post("/workspaces/acme/posts/"+pid+"/delete", nil).StatusCode)
	require.Equal(t, http.StatusNotFound, editor.get("/workspaces/acme/posts/"+pid).StatusCode)
}

func principalOf(t *testing.T, b *bundle, u store.User, ws store.Workspace) auth.Principal {
	t.Helper()
	p, err := b.auth.Principal(context.Background(), u, ws.ID)
	require.NoError(t, err)
	return p
}

func TestCalendarViewsDSTAndReschedule(t *testing.T) {
	t.Parallel()
	b := setup(t)
	s := newStudio(t, b, "acme")
	ctx := context.Background()
	paris, _ := time.LoadLocation("Europe/Paris")
	// A post on the spring DST day of next year (a 23 hour day) at 12:00.
	year := time.Now().Year() + 1
	dst := time.Date(year, time.March, 31, 12, 0, 0, 0, paris)
	for dst.Weekday() != time.Sunday {
		dst = dst.AddDate(0, 0, -1)
	}
	at := dst.Format(datetimeLayout)
	res := s.owner.post("/workspaces/acme/posts", form("text", "Spring forward", "channel", s.webID, "labels", "theme=spring", "at", at, "timezone", "Europe/Paris", "action", "schedule"))
	pid := postIDOf(t, res)
	res = s.owner.post("/workspaces/acme/posts", form("text", "Unplanned idea", "channel", s.blueskyID, "action", "draft"))
	postIDOf(t, res)

	day := dst.Format(time.DateOnly)
	res = s.owner.get("/workspaces/acme/calendar?view=month&date=" + day)
	require.Equal(t, http.StatusOK, res.StatusCode)
	cell := regexp.MustCompile(`(?s)data-date="` + day + `">(.*?)</div>\s*</div>`).FindStringSubmatch(res.Body)
	require.NotNil(t, cell)
	require.Contains(t, cell[0], "12:00")
	require.Contains(t, cell[0], `data-post-id="`+id(pid)+`"`)
	require.Contains(t, res.Body, "March "+strconv.Itoa(year))
	require.Equal(t, 1, strings.Count(res.Body, `data-date="`+day+`"`), "the DST day is one cell")

	res = s.owner.get("/workspaces/acme/calendar?view=week&date=" + day)
	require.Contains(t, res.Body, "Spring forward")
	res = s.owner.get("/workspaces/acme/calendar?view=list")
	require.Contains(t, res.Body, "Spring forward")
	require.Contains(t, res.Body, "Unplanned idea")

	// Filters: by channel, by label, by state.
	res = s.owner.get("/workspaces/acme/calendar?view=list&channel=" + s.blueskyID)
	require.NotContains(t, res.Body, "Spring forward")
	require.Contains(t, res.Body, "Unplanned idea")
	res = s.owner.get("/workspaces/acme/calendar?view=list&label=theme%3Dspring")
	require.Contains(t, res.Body, "Spring forward")
	require.NotContains(t, res.Body, "Unplanned idea")
	res = s.owner.get("/workspaces/acme/calendar?view=list&state=draft")
	require.NotContains(t, res.Body, "Spring forward")
	res = s.owner.get("/workspaces/acme/calendar?view=list&label=nolabel")
	require.Contains(t, res.Body, "key=value")

	// Drag and drop posts the new day at the same time of day: the Saturday
	// before the change is 23 hours earlier.
	next := dst.AddDate(0, 0, -1).Format(time.DateOnly) + "T12:00"
	res = s.owner.post("/workspaces/acme/posts/"+id(pid)+"/reschedule", form("at", next, "timezone", "Europe/Paris"))
	require.Equal(t, http.StatusSeeOther, res.StatusCode)
	post, err := b.st.Post(ctx, s.ws.ID, pid)
	require.NoError(t, err)
	require.Equal(t, next, post.ScheduledAt.In(paris).Format(datetimeLayout))
	require.Equal(t, 23*time.Hour, dst.Sub(*post.ScheduledAt))
	res = s.owner.post("/workspaces/acme/posts/"+id(pid)+"/reschedule", form("at", "tomorrow", "timezone", "Europe/Paris"))
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode)
	require.Contains(t, res.Body, "choose a date and a time")
}

func pngBytes(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 40, 30))
	for x := 0; x < 40; x++ {
		for y := 0; y < 30; y++ {
			img.Set(x, y, color.RGBA{uint8(x * 6), uint8(y * 8), 200, 255})
		}
	}
	var buf bytes.Buffer
	require.NoError(t, png.Encode(&buf, img))
	return buf.Bytes()
}

// upload sends a multipart form with a file.
func (br *browser) upload(path, field, filename string, data []byte, kv ...string) response {
	br.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for i := 0; i+1 < len(kv); i += 2 {
		require.NoError(br.t, mw.WriteField(kv[i], kv[i+1]))
	}
	if filename != "" {
		fw, err := mw.CreateFormFile(field, filename)
		require.NoError(br.t, err)
		_, _ = fw.Write(data)
	}
	require.NoError(br.t, mw.Close())
	req, err := http.NewRequest(http.MethodPost, br.b.srv.URL+path, &body)
	require.NoError(br.t, err)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return br.do(req)
}

func TestMediaLibraryPage(t *testing.T) {
	t.Parallel()
	b := setup(t)
	s := newStudio(t, b, "acme")
	res := s.owner.get("/workspaces/acme/media")
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Contains(t, res.Body, "The media library is empty.")

	res = s.owner.upload("/workspaces/acme/media", "file", "", nil)
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode)
	require.Contains(t, res.Body, "Choose a file to upload")
	res = s.owner.upload("/workspaces/acme/media", "file", "notes.txt", []byte("plain text is not media"))
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode)
	require.Contains(t, res.Body, "field-error")

	res = s.owner.upload("/workspaces/acme/media", "file", "huge.png", bytes.Repeat([]byte{1}, 5<<20))
	require.Equal(t, http.StatusRequestEntityTooLarge, res.StatusCode, "the test upload limit is 4 MiB")
	res = s.owner.upload("/workspaces/acme/media", "file", "sunset.png", pngBytes(t), "alt_text", "")
	require.Equal(t, http.StatusSeeOther, res.StatusCode, res.Body)
	res = s.owner.get("/workspaces/acme/media")
	require.Contains(t, res.Body, "sunset.png")
	require.Contains(t, res.Body, "No alt text")
	require.Contains(t, res.Body, "Checked against:")
	items, err := b.media.List(context.Background(), s.ws.ID, mediaFilter())
	require.NoError(t, err)
	require.Len(t, items, 1)
	mid := id(items[0].ID)

	file := s.owner.get("/workspaces/acme/media/" + mid + "/file")
	require.Equal(t, http.StatusOK, file.StatusCode)
	require.Equal(t, "image/png", file.Header.Get("Content-Type"))
	_, err = png.Decode(strings.NewReader(file.Body))
	require.NoError(t, err)

	res = s.owner.post("/workspaces/acme/media/"+mid+"/alt", form("alt_text", strings.Repeat("a", 1501)))
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode)
	require.Contains(t, res.Body, "1500")
	res = s.owner.post("/workspaces/acme/media/"+mid+"/alt", form("alt_text", "A red sunset over the sea"))
	require.Equal(t, http.StatusSeeOther, res.StatusCode)
	res = s.owner.get("/workspaces/acme/media")
	require.Contains(t, res.Body, "A red sunset over the sea")
	require.NotContains(t, res.Body, "No alt text")

	// The composer's picker offers it, and the preview shows it.
	res = s.owner.get("/workspaces/acme/posts/new")
	require.Contains(t, res.Body, `name="media" value="`+mid+`"`)
	res = s.owner.post("/workspaces/acme/posts/validate", form("text", "Look", "channel", s.mastodonID, "media", mid))
	require.Contains(t, res.Body, `/workspaces/acme/media/`+mid+`/file`)

	// Uploading from the composer's picker answers the picker with the new
	// item chosen next to the ones already chosen.
	res = s.owner.upload("/workspaces/acme/media?picker=1", "file", "other.png", pngBytes(t)[:60], "media", mid, "text", "draft text")
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Contains(t, res.Body, `<div id="base-picker">`)
	require.Contains(t, res.Body, "field-error", "a cut PNG is refused in the picker")
	img := image.NewGray(image.Rect(0, 0, 8, 8))
	var other bytes.Buffer
	require.NoError(t, png.Encode(&other, img))
	res = s.owner.upload("/workspaces/acme/media?picker=1", "file", "gray.png", other.Bytes(), "media", mid, "alt_text", "A grey square")
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Equal(t, "mediaAdded", res.Header.Get("HX-Trigger-After-Settle"))
	require.NotContains(t, res.Body, "<html")
	require.Equal(t, 2, strings.Count(res.Body, "checked"), "the chosen item and the new one")
	require.Contains(t, res.Body, "gray.png")
	require.Contains(t, res.Body, `alt="A grey square"`)

	res = s.owner.post("/workspaces/acme/media/"+mid+"/delete", nil)
	require.Equal(t, http.StatusSeeOther, res.StatusCode)
	require.Equal(t, http.StatusNotFound, s.owner.get("/workspaces/acme/media/"+mid+"/file").StatusCode)
}

func TestPublishingSettingsImportExport(t *testing.T) {
	t.Parallel()
	b := setup(t)
	s := newStudio(t, b, "acme")
	res := s.owner.get("/workspaces/acme/publishing")
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Contains(t, res.Body, "Posting slots")

	res = s.owner.post("/workspaces/acme/channels/"+s.mastodonID+"/slots", form("spec", "Someday 25:00", "timezone", "Europe/Paris"))
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode)
	require.Contains(t, res.Body, "Someday 25:00")
	require.Contains(t, res.Body, "field-error")
	res = s.owner.post("/workspaces/acme/channels/"+s.mastodonID+"/slots", form("spec", "Mon-Fri 09:00,12:30,18:00", "timezone", "Europe/Paris"))
	require.Equal(t, http.StatusSeeOther, res.StatusCode)
	res = s.owner.get("/workspaces/acme/publishing")
	require.Contains(t, res.Body, "09:00")

	// Add to queue now finds a slot.
	res = s.owner.post("/workspaces/acme/posts", form("text", "Queued", "channel", s.mastodonID, "action", "queue"))
	pid := postIDOf(t, res)
	post, err := b.st.Post(context.Background(), s.ws.ID, pid)
	require.NoError(t, err)
	require.Equal(t, store.PostScheduled, post.State)

	res = s.owner.post("/workspaces/acme/ical/rotate", nil)
	require.Equal(t, http.StatusOK, res.StatusCode)
	feed := regexp.MustCompile(`value="(` + regexp.QuoteMeta(b.srv.URL) + `/ical/[A-Za-z0-9_-]+\.ics)"`).FindStringSubmatch(res.Body)
	require.NotNil(t, feed, "the feed URL is shown once")
	token := strings.TrimSuffix(strings.TrimPrefix(feed[1], b.srv.URL+"/ical/"), ".ics")
	ics, err := b.compose.ICal(context.Background(), token)
	require.NoError(t, err)
	require.Contains(t, string(ics), "Queued")
	require.Equal(t, http.StatusSeeOther, s.owner.post("/workspaces/acme/ical/disable", nil).StatusCode)
	_, err = b.compose.ICal(context.Background(), token)
	require.Error(t, err)

	// Import: one bad row; nothing imported until the valid rows are chosen.
	day := time.Now().AddDate(0, 0, 3).Format("2006-01-02")
	csv := "date,time,timezone,channels,text\n" + day + ",10:00,Europe/Paris," + s.mastodon.Handle + ",Imported one\n" +
		day + ",11:00,Europe/Paris,nowhere,Imported two\n"
	res = s.owner.upload("/workspaces/acme/import", "file", "posts.csv", []byte(csv))
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode, res.Body)
	require.Contains(t, res.Body, "2 rows read, 1 valid.")
	require.Contains(t, res.Body, "nowhere")
	require.Contains(t, res.Body, `id="import-valid"`)
	res = s.owner.post("/workspaces/acme/import", form("csv", csv, "valid_only", "1"))
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Contains(t, res.Body, "1 post created, 1 scheduled.")
	res = s.owner.upload("/workspaces/acme/import", "file", "", nil)
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode)
	require.Contains(t, res.Body, "Choose a CSV file")

	res = s.owner.get("/workspaces/acme/export/csv")
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Equal(t, "text/csv; charset=utf-8", res.Header.Get("Content-Type"))
	require.Contains(t, res.Body, "Imported one")
	require.Contains(t, res.Header.Get("Content-Disposition"), ".csv")
	res = s.owner.get("/workspaces/acme/export/json")
	require.Equal(t, "application/json", res.Header.Get("Content-Type"))
	require.Contains(t, res.Body, "Queued")
	require.Equal(t, http.StatusNotFound, s.owner.get("/workspaces/acme/export/xml").StatusCode)

	// Viewers: no slot editing, no feed rotation, no import.
	viewer := b.browser(t)
	vu := viewer.signIn("v@example.com")
	require.NoError(t, b.st.AddMember(context.Background(), s.ws.ID, vu.ID, store.RoleViewer))
	require.Equal(t, http.StatusNotFound, viewer.post("/workspaces/acme/channels/"+s.mastodonID+"/slots", form("spec", "")).StatusCode)
	require.Equal(t, http.StatusNotFound, viewer.post("/workspaces/acme/ical/rotate", nil).StatusCode)
	require.Equal(t, http.StatusNotFound, viewer.get("/workspaces/acme/import").StatusCode)
}

func TestProblemsView(t *testing.T) {
	t.Parallel()
	b := setup(t)
	s := newStudio(t, b, "acme")
	res := s.owner.get("/workspaces/acme/problems")
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Contains(t, res.Body, "Nothing is stuck or failed.")
	require.NotContains(t, res.Body, "stuck or failed</a>", "no header link when empty")

	// A channel that needs reconnecting holds its scheduled publication.
	res = s.owner.post("/workspaces/acme/posts", form("text", "Held back", "channel", s.mastodonID, "at", tomorrow(9), "action", "schedule"))
	postIDOf(t, res)
	_, err := b.st.HoldChannel(context.Background(), s.ws.ID, s.mastodon.ID, "the token was revoked", time.Now())
	require.NoError(t, err)
	res = s.owner.get("/workspaces/acme/problems")
	require.Contains(t, res.Body, "Held back")
	require.Contains(t, res.Body, "the token was revoked")
	require.Contains(t, res.Body, "1 stuck or failed")
}

func TestPostDetailAttemptLogRetryAndProblems(t *testing.T) {
	t.Parallel()
	b := setup(t)
	s := newStudio(t, b, "acme")
	ctx := context.Background()
	res := s.owner.post("/workspaces/acme/posts", form("text", "Out now", "channel", s.mastodonID, "channel", s.webID, "action", "now"))
	pid := postIDOf(t, res)

	// The engine's part, done by hand: Mastodon fails, the website publishes.
	failed := publishByHand(t, b, s.ws.ID, "https://acme.example/posts/out-now")
	require.NotZero(t, failed)

	res = s.owner.get("/workspaces/acme/posts/" + id(pid))
	require.Equal(t, http.StatusOK, res.StatusCode)
	for _, want := range []string{"Validation failed: text too long", "321 ms", "422", "Mastodon refused the post", `href="https://acme.example/posts/out-now"`, "/retry/" + id(failed), "Attempt log (1)"} {
		require.Contains(t, res.Body, want)
	}
	res = s.owner.get("/workspaces/acme/problems")
	require.Contains(t, res.Body, "Out now")
	require.Contains(t, res.Body, "Failed: Mastodon refused the post")
	require.Contains(t, res.Body, `href="/workspaces/acme/problems"`, "the header links to the view")

	// A viewer sees the log but cannot retry.
	viewer := b.browser(t)
	vu := viewer.signIn("v@example.com")
	require.NoError(t, b.st.AddMember(ctx, s.ws.ID, vu.ID, store.RoleViewer))
	res = viewer.get("/workspaces/acme/posts/" + id(pid))
	require.Contains(t, res.Body, "Validation failed: text too long")
	require.NotContains(t, res.Body, "/retry/")
	require.Equal(t, http.StatusNotFound, viewer.post("/workspaces/acme/posts/"+id(pid)+"/retry/"+id(failed), nil).StatusCode)

	res = s.owner.post("/workspaces/acme/posts/"+id(pid)+"/retry/"+id(failed), nil)
	require.Equal(t, http.StatusSeeOther, res.StatusCode, res.Body)
	pub, err := b.st.Publication(ctx, s.ws.ID, failed)
	require.NoError(t, err)
	require.Equal(t, store.PubScheduled, pub.State)
	res = s.owner.post("/workspaces/acme/posts/"+id(pid)+"/retry/"+id(failed), nil)
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode, "a scheduled publication cannot be retried")
	require.Contains(t, res.Body, "can be retried")
}

var rawKey = regexp.MustCompile(`\b(compose|calendar|post|media|problems|publishing|import|coach|state|pubstate|history|decision|nav|weekday|monthlong|valid)\.[a-z_0-9]+\b`)

func TestComposePagesInFrenchAndGerman(t *testing.T) {
	t.Parallel()
	b := setup(t)
	s := newStudio(t, b, "acme")
	res := s.owner.post("/workspaces/acme/posts", form("text", "Bonjour", "channel", s.mastodonID, "labels", "theme=x", "at", tomorrow(9), "action", "schedule"))
	pid := id(postIDOf(t, res))
	require.Equal(t, http.StatusSeeOther, s.owner.post("/workspaces/acme/posts/"+pid+"/comments", form("body", "ok")).StatusCode)
	for lang, want := range map[string][]string{
		"fr": {"Nouvelle publication", "Planifiée", "Calendrier", "Médiathèque", "Créneaux de publication", "Choisissez une date et une heure", "lun."},
		"de": {"Neuer Beitrag", "Geplant", "Kalender", "Mediathek", "Veröffentlichungszeiten", "Wählen Sie Datum und Uhrzeit", "Mo"},
	} {
		s.owner.lang = lang
		var all strings.Builder
		for _, path := range []string{"/posts/new", "/posts/" + pid, "/posts/" + pid + "/edit", "/calendar", "/calendar?view=week", "/calendar?view=list",
			"/media", "/problems", "/publishing", "/import"} {
			res := s.owner.get("/workspaces/acme" + path)
			require.Equal(t, http.StatusOK, res.StatusCode, path)
			require.NotRegexp(t, rawKey, res.Body, lang+" "+path)
			all.WriteString(res.Body)
		}
		res := s.owner.post("/workspaces/acme/posts", form("text", "Hallo", "channel", s.webID, "action", "schedule"))
		require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode)
		require.NotRegexp(t, rawKey, res.Body)
		all.WriteString(res.Body)
		for _, w := range want {
			require.Contains(t, all.String(), w, lang)
		}
	}
}

func TestEditKeepsSharedAndURLMedia(t *testing.T) {
	t.Parallel()
	b := setup(t)
	s := newStudio(t, b, "acme")
	ctx := context.Background()
	m, err := b.media.Upload(ctx, s.ws.ID, s.user.ID, "x.png", bytes.NewReader(pngBytes(t)), 0)
	require.NoError(t, err)
	mid := id(m.ID)
	res := s.owner.post("/workspaces/acme/posts", form("text", "With a picture", "channel", s.mastodonID, "channel", s.webID, "media", mid, "action", "draft"))
	pid := id(postIDOf(t, res))
	res = s.owner.get("/workspaces/acme/posts/" + pid + "/edit")
	require.Regexp(t, `name="media" value="`+mid+`" checked`, res.Body, "shared media show as the base media")
	require.NotRegexp(t, `name="v\.\d+\.media" value="`+mid+`" checked`, res.Body)
	require.Contains(t, res.Body, `id="check-`+s.mastodonID+`"`, "the edit page opens with its check")
	res = s.owner.get("/workspaces/acme/posts/" + pid)
	require.Equal(t, 2, strings.Count(res.Body, `<img src="/workspaces/acme/media/`+mid+`/file"`), "the picture on both channels")

	// An imported post's media URL survives an edit.
	day := time.Now().AddDate(0, 0, 3).Format("2006-01-02")
	csv := "date,time,channels,text,media_url\n" + day + ",10:00," + s.mastodon.Handle + ",Imported,https://cdn.example.com/a.jpg\n"
	res = s.owner.upload("/workspaces/acme/import", "file", "p.csv", []byte(csv))
	require.Equal(t, http.StatusOK, res.StatusCode, res.Body)
	posts, err := b.st.Posts(ctx, s.ws.ID, store.PostFilter{Limit: 10})
	require.NoError(t, err)
	var imported int64
	for _, p := range posts {
		if p.Text == "Imported" {
			imported = p.ID
		}
	}
	require.NotZero(t, imported)
	res = s.owner.get("/workspaces/acme/posts/" + id(imported) + "/edit")
	require.Contains(t, res.Body, `name="media_urls" value="https://cdn.example.com/a.jpg"`)
	res = s.owner.post("/workspaces/acme/posts/"+id(imported), form("text", "Imported, edited", "channel", s.mastodonID, "media_urls", "https://cdn.example.com/a.jpg", "action", "draft"))
	require.Equal(t, http.StatusSeeOther, res.StatusCode, res.Body)
	v, err := b.compose.Get(ctx, principalOf(t, b, s.user, s.ws), imported)
	require.NoError(t, err)
	require.Equal(t, "https://cdn.example.com/a.jpg", v.Variants[0].Media[0].URL)
	require.Equal(t, "Imported, edited", v.Text)
}
