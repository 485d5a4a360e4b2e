package tumblrtest

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
)

// post sends body to the fake's create route with the first token.
func post(t *testing.T, s *Server, ctype string, body []byte) (int, map[string]any) {
	t.Helper()
	access, _ := s.Tokens()
	req, _ := http.NewRequest(http.MethodPost, s.URL+"/v2/blog/relaisfake/posts", bytes.NewReader(body))
	req.Header.Set("Content-Type", ctype)
	req.Header.Set("Authorization", "Bearer "+access)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(res.Body).Decode(&out)
	return res.StatusCode, out
}

// TestFakeIsStrict: the fake refuses what Tumblr refuses, in Tumblr's envelope.
func TestFakeIsStrict(t *testing.T) {
	s := New(t, Options{})
	for _, tc := range []struct {
		name, body string
		status     int
		code       float64
	}{
		{"content not an array", `{"content":"hi"}`, 400, 8001},
		{"no content", `{"state":"published"}`, 400, 8001},
		{"image without its part", `{"content":[{"type":"image","media":[{"type":"image/jpeg","identifier":"x"}]}]}`, 400, 8001},
		{"mention of an unknown blog", `{"content":[{"type":"text","text":"hi @z","formatting":[{"start":3,"end":5,"type":"mention","blog":{"uuid":"t:nobody"}}]}]}`, 400, 8001},
		{"formatting past the text", `{"content":[{"type":"text","text":"hi","formatting":[{"start":0,"end":9,"type":"link","url":"https://a.b"}]}]}`, 400, 8001},
		{"bad reblog key", `{"content":[],"parent_tumblelog_uuid":"t:friendUUID000003","parent_post_id":"1","reblog_key":"nope"}`, 400, 8002},
		{"bad state", `{"content":[{"type":"text","text":"x"}],"state":"later"}`, 400, 8001},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, out := post(t, s, "application/json", []byte(tc.body))
			errs, _ := out["errors"].([]any)
			meta, _ := out["meta"].(map[string]any)
			if status != tc.status || len(errs) != 1 || meta["status"] != float64(tc.status) || errs[0].(map[string]any)["code"] != tc.code {
				t.Fatalf("%d %v", status, out)
			}
		})
	}
	// Multipart: the JSON part must come first; a file of the wrong type is refused with 8005.
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("json", `{"content":[{"type":"image","media":[{"type":"image/jpeg","identifier":"f"}]}]}`)
	fw, _ := mw.CreateFormFile("f", "f.mp4")
	_, _ = fw.Write([]byte("not an image"))
	_ = mw.Close()
	status, out := post(t, s, mw.FormDataContentType(), buf.Bytes())
	if status != 400 || !strings.Contains(toJSON(out), "8005") {
		t.Fatalf("wrong file type: %d %v", status, out)
	}
	if len(s.Posts()) != 0 {
		t.Fatal("a refused post was stored")
	}
	// Without a token: 401 in the envelope.
	res, err := http.Get(s.URL + "/v2/user/info")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 401 {
		t.Fatalf("no token: %d", res.StatusCode)
	}
}

func toJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
