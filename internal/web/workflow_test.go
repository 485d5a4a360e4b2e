package web

import (
	"bytes"
	"context"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/store"
	"github.com/stretchr/testify/require"
)

// requireApproval turns approval on, for everyone, in the studio's workspace.
func requireApproval(t *testing.T, b *bundle, s *studio) {
	t.Helper()
	_, err := b.auth.UpdateWorkspace(context.Background(), principalOf(t, b, s.user, s.ws),
		auth.WorkspaceSettings{Name: s.ws.Name, Slug: s.ws.Slug, Timezone: s.ws.Timezone, ApprovalRequired: true})
	require.NoError(t, err)
}

// editorTeam is the studio "acme" with approval on and a signed-in editor.
func editorTeam(t *testing.T) (*bundle, *studio, *browser, store.User) {
	t.Helper()
	b := setup(t)
	s := newStudio(t, b, "acme")
	requireApproval(t, b, s)
	editor := b.browser(t)
	eu := editor.signIn("editor@example.com")
	require.NoError(t, b.st.AddMember(context.Background(), s.ws.ID, eu.ID, store.RoleEditor))
	return b, s, editor, eu
}

// TestAltTextChangeSendsApprovedPostBackToReview: the alt text is part of
// what the approver approved, so changing it on a library item sends the
// approved and scheduled posts that show it back to review, and the post's
// history says why.
func TestAltTextChangeSendsApprovedPostBackToReview(t *testing.T) {
	t.Parallel()
	b, s, editor, eu := editorTeam(t)
	ctx := context.Background()
	m, err := b.media.Upload(ctx, s.ws.ID, eu.ID, "shop.png", bytes.NewReader(pngBytes(t)), 0)
	require.NoError(t, err)
	_, err = b.media.SetAlt(ctx, s.ws.ID, m.ID, "Our shop front")
	require.NoError(t, err)

	mk := func(text string, schedule bool) int64 {
		pid := postIDOf(t, editor.post("/workspaces/acme/posts", form("text", text, "channel", s.mastodonID, "media", id(m.ID), "at", tomorrow(9), "action", "submit")))
		approve := form()
		if schedule {
			approve = form("schedule", "1")
		}
		res := s.owner.post("/workspaces/acme/posts/"+id(pid)+"/approve", approve)
		require.Equal(t, http.StatusSeeOther, res.StatusCode, res.Body)
		return pid
	}
	approved, scheduled := mk("Approved with the photo", false), mk("Scheduled with the photo", true)
	other := mk("Approved without it", false)
	res := editor.post("/workspaces/acme/posts/"+id(other), form("text", "Approved without it", "channel", s.mastodonID, "at", tomorrow(9), "action", "draft"))
	require.Equal(t, http.StatusSeeOther, res.StatusCode, res.Body)
	res = s.owner.post("/workspaces/acme/posts/"+id(other)+"/approve", form())
	require.Equal(t, http.StatusSeeOther, res.StatusCode, res.Body)

	res = editor.post("/workspaces/acme/media/"+id(m.ID)+"/alt", form("alt_text", "Our new shop front at night"))
	require.Equal(t, http.StatusSeeOther, res.StatusCode, res.Body)
	for _, c := range []struct {
		id    int64
		state store.PostState
	}{{approved, store.PostInReview}, {scheduled, store.PostInReview}, {other, store.PostApproved}} {
		post, err := b.st.Post(ctx, s.ws.ID, c.id)
		require.NoError(t, err)
		require.Equal(t, c.state, post.State, "post %d", c.id)
	}
	page := editor.get("/workspaces/acme/posts/" + id(scheduled))
	require.Contains(t, page.Body, "Back to review")
	require.Contains(t, page.Body, "changed after approval: alt text of media "+id(m.ID))
}

// TestMembersPageExplainsRolesAndConfirmsRevoke: the members page has the
// table of what each role may do, in the caller's language, with the
// workspace's approval policy under it; revoking an invitation asks first.
func TestMembersPageExplainsRolesAndConfirmsRevoke(t *testing.T) {
	t.Parallel()
	b := setup(t)
	owner := b.browser(t)
	ou := owner.signIn("owner@example.com")
	b.workspace(t, ou, "Brand", "brand")
	res := owner.post("/workspaces/brand/invitations", form("email", "new@example.com", "role", "editor"))
	require.Equal(t, http.StatusOK, res.StatusCode)
	res = owner.post("/workspaces/brand/settings", form("name", "Brand", "slug", "brand", "timezone", "Europe/Paris", "approval", "editors"))
	require.Equal(t, http.StatusSeeOther, res.StatusCode, res.Body)

	cases := []struct {
		lang                         string
		title, approve, policy, nope string
		confirm                      string
	}{
		{"en", "What each role may do", "Approve or send back posts in review", "Approval in this workspace: Editors: owners and admins schedule directly.",
			"Authors do not approve their own posts.", "Revoke the invitation for new@example.com? The link stops working."},
		{"fr", "Ce que chaque rôle peut faire", "Valider ou renvoyer les publications soumises", "Validation dans cet espace : Les rédacteurs : propriétaires et administrateurs planifient directement.",
			"Les auteurs ne valident pas leurs propres publications.", "Révoquer l’invitation de new@example.com ? Le lien ne fonctionnera plus."},
		{"de", "Was jede Rolle darf", "Eingereichte Beiträge freigeben oder zurückschicken", "Freigabe in diesem Arbeitsbereich: Redakteure: Inhaber und Admins planen direkt.",
			"Autoren geben ihre eigenen Beiträge nicht frei.", "Einladung für new@example.com widerrufen? Der Link funktioniert dann nicht mehr."},
	}
	for _, c := range cases {
		owner.lang = c.lang
		res := owner.get("/workspaces/brand/members")
		require.Equal(t, http.StatusOK, res.StatusCode)
		body := html.UnescapeString(res.Body)
		for _, want := range []string{c.title, c.approve, c.policy, c.nope, `data-confirm="` + c.confirm + `"`} {
			require.Contains(t, body, want, c.lang)
		}
	}
	// One row per right, one column per role; the approver approves and does not publish.
	owner.lang = "en"
	body := owner.get("/workspaces/brand/members").Body
	row := regexp.MustCompile(`(?s)<th scope="row">Approve or send back posts in review</th>(.*?)</tr>`).FindStringSubmatch(body)
	require.NotNil(t, row)
	require.Equal(t, 3, strings.Count(row[1], `>yes<`), "owner, admin and approver approve")
	row = regexp.MustCompile(`(?s)<th scope="row">Schedule, publish now, cancel and retry</th>(.*?)</tr>`).FindStringSubmatch(body)
	require.NotNil(t, row)
	require.Equal(t, 3, strings.Count(row[1], `>yes<`), "owner, admin and editor publish")
}

// TestPlannedTimeOnPostPageAndCalendar: a draft saved with a date and time,
// and a post submitted with one, keep it: the post page says "Planned for",
// the calendar shows it marked as planned, the edit form shows it again.
func TestPlannedTimeOnPostPageAndCalendar(t *testing.T) {
	t.Parallel()
	b := setup(t)
	s := newStudio(t, b, "acme")
	at := tomorrow(15)
	for _, action := range []string{"draft", "submit"} {
		pid := id(postIDOf(t, s.owner.post("/workspaces/acme/posts", form("text", "Planned "+action, "channel", s.webID, "at", at, "timezone", "Europe/Paris", "action", action))))
		page := s.owner.get("/workspaces/acme/posts/" + pid)
		require.Contains(t, page.Body, "Planned for", action)
		require.NotContains(t, page.Body, "Not scheduled", action)
		edit := s.owner.get("/workspaces/acme/posts/" + pid + "/edit")
		require.Contains(t, edit.Body, `value="`+at+`"`, action)
	}
	cal := s.owner.get("/workspaces/acme/calendar?view=list")
	require.Equal(t, http.StatusOK, cal.StatusCode)
	require.Equal(t, 2, strings.Count(cal.Body, `class="cal-planned"`), cal.Body)
	res := s.owner.post("/workspaces/acme/posts", form("text", "Bad time", "channel", s.webID, "at", "tomorrow", "action", "draft"))
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode)
	require.Contains(t, res.Body, "choose a date and a time")
}

// TestMovingAnApprovedPostNeedsApprovalAgain: an editor moving a scheduled
// post to another time (the calendar's drag and drop posts this form) sends
// it back to review and says so.
func TestMovingAnApprovedPostNeedsApprovalAgain(t *testing.T) {
	t.Parallel()
	_, s, editor, _ := editorTeam(t)
	pid := id(postIDOf(t, editor.post("/workspaces/acme/posts", form("text", "Moving day", "channel", s.webID, "at", tomorrow(9), "action", "submit"))))
	res := s.owner.post("/workspaces/acme/posts/"+pid+"/approve", form("schedule", "1"))
	require.Equal(t, http.StatusSeeOther, res.StatusCode, res.Body)

	res = editor.post("/workspaces/acme/posts/"+pid+"/reschedule", form("at", tomorrow(11), "timezone", "Europe/Paris"))
	require.Equal(t, http.StatusSeeOther, res.StatusCode, res.Body)
	page := editor.get(res.Header.Get("Location"))
	require.Contains(t, page.Body, "The new time needs approval: the post is back in review.")
	require.Contains(t, page.Body, "Planned for")
	require.Contains(t, page.Body, "changed after approval: time")
}

// TestComposerButtonsFollowThePolicy: with approval applying to the caller
// the composer's main button is "Submit for review" and nothing offers to
// schedule; an owner under the "editors" policy schedules directly.
func TestComposerButtonsFollowThePolicy(t *testing.T) {
	t.Parallel()
	_, s, editor, _ := editorTeam(t)
	cases := []struct {
		name, policy string
		br           *browser
		primary      string
		schedules    bool
		hint         string
	}{
		{"editor, everyone", "everyone", editor, `value="submit" id="submit-btn"`, false, "an approver approves it and schedules it"},
		{"owner, everyone", "everyone", s.owner, `value="submit" id="submit-btn"`, false, "Authors do not approve their own posts here."},
		{"owner, editors", "editors", s.owner, `value="schedule" id="schedule-btn"`, true, "only editors' posts need approval"},
		{"editor, editors", "editors", editor, `value="submit" id="submit-btn"`, false, "an approver approves it"},
		{"owner, nobody", "nobody", s.owner, `value="schedule" id="schedule-btn"`, true, ""},
	}
	for _, c := range cases {
		res := s.owner.post("/workspaces/acme/settings", form("name", s.ws.Name, "slug", "acme", "timezone", "Europe/Paris", "approval", c.policy))
		require.Equal(t, http.StatusSeeOther, res.StatusCode, res.Body)
		page := c.br.get("/workspaces/acme/posts/new")
		body := html.UnescapeString(page.Body)
		require.Contains(t, body, `class="btn btn-primary" name="action" `+c.primary, c.name)
		require.Equal(t, c.schedules, strings.Contains(body, `name="action" value="now"`), c.name)
		if c.hint != "" {
			require.Contains(t, body, c.hint, c.name)
		} else {
			require.NotContains(t, body, `id="approval-hint"`, c.name)
		}
	}
}

// TestSubmitFromTheEditFormOfAReviewedPost: the main button of the edit form
// ("Submit for review") works on a post already in review and on an approved
// one: a change sends it back to review, no change leaves it approved.
func TestSubmitFromTheEditFormOfAReviewedPost(t *testing.T) {
	t.Parallel()
	_, s, editor, _ := editorTeam(t)
	pid := id(postIDOf(t, editor.post("/workspaces/acme/posts", form("text", "First words", "channel", s.webID, "action", "submit"))))
	res := editor.post("/workspaces/acme/posts/"+pid, form("text", "Better words", "channel", s.webID, "action", "submit"))
	require.Equal(t, http.StatusSeeOther, res.StatusCode, res.Body)
	res = s.owner.post("/workspaces/acme/posts/"+pid+"/approve", form())
	require.Equal(t, http.StatusSeeOther, res.StatusCode, res.Body)
	res = editor.post("/workspaces/acme/posts/"+pid, form("text", "Better words", "channel", s.webID, "action", "submit"))
	require.Equal(t, http.StatusSeeOther, res.StatusCode, res.Body)
	require.Contains(t, editor.get("/workspaces/acme/posts/"+pid).Body, "state-approved", "unchanged: still approved")
	res = editor.post("/workspaces/acme/posts/"+pid, form("text", "Best words", "channel", s.webID, "action", "submit"))
	require.Equal(t, http.StatusSeeOther, res.StatusCode, res.Body)
	page := editor.get("/workspaces/acme/posts/" + pid)
	require.Contains(t, page.Body, "state-in_review")
	require.Contains(t, page.Body, "changed after approval: text")
}
