package api_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/api"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/store/storetest"
)

// spec is the OpenAPI document the handler serves, checked once with an
// independent OpenAPI 3.1 library and shared by every test's validator.
var spec struct {
	once sync.Once
	doc  []byte
	v    validator.Validator
	err  error
}

func openAPIValidator(t testing.TB, h *api.Handler) validator.Validator {
	t.Helper()
	spec.once.Do(func() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/openapi.json", nil))
		spec.doc = rec.Body.Bytes()
		doc, err := libopenapi.NewDocument(spec.doc)
		if err != nil {
			spec.err = err
			return
		}
		v, errs := validator.NewValidator(doc)
		if len(errs) > 0 {
			spec.err = errs[0]
			return
		}
		spec.v = v
	})
	require.NoError(t, spec.err)
	return spec.v
}

// seen records which operations answered with a success and were validated,
// for the coverage check.
var seen = struct {
	sync.Mutex
	ok map[string]bool
}{ok: map[string]bool{}}

// validating serves the API and checks every answer against the document: its
// status is described, its headers and body match the schema. Every API test
// goes through it (see setup), so each real answer of the suite is checked.
func validating(t testing.TB, h *api.Handler) http.Handler {
	v := openAPIValidator(t, h)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		res := rec.Result()
		body := rec.Body.Bytes()
		if strings.HasPrefix(r.URL.Path, "/api/v1/") {
			res.Body = io.NopCloser(bytes.NewReader(body))
			// The request body was read by the handler; the answer is what is checked.
			req := r.Clone(r.Context())
			req.Body = http.NoBody
			if ok, errs := v.ValidateHttpResponse(req, res); !ok {
				for _, e := range errs {
					t.Errorf("OpenAPI: %s %s answered %d: %s\nbody: %.300s", r.Method, r.URL.Path, res.StatusCode, e.Error(), body)
				}
			} else if res.StatusCode < 300 {
				if key := operationKey(r.Method, r.URL.Path); key != "" {
					seen.Lock()
					seen.ok[key] = true
					seen.Unlock()
				}
			}
		}
		for k, vs := range rec.Header() {
			w.Header()[k] = vs
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(body)
	})
}

// operationKey names the document's operation that serves method and path;
// a literal segment wins over a parameter (/posts/export is not /posts/{id}).
func operationKey(method, path string) string {
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if json.Unmarshal(spec.doc, &doc) != nil {
		return ""
	}
	parts := strings.Split(path, "/")
	best, bestParams := "", -1
	for tmpl, ops := range doc.Paths {
		tp := strings.Split(tmpl, "/")
		if len(tp) != len(parts) {
			continue
		}
		match, params := true, 0
		for i := range tp {
			if strings.HasPrefix(tp[i], "{") {
				params++
			} else if tp[i] != parts[i] {
				match = false
				break
			}
		}
		if _, ok := ops[strings.ToLower(method)]; match && ok && (bestParams < 0 || params < bestParams) {
			best, bestParams = method+" "+tmpl, params
		}
	}
	return best
}

func TestOpenAPIDocumentIsValid(t *testing.T) {
	t.Parallel()
	e := setup(t, "sqlite")
	v := openAPIValidator(t, e.handler)
	ok, errs := v.ValidateDocument()
	for _, err := range errs {
		t.Error(err.Error())
	}
	require.True(t, ok)
	var doc map[string]any
	require.NoError(t, json.Unmarshal(spec.doc, &doc))
	require.Equal(t, "3.1.0", doc["openapi"])
	var ops []string
	for p, m := range doc["paths"].(map[string]any) {
		for method := range m.(map[string]any) {
			ops = append(ops, strings.ToUpper(method)+" "+p)
		}
	}
	sort.Strings(ops)
	require.NotEmpty(t, ops)
}

// TestMain runs the package's tests and then requires that every operation
// of the document answered a success that was validated, so that no route's
// answer goes unchecked (only on a full run: -run leaves most routes out).
func TestMain(m *testing.M) {
	code := m.Run()
	if code == 0 && flag.Lookup("test.run").Value.String() == "" && spec.doc != nil {
		var doc struct {
			Paths map[string]map[string]json.RawMessage `json:"paths"`
		}
		_ = json.Unmarshal(spec.doc, &doc)
		var missing []string
		for p, ops := range doc.Paths {
			for m := range ops {
				if key := strings.ToUpper(m) + " " + p; !seen.ok[key] {
					missing = append(missing, key)
				}
			}
		}
		sort.Strings(missing)
		if len(missing) > 0 {
			fmt.Fprintf(os.Stderr, "OpenAPI: %d operations never answered a validated success in the tests:\n  %s\n", len(missing), strings.Join(missing, "\n  "))
			code = 1
		}
	}
	os.Exit(code)
}

// TestOpenAPIEveryOperationAnswers walks the routes the other tests leave
// out through their successful answers; each answer is validated against
// the document by the test server (see validating), and TestMain checks
// that every operation was.
func TestOpenAPIEveryOperationAnswers(t *testing.T) {
	t.Parallel()
	e := setup(t, "sqlite")
	const js = "application/json"
	ok := func(method, path, body string) map[string]any {
		t.Helper()
		var out map[string]any
		ct := ""
		if body != "" {
			ct = js
		}
		status := send(t, e, e.tokA, method, path, ct, body, &out)
		require.Less(t, status, 300, "%s %s: %v", method, path, out)
		return out
	}
	id := func(m map[string]any) string { return idStr(int64(m["id"].(float64))) }
	ch, err := e.a.ConnectChannel(ctx, string(apiTestKind), map[string]string{"name": "walker"})
	require.NoError(t, err)
	chID := idStr(ch.ID)

	ok("PUT", "/channels/"+chID+"/slots", `{"spec":"Mon-Sun 09:00","timezone":"UTC"}`)
	ok("GET", "/channels/"+chID+"/slots", "")
	masto := storetest.NewChannel(t, e.st, e.wsA.ID, "mastodon", "walker-masto")
	ok("POST", "/posts/split-thread", `{"channel_id":`+idStr(masto.ID)+`,"text":"One sentence. Another sentence."}`)

	// A post through review, the schedule and back.
	ok("PATCH", "/workspace", `{"approval_required":true,"self_approval":true}`)
	post := id(ok("POST", "/posts", `{"text":"Walk every route","variants":[{"channel_id":`+chID+`}]}`))
	ok("PUT", "/posts/"+post, `{"text":"Walk every route, edited","variants":[{"channel_id":`+chID+`}]}`)
	ok("POST", "/posts/"+post+"/comments", `{"body":"Looks fine"}`)
	ok("GET", "/posts/"+post+"/comments", "")
	ok("POST", "/posts/"+post+"/submit", "")
	ok("POST", "/posts/"+post+"/reject", `{"note":"One more word"}`)
	ok("POST", "/posts/"+post+"/submit", "")
	ok("POST", "/posts/"+post+"/approve", `{"note":"Good"}`)
	at := time.Now().Add(48 * time.Hour).UTC().Format(time.RFC3339)
	later := time.Now().Add(72 * time.Hour).UTC().Format(time.RFC3339)
	ok("POST", "/posts/"+post+"/schedule", `{"at":"`+at+`","timezone":"UTC"}`)
	ok("POST", "/posts/"+post+"/reschedule", `{"at":"`+later+`","timezone":"UTC"}`)
	// A new time sends an approved post back to review; approve and schedule it at once.
	ok("POST", "/posts/"+post+"/approve", `{"schedule":true}`)
	ok("POST", "/posts/"+post+"/cancel", "")
	ok("POST", "/posts/"+post+"/reopen", "")
	ok("POST", "/posts/"+post+"/submit", "")
	ok("POST", "/posts/"+post+"/approve", `{}`)
	ok("POST", "/posts/"+post+"/queue", "")

	// A failed publication is retried.
	failed := storetest.NewPosts(t, e.st, e.wsA.ID, 1, ch.ID)[0]
	now := time.Now().UTC()
	_, err = e.st.SchedulePosts(ctx, e.wsA.ID, []int64{failed.ID}, now, "UTC", now)
	require.NoError(t, err)
	jobs, err := e.st.ClaimDue(ctx, "walker", now, now.Add(time.Minute), now, 10)
	require.NoError(t, err)
	for _, j := range jobs {
		if j.PostID == failed.ID {
			_, err = e.st.SaveResults(ctx, []store.PublishResult{{ID: j.ID, Claim: j.Claim, From: store.PubStaged, State: store.PubFailed, ErrorMessage: "refused"}}, now)
			require.NoError(t, err)
			ok("POST", "/posts/"+idStr(failed.ID)+"/publications/"+idStr(j.ID)+"/retry", "")
		}
	}

	// Notifications, the calendar feed, tokens, invitations, members, snippets.
	n := &store.Notification{WorkspaceID: e.wsA.ID, Kind: "publish_failed", Message: "A post failed", CreatedAt: now}
	require.NoError(t, e.st.CreateNotification(ctx, n))
	ok("POST", "/notifications/"+idStr(n.ID)+"/read", "")
	ok("POST", "/calendar/feed", "")
	ok("DELETE", "/calendar/feed", "")
	tok := ok("POST", "/tokens", `{"name":"walker"}`)
	ok("DELETE", "/tokens/"+id(tok), "")
	inv := ok("POST", "/invitations", `{"role":"editor"}`)
	ok("DELETE", "/invitations/"+id(inv), "")
	member := storetest.NewUser(t, e.st, "walker@example.com")
	require.NoError(t, e.st.AddMember(ctx, e.wsA.ID, member.ID, store.RoleViewer))
	ok("PATCH", "/members/"+idStr(member.ID), `{"role":"editor"}`)
	ok("DELETE", "/members/"+idStr(member.ID), "")
	sn := ok("POST", "/snippets", `{"name":"Signature","kind":"signature","body":"— the team"}`)
	ok("DELETE", "/snippets/"+id(sn), "")

	// Inbox rules, saved replies and settings.
	sr := ok("POST", "/inbox/saved-replies", `{"name":"Thanks","lang":"de","body":"Danke, {first_name}!"}`)
	ok("GET", "/inbox/saved-replies", "")
	ok("PUT", "/inbox/saved-replies/"+id(sr), `{"name":"Thanks","lang":"de","body":"Vielen Dank, {first_name}!"}`)
	ok("POST", "/inbox/saved-replies/"+id(sr)+"/render", `{"values":{"first_name":"Jo"}}`)
	rule := ok("POST", "/inbox/rules", `{"name":"Thank","conditions":{"sentiments":["positive"]},"actions":[{"kind":"auto_reply","value":"`+id(sr)+`"}]}`)
	ok("GET", "/inbox/rules", "")
	ok("GET", "/inbox/rules/"+id(rule), "")
	ok("PUT", "/inbox/rules/"+id(rule), `{"name":"Thank fans","conditions":{"sentiments":["positive"]},"actions":[{"kind":"label","value":"fan"}]}`)
	ok("PUT", "/inbox/rules/order", `{"ids":[`+id(rule)+`]}`)
	ok("POST", "/inbox/rules/dry-run", "")
	ok("DELETE", "/inbox/rules/"+id(rule), "")
	ok("DELETE", "/inbox/saved-replies/"+id(sr), "")
	ok("GET", "/inbox/settings", "")
	ok("PUT", "/inbox/settings", `{"sla_minutes":45,"criticism_needs_person":true}`)
	ok("GET", "/inbox/sla?period=day", "")
	ok("GET", "/inbox/sla/reminders", "")
	ok("GET", "/inbox/crisis", "")
	// Short links, campaigns and the bio page.
	camp := id(ok("POST", "/campaigns", `{"name":"Walk","goals":[{"metric":"clicks","target":10}]}`))
	ok("PUT", "/campaigns/"+camp, `{"name":"Walk on"}`)
	ok("GET", "/campaigns", "")
	ok("POST", "/campaigns/"+camp+"/posts", `{"post_id":`+post+`}`)
	ok("GET", "/campaigns/"+camp, "")
	ok("DELETE", "/campaigns/"+camp+"/posts/"+post, "")
	sl := id(ok("POST", "/links", `{"target_url":"https://walk.example/","campaign_id":`+camp+`}`))
	ok("GET", "/links", "")
	ok("GET", "/links/"+sl, "")
	ok("GET", "/links/"+sl+"/stats", "")
	var svg string
	require.Equal(t, 200, send(t, e, e.tokA, "GET", "/links/"+sl+"/qr?format=svg", "", "", &svg))
	ok("GET", "/links/settings", "")
	ok("PUT", "/links/settings", `{"auto_shorten":true,"utm_templates":{}}`)
	ok("GET", "/bio", "")
	ok("PUT", "/bio", `{"enabled":true,"title":"Walk","description":"","avatar_url":"","background":"#ffffff","foreground":"#000000","accent":"#0b57d0","lang":"en","items":[],"show_channels":false,"recent_posts":0}`)
	ok("DELETE", "/links/"+sl, "")
	ok("DELETE", "/campaigns/"+camp, "")
	// Analytics: a published post with a reading, its report in every shape
	// (published yesterday: the best-time model of the day reads the posts before it began).
	pub := storetest.PublishAt(t, e.st, e.wsA.ID, storetest.NewPosts(t, e.st, e.wsA.ID, 1, masto.ID), now.Add(-26*time.Hour))[0]
	likes := int64(4)
	require.NoError(t, e.st.SaveMetricSnapshots(ctx, []store.MetricSnapshot{{PublicationID: pub.ID, HorizonHours: 1, WorkspaceID: e.wsA.ID,
		PostID: pub.PostID, ChannelID: masto.ID, Network: "mastodon", PublishedAt: now.Add(-26 * time.Hour), TakenAt: now, Counts: store.Counts{Likes: &likes}}}))
	followers := int64(100)
	require.NoError(t, e.st.SaveChannelDays(ctx, []store.ChannelDay{{ChannelID: masto.ID, WorkspaceID: e.wsA.ID, Network: "mastodon", Day: now.Add(-26 * time.Hour), Followers: &followers, TakenAt: now}}))
	rep := ok("GET", "/analytics/report?from="+now.Add(-48*time.Hour).Format(time.RFC3339)+"&label=theme:none", "")
	require.Empty(t, rep["posts"], "the label filter keeps no post")
	rep = ok("GET", "/analytics/report", "")
	require.Len(t, rep["posts"], 1)
	var csv string
	require.Equal(t, 200, send(t, e, e.tokA, "GET", "/analytics/report.csv?network=mastodon", "", "", &csv))
	require.Contains(t, csv, "level,key,post_id")
	ok("GET", "/analytics/posts?channel_id="+idStr(masto.ID), "")
	ok("GET", "/analytics/channels", "")
	ok("GET", "/analytics/timeseries?from=2026-01-01&to=2026-01-31", "")
	require.NoError(t, e.st.SaveChannelInsights(ctx, []store.ChannelInsight{{WorkspaceID: e.wsA.ID, ChannelID: masto.ID, Day: now, Metric: "CALL_CLICKS", Value: 3, TakenAt: now}}))
	ins := ok("GET", "/analytics/insights?channel_id="+idStr(masto.ID), "")
	require.Len(t, ins["insights"], 1)
	bt := ok("GET", "/analytics/best-times", "")
	require.Len(t, bt["channels"], 1)
	ok("POST", "/analytics/collect", "")
	goal := ok("POST", "/analytics/goals", `{"channel_id":0,"metric":"followers","start_value":210000,"target":680000,"starts_on":"2026-01-01T00:00:00Z","due_on":"2029-01-01T00:00:00Z"}`)
	require.Equal(t, 100.0, goal["current"])
	goals := ok("GET", "/analytics/goals", "")
	require.Len(t, goals["goals"], 1)
	var bad map[string]any
	require.Equal(t, 422, send(t, e, e.tokA, "POST", "/analytics/goals", js, `{"channel_id":0,"metric":"likes","start_value":1,"target":2,"starts_on":"2026-01-01T00:00:00Z","due_on":"2029-01-01T00:00:00Z"}`, &bad), bad)
	ok("DELETE", "/analytics/goals/"+id(goal), "")
	// Reports sent by e-mail and the brand; the report as HTML, CSV and PDF.
	sched := ok("POST", "/analytics/schedules", `{"frequency":"weekly","language":"fr","recipients":["client@example.com"]}`)
	require.Equal(t, []any{"client@example.com"}, sched["recipients"])
	require.Len(t, ok("GET", "/analytics/schedules", "")["schedules"], 1)
	require.Equal(t, 422, send(t, e, e.tokA, "POST", "/analytics/schedules", js, `{"frequency":"weekly","language":"fr","recipients":["nope"]}`, &bad), bad)
	require.Equal(t, `recipients: "nope" is not an e-mail address`, bad["error"].(map[string]any)["message"])
	ok("DELETE", "/analytics/schedules/"+id(sched), "")
	brand := ok("PUT", "/analytics/brand", `{"display_name":"Agence Walker","accent_color":"#112233","logo_media_id":0,"footer":"Prepared by Agence Walker"}`)
	require.Equal(t, "#112233", brand["accent_color"])
	require.Equal(t, "Agence Walker", ok("GET", "/analytics/brand", "")["display_name"])
	require.Equal(t, 422, send(t, e, e.tokA, "PUT", "/analytics/brand", js, `{"display_name":"x","accent_color":"blue","logo_media_id":0,"footer":""}`, &bad), bad)
	var html, pdf string
	require.Equal(t, 200, send(t, e, e.tokA, "GET", "/analytics/report?format=html&lang=de", "", "", &html))
	require.Contains(t, html, `<html lang="de">`)
	require.Contains(t, html, "<h1>Agence Walker</h1>")
	require.Contains(t, html, "Prepared by Agence Walker")
	require.Equal(t, 200, send(t, e, e.tokA, "GET", "/analytics/report?format=csv", "", "", &csv))
	require.Contains(t, csv, "level,key,post_id")
	require.Equal(t, 200, send(t, e, e.tokA, "GET", "/analytics/report?format=pdf", "", "", &pdf))
	require.True(t, strings.HasPrefix(pdf, "%PDF-"))
	// The Accept header chooses when format is absent; Accept-Language the language.
	for accept, want := range map[string]string{"application/pdf": "application/pdf", "text/csv;q=0.9": "text/csv; charset=utf-8",
		"text/html, */*": "text/html; charset=utf-8", "": "application/json"} {
		req, err := http.NewRequest("GET", e.srv.URL+"/api/v1/analytics/report", nil)
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer "+e.tokA)
		req.Header.Set("Accept", accept)
		req.Header.Set("Accept-Language", "fr-CH, de;q=0.5")
		res, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		require.Equal(t, 200, res.StatusCode, accept)
		require.Equal(t, want, res.Header.Get("Content-Type"), accept)
		if want == "text/html; charset=utf-8" {
			require.Contains(t, string(body), `<html lang="fr">`)
		}
	}
	// The inbox: a message on the walker's channel, worked and answered.
	msg := &store.Message{WorkspaceID: e.wsA.ID, ChannelID: ch.ID, Network: string(apiTestKind), RemoteID: "walk-1", Kind: store.KindReply,
		AuthorHandle: "@fan", Text: "Where is my parcel? It never arrived", Language: "en", Sentiment: "negative", Themes: []string{"delivery"}}
	_, err = e.st.InsertMessages(ctx, []*store.Message{msg})
	require.NoError(t, err)
	mid := idStr(msg.ID)
	ok("GET", "/inbox?state=open&sentiment=negative&limit=10", "")
	ok("GET", "/inbox/"+mid, "")
	ok("POST", "/inbox/"+mid+"/assign", `{"assignee":"a@example.com"}`)
	ok("POST", "/inbox/"+mid+"/state", `{"state":"pending"}`)
	ok("POST", "/inbox/"+mid+"/labels", `{"add":"vip","priority":2}`)
	ok("POST", "/inbox/"+mid+"/notes", `{"text":"Ordered twice"}`)
	ok("POST", "/inbox/"+mid+"/reply", `{"text":"We are looking into it"}`)
	ok("POST", "/inbox/"+mid+"/hide", `{"reason":"Personal data in the comment"}`)
	ok("POST", "/inbox/bulk", `{"ids":[`+mid+`],"state":"closed"}`)
	ok("POST", "/inbox/sync", "")
	ok("GET", "/inbox/criticism?channel_id="+idStr(ch.ID)+"&limit=5", "")
	view := ok("POST", "/inbox/views", `{"name":"Angry","filter":"sentiment=negative&state=open"}`)
	ok("GET", "/inbox/views", "")
	ok("DELETE", "/inbox/views/"+id(view), "")
	// A contest: a candidate, an entry moderated, a vote voided, the draw and the entrant's data.
	opens, closes := now.Add(-time.Hour).Format(time.RFC3339), now.Add(time.Hour).Format(time.RFC3339)
	ct := ok("POST", "/contests", `{"slug":"walk-contest","title":"Walk","kind":"giveaway","entry_opens":"`+opens+`","entry_closes":"`+closes+`","vote_opens":"`+opens+`","vote_closes":"`+closes+`","countries":["DE"],"lang":"de"}`)
	cid := id(ct)
	ok("GET", "/contests", "")
	cand := ok("POST", "/contests/"+cid+"/entries", `{"title":"Walker"}`)
	cst, err := e.st.Contest(ctx, e.wsA.ID, int64(ct["id"].(float64)))
	require.NoError(t, err)
	entry := store.ContestEntry{WorkspaceID: e.wsA.ID, ContestID: cst.ID, Title: "Entry", Name: "Jo", Email: "jo@example.org"}
	require.NoError(t, e.st.CreateEntry(ctx, &entry))
	ok("POST", "/contests/"+cid+"/entries/"+idStr(entry.ID)+"/moderate", `{"status":"rejected","reason":"Off topic"}`)
	ok("GET", "/contests/"+cid+"/entries?status=rejected", "")
	_, err = e.st.RecordVotes(ctx, []store.Vote{{WorkspaceID: e.wsA.ID, ContestID: cst.ID, EntryID: int64(cand["id"].(float64)), Identity: "walker", Period: "all", Score: 0.8, Flags: []string{"disposable"}}})
	require.NoError(t, err)
	votes := ok("GET", "/contests/"+cid+"/votes?flagged=true", "")
	require.Len(t, votes["votes"], 1)
	vid := idStr(int64(votes["votes"].([]any)[0].(map[string]any)["id"].(float64)))
	ok("POST", "/contests/"+cid+"/votes/"+vid+"/void", `{"reason":"Throw-away address"}`)
	ok("GET", "/contests/"+cid, "")
	require.Equal(t, 409, send(t, e, e.tokA, "POST", "/contests/"+cid+"/draw", "", "", &bad), bad)
	committed := ok("POST", "/contests/"+cid+"/commit", "")
	require.Len(t, committed["seed_hash"], 64)
	require.Empty(t, committed["seed"], "the seed stays secret until the draw")
	drawn := ok("POST", "/contests/"+cid+"/draw", "")
	require.Equal(t, []any{cand["id"]}, drawn["winner_ids"])
	audit := ok("GET", "/contests/"+cid+"/audit", "")
	require.NotEmpty(t, audit["audit"])
	personal := ok("POST", "/contests/personal-data/export", `{"email":"jo@example.org"}`)
	require.Len(t, personal["entries"], 1)
	erased := ok("POST", "/contests/personal-data/erase", `{"email":"jo@example.org"}`)
	require.Equal(t, 1.0, erased["entries_erased"])
	// A quiz, a jury stage with branding, and a comment-to-enter giveaway.
	quiz := ok("POST", "/contests", `{"slug":"walk-quiz","title":"Quiz","kind":"quiz","entry_opens":"`+opens+`","entry_closes":"`+closes+`","vote_opens":"`+opens+`","vote_closes":"`+closes+`","questions":[{"prompt":"2+2?","choices":["3","4"],"correct":1}]}`)
	require.Len(t, quiz["questions"], 1)
	require.Equal(t, 422, send(t, e, e.tokA, "POST", "/contests", js, `{"slug":"walk-quiz2","title":"Quiz","kind":"quiz","entry_opens":"`+opens+`","entry_closes":"`+closes+`","vote_opens":"`+opens+`","vote_closes":"`+closes+`"}`, &bad), bad)
	jc := ok("POST", "/contests", `{"slug":"walk-jury","title":"Jury","kind":"candidates","jury_weight":40,"finalists":3,"entry_opens":"`+opens+`","entry_closes":"`+closes+`","vote_opens":"`+opens+`","vote_closes":"`+closes+`"}`)
	jid := id(jc)
	fin := ok("POST", "/contests/"+jid+"/entries", `{"title":"Finalist"}`)
	me, err := e.st.UserByEmail(ctx, "a@example.com")
	require.NoError(t, err)
	jury := ok("PUT", "/contests/"+jid+"/jury", `{"user_ids":[`+idStr(me.ID)+`]}`)
	require.Len(t, jury["user_ids"], 1)
	ok("POST", "/contests/"+jid+"/jury/scores", `{"entry_id":`+id(fin)+`,"score":7}`)
	jury = ok("GET", "/contests/"+jid+"/jury", "")
	require.Len(t, jury["ranking"], 1)
	require.Equal(t, 422, send(t, e, e.tokA, "PUT", "/contests/"+jid+"/branding", js, `{"accent":"#ffff00","logo_media_id":0}`, &bad), bad)
	branded := ok("PUT", "/contests/"+jid+"/branding", `{"accent":"#0a7d5a","logo_media_id":0}`)
	require.Equal(t, "#0a7d5a", branded["accent"])
	gc := ok("POST", "/contests", `{"slug":"walk-comments","title":"Comments","kind":"comments","source_channel_id":`+idStr(ch.ID)+`,"source_remote_id":"post-1","keyword":"#win","entry_opens":"`+opens+`","entry_closes":"`+closes+`","vote_opens":"`+opens+`","vote_closes":"`+closes+`"}`)
	read := ok("POST", "/contests/"+id(gc)+"/comments", "")
	require.Equal(t, 1.0, read["added"], "one fan with the keyword; the account's own comment is left out")
	ok("POST", "/contests/"+id(gc)+"/commit", "")
	require.Equal(t, 409, send(t, e, e.tokA, "POST", "/contests/"+id(gc)+"/comments", "", "", &bad), bad)
}
