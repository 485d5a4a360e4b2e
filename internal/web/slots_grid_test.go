package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/store"
)

func TestSlotGridAndQueue(t *testing.T) {
	t.Parallel()
	b := setup(t)
	s := newStudio(t, b, "slotco")
	ctx := context.Background()

	// Without slots the grid offers the usual times, every day unticked.
	res := s.owner.get("/workspaces/slotco/publishing")
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Contains(t, res.Body, `action="/workspaces/slotco/channels/`+s.mastodonID+`/slots/grid"`)
	require.Contains(t, res.Body, `name="slot" value="1-09:00" aria-label="Mon 09:00">`)

	// Tick Monday and Tuesday at 09:00 and add Saturday 10:15.
	grid := url.Values{"slot": {"1-09:00", "2-09:00"}, "new_time": {"10:15"}, "new_day": {"6"}, "timezone": {"Europe/Paris"}}
	res = s.owner.post("/workspaces/slotco/channels/"+s.mastodonID+"/slots/grid", grid)
	require.Equal(t, http.StatusSeeOther, res.StatusCode, res.Body)
	cs, err := b.st.ChannelSlots(ctx, s.ws.ID, s.mastodon.ID)
	require.NoError(t, err)
	require.Equal(t, "Mon-Tue 09:00; Sat 10:15", cs.Spec)
	require.Equal(t, "Europe/Paris", cs.Timezone)

	res = s.owner.get("/workspaces/slotco/publishing")
	require.Contains(t, res.Body, `value="1-09:00" aria-label="Mon 09:00" checked>`)
	require.Contains(t, res.Body, `value="6-10:15" aria-label="Sat 10:15" checked>`)
	require.NotContains(t, res.Body, `value="3-09:00" aria-label="Wed 09:00" checked>`)
	require.Contains(t, res.Body, `value="Mon-Tue 09:00; Sat 10:15"`)

	// A queued post shows in its slot; the next ones are free.
	res = s.owner.post("/workspaces/slotco/posts", form("text", "Queued for the grid", "channel", s.mastodonID, "action", "queue"))
	pid := postIDOf(t, res)
	post, err := b.st.Post(ctx, s.ws.ID, pid)
	require.NoError(t, err)
	require.Equal(t, store.PostScheduled, post.State)
	res = s.owner.get("/workspaces/slotco/publishing")
	queue := res.Body[strings.Index(res.Body, `id="slots-`+s.mastodonID+`"`):]
	queue = queue[strings.Index(queue, `class="slot-queue"`):]
	require.Contains(t, queue[:strings.Index(queue, "</details>")], `href="/workspaces/slotco/posts/`+id(pid)+`">Queued for the grid</a>`)
	require.Contains(t, queue, "free")

	// A bad new time names the field; unticking everything clears the slots.
	res = s.owner.post("/workspaces/slotco/channels/"+s.mastodonID+"/slots/grid", url.Values{"new_time": {"25:00"}, "new_day": {"1"}})
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode)
	require.Contains(t, res.Body, "field-error")
	res = s.owner.post("/workspaces/slotco/channels/"+s.mastodonID+"/slots/grid", url.Values{"timezone": {"Europe/Paris"}})
	require.Equal(t, http.StatusSeeOther, res.StatusCode)
	cs, err = b.st.ChannelSlots(ctx, s.ws.ID, s.mastodon.ID)
	require.NoError(t, err)
	require.Empty(t, cs.Spec)

	// The text form takes the interface's day names (here French).
	res = s.owner.post("/workspaces/slotco/channels/"+s.mastodonID+"/slots", form("spec", "Lun-Ven 08:00", "timezone", "Europe/Paris"))
	require.Equal(t, http.StatusSeeOther, res.StatusCode)
	cs, err = b.st.ChannelSlots(ctx, s.ws.ID, s.mastodon.ID)
	require.NoError(t, err)
	require.Equal(t, "Mon-Fri 08:00", cs.Spec)

	// Viewers cannot save the grid.
	viewer := b.browser(t)
	vu := viewer.signIn("viewer-slots@example.com")
	require.NoError(t, b.st.AddMember(ctx, s.ws.ID, vu.ID, store.RoleViewer))
	require.Equal(t, http.StatusNotFound, viewer.post("/workspaces/slotco/channels/"+s.mastodonID+"/slots/grid", grid).StatusCode)
}
