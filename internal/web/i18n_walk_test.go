package web

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"maps"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/store"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"
)

// walkSite is a workspace with something on every page: a channel of each
// kind, a published post with an attempt log, a failed one on the problems
// page, a scheduled one in the calendar, a comment, notifications, a media
// item, a snippet, an API token, an invitation and a notification webhook.
type walkSite struct {
	*studio
	post, failed, planned int64
	message               int64
	invite                string
	rule                  int64
	// campaign and link are the walk's campaign and short link (with clicks).
	campaign, link int64
	// contest is the walk's drawn contest (with a jury stage); quiz its quiz,
	// giveaway its comment-to-enter giveaway.
	contest, quiz, giveaway int64
	// influencer is the walk's influencer (history, score, a deal in the campaign).
	influencer, influencerDeal int64
	// data are the strings the test typed in: they are shown as typed in every language.
	data []string
}

func newWalkSite(t *testing.T, b *bundle) *walkSite {
	t.Helper()
	ctx := context.Background()
	// The owner is an instance administrator: the walk opens the network apps page too.
	s := &walkSite{studio: newStudioAs(t, b, "lune", true)}
	for _, c := range []store.Channel{
		{WorkspaceID: s.ws.ID, Status: store.ChannelOK, Network: "telegram", RemoteID: "-1001234567", Handle: "Lune Telegram"},
		{WorkspaceID: s.ws.ID, Status: store.ChannelNeedsReconnect, StatusReason: "token revoked", Network: "webhook", RemoteID: "hook-lune", Handle: "n8n lune"},
	} {
		require.NoError(t, b.st.CreateChannel(ctx, &c))
	}
	// The web tests' fake networks have untranslated labels of their own; "relais test" is the footer's version.
	s.data = append(s.data, "webfakeoauth", "webfakehook", "Fake hook secret", "webfake", "Your handle", "Handle", "Token", "Instance", "relais test")
	s.data = append(s.data, "Studio lune", "lune", "lune@example.com", "@lune.bsky.social", "@lune@mastodon.social", "lune.example",
		"Lune Telegram", "n8n lune", "token revoked", "Europe/Paris")

	s.post = postIDOf(t, s.owner.post("/workspaces/lune/posts", form("text", "Notre collection d'automne", "channel", s.webID, "channel", s.mastodonID, "action", "now")))
	s.failed = s.post
	publishByHand(t, b, s.ws.ID, "https://lune.example/posts/1")
	seedMetrics(t, b.st, s.ws.ID)
	res := s.owner.post("/workspaces/lune/posts/"+id(s.post)+"/comments", form("body", "Superbe"))
	require.Less(t, res.StatusCode, 400)
	draft := postIDOf(t, s.owner.post("/workspaces/lune/posts", form("text", "Brouillon à relire", "channel", s.blueskyID, "action", "draft")))
	res = s.owner.post("/workspaces/lune/posts/"+id(draft)+"/submit", nil)
	require.Less(t, res.StatusCode, 400)
	s.planned = postIDOf(t, s.owner.post("/workspaces/lune/posts", form("text", "Soldes d'hiver", "channel", s.blueskyID, "action", "schedule", "at", tomorrow(10), "timezone", "Europe/Paris")))
	s.data = append(s.data, "Notre collection d'automne", "Superbe", "Brouillon à relire", "Soldes d'hiver", "Mastodon refused the post: 422 Validation failed", "Validation failed: text too long")

	var img bytes.Buffer
	require.NoError(t, png.Encode(&img, image.NewRGBA(image.Rect(0, 0, 40, 30))))
	m, err := b.media.Upload(ctx, s.ws.ID, s.user.ID, "vitrine.png", &img, 0)
	require.NoError(t, err)
	_, err = b.media.SetAlt(ctx, s.ws.ID, m.ID, "Vitrine de la boutique")
	require.NoError(t, err)
	_, err = b.compose.CreateSnippet(ctx, auth.Principal{User: s.user, Workspace: s.ws, Role: store.RoleOwner}, "Signature", "text", "— L'équipe Lune")
	require.NoError(t, err)
	res = s.owner.post("/workspaces/lune/tokens", form("name", "Zapier"))
	require.Less(t, res.StatusCode, 400)
	res = s.owner.post("/workspaces/lune/invitations", form("email", "nina@example.com", "role", "editor"))
	require.Less(t, res.StatusCode, 400)
	if m := regexp.MustCompile(`/invite/([A-Za-z0-9_-]+)`).FindStringSubmatch(res.Body); m != nil {
		s.invite = m[1]
	}
	_ = s.owner.post("/workspaces/lune/hooks", form("url", "https://203.0.113.9/relais", "description", "Astreinte", "event", "publish_failed"))
	s.data = append(s.data, "vitrine.png", "Vitrine de la boutique", "Signature", "— L'équipe Lune", "Zapier", "nina@example.com", "Astreinte",
		"https://203.0.113.9/relais")

	res = s.owner.post("/workspaces/lune/inbox/saved-replies", form("name", "Merci", "lang", "fr", "body", "Merci {first_name} !"))
	require.Less(t, res.StatusCode, 400)
	replies, err := b.st.SavedReplies(ctx, s.ws.ID)
	require.NoError(t, err)
	require.Len(t, replies, 1)
	res = s.owner.post("/workspaces/lune/inbox/rules", form("name", "Remboursements", "keywords", `remboursement AND NOT "code promo"`, "network", "mastodon",
		"sentiment", "negative", "theme", "refund_return", "language", "fr", "authors", "@client", "first_contact", "yes", "from", "22:00", "to", "06:00",
		"action0", "hide", "action1", "auto_reply:"+id(replies[0].ID), "labels", "remboursement", "enabled", "on", "stop", "on"))
	require.Less(t, res.StatusCode, 400, res.Body)
	rules, err := b.st.InboxRules(ctx, s.ws.ID)
	require.NoError(t, err)
	require.Len(t, rules, 1)
	s.rule = rules[0].ID
	require.NoError(t, b.st.CreateNotification(ctx, &store.Notification{WorkspaceID: s.ws.ID, Kind: store.HookAlertCrisis,
		Message: "Crisis warning: 30 negative messages this hour, 2.0 expected; spiking terms: boycott", Args: []string{"30", "2.0", "boycott"},
		Link: "/workspaces/lune/inbox/crisis"}))
	s.data = append(s.data, "Merci {first_name} !", "Merci", "Remboursements", `remboursement AND NOT "code promo"`, "remboursement", "@client", "22:00–06:00", "boycott")
	s.seedLinks(t, b)
	s.seedContest(t, b)
	// The inbox: a complaint under the published post, answered, with a note,
	// a label, a refused hiding in the log and a saved view.
	pubs, err := b.st.Publications(ctx, s.ws.ID, s.post)
	require.NoError(t, err)
	msg := &store.Message{WorkspaceID: s.ws.ID, ChannelID: s.mastodon.ID, Network: "mastodon", RemoteID: "walk-comment", ParentRemoteID: pubs[0].RemoteID,
		RootRemoteID: pubs[0].RemoteID, PostID: s.post, PublicationID: pubs[0].ID, Kind: store.KindReply, AuthorHandle: "@claire@mastodon.social",
		AuthorName: "Claire", Text: "Mon colis n'est jamais arrivé", Language: "fr", Sentiment: "negative", Themes: []string{"delivery"},
		Labels: []string{"urgent"}, URL: "https://mastodon.social/@claire/1", AssigneeID: s.user.ID}
	_, err = b.st.InsertMessages(ctx, []*store.Message{msg})
	require.NoError(t, err)
	s.message = msg.ID
	rep := store.Reply{WorkspaceID: s.ws.ID, MessageID: msg.ID, AuthorID: s.user.ID, Text: "Nous regardons tout de suite", IdempotencyKey: "walk"}
	require.NoError(t, b.st.CreateReply(ctx, &rep))
	sent := time.Now()
	rep.State, rep.RemoteID, rep.URL, rep.SentAt = store.ReplySent, "r1", "https://mastodon.social/@lune/2", &sent
	require.NoError(t, b.st.FinishReply(ctx, rep))
	require.NoError(t, b.st.AddNote(ctx, &store.Note{WorkspaceID: s.ws.ID, MessageID: msg.ID, AuthorID: s.user.ID, Text: "Client fidèle"}))
	require.NoError(t, b.st.AddModerationEntry(ctx, &store.ModerationEntry{WorkspaceID: s.ws.ID, MessageID: msg.ID, UserID: s.user.ID,
		Action: "hide", Reason: "Adresse privée", Outcome: "failed", Error: "mastodon: 403"}))
	require.NoError(t, b.st.SaveView(ctx, &store.SavedView{WorkspaceID: s.ws.ID, Name: "Colère", Filter: "sentiment=negative", CreatedBy: s.user.ID}))
	s.data = append(s.data, "@claire@mastodon.social", "Claire", "Mon colis n'est jamais arrivé", "#urgent", "Nous regardons tout de suite",
		"Client fidèle", "Adresse privée", "mastodon: 403", "Colère", "→",
		"Merci (fr)") // a saved reply offered in the reply box, with its language
	return s
}

// seedLinks gives the walk a campaign with a goal and a post, a short link
// with clicks (a person's and a link preview's) and an enabled bio page.
func (s *walkSite) seedLinks(t *testing.T, b *bundle) {
	t.Helper()
	ctx := context.Background()
	c := store.Campaign{WorkspaceID: s.ws.ID, Name: "Soldes de printemps", Goals: []store.CampaignGoal{{Metric: "clicks", Target: 50}, {Metric: "reach", Target: 1000}},
		BudgetCents: 150000, Currency: "EUR"}
	require.NoError(t, b.st.CreateCampaign(ctx, &c))
	require.NoError(t, b.st.AttachCampaignPost(ctx, s.ws.ID, c.ID, s.post))
	l := store.Link{WorkspaceID: s.ws.ID, Code: "lune-soldes", TargetURL: "https://lune.example/soldes", Title: "Boutique Lune", CampaignID: c.ID,
		UTM: store.UTM{Source: "mastodon", Medium: "social"}}
	require.NoError(t, b.st.CreateLink(ctx, &l))
	now := time.Now()
	require.NoError(t, b.st.RecordClicks(ctx, []store.Click{
		{LinkID: l.ID, WorkspaceID: s.ws.ID, At: now, Visitor: "v1", ReferrerHost: "mastodon.social", Device: "mobile"},
		{LinkID: l.ID, WorkspaceID: s.ws.ID, At: now, Visitor: "b1", Device: "desktop", Bot: "Slackbot"},
	}))
	bio := store.DefaultBioPage(s.ws.ID)
	bio.Enabled, bio.Title, bio.Lang = true, "Lune", "fr"
	bio.Items = []store.BioItem{{Label: "Boutique Lune", URL: "https://lune.example/", Kind: "shop"}}
	require.NoError(t, b.st.SaveBioPage(ctx, bio))
	s.campaign, s.link = c.ID, l.ID
	panel := store.CompetitorPanel{WorkspaceID: s.ws.ID, Name: "Mode"}
	require.NoError(t, b.st.CreateCompetitorPanel(ctx, &panel))
	require.NoError(t, b.st.AddCompetitorAccount(ctx, &store.CompetitorAccount{WorkspaceID: s.ws.ID, PanelID: panel.ID, Brand: "Lune", Network: "mastodon", Handle: "lune@mode.example"}))
	s.data = append(s.data, "Mode", "lune@mode.example")
	s.data = append(s.data, "Soldes de printemps", "Boutique Lune", "mastodon.social", "Slackbot", "EUR", "lune-soldes", "Lune",
		"https://lune.example/soldes", "https://lune.example/soldes?utm_medium=social&utm_source=mastodon")
	s.influencer, s.influencerDeal = walkInfluencer(t, b, s.ws.ID, c.ID)
	s.data = append(s.data, "Brief envoyé", "Léa Martin", "lea@mastodon.social", "mode", "Rencontrée au salon", "YouTube", "TikTok", "en, fr, de", "name, name@instance, name.bsky.social")
}

// settleDue plays the engine's part for the workspace's due publications:
// it claims them, and decide fills each one's result (state, messages, attempt).
func settleDue(t *testing.T, b *bundle, workspaceID int64, decide func(j store.PublishJob, r *store.PublishResult)) {
	t.Helper()
	ctx := context.Background()
	now := time.Now()
	jobs, err := b.st.ClaimDue(ctx, "test", now.Add(time.Minute), now.Add(time.Minute), now, 10)
	require.NoError(t, err)
	var refs []store.ClaimRef
	for _, j := range jobs {
		refs = append(refs, store.ClaimRef{ID: j.ID, Claim: j.Claim})
	}
	_, err = b.st.MarkPublishing(ctx, refs, now.Add(time.Minute), now)
	require.NoError(t, err)
	var results []store.PublishResult
	for _, j := range jobs {
		pub, err := b.st.Publication(ctx, workspaceID, j.ID)
		require.NoError(t, err)
		r := store.PublishResult{ID: j.ID, Claim: pub.Claim, From: store.PubPublishing}
		decide(j, &r)
		results = append(results, r)
	}
	_, err = b.st.SaveResults(ctx, results, now)
	require.NoError(t, err)
}

// publishByHand settles the due publications: the Mastodon one fails (its id
// is returned), the others publish at link.
func publishByHand(t *testing.T, b *bundle, workspaceID int64, link string) (failed int64) {
	t.Helper()
	now := time.Now()
	settleDue(t, b, workspaceID, func(j store.PublishJob, r *store.PublishResult) {
		if j.Network == "mastodon" {
			failed = j.ID
			r.State, r.ErrorClass, r.ErrorMessage = store.PubFailed, "permanent", "Mastodon refused the post: 422 Validation failed"
			r.Attempt = &store.Attempt{PublicationID: j.ID, WorkspaceID: workspaceID, StartedAt: now, LatencyMS: 321, Outcome: "failed", Class: "permanent", HTTPStatus: 422, Message: "Validation failed: text too long"}
			return
		}
		r.State, r.RemoteID, r.URL = store.PubPublished, "w1", link
		r.Attempt = &store.Attempt{PublicationID: j.ID, WorkspaceID: workspaceID, StartedAt: now, LatencyMS: 45, Outcome: "published", HTTPStatus: 200}
	})
	return failed
}

// walkPaths are the pages the walk opens for each GET route of web.go;
// notWalked are the GET routes that serve no translated page, with the reason.
// A new GET route must be added to one of them (the test says so).
func (s *walkSite) walkPaths() map[string][]string {
	p, d := id(s.post), id(s.planned)
	paths := map[string][]string{
		"GET /login":                                  {"/login"},
		"GET /workspaces":                             {"/workspaces"},
		"GET /workspaces/new":                         {"/workspaces/new"},
		"GET /setup/workspace":                        {"/setup/workspace"},
		"GET /workspaces/{slug}/{$}":                  {"/workspaces/lune/"},
		"GET /workspaces/{slug}/settings":             {"/workspaces/lune/settings"},
		"GET /workspaces/{slug}/hooks":                {"/workspaces/lune/hooks"},
		"GET /workspaces/{slug}/members":              {"/workspaces/lune/members"},
		"GET /invite/{token}":                         {"/invite/" + s.invite},
		"GET /account":                                {"/account"},
		"GET /admin/apps":                             {"/admin/apps"},
		"GET /workspaces/{slug}/tokens":               {"/workspaces/lune/tokens"},
		"GET /workspaces/{slug}/channels":             {"/workspaces/lune/channels", "/workspaces/lune/channels?reconnect=" + id(s.mastodon.ID)},
		"GET /workspaces/{slug}/notifications":        {"/workspaces/lune/notifications"},
		"GET /workspaces/{slug}/posts/new":            {"/workspaces/lune/posts/new"},
		"GET /workspaces/{slug}/posts/{id}":           {"/workspaces/lune/posts/" + p, "/workspaces/lune/posts/" + d},
		"GET /workspaces/{slug}/posts/{id}/edit":      {"/workspaces/lune/posts/" + d + "/edit"},
		"GET /workspaces/{slug}/calendar":             {"/workspaces/lune/calendar", "/workspaces/lune/calendar?view=week", "/workspaces/lune/calendar?view=list"},
		"GET /workspaces/{slug}/problems":             {"/workspaces/lune/problems"},
		"GET /workspaces/{slug}/publishing":           {"/workspaces/lune/publishing"},
		"GET /workspaces/{slug}/import":               {"/workspaces/lune/import"},
		"GET /workspaces/{slug}/snippets":             {"/workspaces/lune/snippets"},
		"GET /workspaces/{slug}/feedback":             {"/workspaces/lune/feedback"},
		"GET /workspaces/{slug}/approvals":            {"/workspaces/lune/approvals"},
		"GET /workspaces/{slug}/media":                {"/workspaces/lune/media"},
		"GET /workspaces/{slug}/inbox/rules":          {"/workspaces/lune/inbox/rules"},
		"GET /workspaces/{slug}/inbox/rules/new":      {"/workspaces/lune/inbox/rules/new"},
		"GET /workspaces/{slug}/inbox/rules/dry-run":  {"/workspaces/lune/inbox/rules/dry-run"},
		"GET /workspaces/{slug}/inbox/rules/{id}":     {"/workspaces/lune/inbox/rules/" + id(s.rule)},
		"GET /workspaces/{slug}/inbox/saved-replies":  {"/workspaces/lune/inbox/saved-replies"},
		"GET /workspaces/{slug}/inbox/settings":       {"/workspaces/lune/inbox/settings"},
		"GET /workspaces/{slug}/inbox/crisis":         {"/workspaces/lune/inbox/crisis"},
		"GET /workspaces/{slug}/inbox/response-times": {"/workspaces/lune/inbox/response-times", "/workspaces/lune/inbox/response-times?period=day&from=2026-01-01&to=2025-12-01"},
		"GET /workspaces/{slug}/inbox/criticism":      {"/workspaces/lune/inbox/criticism", "/workspaces/lune/inbox/criticism?since=nope"},
		"GET /workspaces/{slug}/nope-not-a-page-at":   {"/workspaces/lune/nope"}, // the not-found page
		"GET /workspaces/{slug}/links":                {"/workspaces/lune/links"},
		"GET /workspaces/{slug}/links/{id}":           {"/workspaces/lune/links/" + id(s.link)},
		"GET /workspaces/{slug}/campaigns":            {"/workspaces/lune/campaigns"},
		"GET /workspaces/{slug}/listen":               {"/workspaces/lune/listen"},
		"GET /workspaces/{slug}/competitors":          {"/workspaces/lune/competitors"},
		"GET /workspaces/{slug}/campaigns/{id}":       {"/workspaces/lune/campaigns/" + id(s.campaign)},
		"GET /workspaces/{slug}/bio":                  {"/workspaces/lune/bio"},
		"GET /workspaces/{slug}/contests":             {"/workspaces/lune/contests"},
		"GET /workspaces/{slug}/contests/{id}": {"/workspaces/lune/contests/" + id(s.contest), "/workspaces/lune/contests/" + id(s.quiz),
			"/workspaces/lune/contests/" + id(s.giveaway)},
		"GET /workspaces/{slug}/analytics":        {"/workspaces/lune/analytics"},
		"GET /workspaces/{slug}/analytics/report": {"/workspaces/lune/analytics/report"},
		"GET /workspaces/{slug}/inbox":            {"/workspaces/lune/inbox", "/workspaces/lune/inbox?sentiment=negative&unanswered=1", "/workspaces/lune/inbox?q=nothing-matches"},
		"GET /workspaces/{slug}/inbox/{id}":       {"/workspaces/lune/inbox/" + id(s.message)},
	}
	maps.Copy(paths, s.influencerPaths())
	return paths
}

var notWalked = map[string]string{
	"GET /static/":                                       "static files",
	"GET /c/{cslug}/brand.css":                           "the contest's accent colour as a style sheet, no text",
	"GET /contest-oauth/mastodon":                        "where voters' Mastodon servers send them back; a contest page in the contest's language (TestContestMastodonVoteOnGoToSocial)",
	"GET /setup":                                         "first run only, walked by TestBrowserFirstRunLoginWorkspaceFrench",
	"GET /{$}":                                           "redirects to the workspace",
	"GET /channels/connect/{kind}/start":                 "the page that moves on to the network (walked by TestChannelsOAuthRoundTrip)",
	"GET /oauth/callback/{kind}":                         "redirects back to the channels page",
	"GET /workspaces/{slug}/export/{format}":             "CSV or JSON download",
	"GET /workspaces/{slug}/media/{id}/file":             "media file",
	"GET /posts/{id}":                                    "permalink: redirects to the post page (walked)",
	"GET /channels/{id}":                                 "permalink: redirects to the channels page (walked)",
	"GET /workspaces/{slug}/import/sample.csv":           "CSV download",
	"GET /workspaces/{slug}/links/{id}/qr/{format}":      "QR code image",
	"GET /bio/{slug}":                                    "public page in its own language (the bio page's setting, not the reader's); TestBioPublicPage checks each language",
	"GET /bio/{slug}/style.css":                          "style sheet",
	"GET /c/{cslug}":                                     "public contest page in the contest's own language; TestContestPublicPagesInEachLanguage checks each language",
	"GET /c/{cslug}/rules":                               "public contest page (see GET /c/{cslug})",
	"GET /c/{cslug}/widget":                              "embeddable contest gallery (see GET /c/{cslug}); TestContestWidget",
	"GET /c/{cslug}/results":                             "public contest page (see GET /c/{cslug})",
	"GET /c/{cslug}/enter":                               "public contest page (see GET /c/{cslug})",
	"GET /c/{cslug}/e/{id}":                              "public contest page (see GET /c/{cslug})",
	"GET /c/{cslug}/confirm":                             "public contest page (see GET /c/{cslug})",
	"GET /workspaces/{slug}/analytics/report.csv":        "CSV download",
	"GET /workspaces/{slug}/inbox/response-times.csv":    "CSV download",
	"GET /workspaces/{slug}/analytics/report.pdf":        "PDF download",
	"GET /workspaces/{slug}/competitors/{id}/report.csv": "CSV download",
	"GET /workspaces/{slug}/competitors/{id}/report.pdf": "PDF download",
}

var getRoute = regexp.MustCompile(`mux\.HandleFunc\("(GET [^"]+)"`)

// visibleTexts are the strings a page shows: its text (but in <script>,
// <style>, <code>, <pre>, <textarea> and <title>, which repeats the h1) and
// the attributes people read (placeholder, title, alt, aria-label, the
// messages of data-confirm and data-copied, the value of buttons).
func visibleTexts(t *testing.T, page string) []string {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	require.NoError(t, err)
	var out []string
	add := func(s string) {
		if s = strings.Join(strings.Fields(s), " "); s != "" {
			out = append(out, s)
		}
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "script", "style", "code", "pre", "textarea", "title":
				return
			}
			// Content marked with its own language (the coach speaks the
			// language of the post) is not the interface's.
			for _, a := range n.Attr {
				if a.Key == "lang" && n.Data != "html" {
					return
				}
			}
			typ := ""
			for _, a := range n.Attr {
				if a.Key == "type" {
					typ = a.Val
				}
			}
			for _, a := range n.Attr {
				switch {
				case a.Key == "placeholder", a.Key == "title", a.Key == "alt", a.Key == "aria-label",
					a.Key == "data-confirm", a.Key == "data-confirm-click", a.Key == "data-copied",
					a.Key == "value" && n.Data == "input" && (typ == "submit" || typ == "button"):
					add(a.Val)
				}
			}
		}
		if n.Type == html.TextNode {
			add(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out
}

// untranslated is what is left of s once the strings that read the same in
// every language are taken out: the data the test typed, proper and network
// names, numbers, dates, times, URLs, e-mail addresses, handles and time zones.
var sameInEveryLanguage = regexp.MustCompile(`https?://\S*|\b(image|video)/[\w.+-]+|\b[\w]+=[\w]+|\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun)\b|\bkB\b|[\w.+-]+@[\w.-]+\.\w+|@[\w.@-]+|\b[A-Z][a-z]+/[A-Za-z_/+-]+\b|` +
	`\b(relais|Bluesky|Mastodon|GoToSocial|Telegram|Webhook|RSS|Atom|JSON Feed|JSON|CSV|iCal|HTTP|API|URL|PDS|OAuth|UTC|GMT|n8n|Zapier|Make|English|Français|Deutsch|OK|ms|KiB|MB|Markdown|PNG|JPEG|WebP|GIF|MP4|MOV)\b|` +
	`[\d:./,+-]+`)

func untranslated(s string, data []string) string {
	// Longest first, so "@lune.bsky.social" goes whole before "lune".
	data = slices.Clone(data)
	sort.Slice(data, func(i, j int) bool { return len(data[i]) > len(data[j]) })
	for _, d := range data {
		s = strings.ReplaceAll(s, d, " ")
	}
	s = sameInEveryLanguage.ReplaceAllString(s, " ")
	if !regexp.MustCompile(`\pL{2,}`).MatchString(s) {
		return ""
	}
	return strings.Join(strings.Fields(s), " ")
}

// TestEveryPageIsTranslated walks every page of the web UI in French and
// German as a member with data everywhere, and fails on any visible string
// that is the same as on the English page, unless it reads the same in every
// language (data, names, numbers, URLs) or the catalogue translates it the
// same on purpose. New pages and new strings are caught without changing the test.
func TestEveryPageIsTranslated(t *testing.T) {
	t.Parallel()
	b := setup(t)
	s := newWalkSite(t, b)
	cats, err := loadCatalogs()
	require.NoError(t, err)

	src, err := os.ReadFile("web.go")
	require.NoError(t, err)
	paths := s.walkPaths()
	for _, m := range getRoute.FindAllStringSubmatch(string(src), -1) {
		_, walked := paths[m[1]]
		_, skipped := notWalked[m[1]]
		require.True(t, walked || skipped, "the route %q is neither walked nor in notWalked: add its pages to walkPaths", m[1])
	}
	var all []string
	for _, ps := range paths {
		all = append(all, ps...)
	}
	sort.Strings(all)

	anonymous := b.browser(t)
	for _, lang := range []string{"fr", "de"} {
		// Single words the catalogue translates identically ("Notifications",
		// "Description", German "Status") are deliberate cognates: they read
		// as data. An identical phrase is an English text copied, and is caught.
		same := map[string]bool{}
		data := slices.Clone(s.data)
		for k, v := range cats[lang] {
			if cats["en"][k] == v && !strings.ContainsAny(v, "% ") {
				same[strings.Join(strings.Fields(v), " ")] = true
				data = append(data, v)
			}
		}
		var problems []string
		for _, path := range all {
			br := s.owner
			if path == "/login" {
				br = anonymous
			}
			br.lang = "en"
			en := br.get(path)
			br.lang = lang
			tr := br.get(path)
			br.lang = ""
			require.Equal(t, en.StatusCode, tr.StatusCode, path)
			if tr.StatusCode >= 300 && tr.StatusCode < 400 {
				problems = append(problems, fmt.Sprintf("%s answers %d; walk the page it leads to instead", path, tr.StatusCode))
				continue
			}
			english := map[string]bool{}
			for _, s := range visibleTexts(t, en.Body) {
				english[s] = true
			}
			seen := map[string]bool{}
			for _, text := range visibleTexts(t, tr.Body) {
				if !english[text] || same[text] || seen[text] {
					continue
				}
				seen[text] = true
				if rest := untranslated(text, data); rest != "" {
					problems = append(problems, fmt.Sprintf("%s: %q", path, text))
				}
			}
		}
		require.Empty(t, problems, "English strings on %s pages:\n%s", lang, strings.Join(problems, "\n"))
	}
}

// TestBrowserWalkInFrench signs in with the browser, chooses French on the
// account page and opens every page the Go walk opens: what the browser
// shows once the scripts ran (live validation, the coach, fragments) holds
// no string of the English page that should have been translated.
func TestBrowserWalkInFrench(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil && os.Getenv("CI") != "true" {
		t.Skip("chromium is not installed at " + chromiumPath)
	}
	b := setup(t)
	s := newWalkSite(t, b)
	cats, err := loadCatalogs()
	require.NoError(t, err)
	data := slices.Clone(s.data)
	for k, v := range cats["fr"] {
		if cats["en"][k] == v && !strings.ContainsAny(v, "% ") {
			data = append(data, v)
		}
	}
	// The English pages first: choosing French saves the member's language.
	var paths []string
	for _, ps := range s.walkPaths() {
		for _, p := range ps {
			if p != "/login" && !strings.HasPrefix(p, "/invite/") {
				paths = append(paths, p)
			}
		}
	}
	sort.Strings(paths)
	english := map[string]map[string]bool{}
	s.owner.lang = "en"
	for _, path := range paths {
		english[path] = map[string]bool{}
		for _, text := range visibleTexts(t, s.owner.get(path).Body) {
			english[path][text] = true
		}
	}
	s.owner.lang = ""
	br := startBrowser(t, 1280, 900, 120*time.Second, nil)
	css := func(q string) chromedp.CSS { return chromedp.CSS(q) }
	require.NoError(t, chromedp.Do(br.ctx,
		chromedp.Navigate(b.srv.URL+"/login"),
		chromedp.WaitVisible(css(`#email`)),
		chromedp.SendKeys(css(`#email`), "lune@example.com"),
		chromedp.SendKeys(css(`#password`), "correct horse battery"),
		chromedp.Submit(css(`#password`)),
		chromedp.WaitVisible(css(`.stat`)),
		chromedp.Navigate(b.srv.URL+"/account"),
		chromedp.WaitVisible(css(`select[name=lang]`)),
		chromedp.SetValue(css(`select[name=lang]`), "fr"),
		chromedp.Submit(css(`select[name=lang]`)),
		chromedp.WaitVisible(css(`html[lang=fr]`)),
	))
	var problems []string
	for _, path := range paths {
		require.NoError(t, chromedp.Do(br.ctx, chromedp.Navigate(b.srv.URL+path), chromedp.WaitReady(css(`footer`))))
		// The composer fills its live checks and the coach after load.
		if strings.Contains(path, "/posts/") && strings.HasSuffix(path, "/edit") || strings.HasSuffix(path, "/posts/new") {
			require.NoError(t, chromedp.Do(br.ctx, chromedp.WaitVisible(css(`.live-variant, .coach, .empty, .hint`))))
		}
		text, err := chromedp.Run(br.ctx, chromedp.Evaluate[string](`document.body.innerText`))
		require.NoError(t, err)
		for _, line := range strings.Split(text, "\n") {
			line = strings.Join(strings.Fields(line), " ")
			if english[path][line] && untranslated(line, data) != "" {
				problems = append(problems, fmt.Sprintf("%s: %q", path, line))
			}
		}
	}
	require.NoError(t, chromedp.Do(br.ctx, br.shot("walk-fr-last-page")))
	require.Empty(t, problems, "English strings in the French UI:\n%s", strings.Join(problems, "\n"))
	br.requireNoProblems(t)
}
