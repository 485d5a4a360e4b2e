package web

import (
	"context"
	"net/http"
	"strconv"
	"testing"

	"github.com/relais/relais/internal/store"
	"github.com/stretchr/testify/require"
)

func TestNotificationsBellListAndRead(t *testing.T) {
	t.Parallel()
	b := setup(t)
	br := b.browser(t)
	u := br.signIn("ada@example.com")
	ws := b.workspace(t, u, "Brand", "brand")
	ctx := context.Background()
	mine := store.Notification{WorkspaceID: ws.ID, Kind: "publish_failed", Message: "Post 12 failed on Bluesky", Link: "/workspaces/brand/channels"}
	require.NoError(t, b.st.CreateNotification(ctx, &mine))
	second := store.Notification{WorkspaceID: ws.ID, UserID: u.ID, Kind: "mention", Message: "You were mentioned"}
	require.NoError(t, b.st.CreateNotification(ctx, &second))

	res := br.get("/workspaces/brand/")
	require.Contains(t, res.Body, `<span id="unread-count" class="badge-count">2</span>`)
	res = br.get("/workspaces/brand/notifications")
	require.Contains(t, res.Body, "Post 12 failed on Bluesky")
	require.Contains(t, res.Body, "You were mentioned")

	// htmx gets the item back; a plain form is redirected.
	id := strconv.FormatInt(mine.ID, 10)
	req, err := http.NewRequest(http.MethodPost, b.srv.URL+"/workspaces/brand/notifications/"+id+"/read", nil)
	require.NoError(t, err)
	req.Header.Set("HX-Request", "true")
	res = br.do(req)
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Contains(t, res.Body, `id="notification-`+id+`"`)
	require.NotContains(t, res.Body, "<html")
	require.Contains(t, res.Body, "Read")
	require.Contains(t, res.Body, `<span id="unread-count" class="badge-count" hx-swap-oob="true">1</span>`, "the bell follows")
	res = br.post("/workspaces/brand/notifications/"+strconv.FormatInt(second.ID, 10)+"/read", nil)
	require.Equal(t, http.StatusSeeOther, res.StatusCode)
	res = br.get("/workspaces/brand/")
	require.Contains(t, res.Body, `<span id="unread-count" class="badge-count" hidden>0</span>`)

	// Someone else's personal notification and another workspace's are not found.
	other := b.browser(t)
	ou := other.signIn("bob@example.com")
	require.NoError(t, b.st.AddMember(ctx, ws.ID, ou.ID, store.RoleEditor))
	private := store.Notification{WorkspaceID: ws.ID, UserID: u.ID, Kind: "mention", Message: "for Ada only"}
	require.NoError(t, b.st.CreateNotification(ctx, &private))
	res = other.post("/workspaces/brand/notifications/"+strconv.FormatInt(private.ID, 10)+"/read", nil)
	require.Equal(t, http.StatusNotFound, res.StatusCode)
	b.workspace(t, ou, "Bob's", "bobs")
	res = other.post("/workspaces/bobs/notifications/"+id+"/read", nil)
	require.Equal(t, http.StatusNotFound, res.StatusCode)
	list, err := b.st.Notifications(ctx, ws.ID, u.ID, 10)
	require.NoError(t, err)
	for _, n := range list {
		if n.ID == private.ID {
			require.Nil(t, n.ReadAt)
		}
	}
}
