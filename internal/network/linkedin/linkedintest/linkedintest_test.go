package linkedintest

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

type call struct {
	method, path, body string
	header             map[string]string
}

func (s *Server) call(t *testing.T, c call) (*http.Response, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(c.method, s.URL+c.path, strings.NewReader(c.body))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+s.tok)
	req.Header.Set("LinkedIn-Version", "202607")
	req.Header.Set("X-Restli-Protocol-Version", "2.0.0")
	for k, v := range c.header {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	return res, m
}

const post = `{"author":"urn:li:organization:2414183","commentary":"hello","visibility":"PUBLIC","distribution":{"feedDistribution":"MAIN_FEED"},"lifecycleState":"PUBLISHED"}`

// TestContract checks the fake's answers against LinkedIn's documented shapes.
func TestContract(t *testing.T) {
	s := New(t, Options{})
	cases := []struct {
		name   string
		c      call
		status int
		code   string
	}{
		{"created with an empty body", call{method: "POST", path: "/rest/posts", body: post}, 201, ""},
		{"no version", call{method: "POST", path: "/rest/posts", body: post, header: map[string]string{"LinkedIn-Version": ""}}, 400, "VERSION_MISSING"},
		{"sunset version", call{method: "POST", path: "/rest/posts", body: post, header: map[string]string{"LinkedIn-Version": "202401"}}, 426, "NONEXISTENT_VERSION"},
		{"no Rest.li header", call{method: "POST", path: "/rest/posts", body: post, header: map[string]string{"X-Restli-Protocol-Version": ""}}, 400, "ILLEGAL_ARGUMENT"},
		{"bad token", call{method: "GET", path: "/v2/userinfo", header: map[string]string{"Authorization": "Bearer nope"}}, 401, "INVALID_ACCESS_TOKEN"},
		{"unescaped reserved character", call{method: "POST", path: "/rest/posts", body: strings.Replace(post, "hello", "a (b)", 1)}, 422, "UNPROCESSABLE_ENTITY"},
		{"hashtag allowed", call{method: "POST", path: "/rest/posts", body: strings.Replace(post, "hello", `#tag \\(b\\)`, 1)}, 201, ""},
		{"someone else's organization", call{method: "POST", path: "/rest/posts", body: strings.Replace(post, "2414183", "1", 1)}, 403, "ACCESS_DENIED"},
		{"unknown media", call{method: "POST", path: "/rest/posts", body: strings.Replace(post, `"lifecycleState"`, `"content":{"media":{"id":"urn:li:image:x"}},"lifecycleState"`, 1)}, 422, "UNPROCESSABLE_ENTITY"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, body := s.call(t, tc.c)
			require.Equal(t, tc.status, res.StatusCode)
			if tc.code != "" {
				require.Equal(t, tc.code, body["code"])
				require.Equal(t, float64(tc.status), body["status"])
				require.NotEmpty(t, body["message"])
			}
			if tc.status == 201 {
				require.True(t, strings.HasPrefix(res.Header.Get("x-restli-id"), "urn:li:share:"))
			}
		})
	}

	s.Inject(Fault{Route: "POST /rest/posts", Kind: RateLimited})
	res, body := s.call(t, call{method: "POST", path: "/rest/posts", body: post})
	require.Equal(t, 429, res.StatusCode)
	require.Equal(t, "TOO_MANY_REQUESTS", body["code"])
	for k := range res.Header {
		require.NotContains(t, strings.ToLower(k), "ratelimit", "LinkedIn sends no rate-limit headers")
		require.NotEqual(t, "Retry-After", k)
	}
}

// TestVideoPartsMustBeEchoedInOrder: finalizeUpload refuses ETags out of order.
func TestVideoPartsMustBeEchoedInOrder(t *testing.T) {
	s := New(t, Options{PartSize: 4})
	_, init := s.call(t, call{method: "POST", path: "/rest/videos?action=initializeUpload", body: `{"initializeUploadRequest":{"owner":"urn:li:organization:2414183","fileSizeBytes":10}}`})
	v := init["value"].(map[string]any)
	var etags []string
	for _, in := range v["uploadInstructions"].([]any) {
		m := in.(map[string]any)
		n := int(m["lastByte"].(float64)-m["firstByte"].(float64)) + 1
		req, _ := http.NewRequest("PUT", m["uploadUrl"].(string), strings.NewReader(strings.Repeat("v", n)))
		req.Header.Set("Authorization", "Bearer "+s.tok)
		res, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		res.Body.Close()
		require.Equal(t, 200, res.StatusCode)
		etags = append(etags, res.Header.Get("ETag"))
	}
	require.Len(t, etags, 3)
	fin := func(ids []string) int {
		b, _ := json.Marshal(map[string]any{"finalizeUploadRequest": map[string]any{"video": v["video"], "uploadToken": v["uploadToken"], "uploadedPartIds": ids}})
		res, _ := s.call(t, call{method: "POST", path: "/rest/videos?action=finalizeUpload", body: string(b)})
		return res.StatusCode
	}
	require.Equal(t, 422, fin([]string{etags[1], etags[0], etags[2]}))
	require.Equal(t, 200, fin(etags))
}
