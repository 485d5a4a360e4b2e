package web

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/relais/relais/internal/store"
	"github.com/stretchr/testify/require"
)

// snippetByName reads a workspace's snippet from the store; ok is false when it is gone.
func snippetByName(t *testing.T, b *bundle, ws int64, name string) (store.Snippet, bool) {
	t.Helper()
	list, err := b.st.Snippets(context.Background(), ws)
	require.NoError(t, err)
	for _, s := range list {
		if s.Name == name {
			return s, true
		}
	}
	return store.Snippet{}, false
}

// errorAfter returns the text of the first field error after the element with id, before the next field.
func errorAfter(t *testing.T, body, elemID string) string {
	t.Helper()
	at := strings.Index(body, `id="`+elemID+`"`)
	require.GreaterOrEqual(t, at, 0, elemID)
	rest := body[at:]
	if next := strings.Index(rest[1:], `<div class="field">`); next >= 0 {
		rest = rest[:next+1]
	}
	m := regexp.MustCompile(`<p class="field-error" role="alert">([^<]*)</p>`).FindStringSubmatch(rest)
	if m == nil {
		return ""
	}
	return m[1]
}

func TestSnippetsPageCreateListDelete(t *testing.T) {
	t.Parallel()
	b := setup(t)
	s := newStudio(t, b, "acme")

	res := s.owner.get("/workspaces/acme/snippets")
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Contains(t, res.Body, "No snippets yet.")
	require.Contains(t, res.Body, `action="/workspaces/acme/snippets"`)
	// Reachable from the composer (even with no snippet to insert yet) and the publishing page.
	require.Contains(t, s.owner.get("/workspaces/acme/posts/new").Body, `href="/workspaces/acme/snippets"`)
	require.Contains(t, s.owner.get("/workspaces/acme/publishing").Body, `href="/workspaces/acme/snippets"`)

	res = s.owner.post("/workspaces/acme/snippets", form("name", "Launch tags", "kind", "hashtags", "body", "#launch #relais"))
	require.Equal(t, http.StatusSeeOther, res.StatusCode, res.Body)
	require.Equal(t, "/workspaces/acme/snippets", res.Header.Get("Location"))
	res = s.owner.get("/workspaces/acme/snippets")
	require.Contains(t, res.Body, "Snippet saved.")
	for _, want := range []string{"Launch tags", "Hashtags", "#launch #relais", `data-confirm="Delete the snippet Launch tags?`} {
		require.Contains(t, res.Body, want)
	}
	require.NotContains(t, res.Body, "No snippets yet.")
	sn, ok := snippetByName(t, b, s.ws.ID, "Launch tags")
	require.True(t, ok)
	require.Equal(t, "hashtags", sn.Kind)
	// The composer offers it for insertion.
	require.Contains(t, s.owner.get("/workspaces/acme/posts/new").Body, `<option value="#launch #relais">Launch tags (Hashtags)</option>`)

	// Bad input: the error sits next to its field and every input is kept.
	for _, tc := range []struct {
		name, kind, body string
		field, msg       string
	}{
		{name: " ", kind: "text", body: "kept body", field: "snippet-name", msg: "a snippet needs a name of 1 to 100 characters"},
		{name: strings.Repeat("n", 101), kind: "text", body: "kept body", field: "snippet-name", msg: "a snippet needs a name of 1 to 100 characters"},
		{name: "Sig", kind: "signature", body: "", field: "snippet-body", msg: "a snippet needs text of 1 to 5000 characters"},
		{name: "Sig", kind: "signature", body: strings.Repeat("b", 5001), field: "snippet-body", msg: "a snippet needs text of 1 to 5000 characters"},
		{name: "Sig", kind: "emoji", body: "kept body", field: "snippet-kind", msg: "kind must be one of hashtags, signature, text"},
		{name: "Launch tags", kind: "text", body: "kept body", field: "snippet-name", msg: `a snippet named &#34;Launch tags&#34; already exists`},
	} {
		res := s.owner.post("/workspaces/acme/snippets", form("name", tc.name, "kind", tc.kind, "body", tc.body))
		require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode, tc.msg)
		require.Equal(t, tc.msg, errorAfter(t, res.Body, tc.field))
		require.Contains(t, res.Body, `id="snippet-name" name="name" value="`+tc.name+`"`, "name kept")
		require.Contains(t, res.Body, `name="body" rows="3" maxlength="5000" required>`+tc.body+`</textarea>`, "body kept")
		if tc.kind != "emoji" {
			require.Contains(t, res.Body, `<option value="`+tc.kind+`" selected>`, "kind kept")
		}
	}
	list, err := b.st.Snippets(context.Background(), s.ws.ID)
	require.NoError(t, err)
	require.Len(t, list, 1, "nothing refused was saved")

	res = s.owner.post("/workspaces/acme/snippets/"+id(sn.ID)+"/delete", nil)
	require.Equal(t, http.StatusSeeOther, res.StatusCode)
	res = s.owner.get("/workspaces/acme/snippets")
	require.Contains(t, res.Body, "Snippet deleted.")
	require.Contains(t, res.Body, "No snippets yet.")
	_, ok = snippetByName(t, b, s.ws.ID, "Launch tags")
	require.False(t, ok)
	for _, bad := range []string{id(sn.ID), "0", "abc"} {
		require.Equal(t, http.StatusNotFound, s.owner.post("/workspaces/acme/snippets/"+bad+"/delete", nil).StatusCode, bad)
	}
}

func TestSnippetsRoles(t *testing.T) {
	t.Parallel()
	b := setup(t)
	s := newStudio(t, b, "acme")
	ctx := context.Background()
	member := func(email string, role store.Role) *browser {
		br := b.browser(t)
		u := br.signIn(email)
		require.NoError(t, b.st.AddMember(ctx, s.ws.ID, u.ID, role))
		return br
	}
	require.Equal(t, http.StatusSeeOther, s.owner.post("/workspaces/acme/snippets", form("name", "Sig", "kind", "signature", "body", "-- the team")).StatusCode)
	sn, ok := snippetByName(t, b, s.ws.ID, "Sig")
	require.True(t, ok)

	// Viewers and approvers read the list; without the compose right the
	// forms are absent and the actions answer 404, as on the other pages.
	for _, br := range []*browser{member("v@example.com", store.RoleViewer), member("a@example.com", store.RoleApprover)} {
		res := br.get("/workspaces/acme/snippets")
		require.Equal(t, http.StatusOK, res.StatusCode)
		require.Contains(t, res.Body, "-- the team")
		require.NotContains(t, res.Body, `action="/workspaces/acme/snippets"`)
		require.NotContains(t, res.Body, "/delete")
		require.Equal(t, http.StatusNotFound, br.post("/workspaces/acme/snippets", form("name", "Mine", "kind", "text", "body", "x")).StatusCode)
		require.Equal(t, http.StatusNotFound, br.post("/workspaces/acme/snippets/"+id(sn.ID)+"/delete", nil).StatusCode)
	}
	_, ok = snippetByName(t, b, s.ws.ID, "Mine")
	require.False(t, ok)
	_, ok = snippetByName(t, b, s.ws.ID, "Sig")
	require.True(t, ok, "still there")

	// An editor manages them.
	editor := member("e@example.com", store.RoleEditor)
	require.Contains(t, editor.get("/workspaces/acme/snippets").Body, `action="/workspaces/acme/snippets"`)
	require.Equal(t, http.StatusSeeOther, editor.post("/workspaces/acme/snippets", form("name", "Tags", "kind", "hashtags", "body", "#a")).StatusCode)
	require.Equal(t, http.StatusSeeOther, editor.post("/workspaces/acme/snippets/"+id(sn.ID)+"/delete", nil).StatusCode)
	_, ok = snippetByName(t, b, s.ws.ID, "Sig")
	require.False(t, ok)
	_, ok = snippetByName(t, b, s.ws.ID, "Tags")
	require.True(t, ok)
}

func TestSnippetsAreScopedToTheWorkspace(t *testing.T) {
	t.Parallel()
	b := setup(t)
	mine := newStudio(t, b, "mine")
	theirs := newStudio(t, b, "theirs")
	require.Equal(t, http.StatusSeeOther, theirs.owner.post("/workspaces/theirs/snippets", form("name", "Secret", "kind", "text", "body", "secret plan")).StatusCode)
	sn, ok := snippetByName(t, b, theirs.ws.ID, "Secret")
	require.True(t, ok)

	res := mine.owner.get("/workspaces/mine/snippets")
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.NotContains(t, res.Body, "secret plan")
	require.Equal(t, http.StatusNotFound, mine.owner.get("/workspaces/theirs/snippets").StatusCode, "not a member")
	require.Equal(t, http.StatusNotFound, mine.owner.post("/workspaces/theirs/snippets", form("name", "x", "kind", "text", "body", "x")).StatusCode)
	require.Equal(t, http.StatusNotFound, mine.owner.post("/workspaces/mine/snippets/"+id(sn.ID)+"/delete", nil).StatusCode)
	require.Equal(t, http.StatusNotFound, mine.owner.post("/workspaces/theirs/snippets/"+id(sn.ID)+"/delete", nil).StatusCode)
	_, ok = snippetByName(t, b, theirs.ws.ID, "Secret")
	require.True(t, ok, "their snippet is still there")
}

var rawSnippetKey = regexp.MustCompile(`\b(snippets|compose|post|flash)\.[a-z_0-9]+\b`)

func TestSnippetsPageInFrenchAndGerman(t *testing.T) {
	t.Parallel()
	b := setup(t)
	s := newStudio(t, b, "acme")
	require.Equal(t, http.StatusSeeOther, s.owner.post("/workspaces/acme/snippets", form("name", "Sig", "kind", "signature", "body", "-- the team")).StatusCode)
	for lang, want := range map[string][]string{
		"fr": {"Extraits", "Nouvel extrait", "Signature", "Supprimer l’extrait Sig ?", "Extrait enregistré."},
		"de": {"Textbausteine", "Neuer Textbaustein", "Signatur", "Textbaustein Sig löschen?", "Textbaustein gespeichert."},
	} {
		s.owner.lang = lang
		require.Equal(t, http.StatusSeeOther, s.owner.post("/workspaces/acme/snippets", form("name", "Tags "+lang, "kind", "hashtags", "body", "#"+lang)).StatusCode)
		res := s.owner.get("/workspaces/acme/snippets")
		require.Equal(t, http.StatusOK, res.StatusCode)
		require.NotRegexp(t, rawSnippetKey, res.Body, lang)
		for _, w := range want {
			require.Contains(t, res.Body, w, lang)
		}
		res = s.owner.post("/workspaces/acme/snippets", form("name", "", "kind", "text", "body", "x"))
		require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode)
		require.NotRegexp(t, rawSnippetKey, res.Body, lang)
		require.NotEmpty(t, errorAfter(t, res.Body, "snippet-name"), lang)
	}
}
