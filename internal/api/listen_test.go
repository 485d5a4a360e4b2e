package api_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/store"
)

func TestListenAPI(t *testing.T) {
	t.Parallel()
	e := setup(t, "sqlite")
	const json = "application/json"
	var prob struct {
		Error struct{ Code, Field, Message string } `json:"error"`
	}
	require.Equal(t, 422, send(t, e, e.tokA, "POST", "/listen/queries", json, `{"name":"bad","keywords":"(acme"}`, &prob))
	require.Equal(t, "keywords", prob.Error.Field)
	require.Equal(t, "syntax", prob.Error.Code)
	require.Equal(t, 422, send(t, e, e.tokA, "POST", "/listen/queries", json, `{"name":"none","languages":["en"]}`, &prob))
	require.Equal(t, "keywords", prob.Error.Field)

	var q struct {
		ID       int64    `json:"id"`
		Name     string   `json:"name"`
		Keywords string   `json:"keywords"`
		Hashtags []string `json:"hashtags"`
	}
	require.Equal(t, 201, send(t, e, e.tokA, "POST", "/listen/queries", json, `{"name":"Acme","keywords":"acme NOT job*","hashtags":["#AcmeDay"]}`, &q))
	require.Equal(t, "Acme", q.Name)
	require.Equal(t, []string{"acmeday"}, q.Hashtags)
	var alerted map[string]any
	require.Equal(t, 201, send(t, e, e.tokA, "POST", "/listen/queries", json, `{"name":"Alerted","keywords":"zeta","alert_mentions":true,"alert_min_reach":100,"alert_bursts":true}`, &alerted))
	require.Equal(t, true, alerted["alert_mentions"])
	require.EqualValues(t, 100, alerted["alert_min_reach"])
	require.Equal(t, 204, send(t, e, e.tokA, "DELETE", "/listen/queries/"+idStr(int64(alerted["id"].(float64))), "", "", nil))
	require.Equal(t, 422, send(t, e, e.tokA, "POST", "/listen/queries", json, `{"name":"Acme","keywords":"x"}`, &prob))
	require.Equal(t, "taken", prob.Error.Code)

	var list struct {
		Queries []struct {
			ID int64 `json:"id"`
		} `json:"queries"`
	}
	require.Equal(t, 200, send(t, e, e.tokA, "GET", "/listen/queries", "", "", &list))
	require.Len(t, list.Queries, 1)
	require.Equal(t, 200, send(t, e, e.tokB, "GET", "/listen/queries", "", "", &list))
	require.Empty(t, list.Queries, "another workspace sees none")

	wsA, err := e.st.WorkspaceBySlug(ctx, "brand-a")
	require.NoError(t, err)
	men := store.Mention{WorkspaceID: wsA.ID, Network: "bluesky", RemoteID: "at://did:plc:x/app.bsky.feed.post/1", Text: "acme rocks",
		Sentiment: "positive", PostedAt: time.Now().UTC(), QueryIDs: []int64{q.ID}}
	_, err = e.st.SaveMention(ctx, &men)
	require.NoError(t, err)
	var ms struct {
		Mentions []struct {
			ID       int64   `json:"id"`
			Text     string  `json:"text"`
			QueryIDs []int64 `json:"query_ids"`
		} `json:"mentions"`
	}
	require.Equal(t, 200, send(t, e, e.tokA, "GET", "/listen/mentions?query_id="+idStr(q.ID), "", "", &ms))
	require.Len(t, ms.Mentions, 1)
	require.Equal(t, []int64{q.ID}, ms.Mentions[0].QueryIDs)

	var prev struct {
		Scanned, Matched int
	}
	require.Equal(t, 200, send(t, e, e.tokA, "POST", "/listen/preview", json, `{"keywords":"rocks"}`, &prev))
	require.Equal(t, 1, prev.Matched, "the stored mention is previewed")
	require.Equal(t, 200, send(t, e, e.tokA, "POST", "/listen/preview", json, `{"keywords":"nothing"}`, &prev))
	require.Zero(t, prev.Matched)

	var vol struct {
		Queries []struct {
			Mentions     int64   `json:"mentions"`
			ShareOfVoice float64 `json:"share_of_voice"`
		} `json:"queries"`
	}
	require.Equal(t, 200, send(t, e, e.tokA, "GET", "/listen/volume?days=7", "", "", &vol))
	require.Len(t, vol.Queries, 1)
	require.EqualValues(t, 1, vol.Queries[0].Mentions)
	require.InDelta(t, 1.0, vol.Queries[0].ShareOfVoice, 1e-9)

	var bursts struct {
		Terms []map[string]any `json:"terms"`
	}
	require.Equal(t, 200, send(t, e, e.tokA, "GET", "/listen/bursts", "", "", &bursts))
	require.NotNil(t, bursts.Terms)

	// No channel of the network: converting says which to connect.
	require.Equal(t, 422, send(t, e, e.tokA, "POST", "/listen/mentions/"+idStr(men.ID)+"/conversation", json, "", &prob))
	require.Contains(t, prob.Error.Message, "bluesky")

	require.Equal(t, 200, send(t, e, e.tokA, "GET", "/listen/queries/"+idStr(q.ID), "", "", &q))
	require.Equal(t, "Acme", q.Name)
	require.Equal(t, 200, send(t, e, e.tokA, "PUT", "/listen/queries/"+idStr(q.ID), json, `{"name":"Acme 2","keywords":"acme","paused":true}`, &q))
	require.Equal(t, "Acme 2", q.Name)
	var one struct {
		ID   int64  `json:"id"`
		Text string `json:"text"`
	}
	require.Equal(t, 200, send(t, e, e.tokA, "GET", "/listen/mentions/"+idStr(men.ID), "", "", &one))
	require.Equal(t, "acme rocks", one.Text)

	// With a channel of the mention's network, it becomes an inbox conversation, once.
	_, err = e.a.ConnectChannel(ctx, string(apiTestKind), map[string]string{"name": "listener"})
	require.NoError(t, err)
	onNet := store.Mention{WorkspaceID: wsA.ID, Network: string(apiTestKind), RemoteID: "listen-conv-1", Text: "acme please answer", PostedAt: time.Now().UTC()}
	_, err = e.st.SaveMention(ctx, &onNet)
	require.NoError(t, err)
	var conv struct {
		MessageID int64 `json:"message_id"`
	}
	require.Equal(t, 200, send(t, e, e.tokA, "POST", "/listen/mentions/"+idStr(onNet.ID)+"/conversation", json, "", &conv))
	require.NotZero(t, conv.MessageID)
	first := conv.MessageID
	require.Equal(t, 200, send(t, e, e.tokA, "POST", "/listen/mentions/"+idStr(onNet.ID)+"/conversation", json, "", &conv))
	require.Equal(t, first, conv.MessageID, "converted once")
	msg, err := e.st.Message(ctx, wsA.ID, first)
	require.NoError(t, err)
	require.Equal(t, "acme please answer", msg.Text)

	require.Equal(t, 204, send(t, e, e.tokA, "DELETE", "/listen/queries/"+idStr(q.ID), "", "", nil))

	// Website feeds.
	require.Equal(t, 422, send(t, e, e.tokA, "POST", "/listen/feeds", json, `{"url":"javascript:alert(1)"}`, &prob))
	require.Equal(t, "url", prob.Error.Field)
	var feed struct {
		ID  int64  `json:"id"`
		URL string `json:"url"`
	}
	require.Equal(t, 201, send(t, e, e.tokA, "POST", "/listen/feeds", json, `{"url":"https://news.example/feed.xml"}`, &feed))
	require.Equal(t, "https://news.example/feed.xml", feed.URL)
	require.Equal(t, 422, send(t, e, e.tokA, "POST", "/listen/feeds", json, `{"url":"https://news.example/feed.xml"}`, &prob))
	require.Equal(t, "taken", prob.Error.Code)
	var feeds struct {
		Feeds []struct {
			ID  int64  `json:"id"`
			URL string `json:"url"`
		} `json:"feeds"`
	}
	require.Equal(t, 200, send(t, e, e.tokA, "GET", "/listen/feeds", "", "", &feeds))
	require.Len(t, feeds.Feeds, 1)
	require.Equal(t, 200, send(t, e, e.tokB, "GET", "/listen/feeds", "", "", &feeds))
	require.Empty(t, feeds.Feeds)
	var poll struct {
		Feeds  int      `json:"feeds"`
		Errors []string `json:"errors"`
	}
	require.Equal(t, 200, send(t, e, e.tokA, "POST", "/listen/feeds/poll", json, "", &poll))
	require.Zero(t, poll.Feeds, "no active query: the feed is not read")
	var search struct {
		Channels int      `json:"channels"`
		Errors   []string `json:"errors"`
	}
	require.Equal(t, 200, send(t, e, e.tokA, "POST", "/listen/search", json, "", &search))
	require.NotNil(t, search.Errors)
	require.Equal(t, 404, send(t, e, e.tokB, "DELETE", "/listen/feeds/"+idStr(feed.ID), "", "", &prob))
	require.Equal(t, 204, send(t, e, e.tokA, "DELETE", "/listen/feeds/"+idStr(feed.ID), "", "", nil))
}

func TestCompetitorsAPI(t *testing.T) {
	t.Parallel()
	e := setup(t, "sqlite")
	const json = "application/json"
	var prob struct {
		Error struct{ Code, Field, Message string } `json:"error"`
	}
	require.Equal(t, 422, send(t, e, e.tokA, "POST", "/competitors/panels", json, `{"name":"Top","accounts":[{"brand":"Acme","network":"myspace","handle":"acme"}]}`, &prob))
	require.Equal(t, "network", prob.Error.Field)
	var p struct {
		ID       int64 `json:"id"`
		Accounts []struct {
			Brand, Network, Handle string
		} `json:"accounts"`
	}
	require.Equal(t, 201, send(t, e, e.tokA, "POST", "/competitors/panels", json, `{"name":"Top","accounts":[{"brand":"Acme","network":"bluesky","handle":"@acme.bsky.social"}]}`, &p))
	require.Len(t, p.Accounts, 1)
	require.Equal(t, "acme.bsky.social", p.Accounts[0].Handle)
	var r struct {
		Panel string `json:"panel"`
		Rows  []struct {
			Rank     int  `json:"rank"`
			Measured bool `json:"measured"`
		} `json:"rows"`
	}
	require.Equal(t, 200, send(t, e, e.tokA, "GET", "/competitors/panels/"+idStr(p.ID), "", "", &p))
	require.Len(t, p.Accounts, 1)
	require.Equal(t, 200, send(t, e, e.tokA, "GET", "/competitors/panels/"+idStr(p.ID)+"/report?days=7", "", "", &r))
	require.Equal(t, "Top", r.Panel)
	require.Len(t, r.Rows, 1)
	require.False(t, r.Rows[0].Measured, "nothing collected yet")
	require.Equal(t, 404, send(t, e, e.tokB, "GET", "/competitors/panels/"+idStr(p.ID)+"/report", "", "", &prob))
	var file string
	require.Equal(t, 200, send(t, e, e.tokA, "GET", "/competitors/panels/"+idStr(p.ID)+"/report/file?format=pdf&lang=de", "", "", &file))
	require.True(t, strings.HasPrefix(file, "%PDF-"), "a PDF")
	require.Equal(t, 200, send(t, e, e.tokA, "GET", "/competitors/panels/"+idStr(p.ID)+"/report/file?format=csv", "", "", &file))
	require.Contains(t, file, "Acme,bluesky,acme.bsky.social")
	require.Equal(t, 422, send(t, e, e.tokA, "GET", "/competitors/panels/"+idStr(p.ID)+"/report/file?format=pdf&lang=es", "", "", &file))
	require.Equal(t, 404, send(t, e, e.tokB, "GET", "/competitors/panels/"+idStr(p.ID)+"/report/file", "", "", &file))
	require.Equal(t, 204, send(t, e, e.tokA, "DELETE", "/competitors/panels/"+idStr(p.ID), "", "", nil))
}
