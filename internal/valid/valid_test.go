package valid

import (
	"strings"
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
		requireCode(t, err, "slug", tc.code, tc.in)
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

func TestNUL(t *testing.T) {
	t.Parallel()
	require.NoError(t, NoNUL("text", "plain text, même accentué"))
	e, ok := As(NoNUL("text", "a\x00b"))
	require.True(t, ok)
	require.Equal(t, "text", e.Field)
	require.Equal(t, "nul", e.Code)

	_, err := Text("name", "Name", "Ac\x00me", 20)
	e, ok = As(err)
	require.True(t, ok)
	require.Equal(t, "nul", e.Code)
	require.Contains(t, e.Message, "Name contains a NUL character")

	for _, tc := range []struct {
		in    any
		field string
	}{
		{map[string]any{"text": "ok", "n": 3.0, "b": true, "z": nil}, ""},
		{map[string]any{"text": "a\x00"}, "text"},
		{map[string]any{"variants": []any{map[string]any{"text": "ok"}, map[string]any{"text": "ok", "parts": []any{"x", "\x00"}}}}, "variants[1].parts[1]"},
		{map[string]any{"b": "\x00", "a": "\x00"}, "a"},
		{map[string]any{"labels": map[string]any{"th\x00eme": "x"}}, "labels.th\x00eme"},
		{[]any{"ok", "\x00"}, "[1]"},
	} {
		err := NoNULIn(tc.in)
		if tc.field == "" {
			require.NoError(t, err)
			continue
		}
		e, ok := As(err)
		require.True(t, ok, tc.field)
		require.Equal(t, tc.field, e.Field)
	}
}

func TestHTTPURL(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		code string
	}{
		{"", ""}, {"https://example.com", ""}, {"http://example.com/a?b=c#d", ""}, {"HTTPS://EXAMPLE.COM/", ""},
		{"javascript:alert(1)", "format"}, {"JavaScript:alert(1)", "format"}, {" javascript:alert(1)", "format"},
		{"java\tscript:alert(1)", "format"}, {"data:text/html,x", "format"}, {"file:///etc/passwd", "format"},
		{"//example.com", "format"}, {"https:", "format"}, {"https:example.com", "format"}, {"example.com", "format"},
		{"https://example.com/" + strings.Repeat("a", 100), "too_long"},
	} {
		requireCode(t, HTTPURL("link", tc.in, 60), "link", tc.code, tc.in)
	}
}

// requireCode asserts err is nil when code is empty, else an *Error of the field and code.
func requireCode(t *testing.T, err error, field, code, input string) {
	t.Helper()
	if code == "" {
		require.NoError(t, err, input)
		return
	}
	e, ok := As(err)
	require.True(t, ok, input)
	require.Equal(t, code, e.Code, input)
	require.Equal(t, field, e.Field, input)
}
