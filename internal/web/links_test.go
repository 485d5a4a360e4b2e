package web

import (
	"net/http"
	"testing"

	"github.com/relais/relais/internal/store"
	"github.com/stretchr/testify/require"
)

// TestComposerRefusesNonHTTPLinks saves posts whose link, or a variant's,
// is a javascript: URL: 422 with the message at the field, in the reader's
// language, and no post is created.
func TestComposerRefusesNonHTTPLinks(t *testing.T) {
	t.Parallel()
	b := setup(t)
	s := newStudio(t, b, "acme")
	for _, tc := range []struct {
		lang, field, want string
	}{
		{"", "link", "link must be an http:// or https:// address"},
		{"fr", "link", "Saisissez une adresse http:// ou https://"},
		{"de", "v." + s.blueskyID + ".link", "Geben Sie eine http://- oder https://-Adresse ein"},
	} {
		s.owner.lang = tc.lang
		res := s.owner.post("/workspaces/acme/posts", form("text", "Launch day", "channel", s.blueskyID, tc.field, "javascript:alert(1)", "action", "draft"))
		require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode, tc.field)
		require.Contains(t, res.Body, tc.want, tc.lang)
		require.Contains(t, res.Body, `class="field-error"`)
	}
	s.owner.lang = ""
	postIDOf(t, s.owner.post("/workspaces/acme/posts", form("text", "Launch day", "channel", s.blueskyID, "link", "https://example.com/launch", "action", "draft")))
	posts, err := b.st.Posts(t.Context(), s.ws.ID, store.PostFilter{})
	require.NoError(t, err)
	require.Len(t, posts, 1, "only the post with an https link")
}
