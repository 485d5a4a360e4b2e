package web

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"

	"github.com/relais/relais/internal/contest"
	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/network/mastodon/gotosocialtest"
	"github.com/relais/relais/internal/store"
	"github.com/stretchr/testify/require"
)

var socialChallengeRE = challengeREFor("social-challenge")

func challengeREFor(id string) func(string) string {
	return func(body string) string {
		i := strings.Index(body, `id="`+id+`"`)
		if i < 0 {
			return ""
		}
		m := challengeRE.FindStringSubmatch(body[strings.LastIndex(body[:i], "<input"):])
		if m == nil {
			return ""
		}
		return strings.ReplaceAll(m[1], "&#43;", "+")
	}
}

// TestContestMastodonVoteOnGoToSocial votes with a Mastodon account on the
// real GoToSocial server: relais registers its app on the instance once,
// the voter signs in there and allows it, and the vote of the account's
// acct URI counts once; the same account again is "already voted".
func TestContestMastodonVoteOnGoToSocial(t *testing.T) {
	t.Parallel()
	gts := gotosocialtest.URL(t)
	cb := setupContests(t, 8)
	allow := true
	cb.svc.HTTP = network.NewHTTPClient(network.HTTPOptions{AllowPrivate: &allow})
	u := storeUser(t, cb.st, "social@lune.example")
	ws := mustWorkspace(t, cb.st, "lune-s", u.ID)
	c := newOpenContest(t, cb.st, ws.ID, "social", store.ContestCandidates, "en")
	e, err := cb.svc.AddCandidate(context.Background(), c, "Brigitte", "test")
	require.NoError(t, err)
	pub := cb.browser(t)

	vote := func(email string) (int, string) {
		page := pub.get(fmt.Sprintf("/c/social/e/%d", e.ID))
		ch := socialChallengeRE(page.Body)
		require.NotEmpty(t, ch)
		res := pub.post(fmt.Sprintf("/c/social/e/%d/vote/mastodon", e.ID), url.Values{"instance": {gts}, "pow_challenge": {ch}, "pow_solution": {contest.Solve(ch)}})
		require.Equal(t, http.StatusOK, res.StatusCode, res.Body)
		i := strings.Index(res.Body, `href="`+gts+`/oauth/authorize?`)
		require.Positive(t, i, "a link to the instance's OAuth page")
		authorize := res.Body[i+len(`href="`):]
		authorize = strings.ReplaceAll(authorize[:strings.IndexByte(authorize, '"')], "&amp;", "&")

		// The voter on their instance: sign in, allow; the instance sends them back.
		jar, _ := cookiejar.New(nil)
		var back string
		voter := &http.Client{Jar: jar, CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if strings.HasPrefix(req.URL.String(), cb.srv.URL) {
				back = req.URL.String()
				return http.ErrUseLastResponse
			}
			return nil
		}}
		resp, err := voter.Get(authorize)
		require.NoError(t, err)
		resp.Body.Close()
		resp, err = voter.PostForm(gts+"/auth/sign_in", url.Values{"username": {email}, "password": {"password"}})
		require.NoError(t, err)
		resp.Body.Close()
		resp, err = voter.PostForm(gts+"/oauth/authorize", nil)
		require.NoError(t, err)
		resp.Body.Close()
		require.True(t, strings.HasPrefix(back, cb.srv.URL+contest.SocialCallbackPath+"?code="), back)
		resp, err = http.Get(back)
		require.NoError(t, err)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp.StatusCode, string(body)
	}
	status, body := vote("zork@example.org")
	require.Equal(t, http.StatusOK, status, body)
	require.Contains(t, body, `id="vote-counted"`)
	status, body = vote("admin@example.org")
	require.Equal(t, http.StatusOK, status, body)
	status, body = vote("zork@example.org")
	require.Equal(t, http.StatusConflict, status, "one vote per account")
	require.Contains(t, body, `id="vote-already"`)

	votes, err := cb.st.Votes(context.Background(), ws.ID, c.ID, store.VoteFilter{})
	require.NoError(t, err)
	require.Len(t, votes, 2)
	ids := map[string]bool{}
	for _, v := range votes {
		ids[v.Identity] = true
	}
	require.True(t, ids[contest.Identity(cb.svc.Key, "acct:the_mighty_zork@localhost:8080")], "the identity is the keyed acct URI")
	_, enc, err := cb.st.ContestOAuthApp(context.Background(), gts)
	require.NoError(t, err)
	require.NotRegexp(t, `[0-9a-f]{8}-[0-9a-f]{4}-`, string(enc), "the app's secret (a UUID on GoToSocial) is stored encrypted")
	require.Greater(t, len(enc), 36)

	res := pub.post(fmt.Sprintf("/c/social/e/%d/vote/mastodon", e.ID), url.Values{"instance": {"not a server"}, "pow_challenge": {"x"}, "pow_solution": {"1"}})
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode)
	require.Contains(t, res.Body, "address of your Mastodon server")
	resp, err := http.Get(cb.srv.URL + contest.SocialCallbackPath + "?code=x&state=forged.state")
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusBadRequest, resp.StatusCode)
}
