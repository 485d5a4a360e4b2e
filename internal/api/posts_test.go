package api_test

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/client"
	"github.com/relais/relais/internal/api"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/store/storetest"
)

// send makes an API call with a JSON (or other) body and decodes the answer.
func send(t *testing.T, e *env, token, method, path, contentType, body string, out any) int {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, e.srv.URL+"/api/v1"+path, rd)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+token)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	if out != nil {
		if s, ok := out.(*string); ok {
			*s = string(b)
		} else if len(b) > 0 {
			require.NoError(t, json.Unmarshal(b, out), string(b))
		}
	}
	return resp.StatusCode
}

type postJSON struct {
	ID       int64  `json:"id"`
	State    string `json:"state"`
	Text     string `json:"text"`
	Variants []struct {
		ChannelID   int64 `json:"channel_id"`
		Publication *struct {
			State string `json:"state"`
		} `json:"publication"`
	} `json:"variants"`
}

func TestPostsAPI(t *testing.T) {
	t.Parallel()
	e := setup(t, "sqlite")
	ch, err := e.a.ConnectChannel(ctx, string(apiTestKind), map[string]string{"name": "poster"})
	require.NoError(t, err)
	chID := idStr(ch.ID)
	const json = "application/json"

	// Every problem comes back, each naming its field.
	var prob struct {
		Error struct {
			Code, Field string
		} `json:"error"`
		Problems []struct {
			Path, Code string
		} `json:"problems"`
	}
	require.Equal(t, 422, send(t, e, e.tokA, "POST", "/posts", json, `{"text":"","variants":[{"channel_id":`+chID+`}]}`, &prob))
	require.Equal(t, "variants["+chID+"].text", prob.Error.Field)
	require.Equal(t, "post_empty", prob.Problems[0].Code)
	require.Equal(t, 422, send(t, e, e.tokA, "POST", "/posts", json, `{"text":"hi","variants":[]}`, &prob))
	require.Equal(t, "variants", prob.Error.Field)

	var live struct {
		Valid    bool `json:"valid"`
		Variants []struct {
			Count struct{ Value int } `json:"count"`
		} `json:"variants"`
	}
	require.Equal(t, 200, send(t, e, e.tokA, "POST", "/posts/validate?lang=de", json, `{"text":"Hallo Welt","variants":[{"channel_id":`+chID+`}]}`, &live))
	require.True(t, live.Valid)
	require.Equal(t, 10, live.Variants[0].Count.Value)

	var p postJSON
	require.Equal(t, 201, send(t, e, e.tokA, "POST", "/posts", json, `{"text":"markerpost","labels":[{"key":"theme","value":"launch"}],"variants":[{"channel_id":`+chID+`}]}`, &p))
	require.Equal(t, "draft", p.State)
	id := idStr(p.ID)
	require.Equal(t, 200, send(t, e, e.tokA, "POST", "/posts/"+id+"/schedule", json, `{"at":"2099-01-02T09:00:00Z","timezone":"Europe/Paris"}`, &p))
	require.Equal(t, "scheduled", p.State)
	require.Equal(t, "scheduled", p.Variants[0].Publication.State)
	require.Equal(t, 201, send(t, e, e.tokA, "POST", "/posts/"+id+"/comments", json, `{"body":"looks good"}`, nil))
	var sn struct{ ID int64 }
	require.Equal(t, 201, send(t, e, e.tokA, "POST", "/snippets", json, `{"name":"sig","kind":"signature","body":"-- the team"}`, &sn))

	var list struct {
		Posts []struct{ ID int64 } `json:"posts"`
	}
	require.Equal(t, 200, send(t, e, e.tokA, "GET", "/posts?from=2099-01-01T00:00:00Z&to=2099-02-01T00:00:00Z&label=theme%3Dlaunch&channel="+chID, "", "", &list))
	require.Len(t, list.Posts, 1)

	// The slot queue: the next slots, each with what it holds.
	require.Equal(t, 200, send(t, e, e.tokA, "PUT", "/channels/"+chID+"/slots", json, `{"spec":"Lun-Ven 09:00","timezone":"Europe/Paris"}`, nil))
	var queue struct {
		Slots []struct {
			At     time.Time
			PostID int64 `json:"post_id"`
		}
	}
	require.Equal(t, 200, send(t, e, e.tokA, "GET", "/channels/"+chID+"/slots/queue?n=3", "", "", &queue))
	require.Len(t, queue.Slots, 3)
	require.True(t, queue.Slots[0].At.Before(queue.Slots[1].At))

	// Workspace B sees none of it: every post route answers 404 for A's ids.
	bodyFor := func(method, target string) string {
		switch {
		case method == "PUT" && strings.HasSuffix(target, "/slots"):
			return `{"spec":"daily 09:00"}`
		case method == "PUT":
			return `{"text":"x","variants":[{"channel_id":` + chID + `}]}`
		case strings.HasSuffix(target, "schedule"):
			return `{"at":"2099-01-03T09:00:00Z"}`
		case strings.HasSuffix(target, "/comments") && method == "POST":
			return `{"body":"x"}`
		case strings.HasSuffix(target, "/approve") || strings.HasSuffix(target, "/reject"):
			return `{"note":"x"}`
		}
		return ""
	}
	doc := e.handler.OpenAPI()
	checked := 0
	for path, item := range doc.Paths {
		if !strings.HasPrefix(path, "/api/v1/posts/{id}") && path != "/api/v1/snippets/{id}" && !strings.HasPrefix(path, "/api/v1/channels/{id}/slots") {
			continue
		}
		for method, op := range map[string]*huma.Operation{"GET": item.Get, "POST": item.Post, "PUT": item.Put, "DELETE": item.Delete} {
			if op == nil {
				continue
			}
			target := strings.NewReplacer("{id}", id, "{publicationID}", "1").Replace(strings.TrimPrefix(path, "/api/v1"))
			if path == "/api/v1/snippets/{id}" {
				target = "/snippets/" + idStr(sn.ID)
			}
			if strings.HasPrefix(path, "/api/v1/channels/{id}/slots") {
				target = strings.Replace(strings.TrimPrefix(path, "/api/v1"), "{id}", chID, 1)
			}
			var body string
			status := send(t, e, e.tokB, method, target, json, bodyFor(method, target), &body)
			require.Equal(t, 404, status, "%s %s: %s", method, target, body)
			require.NotContains(t, body, "markerpost")
			checked++
		}
	}
	require.GreaterOrEqual(t, checked, 20, "every post, snippet and slot id route")
	var bList struct {
		Posts []any `json:"posts"`
	}
	require.Equal(t, 200, send(t, e, e.tokB, "GET", "/posts", "", "", &bList))
	require.Empty(t, bList.Posts)
	var exp string
	require.Equal(t, 200, send(t, e, e.tokB, "GET", "/posts/export?format=json", "", "", &exp))
	require.NotContains(t, exp, "markerpost")

	// And A's post is untouched.
	require.Equal(t, 200, send(t, e, e.tokA, "GET", "/posts/"+id, "", "", &p))
	require.Equal(t, "markerpost", p.Text)
	require.Equal(t, "scheduled", p.State)
}

func TestImportExportAPI(t *testing.T) {
	t.Parallel()
	e := setup(t, "sqlite")
	ch, err := e.a.ConnectChannel(ctx, string(apiTestKind), map[string]string{"name": "bulk"})
	require.NoError(t, err)
	csv := "date,time,time zone,channels,text,labels,Notes\n" +
		"2099-04-01,09:00,Europe/Paris," + idStr(ch.ID) + ",First,theme=spring,keep\n" +
		"2099-04-02,09:00,,nosuch,Second,,\n"
	type report struct {
		Rows, ValidRows int
		Error           string
		PostIDs         []int64  `json:"post_ids"`
		IgnoredColumns  []string `json:"ignored_columns"`
		Problems        []struct {
			Row  int
			Code string
		}
	}
	var refused struct {
		Error  api.ErrorDetail
		Report report
	}
	// A refused import is an error in the documented shape, with the report.
	require.Equal(t, 422, send(t, e, e.tokA, "POST", "/posts/import", "text/csv", csv, &refused))
	require.Equal(t, "invalid_rows", refused.Error.Code)
	require.Equal(t, "file", refused.Error.Field)
	require.Equal(t, "1 of 2 rows have errors; fix them or import only the valid rows", refused.Error.Message)
	require.Empty(t, refused.Report.PostIDs)
	require.Equal(t, []string{"Notes"}, refused.Report.IgnoredColumns)
	require.Equal(t, 3, refused.Report.Problems[0].Row)
	require.Equal(t, "unknown_channel", refused.Report.Problems[0].Code)

	var rep report
	require.Equal(t, 200, send(t, e, e.tokA, "POST", "/posts/import?valid_only=true", "text/csv", csv, &rep))
	require.Len(t, rep.PostIDs, 1)
	require.Equal(t, []string{"Notes"}, rep.IgnoredColumns)

	var out string
	require.Equal(t, 200, send(t, e, e.tokA, "GET", "/posts/export?format=csv", "", "", &out))
	require.Equal(t, "id,state,date,time,time zone,channels,text,media url,link,labels\n"+
		idStr(rep.PostIDs[0])+",scheduled,2099-04-01,09:00,Europe/Paris,"+strings.TrimPrefix(ch.Handle, "@")+",First,,,theme=spring\n", out)

	// A file that cannot tell day from month is refused with its own code;
	// a multipart upload chooses the format and the channels.
	hoot := "01/02/2099 09:00,Hootsuite row,https://example.com/h\n"
	require.Equal(t, 422, send(t, e, e.tokA, "POST", "/posts/import?channels="+idStr(ch.ID), "text/csv", hoot, &refused))
	require.Equal(t, "ambiguous_date", refused.Error.Code)
	require.Equal(t, "date_format", refused.Error.Field)

	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, err := mw.CreateFormFile("file", "hootsuite.csv")
	require.NoError(t, err)
	_, _ = fw.Write([]byte(hoot))
	require.NoError(t, mw.WriteField("date_format", "dmy"))
	require.NoError(t, mw.WriteField("channels", idStr(ch.ID)))
	require.NoError(t, mw.Close())
	var created struct {
		PostIDs    []int64 `json:"post_ids"`
		Format     string
		DateFormat string `json:"date_format"`
	}
	require.Equal(t, 200, send(t, e, e.tokA, "POST", "/posts/import", mw.FormDataContentType(), body.String(), &created))
	require.Len(t, created.PostIDs, 1)
	require.Equal(t, "hootsuite", created.Format)
	require.Equal(t, "dmy", created.DateFormat)
	var p postJSON
	require.Equal(t, 200, send(t, e, e.tokA, "GET", "/posts/"+idStr(created.PostIDs[0]), "", "", &p))
	require.Equal(t, "Hootsuite row", p.Text)

	// Column mapping in the query; a bad mapping names the column.
	buffer := "Message,When,Profile\nMapped,2099-05-01 10:00,bulk-x\n"
	require.Equal(t, 422, send(t, e, e.tokA, "POST", "/posts/import?column=When%3Dnope", "text/csv", buffer, &refused))
	require.Equal(t, "invalid_columns", refused.Error.Code)
	require.Contains(t, refused.Error.Message, `column "When" cannot be read as "nope"`)
	require.Equal(t, 422, send(t, e, e.tokA, "POST", "/posts/import?column=When", "text/csv", buffer, &refused))
	require.Equal(t, "column", refused.Error.Field)
	german := "Nachricht,Wann,Kanal\nGemappt,2099-05-01 10:00," + idStr(ch.ID) + "\n"
	var raw string
	require.Equal(t, 200, send(t, e, e.tokA, "POST", "/posts/import?column=Nachricht%3Dtext&column=Wann%3Ddate+and+time&column=Kanal%3Dchannels",
		"text/csv", german, &raw), "repeated column mappings: %s", raw)
	require.NoError(t, json.Unmarshal([]byte(raw), &created))
	require.Len(t, created.PostIDs, 1)

	// The sample file imports as it is.
	var sample string
	require.Equal(t, 200, send(t, e, e.tokA, "GET", "/posts/import/sample", "", "", &sample))
	require.True(t, strings.HasPrefix(sample, "date,time,time zone,channels,text,"), sample)
	var rawSample string
	require.Equal(t, 200, send(t, e, e.tokA, "POST", "/posts/import", "text/csv", sample, &rawSample), "%s\n%s", sample, rawSample)
	require.NoError(t, json.Unmarshal([]byte(rawSample), &created))
	require.Len(t, created.PostIDs, 2)

	// The OpenAPI document says both bodies and the refusal's shape.
	op := e.handler.OpenAPI().Paths["/api/v1/posts/import"].Post
	require.Contains(t, op.RequestBody.Content, "multipart/form-data")
	require.Contains(t, op.RequestBody.Content, "text/csv")
	require.Equal(t, "#/components/schemas/ImportError", op.Responses["422"].Content["application/json"].Schema.Ref)
}

// publishedPost makes a post out on the channel, as the engine would.
func publishedPost(t *testing.T, e *env, channelID int64) int64 {
	t.Helper()
	post := storetest.NewPosts(t, e.st, e.wsA.ID, 1, channelID)[0]
	now := time.Now().UTC()
	_, err := e.st.SchedulePosts(ctx, e.wsA.ID, []int64{post.ID}, now, "UTC", now)
	require.NoError(t, err)
	jobs, err := e.st.ClaimDue(ctx, "test", now, now.Add(time.Minute), now, 10)
	require.NoError(t, err)
	require.Len(t, jobs, 1)
	_, err = e.st.MarkPublishing(ctx, []store.ClaimRef{{ID: jobs[0].ID, Claim: jobs[0].Claim}}, now.Add(time.Minute), now)
	require.NoError(t, err)
	pub, err := e.st.Publication(ctx, e.wsA.ID, jobs[0].ID)
	require.NoError(t, err)
	_, err = e.st.SaveResults(ctx, []store.PublishResult{{ID: pub.ID, Claim: pub.Claim, From: store.PubPublishing, State: store.PubPublished, RemoteID: "r1"}}, now)
	require.NoError(t, err)
	return post.ID
}

func TestDeletePublishedPostAPI(t *testing.T) {
	t.Parallel()
	e := setup(t, "sqlite")
	ch, err := e.a.ConnectChannel(ctx, string(apiTestKind), map[string]string{"name": "out"})
	require.NoError(t, err)

	// remote=true: deleted on the network (the fake deletes), then here.
	id := publishedPost(t, e, ch.ID)
	rep, err := e.a.DeletePost(ctx, id, true)
	require.NoError(t, err)
	require.True(t, rep.Removed)
	require.Len(t, rep.Remote, 1)
	require.Equal(t, client.RemoteDeletion{PublicationID: rep.Remote[0].PublicationID, ChannelID: ch.ID, Network: string(apiTestKind), Outcome: "deleted"}, rep.Remote[0])
	_, err = e.st.Post(ctx, e.wsA.ID, id)
	require.ErrorIs(t, err, store.ErrNotFound)

	// Without remote: removed from relais only (it was a 422 before).
	id = publishedPost(t, e, ch.ID)
	var body map[string]any
	require.Equal(t, 200, send(t, e, e.tokA, "DELETE", "/posts/"+idStr(id), "", "", &body))
	require.Equal(t, map[string]any{"removed": true, "remote": []any{}}, body)

	// Another workspace's token cannot delete it.
	id = publishedPost(t, e, ch.ID)
	_, err = e.b.DeletePost(ctx, id, true)
	var ce *client.Error
	require.ErrorAs(t, err, &ce)
	require.Equal(t, 404, ce.Status)
}
