package compose_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/compose"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/valid"
)

// TestPostLanguage: the post's language is set on every variant's options
// (which the publishing engine sends), shown back on the post, replaced by
// another choice and removed by "auto"; a bad code names the field.
func TestPostLanguage(t *testing.T) {
	t.Parallel()
	f := newFixture(t, false)
	editor := f.as[store.RoleEditor]
	in := f.input("Nouvelle collection d'hiver", f.bsky, f.masto)
	in.Language = "FR"
	in.Variants[1].Options = map[string]string{"visibility": "unlisted", "language": "en"}
	v, err := f.svc.Create(ctx, editor, in)
	require.NoError(t, err)
	require.Equal(t, "fr", v.Language)
	for _, x := range v.Variants {
		require.Equal(t, "fr", x.Options["language"], "the post's choice applies to every variant")
	}
	require.Equal(t, "unlisted", v.Variants[1].Options["visibility"], "other options are kept")

	in.Language = compose.LanguageAuto
	v, err = f.svc.Update(ctx, editor, v.ID, in)
	require.NoError(t, err)
	require.Equal(t, compose.LanguageAuto, v.Language)
	for _, x := range v.Variants {
		require.NotContains(t, x.Options, "language", "auto: detected when publishing")
	}

	in.Language = "french"
	_, err = f.svc.Update(ctx, editor, v.ID, in)
	e, ok := valid.As(err)
	require.True(t, ok, "%v", err)
	require.Equal(t, "language", e.Field)
	require.Contains(t, e.Message, "2 or 3 letters")
}

// TestSplitThreadOnSaveKeepsRoomForTheLink: "split into a thread" on save
// leaves room in the first part for the link Mastodon receives with it, so
// the split post validates.
func TestSplitThreadOnSaveKeepsRoomForTheLink(t *testing.T) {
	t.Parallel()
	f := newFixture(t, false)
	text := strings.Repeat("Sunny days ahead. ", 27) // 485 characters: fits 500 alone, not with a link
	in := f.input(text, f.masto)
	in.Link = "https://example.com/summer"
	in.Variants[0].SplitThread = true
	v, err := f.svc.Create(ctx, f.as[store.RoleEditor], in)
	require.NoError(t, err, "the split post validates with its link")
	require.Len(t, v.Variants[0].ThreadParts, 1)
	require.True(t, strings.HasSuffix(v.Variants[0].Text, " 1/2"))

	parts, err := f.svc.SplitThread(ctx, f.as[store.RoleEditor], f.masto, text, in.Link)
	require.NoError(t, err)
	require.Len(t, parts, 2)
}
