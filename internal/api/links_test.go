package api_test

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestOnlyHTTPLinks refuses every link that is not an absolute http(s) URL,
// on the post and on each variant, at creation and on update (the CSV import
// refused them already; the API stored javascript: links).
func TestOnlyHTTPLinks(t *testing.T) {
	t.Parallel()
	e := setup(t, "sqlite")
	ch, err := e.a.ConnectChannel(ctx, string(apiTestKind), map[string]string{"name": "linker"})
	require.NoError(t, err)
	chID := idStr(ch.ID)
	const json = "application/json"
	var prob struct {
		Error struct{ Code, Field, Message string } `json:"error"`
	}
	for _, link := range []string{"javascript:alert(1)", "JavaScript:alert(document.cookie)", "data:text/html,<script>alert(1)</script>",
		"vbscript:msgbox", "file:///etc/passwd", "//evil.example/x", "https:", "mailto:a@example.com", "example.com/page"} {
		body := `{"text":"hi","link":` + quote(link) + `,"variants":[{"channel_id":` + chID + `}]}`
		require.Equal(t, 422, send(t, e, e.tokA, "POST", "/posts", json, body, &prob), link)
		require.Equal(t, "link", prob.Error.Field, link)
		require.Equal(t, "format", prob.Error.Code, link)
		require.Contains(t, prob.Error.Message, "http:// or https://", link)

		body = `{"text":"hi","variants":[{"channel_id":` + chID + `,"link":` + quote(link) + `}]}`
		require.Equal(t, 422, send(t, e, e.tokA, "POST", "/posts", json, body, &prob), link)
		require.Equal(t, "variants["+chID+"].link", prob.Error.Field, link)
	}

	var p postJSON
	require.Equal(t, 201, send(t, e, e.tokA, "POST", "/posts", json,
		`{"text":"hi","link":"https://example.com/launch?utm=1","variants":[{"channel_id":`+chID+`,"link":"http://example.com/x"}]}`, &p))
	require.Equal(t, 422, send(t, e, e.tokA, "PUT", "/posts/"+idStr(p.ID), json,
		`{"text":"hi","link":"javascript:alert(1)","variants":[{"channel_id":`+chID+`}]}`, &prob))
	require.Equal(t, "link", prob.Error.Field)
}

func quote(s string) string {
	b := []byte{'"'}
	for _, r := range s {
		switch r {
		case '"', '\\':
			b = append(b, '\\', byte(r))
		default:
			b = append(b, string(r)...)
		}
	}
	return string(append(b, '"'))
}
