package web

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestNULIsRefusedWithTheField posts forms with a NUL character (U+0000):
// the page answers 422 naming the field, in the reader's language, and
// nothing is stored (SQLite stored it before; PostgreSQL failed with 500).
func TestNULIsRefusedWithTheField(t *testing.T) {
	t.Parallel()
	b := setup(t)
	s := newStudio(t, b, "acme")

	res := s.owner.post("/workspaces/acme/snippets", form("name", "Launch tags", "kind", "text", "body", "#launch\x00"))
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode, res.Body)
	require.Contains(t, res.Body, "The field “body” contains a NUL character")
	_, ok := snippetByName(t, b, s.ws.ID, "Launch tags")
	require.False(t, ok, "nothing stored")

	s.owner.lang = "fr"
	res = s.owner.post("/workspaces/acme/settings", form("name", "Ac\x00me"))
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode, res.Body)
	require.Contains(t, res.Body, "Le champ « name » contient un caractère NUL")

	s.owner.lang = "de"
	res = s.owner.get("/workspaces/acme/posts?label=a%00")
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode, res.Body)
	require.Contains(t, res.Body, "Das Feld „label“ enthält ein NUL-Zeichen")

	// A form without NUL goes through.
	s.owner.lang = ""
	res = s.owner.post("/workspaces/acme/snippets", form("name", "Launch tags", "kind", "text", "body", "#launch"))
	require.Equal(t, http.StatusSeeOther, res.StatusCode, res.Body)
}
