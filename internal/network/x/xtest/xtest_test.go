package xtest

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

// call sends one request to the fake with the account's token and decodes the JSON answer.
func call(t *testing.T, s *Server, method, path, ctype string, body []byte) (int, http.Header, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, s.URL+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	access, _ := s.Tokens()
	req.Header.Set("Authorization", "Bearer "+access)
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	return resp.StatusCode, resp.Header, m
}

func post(t *testing.T, s *Server, v any) (int, map[string]any) {
	t.Helper()
	b, _ := json.Marshal(v)
	st, _, m := call(t, s, "POST", "/2/tweets", "application/json", b)
	return st, m
}

// TestCreateValidation checks the fake refuses what X refuses, with X's shapes.
func TestCreateValidation(t *testing.T) {
	tests := []struct {
		name   string
		body   any
		status int
		detail string
	}{
		{"plain", map[string]any{"text": "hello"}, 201, ""},
		{"280 weighted", map[string]any{"text": strings.Repeat("a", 280)}, 201, ""},
		{"281 weighted", map[string]any{"text": strings.Repeat("a", 281)}, 400, "too long"},
		{"URL counts 23", map[string]any{"text": strings.Repeat("a", 256) + " https://example.com/" + strings.Repeat("p", 100)}, 201, ""},
		{"emoji count 2", map[string]any{"text": strings.Repeat("😀", 141)}, 400, "too long"},
		{"empty", map[string]any{}, 400, "either text"},
		{"unknown field", map[string]any{"text": "x", "nope": 1}, 400, "not valid JSON"},
		{"five media", map[string]any{"text": "x", "media": map[string]any{"media_ids": []string{"1", "2", "3", "4", "5"}}}, 400, "between 1 and 4"},
		{"unknown media", map[string]any{"text": "x", "media": map[string]any{"media_ids": []string{"99"}}}, 400, "media IDs are invalid"},
		{"poll of one", map[string]any{"text": "x", "poll": map[string]any{"options": []string{"a"}, "duration_minutes": 60}}, 400, "between 2 and 4"},
		{"poll too short", map[string]any{"text": "x", "poll": map[string]any{"options": []string{"a", "b"}, "duration_minutes": 4}}, 400, "between 5 and 10080"},
		{"reply to nothing", map[string]any{"text": "x", "reply": map[string]any{"in_reply_to_tweet_id": "1"}}, 403, "deleted or not visible"},
		{"bad reply settings", map[string]any{"text": "x", "reply_settings": "all"}, 400, "enumeration"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := New(t, Options{})
			st, m := post(t, s, tc.body)
			if st != tc.status {
				t.Fatalf("status %d, want %d: %v", st, tc.status, m)
			}
			if tc.status == 201 {
				if d, _ := m["data"].(map[string]any); d["id"] == "" || d["text"] == nil {
					t.Fatalf("answer %v", m)
				}
				return
			}
			b, _ := json.Marshal(m)
			if !strings.Contains(string(b), tc.detail) || (m["title"] == nil && m["errors"] == nil) {
				t.Fatalf("answer %s does not say %q in X's shape", b, tc.detail)
			}
		})
	}
}

func TestDuplicateAndDisplayText(t *testing.T) {
	s := New(t, Options{})
	if st, m := post(t, s, map[string]any{"text": "a & b https://example.com/long/path"}); st != 201 || !strings.Contains(m["data"].(map[string]any)["text"].(string), "a &amp; b https://t.co/") {
		t.Fatalf("%d %v", st, m)
	}
	if st, m := post(t, s, map[string]any{"text": "a & b https://example.com/long/path"}); st != 403 || !strings.Contains(m["detail"].(string), "duplicate content") {
		t.Fatalf("duplicate: %d %v", st, m)
	}
}

func TestRefreshTokenRotates(t *testing.T) {
	s := New(t, Options{})
	_, rt := s.Tokens()
	exchange := func(rt string) (int, map[string]any) {
		resp, err := http.PostForm(s.URL+"/2/oauth2/token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}, "client_id": {s.ClientID()}})
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var m map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&m)
		return resp.StatusCode, m
	}
	st, m := exchange(rt)
	if st != 200 || m["refresh_token"] == rt || m["expires_in"].(float64) != 7200 || m["token_type"] != "bearer" {
		t.Fatalf("%d %v", st, m)
	}
	if st, m := exchange(rt); st != 400 || m["error"] != "invalid_request" {
		t.Fatalf("reused token: %d %v", st, m)
	}
	if st, _ := exchange(m["refresh_token"].(string)); st != 200 {
		t.Fatalf("new token refused: %d", st)
	}
}

func TestRateLimitWindow(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	s := New(t, Options{RateLimit: 2, Now: func() time.Time { return now }})
	for i, want := range []int{200, 200, 429} {
		st, h, m := call(t, s, "GET", "/2/users/me", "", nil)
		if st != want {
			t.Fatalf("call %d: %d %v", i, st, m)
		}
		if h.Get("x-rate-limit-reset") != strconv.FormatInt(now.Add(15*time.Minute).Unix(), 10) {
			t.Fatalf("reset header %q", h.Get("x-rate-limit-reset"))
		}
		if want == 429 && (h.Get("x-rate-limit-remaining") != "0" || m["status"].(float64) != 429) {
			t.Fatalf("429 shape: %v %v", h, m)
		}
	}
}

func segmentBody(t *testing.T, index int, data []byte) ([]byte, string) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("segment_index", strconv.Itoa(index))
	fw, _ := mw.CreateFormFile("media", "blob")
	_, _ = fw.Write(data)
	_ = mw.Close()
	return buf.Bytes(), mw.FormDataContentType()
}

func TestChunkedUpload(t *testing.T) {
	s := New(t, Options{MediaPolls: 1})
	init, _ := json.Marshal(map[string]any{"media_type": "video/mp4", "total_bytes": 6, "media_category": "tweet_video"})
	st, _, m := call(t, s, "POST", "/2/media/upload/initialize", "application/json", init)
	if st != 200 {
		t.Fatalf("initialize: %d %v", st, m)
	}
	id := m["data"].(map[string]any)["id"].(string)
	steps := []struct {
		name, method, path string
		seg                int
		status             int
		state              string
	}{
		{"out of order", "POST", "/append", 1, 400, ""},
		{"first", "POST", "/append", 0, 200, ""},
		{"finalize short", "POST", "/finalize", -1, 400, ""},
		{"second", "POST", "/append", 1, 200, ""},
		{"finalize", "POST", "/finalize", -1, 200, "pending"},
		{"status", "GET", "", -1, 200, "in_progress"},
		{"status again", "GET", "", -1, 200, "succeeded"},
	}
	for _, step := range steps {
		var st int
		var m map[string]any
		switch {
		case step.seg >= 0:
			b, ct := segmentBody(t, step.seg, []byte("abc"))
			st, _, m = call(t, s, step.method, "/2/media/upload/"+id+step.path, ct, b)
		case step.method == "GET":
			st, _, m = call(t, s, "GET", "/2/media/upload?command=STATUS&media_id="+id, "", nil)
		default:
			st, _, m = call(t, s, step.method, "/2/media/upload/"+id+step.path, "", nil)
		}
		if st != step.status {
			t.Fatalf("%s: %d %v", step.name, st, m)
		}
		if step.state != "" {
			if got := m["data"].(map[string]any)["processing_info"].(map[string]any)["state"]; got != step.state {
				t.Fatalf("%s: state %v, want %s", step.name, got, step.state)
			}
		}
	}
}

func TestLookupPartialErrors(t *testing.T) {
	s := New(t, Options{})
	id := s.AddPost("alice", "hello", "")
	st, _, m := call(t, s, "GET", "/2/tweets?ids="+id+",123&tweet.fields=public_metrics", "", nil)
	if st != 200 || len(m["data"].([]any)) != 1 || len(m["errors"].([]any)) != 1 {
		t.Fatalf("%d %v", st, m)
	}
	if st, _, _ := call(t, s, "GET", "/2/tweets?ids="+id+"&tweet.fields=organic_metrics,bogus", "", nil); st != 400 {
		t.Fatalf("unknown field accepted: %d", st)
	}
}

// TestSearchSyntax answers recent search in X's query syntax: OR,
// parentheses, phrases, negation, hashtags, -is:retweet and from:, with the
// authors' follower counts when asked.
func TestSearchSyntax(t *testing.T) {
	s := New(t, Options{})
	a := s.AddPost("alice", "Acme refund took forever #AcmeDay", "")
	b := s.AddPost("bob", "love my green shoes from Globex", "")
	_ = s.AddPost("carol", "acme jobs: we are hiring", "")
	_ = s.AddPost("dave", "nothing to see", "")
	s.SetUserFollowers("alice", 1200)
	for _, tc := range []struct {
		query string
		want  string
	}{
		{`(acme OR "green shoes") -jobs -is:retweet`, b + "," + a},
		{`#acmeday`, a},
		{`"shoes green"`, ""},
		{`acme from:alice`, a},
	} {
		q := url.Values{"query": {tc.query}, "expansions": {"author_id"}, "user.fields": {"username,public_metrics"}}
		status, _, m := call(t, s, "GET", "/2/tweets/search/recent?"+q.Encode(), "", nil)
		if status != 200 {
			t.Fatalf("%s: status %d %v", tc.query, status, m)
		}
		var got []string
		data, _ := m["data"].([]any)
		for _, d := range data {
			got = append(got, d.(map[string]any)["id"].(string))
		}
		if strings.Join(got, ",") != tc.want {
			t.Fatalf("%s: got %v, want %s", tc.query, got, tc.want)
		}
		inc, _ := m["includes"].(map[string]any)
		users, _ := inc["users"].([]any)
		for _, u := range users {
			um := u.(map[string]any)
			if um["username"] == "alice" && um["public_metrics"].(map[string]any)["followers_count"].(float64) != 1200 {
				t.Fatalf("alice's followers: %v", um)
			}
		}
	}
	if status, _, _ := call(t, s, "GET", "/2/tweets/search/recent?"+url.Values{"query": {"(acme"}}.Encode(), "", nil); status != 400 {
		t.Fatalf("unbalanced parentheses: status %d", status)
	}
}
