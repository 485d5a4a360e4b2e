package valid

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestSlug(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		code string
	}{
		{"acme", ""}, {"a", ""}, {"acme-fashion-2", ""},
		{"", "required"}, {"-acme", "format"}, {"Acme", "format"}, {"ac me", "format"},
		{"acme-", "format"}, {string(make([]byte, 65)), "too_long"},
	} {
		_, err := Slug("slug", tc.in)
		if tc.code == "" {
			require.NoError(t, err, tc.in)
			continue
		}
		e, ok := As(err)
		require.True(t, ok, tc.in)
		require.Equal(t, tc.code, e.Code, tc.in)
		require.Equal(t, "slug", e.Field)
	}
}

func TestTextAndEmail(t *testing.T) {
	t.Parallel()
	v, err := Text("name", "Name", "  Maison Lune ", 20)
	require.NoError(t, err)
	require.Equal(t, "Maison Lune", v)
	_, err = Text("name", "Name", "   ", 10)
	require.ErrorContains(t, err, "Name is required")
	_, err = Text("name", "Name", "abcdefghijkl", 10)
	require.ErrorContains(t, err, "at most 10 characters; it has 12")

	e, err := Email("email", " Bob@Example.org ")
	require.NoError(t, err)
	require.Equal(t, "bob@example.org", e)
	for _, bad := range []string{"", "bob", "bob@", "@x.org", "a b@c.de"} {
		_, err := Email("email", bad)
		require.Error(t, err, bad)
	}
}

func TestSlugify(t *testing.T) {
	t.Parallel()
	require.Equal(t, "maison-lune-paris", Slugify("Maison Lune — Paris!"))
	require.Equal(t, "cafe-strasse", Slugify("Café Straße"))
	_, err := Slug("slug", Slugify("Été 2026 / Collection"))
	require.NoError(t, err)
}
