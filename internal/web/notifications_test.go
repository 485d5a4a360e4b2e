package web

import (
	"context"
	"net/http"
	"strconv"
	"testing"
	"time"

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

// TestNotificationsAttemptLogAndHistoryInTheReadersLanguage: a notification's
// kind and message, the attempt log's outcomes and a history entry's detail
// are shown in French and German, not in the English the core stored.
func TestNotificationsAttemptLogAndHistoryInTheReadersLanguage(t *testing.T) {
	t.Parallel()
	b := setup(t)
	s := newStudio(t, b, "lune")
	ctx := context.Background()
	pid := postIDOf(t, s.owner.post("/workspaces/lune/posts", form("text", "Bientôt", "channel", s.webID, "action", "draft")))
	res := s.owner.post("/workspaces/lune/posts/"+id(pid)+"/submit", nil)
	require.Equal(t, http.StatusSeeOther, res.StatusCode, res.Body)
	res = s.owner.post("/workspaces/lune/posts/"+id(pid)+"/now", nil)
	require.Equal(t, http.StatusSeeOther, res.StatusCode, res.Body)
	// The engine's part, done by hand: one attempt, to be retried.
	now := time.Now()
	jobs, err := b.st.ClaimDue(ctx, "test", now.Add(time.Minute), now.Add(time.Minute), now, 10)
	require.NoError(t, err)
	require.Len(t, jobs, 1)
	_, err = b.st.MarkPublishing(ctx, []store.ClaimRef{{ID: jobs[0].ID, Claim: jobs[0].Claim}}, now.Add(time.Minute), now)
	require.NoError(t, err)
	pub, err := b.st.Publication(ctx, s.ws.ID, jobs[0].ID)
	require.NoError(t, err)
	_, err = b.st.SaveResults(ctx, []store.PublishResult{{ID: pub.ID, Claim: pub.Claim, From: store.PubPublishing, State: store.PubScheduled,
		NextAttemptAt: now.Add(time.Hour), ErrorClass: "retryable", ErrorMessage: "Service Unavailable",
		Attempt: &store.Attempt{PublicationID: pub.ID, WorkspaceID: s.ws.ID, StartedAt: now, Outcome: "retry", Class: "retryable", HTTPStatus: 503, Message: "Service Unavailable"}}}, now)
	require.NoError(t, err)

	for _, tc := range []struct {
		lang string
		want []string
	}{
		{"fr", []string{">Validation</span>", "a soumis la publication " + id(pid) + " pour validation"}},
		{"de", []string{">Prüfung</span>", "hat Beitrag " + id(pid) + " zur Prüfung eingereicht"}},
	} {
		s.owner.lang = tc.lang
		res = s.owner.get("/workspaces/lune/notifications")
		for _, w := range tc.want {
			require.Contains(t, res.Body, w, tc.lang)
		}
		require.NotContains(t, res.Body, "submitted post", tc.lang)
	}
	s.owner.lang = "fr"
	res = s.owner.get("/workspaces/lune/posts/" + id(pid))
	require.Contains(t, res.Body, "<td>Nouvel essai prévu <span class=\"muted\">(temporaire)</span></td>")
	require.Contains(t, res.Body, `<span class="small">maintenant</span>`)
	s.owner.lang = "de"
	res = s.owner.get("/workspaces/lune/posts/" + id(pid))
	require.Contains(t, res.Body, "<td>Neuer Versuch geplant <span class=\"muted\">(vorübergehend)</span></td>")
	require.Contains(t, res.Body, `<span class="small">jetzt</span>`)
}
