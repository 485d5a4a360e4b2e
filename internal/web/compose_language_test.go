package web

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/store"
)

// TestComposerLanguageSelect: the composer offers the post's language
// (automatic first), saves the choice on every variant, shows it again when
// the post is edited, and names the field when the value is not a language.
func TestComposerLanguageSelect(t *testing.T) {
	t.Parallel()
	b := setup(t)
	s := newStudio(t, b, "acme")
	res := s.owner.get("/workspaces/acme/posts/new")
	require.Contains(t, res.Body, `<select id="language" name="language">`)
	require.Regexp(t, `<option value="auto">Automatic \(detected from the text\)</option>\s*<option value="en" lang="en">English</option>`, res.Body)

	res = s.owner.post("/workspaces/acme/posts", form("text", "Nouvelle collection", "channel", s.blueskyID, "channel", s.mastodonID,
		"language", "fr", "action", "draft"))
	pid := postIDOf(t, res)
	vs, err := b.st.Variants(context.Background(), s.ws.ID, pid)
	require.NoError(t, err)
	require.Len(t, vs, 2)
	for _, v := range vs {
		require.JSONEq(t, `{"language":"fr"}`, string(v.Options))
	}
	res = s.owner.get("/workspaces/acme/posts/" + id(pid) + "/edit")
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Contains(t, res.Body, `<option value="fr" lang="fr" selected>Français</option>`)

	s.owner.lang = "de"
	res = s.owner.post("/workspaces/acme/posts", form("text", "Hallo", "channel", s.blueskyID, "language", "deutsch", "action", "draft"))
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode)
	require.Contains(t, res.Body, "Sprachcode aus 2 oder 3 Buchstaben")
	posts, err := b.st.Posts(context.Background(), s.ws.ID, store.PostFilter{Limit: 10})
	require.NoError(t, err)
	require.Len(t, posts, 1)
}

// TestComposerShowsTheLanguageSent: each channel's check says which language
// goes with the post: the chosen one, else the one detected, else none.
func TestComposerShowsTheLanguageSent(t *testing.T) {
	t.Parallel()
	b := setup(t)
	s := newStudio(t, b, "acme")
	french := "Notre nouvelle boutique ouvre ses portes demain matin, venez nous voir !"
	for _, tc := range []struct{ text, lang, want string }{
		{french, "auto", "Sent in Français (fr)"},
		{french, "de", "Sent in Deutsch (de)"},
		{"🎉🎉🎉", "auto", "No language sent"},
	} {
		res := s.owner.post("/workspaces/acme/posts/validate", form("text", tc.text, "language", tc.lang, "channel", s.mastodonID))
		require.Contains(t, res.Body, tc.want, tc.text)
	}
	// The website feed has no language per item: nothing is said there.
	res := s.owner.post("/workspaces/acme/posts/validate", form("text", french, "channel", s.webID))
	require.NotContains(t, res.Body, "sent-language")
}
