package api_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/relais/relais/internal/store/storetest"
	"github.com/stretchr/testify/require"
)

// TestNULIsRefusedWithTheField sends a NUL character (U+0000) in text fields
// of every kind of input: each answers 422 naming the field, on SQLite (which
// would store it) and PostgreSQL (which answered 500) alike, and nothing is
// stored.
func TestNULIsRefusedWithTheField(t *testing.T) {
	t.Parallel()
	for _, dialect := range storetest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			e := setup(t, dialect)
			for _, tc := range []struct {
				method, path, body, field string
			}{
				{http.MethodPatch, "/api/v1/workspace", `{"name":"Brand\u0000A"}`, "name"},
				{http.MethodPost, "/api/v1/snippets", `{"name":"sig","body":"the team\u0000"}`, "body"},
				{http.MethodPost, "/api/v1/snippets", `{"name":"\u0000","body":"x"}`, "name"},
				{http.MethodPost, "/api/v1/posts", `{"text":"hello\u0000world","variants":[]}`, "text"},
				{http.MethodPost, "/api/v1/posts", `{"text":"ok","variants":[{"channel_id":1,"text":"a"},{"channel_id":2,"first_comment":"\u0000"}]}`, "variants[1].first_comment"},
				{http.MethodPost, "/api/v1/posts", `{"text":"ok","labels":{"theme":["spring\u0000"]}}`, "labels.theme[0]"},
				{http.MethodPost, "/api/v1/posts/1/comments", `{"body":"\u0000"}`, "body"},
				{http.MethodPost, "/api/v1/hooks", `{"url":"https://hooks.example/x","description":"a\u0000"}`, "description"},
				{http.MethodPost, "/api/v1/tokens", `{"name":"ci\u0000"}`, "name"},
				{http.MethodGet, "/api/v1/posts?label=theme:a%00", "", "label"},
			} {
				var body string
				ct := ""
				if tc.body != "" {
					ct = "application/json"
				}
				status := send(t, e, e.tokA, tc.method, strings.TrimPrefix(tc.path, "/api/v1"), ct, tc.body, &body)
				require.Equal(t, http.StatusUnprocessableEntity, status, "%s %s: %s", tc.method, tc.path, body)
				var got struct {
					Error struct{ Code, Message, Field string }
				}
				require.NoError(t, json.Unmarshal([]byte(body), &got))
				require.Equal(t, "nul", got.Error.Code, tc.path)
				require.Equal(t, tc.field, got.Error.Field, tc.path)
				require.Contains(t, got.Error.Message, "NUL character", tc.path)
			}
			w, err := e.st.WorkspaceByID(ctx, e.wsA.ID)
			require.NoError(t, err)
			require.Equal(t, "Brand A", w.Name)
			var snippets json.RawMessage
			require.NoError(t, e.a.Do(ctx, http.MethodGet, "/snippets", nil, &snippets))
			require.NotContains(t, string(snippets), "the team")
		})
	}
}
