package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/network/mastodon/gotosocialtest"
	"github.com/relais/relais/internal/store"
)

// apiCall sends a JSON request with a bearer token and decodes the answer.
func apiCall(t *testing.T, base, token, method, path, body string, out any) int {
	t.Helper()
	req, err := http.NewRequest(method, base+"/api/v1"+path, bytes.NewBufferString(body))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	if out != nil {
		require.NoError(t, json.NewDecoder(res.Body).Decode(out))
	}
	return res.StatusCode
}

// TestInboxRulesOnGoToSocial: a rule and a saved reply created through the
// API act on a complaint a follower posts under a relais post on the real
// GoToSocial server: once read into the inbox, the message is labelled,
// assigned and made urgent, and the saved reply (placeholder filled) is on
// the server as an answer to it, once however often the rules run.
func TestInboxRulesOnGoToSocial(t *testing.T) {
	t.Parallel()
	gts := gotosocialtest.URL(t)
	a, base := serveApp(t)
	ctx := context.Background()
	u, ws, p, ch := zorkWorkspace(t, a, gts, "rules")
	token, _, err := a.Auth.CreateToken(ctx, p, "rules")
	require.NoError(t, err)

	word := gotosocialtest.Unique("relaisrule")
	var sr struct{ ID int64 }
	require.Equal(t, http.StatusCreated, apiCall(t, base, token, "POST", "/inbox/saved-replies",
		`{"name":"Parcel","lang":"en","body":"Sorry {first_name}, we are looking for your parcel now. `+word+`"}`, &sr))
	var rule struct{ ID int64 }
	require.Equal(t, http.StatusCreated, apiCall(t, base, token, "POST", "/inbox/rules", `{"name":"Lost parcels","enabled":true,
		"conditions":{"keywords":"parcel AND `+word+`","sentiments":["negative"]},
		"actions":[{"kind":"label","value":"Lost parcel"},{"kind":"assign","value":"`+strconv.FormatInt(u.ID, 10)+`"},
		{"kind":"priority","value":"urgent"},{"kind":"auto_reply","value":"`+strconv.FormatInt(sr.ID, 10)+`"},{"kind":"notify"}]}`, &rule))

	_, pub := publishNow(t, a, ws.ID, ch.ID, "Our parcel service starts today "+word)
	comment := gotosocialtest.Post(t, gts, gotosocialtest.Mogul, "@the_mighty_zork This is terrible, my parcel never arrived. "+word, pub.RemoteID)

	// The running server's poller reads it; a sync now makes it sooner.
	var m store.Message
	require.Eventually(t, func() bool {
		_, _ = a.Inbox.SyncWorkspace(ctx, ws.ID)
		l, err := a.Store.Messages(ctx, ws.ID, store.MessageFilter{Search: word})
		if err != nil || len(l) == 0 {
			return false
		}
		m = l[0]
		return len(m.Labels) > 0 && m.Answered
	}, 45*time.Second, 500*time.Millisecond, "the complaint reached the inbox and the rule acted")
	require.Equal(t, comment.ID, m.RemoteID)
	require.Contains(t, m.Labels, "lost-parcel")
	require.Equal(t, u.ID, m.AssigneeID)
	require.Equal(t, 3, m.Priority, "urgent")

	replies, err := a.Store.Replies(ctx, ws.ID, m.ID)
	require.NoError(t, err)
	require.Len(t, replies, 1)
	require.Equal(t, store.ReplySent, replies[0].State)
	require.Equal(t, int64(0), replies[0].AuthorID, "sent by the rule, not a member")
	got := gotosocialtest.GetStatus(t, gts, gotosocialtest.Zork, replies[0].RemoteID)
	require.Equal(t, comment.ID, got.InReplyToID)
	require.Contains(t, got.Content, "Sorry media_mogul, we are looking for your parcel now.")

	// The rules run again on the same message (a redelivery): nothing new on the server.
	hook := a.Inbox.Hooks[len(a.Inbox.Hooks)-1]
	require.NoError(t, hook.Received(ctx, m))
	replies, err = a.Store.Replies(ctx, ws.ID, m.ID)
	require.NoError(t, err)
	require.Len(t, replies, 1)
	mine := gotosocialtest.RepliesBy(t, gts, gotosocialtest.Zork, comment.ID, word)
	require.Len(t, mine, 1, "the auto-reply is on GoToSocial once")

	notes, err := a.Store.Notifications(ctx, ws.ID, u.ID, 20)
	require.NoError(t, err)
	require.True(t, slices.ContainsFunc(notes, func(n store.Notification) bool {
		return n.Kind == "inbox_rule" && n.Link == "/workspaces/zork-rules/inbox/"+strconv.FormatInt(m.ID, 10)
	}), "the notify action told the members in the app")

	// The dry run reads the inbox: the rule matched this message.
	var dry struct {
		Messages int
		Rules    []struct {
			RuleID  int64 `json:"rule_id"`
			Matched int
		}
	}
	require.Equal(t, http.StatusOK, apiCall(t, base, token, "POST", "/inbox/rules/dry-run", "", &dry))
	require.GreaterOrEqual(t, dry.Messages, 1)
	require.Equal(t, rule.ID, dry.Rules[0].RuleID)
	require.Equal(t, 1, dry.Rules[0].Matched)

	// The response-time report counts the conversation as answered.
	var rep struct {
		Total struct{ Conversations, Answered int }
	}
	require.Equal(t, http.StatusOK, apiCall(t, base, token, "GET", "/inbox/sla?period=day", "", &rep))
	require.GreaterOrEqual(t, rep.Total.Conversations, 1, "the account's older mentions are read too")
	require.Equal(t, 1, rep.Total.Answered, "only the complaint was answered")
}
