package telegramtest_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/network/telegram/telegramtest"
)

var allowPrivate = true

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type answer struct {
	OK          bool            `json:"ok"`
	Result      json.RawMessage `json:"result"`
	ErrorCode   int             `json:"error_code"`
	Description string          `json:"description"`
	Parameters  map[string]int  `json:"parameters"`
}

func call(t *testing.T, s *telegramtest.Server, token, method string, params map[string]any) (int, answer) {
	t.Helper()
	b, err := json.Marshal(params)
	require.NoError(t, err)
	hc := network.NewHTTPClient(network.HTTPOptions{AllowPrivate: &allowPrivate})
	resp, err := hc.Post(s.URL+"/bot"+token+"/"+method, "application/json", strings.NewReader(string(b)))
	require.NoError(t, err)
	defer resp.Body.Close()
	var a answer
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&a))
	return resp.StatusCode, a
}

func TestValidation(t *testing.T) {
	t.Parallel()
	emoji := "😀" // two UTF-16 code units
	cases := []struct {
		name   string
		method string
		params map[string]any
		status int
		desc   string
	}{
		{"text ok", "sendMessage", map[string]any{"text": "hi"}, 200, ""},
		{"empty", "sendMessage", map[string]any{"text": " "}, 400, "Bad Request: message text is empty"},
		{"4096 UTF-16 fits", "sendMessage", map[string]any{"text": strings.Repeat(emoji, 2048)}, 200, ""},
		{"4097 UTF-16 too long", "sendMessage", map[string]any{"text": strings.Repeat(emoji, 2048) + "a"}, 400, "Bad Request: message is too long"},
		{"HTML counts after parsing", "sendMessage", map[string]any{"text": "<b>" + strings.Repeat("a", 4096) + "</b>", "parse_mode": "HTML"}, 200, ""},
		{"HTML bad tag", "sendMessage", map[string]any{"text": "<blink>x</blink>", "parse_mode": "HTML"}, 400, `Bad Request: can't parse entities: Unsupported start tag "blink" at byte offset 0`},
		{"HTML unclosed", "sendMessage", map[string]any{"text": "<b>x", "parse_mode": "HTML"}, 400, `Bad Request: can't parse entities: Can't find end tag corresponding to start tag "b"`},
		{"entity after emoji", "sendMessage", map[string]any{"text": emoji + " bold", "entities": []map[string]any{{"type": "bold", "offset": 3, "length": 4}}}, 200, ""},
		{"entity in bytes is out", "sendMessage", map[string]any{"text": emoji + " bold", "entities": []map[string]any{{"type": "bold", "offset": 5, "length": 4}}}, 400, "Bad Request: can't parse entities: entity bold at offset 5 with length 4 is out of the text of 7 UTF-16 code units"},
		{"entity splits surrogate", "sendMessage", map[string]any{"text": emoji + " bold", "entities": []map[string]any{{"type": "bold", "offset": 1, "length": 3}}}, 400, "Bad Request: can't parse entities: entity bold at offset 1 with length 3 splits a UTF-16 surrogate pair"},
		{"unknown entity", "sendMessage", map[string]any{"text": "x", "entities": []map[string]any{{"type": "blink", "offset": 0, "length": 1}}}, 400, `Bad Request: can't parse entities: unsupported entity type "blink"`},
		{"caption 1025", "sendPhoto", map[string]any{"photo": "https://example.com/a.jpg", "caption": strings.Repeat("a", 1025)}, 400, "Bad Request: message caption is too long"},
		{"no photo", "sendPhoto", map[string]any{"caption": "x"}, 400, "Bad Request: there is no photo in the request"},
		{"album of none", "sendMediaGroup", map[string]any{"media": []map[string]any{}}, 400, "Bad Request: there are no messages to send"},
		{"album of one is a message", "sendMediaGroup", map[string]any{"media": []map[string]any{{"type": "photo", "media": "https://e.com/1.jpg"}}}, 200, ""},
		{"album of eleven", "sendMediaGroup", map[string]any{"media": make11()}, 400, "Bad Request: too many messages to send as an album"},
		{"album mixed documents", "sendMediaGroup", map[string]any{"media": []map[string]any{{"type": "photo", "media": "https://e.com/1.jpg"}, {"type": "document", "media": "https://e.com/1.pdf"}}}, 400, "Bad Request: document can't be mixed with other media types"},
		{"album of two", "sendMediaGroup", map[string]any{"media": []map[string]any{{"type": "photo", "media": "https://e.com/1.jpg"}, {"type": "photo", "media": "https://e.com/2.jpg"}}}, 200, ""},
		{"wrong chat", "sendMessage", map[string]any{"text": "x", "chat_id": "@other"}, 400, "Bad Request: chat not found"},
		{"unknown method", "sendCarrierPigeon", map[string]any{}, 404, "Not Found"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := telegramtest.New(t, telegramtest.Options{})
			if _, ok := tc.params["chat_id"]; !ok {
				tc.params["chat_id"] = "@relaischannel"
			}
			status, a := call(t, s, s.Token(), tc.method, tc.params)
			require.Equal(t, tc.status, status, a.Description)
			require.Equal(t, tc.status == 200, a.OK)
			if tc.desc != "" {
				require.Equal(t, tc.desc, a.Description)
				require.Equal(t, tc.status, a.ErrorCode)
				require.Empty(t, s.Messages())
			}
		})
	}
}

func make11() []map[string]any {
	var out []map[string]any
	for range 11 {
		out = append(out, map[string]any{"type": "photo", "media": "https://e.com/1.jpg"})
	}
	return out
}

func TestAuthRightsAndRateLimit(t *testing.T) {
	t.Parallel()
	s := telegramtest.New(t, telegramtest.Options{})
	status, a := call(t, s, "1:wrong", "getMe", nil)
	require.Equal(t, 401, status)
	require.Equal(t, "Unauthorized", a.Description)

	s.SetBot("administrator", false)
	status, a = call(t, s, s.Token(), "sendMessage", map[string]any{"chat_id": "@relaischannel", "text": "x"})
	require.Equal(t, 400, status)
	require.Equal(t, "Bad Request: need administrator rights in the channel chat", a.Description)
	s.SetBot("left", false)
	status, a = call(t, s, s.Token(), "sendMessage", map[string]any{"chat_id": "@relaischannel", "text": "x"})
	require.Equal(t, 403, status)
	require.Equal(t, "Forbidden: bot is not a member of the channel chat", a.Description)

	s.SetBot("administrator", true)
	s.Inject(telegramtest.Fault{Method: "sendMessage", Kind: telegramtest.TooManyRequests, RetryAfter: 12})
	status, a = call(t, s, s.Token(), "sendMessage", map[string]any{"chat_id": "@relaischannel", "text": "x"})
	require.Equal(t, 429, status)
	require.Equal(t, "Too Many Requests: retry after 12", a.Description)
	require.Equal(t, 12, a.Parameters["retry_after"])
	status, _ = call(t, s, s.Token(), "sendMessage", map[string]any{"chat_id": "@relaischannel", "text": "x"})
	require.Equal(t, 200, status)
}

func TestEditDeleteAndUpdates(t *testing.T) {
	t.Parallel()
	clk := &clock{t: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)}
	s := telegramtest.New(t, telegramtest.Options{Now: clk.Now})
	_, a := call(t, s, s.Token(), "sendMessage", map[string]any{"chat_id": "@relaischannel", "text": "v1"})
	var m struct {
		MessageID int `json:"message_id"`
	}
	require.NoError(t, json.Unmarshal(a.Result, &m))

	status, a := call(t, s, s.Token(), "editMessageText", map[string]any{"chat_id": "@relaischannel", "message_id": m.MessageID, "text": "v1"})
	require.Equal(t, 400, status)
	require.True(t, strings.HasPrefix(a.Description, "Bad Request: message is not modified"))
	_, a = call(t, s, s.Token(), "editMessageCaption", map[string]any{"chat_id": "@relaischannel", "message_id": m.MessageID, "caption": "v2"})
	require.Equal(t, "Bad Request: there is no caption in the message to edit", a.Description)

	c1 := s.AddComment(m.MessageID, "bob", "first!")
	s.AddCommentReply(c1, "carol", "second")
	_, a = call(t, s, s.Token(), "getUpdates", map[string]any{"offset": 0})
	var ups []map[string]any
	require.NoError(t, json.Unmarshal(a.Result, &ups))
	require.Len(t, ups, 3, "automatic forward, comment, reply")
	require.Equal(t, true, ups[0]["message"].(map[string]any)["is_automatic_forward"])
	last := int(ups[2]["update_id"].(float64))
	_, a = call(t, s, s.Token(), "getUpdates", map[string]any{"offset": last + 1})
	require.JSONEq(t, "[]", string(a.Result))

	clk.Add(49 * time.Hour)
	_, a = call(t, s, s.Token(), "deleteMessage", map[string]any{"chat_id": "@relaischannel", "message_id": m.MessageID})
	require.Equal(t, "Bad Request: message can't be deleted", a.Description)
	_, a = call(t, s, s.Token(), "deleteMessage", map[string]any{"chat_id": "@relaischannel", "message_id": 999})
	require.Equal(t, "Bad Request: message to delete not found", a.Description)
	require.Equal(t, http.StatusBadRequest, a.ErrorCode)
}
