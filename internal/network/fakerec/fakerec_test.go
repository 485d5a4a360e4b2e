package fakerec

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestServeRunsTheFaultProtocol(t *testing.T) {
	var rec Recorder
	var did atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.Serve(w, r, r.Method+" "+r.URL.Path,
			func(w http.ResponseWriter, k FaultKind) { http.Error(w, string(k), http.StatusServiceUnavailable) },
			func(w http.ResponseWriter, body []byte) { did.Add(1); _, _ = w.Write(body) })
	}))
	t.Cleanup(srv.Close)
	post := func() (int, string, error) {
		res, err := http.Post(srv.URL+"/x", "text/plain", strings.NewReader("hello"))
		if err != nil {
			return 0, "", err
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b), nil
	}
	cases := []struct {
		kind   FaultKind
		status int
		work   int32
		drop   bool
	}{
		{"", 200, 1, false},
		{RateLimited, 503, 0, false},
		{CommitThenFail, 503, 1, false},
		{CommitThenDrop, 0, 1, true},
		{Drop, 0, 0, true},
	}
	for _, tc := range cases {
		did.Store(0)
		if tc.kind != "" {
			rec.Inject(Fault{Route: "POST /x", Kind: tc.kind})
		}
		status, body, err := post()
		if tc.drop {
			require.Error(t, err, tc.kind)
		} else {
			require.NoError(t, err)
			require.Equal(t, tc.status, status, tc.kind)
		}
		if tc.kind == "" {
			require.Equal(t, "hello", body)
		}
		require.Equal(t, tc.work, did.Load(), "work done for %q", tc.kind)
	}
	rec.Inject(Fault{Route: "POST /x", Kind: ServerError, Times: 2})
	for _, want := range []int{503, 503, 200} {
		status, _, err := post()
		require.NoError(t, err)
		require.Equal(t, want, status)
	}
	require.Equal(t, 8, rec.Count("POST /x"))
	require.Equal(t, "hello", string(rec.Requests()[0].Body))
}

func TestFaults(t *testing.T) {
	var f Faults[string]
	f.Add("POST /a", "drop", 2)
	f.Add("GET /b", "invalid", 0)
	require.Equal(t, "", f.Take("GET /c"))
	require.Equal(t, "drop", f.Take("POST /a"))
	require.Equal(t, "drop", f.Take("POST /a"))
	require.Equal(t, "", f.Take("POST /a"), "used up")
	f.Clear()
	require.Equal(t, "", f.Take("GET /b"))
	require.NotEqual(t, RandomString(12), RandomString(12))
	require.Len(t, RandomString(12), 16)
}

func TestRecordNamesTheRoute(t *testing.T) {
	r := Recorder{RouteOf: func(p string) string { return strings.Replace(p, "/42", "/:id", 1) }}
	r.Inject(Fault{Route: "GET /pins/:id", Kind: ServerError})
	route, kind := r.Record(httptest.NewRequest(http.MethodGet, "/pins/42?x=1", nil), []byte("b"), false)
	require.Equal(t, "GET /pins/:id", route)
	require.Equal(t, ServerError, kind)
	require.Equal(t, 1, r.Count("GET /pins/:id"))
	require.Nil(t, r.Requests()[0].Body, "the body is not kept")
	require.Equal(t, "1", r.Requests()[0].Query.Get("x"))
}
