package gbptest

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func (s *Server) call(t *testing.T, method, path, body string) (*http.Response, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, s.URL+path, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+s.tok)
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	return res, m
}

// TestContract checks the fake's answers against Google's documented shapes.
func TestContract(t *testing.T) {
	s := New(t, Options{})
	posts := "/v4/" + AccountName + "/locations/4242/localPosts"
	cases := []struct {
		name, method, path, body string
		status                   int
		gstatus                  string
	}{
		{"standard post", "POST", posts, `{"summary":"hi","topicType":"STANDARD"}`, 200, ""},
		{"offer needs an event", "POST", posts, `{"summary":"hi","topicType":"OFFER","offer":{"couponCode":"X"}}`, 400, "INVALID_ARGUMENT"},
		{"event with schedule", "POST", posts, `{"topicType":"EVENT","event":{"title":"T","schedule":{"startDate":{"year":2026,"month":1,"day":1},"endDate":{"year":2026,"month":1,"day":2}}}}`, 200, ""},
		{"button without URL", "POST", posts, `{"summary":"hi","topicType":"STANDARD","callToAction":{"actionType":"BOOK"}}`, 400, "INVALID_ARGUMENT"},
		{"call button", "POST", posts, `{"summary":"hi","topicType":"STANDARD","callToAction":{"actionType":"CALL"}}`, 200, ""},
		{"too long", "POST", posts, `{"summary":"` + strings.Repeat("a", 1501) + `","topicType":"STANDARD"}`, 400, "INVALID_ARGUMENT"},
		{"locations need a readMask", "GET", "/v1/" + AccountName + "/locations", "", 400, "INVALID_ARGUMENT"},
		{"unknown metric", "GET", "/v1/locations/4242:fetchMultiDailyMetricsTimeSeries?dailyMetrics=VIEWS&dailyRange.startDate.year=2026&dailyRange.startDate.month=1&dailyRange.startDate.day=1&dailyRange.endDate.year=2026&dailyRange.endDate.month=1&dailyRange.endDate.day=2", "", 400, "INVALID_ARGUMENT"},
		{"unknown location", "GET", "/v1/locations/1", "", 404, "NOT_FOUND"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, body := s.call(t, tc.method, tc.path, tc.body)
			require.Equal(t, tc.status, res.StatusCode)
			if tc.gstatus != "" {
				e := body["error"].(map[string]any)
				require.Equal(t, tc.gstatus, e["status"])
				require.Equal(t, float64(tc.status), e["code"])
				require.NotEmpty(t, e["message"])
			} else if tc.method == "POST" {
				require.Contains(t, body["name"], "/localPosts/")
				require.Equal(t, "LIVE", body["state"])
			}
		})
	}
	s.Inject(Fault{Route: "POST /v4/accounts/:id/locations/:id/localPosts", Kind: RateLimited})
	res, body := s.call(t, "POST", posts, `{"summary":"hi","topicType":"STANDARD"}`)
	require.Equal(t, 429, res.StatusCode)
	require.Equal(t, "RESOURCE_EXHAUSTED", body["error"].(map[string]any)["status"])
	require.Equal(t, "", res.Header.Get("Retry-After"))
	require.Equal(t, 7, s.Count("POST /v4/accounts/:id/locations/:id/localPosts"), "every create recorded")
	require.Len(t, s.Posts(), 3, "only the valid ones kept")
}
