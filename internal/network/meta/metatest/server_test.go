package metatest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func graphCall(t *testing.T, s *Server, method, path, token string, params url.Values) (int, http.Header, map[string]any) {
	t.Helper()
	var body io.Reader
	target := s.URL + path
	if method == http.MethodGet {
		target += "?" + params.Encode()
	} else {
		body = strings.NewReader(params.Encode())
	}
	req, err := http.NewRequest(method, target, body)
	require.NoError(t, err)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var out map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
	return resp.StatusCode, resp.Header, out
}

// TestErrorBodiesAndUsage: Graph error bodies, usage headers and the throttle at 100 %.
func TestErrorBodiesAndUsage(t *testing.T) {
	now := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	s := New(t, Options{Now: func() time.Time { return now }, CallBudget: 4})
	status, _, out := graphCall(t, s, "GET", "/"+GraphVersion+"/me", "nope", nil)
	require.Equal(t, 400, status)
	e := out["error"].(map[string]any)
	require.EqualValues(t, 190, e["code"])
	require.Equal(t, "OAuthException", e["type"])
	require.NotEmpty(t, e["fbtrace_id"])

	tok := s.IssueToken("page", s.PageID, 0)
	for i := 1; i <= 4; i++ {
		status, h, _ := graphCall(t, s, "GET", "/"+GraphVersion+"/"+s.PageID, tok, url.Values{"fields": {"name"}})
		require.Equal(t, 200, status)
		var buc map[string][]map[string]any
		require.NoError(t, json.Unmarshal([]byte(h.Get("X-Business-Use-Case-Usage")), &buc))
		require.EqualValues(t, i*25, buc[s.PageID][0]["call_count"])
	}
	status, _, out = graphCall(t, s, "GET", "/"+GraphVersion+"/"+s.PageID, tok, nil)
	require.Equal(t, 400, status)
	require.EqualValues(t, 80001, out["error"].(map[string]any)["code"])
	require.Equal(t, true, out["error"].(map[string]any)["is_transient"])
}

// TestContainerStatesAndPaging: IN_PROGRESS for Polls reads, FINISHED, PUBLISHED once; EXPIRED after 24 h; cursors.
func TestContainerStatesAndPaging(t *testing.T) {
	now := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	s := New(t, Options{Now: func() time.Time { return now }, Polls: 2})
	tok := s.IssueToken("page", s.PageID, 0)
	v := "/" + GraphVersion + "/"
	_, _, out := graphCall(t, s, "POST", v+s.IGUserID+"/media", tok, url.Values{"image_url": {"https://cdn.example/a.jpg"}, "caption": {"hi"}})
	id := out["id"].(string)
	for _, want := range []string{"IN_PROGRESS", "IN_PROGRESS", "FINISHED"} {
		_, _, out = graphCall(t, s, "GET", v+id, tok, url.Values{"fields": {"status_code"}})
		require.Equal(t, want, out["status_code"])
	}
	status, _, _ := graphCall(t, s, "POST", v+s.IGUserID+"/media_publish", tok, url.Values{"creation_id": {id}})
	require.Equal(t, 200, status)
	status, _, out = graphCall(t, s, "POST", v+s.IGUserID+"/media_publish", tok, url.Values{"creation_id": {id}})
	require.Equal(t, 400, status, "a container is published once")
	require.EqualValues(t, 2207006, out["error"].(map[string]any)["error_subcode"])

	_, _, out = graphCall(t, s, "POST", v+s.IGUserID+"/media", tok, url.Values{"image_url": {"https://cdn.example/a.jpg"}})
	old := out["id"].(string)
	now = now.Add(24 * time.Hour)
	_, _, out = graphCall(t, s, "GET", v+old, tok, url.Values{"fields": {"status_code"}})
	require.Equal(t, "EXPIRED", out["status_code"])

	for i := 0; i < 5; i++ {
		s.AddComment(s.objects[s.Objects("igmedia", s.IGUserID)[0].ID].ID, "fan", "c")
	}
	media := s.Objects("igmedia", s.IGUserID)[0].ID
	var seen int
	params := url.Values{"limit": {"2"}, "fields": {"id,text"}}
	for page := 0; page < 5; page++ {
		_, _, out = graphCall(t, s, "GET", v+media+"/comments", tok, params)
		seen += len(out["data"].([]any))
		paging := out["paging"].(map[string]any)
		if paging["next"] == nil {
			break
		}
		params.Set("after", paging["cursors"].(map[string]any)["after"].(string))
	}
	require.Equal(t, 5, seen)
}
