package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/store/storetest"
)

// The best-time model's recommendation reaches the publishing page, and one
// button adds it to the channel's posting slots, keeping the others.
func TestSuggestedSlotsFromBestTimes(t *testing.T) {
	t.Parallel()
	b := setup(t)
	s := newStudio(t, b, "besttimes")
	ctx := context.Background()
	paris, err := time.LoadLocation("Europe/Paris")
	require.NoError(t, err)

	// Without measured posts there is nothing to suggest.
	res := s.owner.get("/workspaces/besttimes/publishing")
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Contains(t, res.Body, "No best time yet: 0 measured posts")
	require.NotContains(t, res.Body, `id="add-suggested-`+s.mastodonID+`"`)

	require.NoError(t, b.st.SetChannelSlots(ctx, store.ChannelSlots{WorkspaceID: s.ws.ID, ChannelID: s.mastodon.ID, Spec: "Mon 09:00", Timezone: "Europe/Paris", UpdatedAt: time.Now()}))
	storetest.SeedTimingEffect(t, b.st, s.ws.ID, s.mastodon, paris, time.Tuesday, 10, 12)

	res = s.owner.get("/workspaces/besttimes/publishing")
	require.Equal(t, http.StatusOK, res.StatusCode)
	row := res.Body[strings.Index(res.Body, `id="suggest-`+s.mastodonID+`"`):]
	row = row[:strings.Index(row, "</div>")]
	require.Contains(t, row, "Best times from this channel&#39;s results:")
	require.Contains(t, row, "<strong>Tue 10:00</strong>")
	require.Contains(t, row, `id="add-suggested-`+s.mastodonID+`"`)

	res = s.owner.post("/workspaces/besttimes/channels/"+s.mastodonID+"/slots/suggested", url.Values{})
	require.Equal(t, http.StatusSeeOther, res.StatusCode, res.Body)
	cs, err := b.st.ChannelSlots(ctx, s.ws.ID, s.mastodon.ID)
	require.NoError(t, err)
	require.Equal(t, "Mon 09:00; Tue 10:00", cs.Spec)
	require.Equal(t, "Europe/Paris", cs.Timezone)

	// Once added, the button goes; the suggestion stays as information, in French too.
	res = s.owner.get("/workspaces/besttimes/publishing")
	require.NotContains(t, res.Body, `id="add-suggested-`+s.mastodonID+`"`)
	s.owner.lang = "fr"
	res = s.owner.get("/workspaces/besttimes/publishing")
	require.Contains(t, res.Body, "Meilleurs moments d&#39;après les résultats de ce canal")

	// Viewers cannot change the slots; another workspace's channel is not found.
	viewer := b.browser(t)
	vu := viewer.signIn("viewer-besttimes@example.com")
	require.NoError(t, b.st.AddMember(ctx, s.ws.ID, vu.ID, store.RoleViewer))
	require.Equal(t, http.StatusNotFound, viewer.post("/workspaces/besttimes/channels/"+s.mastodonID+"/slots/suggested", url.Values{}).StatusCode)
	other := newStudio(t, b, "otherbest")
	require.Equal(t, http.StatusNotFound, other.owner.post("/workspaces/otherbest/channels/"+s.mastodonID+"/slots/suggested", url.Values{}).StatusCode)
}
