package compose_test

import (
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
