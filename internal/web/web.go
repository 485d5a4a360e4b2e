// Package web serves relais's server-rendered user interface: sign-in and
// first-run setup, workspaces, members and invitations, account settings, API
// tokens, channels and notifications, and (with Deps.Compose and Deps.Media)
// the composer with live validation, the calendar, post pages, the media
// library and the publishing settings. Pages are html/template files parsed once
// at start, translated into English, French and German, and served under a
// strict Content-Security-Policy: no inline scripts or styles, nothing loaded
// from another origin, and every unsafe request checked by
// http.CrossOriginProtection.
package web

import (
	"fmt"
	"github.com/relais/relais/internal/analytics"
	"github.com/relais/relais/internal/operator"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/campaign"
	"github.com/relais/relais/internal/channel"
	"github.com/relais/relais/internal/compose"
	"github.com/relais/relais/internal/contest"
	"github.com/relais/relais/internal/crisis"
	"github.com/relais/relais/internal/inbox"
	"github.com/relais/relais/internal/link"
	"github.com/relais/relais/internal/listen"
	"github.com/relais/relais/internal/mail"
	"github.com/relais/relais/internal/media"
	"github.com/relais/relais/internal/moderation"
	"github.com/relais/relais/internal/store"
)

// Deps is what the web UI needs from the application.
type Deps struct {
	Store    store.Store
	Auth     *auth.Service
	Channels *channel.Service
	// Compose is the composer core (posts, calendar, approval, import and
	// export); nil hides the composer, calendar and publishing pages.
	Compose *compose.Service
	// Analytics computes the dashboard and reports (built from Store when nil).
	Analytics *analytics.Service
	// Collector reads metrics on demand (built from Store and Channels when nil).
	Collector *analytics.Collector
	// Inbox is the inbox; nil hides the inbox pages.
	Inbox *inbox.Service
	// Media is the media library; nil hides the media pages.
	Media *media.Library
	// Mail sends invitation e-mail when an SMTP server is configured (nil: links only).
	Mail *mail.Sender
	// Moderation manages inbox rules, saved replies and inbox settings (nil:
	// a service over Store without a dry-run source).
	Moderation *moderation.Service
	// CrisisSource supplies negative messages to the crisis view (nil: the
	// view says the inbox has no history yet); CrisisConfig tunes the test.
	CrisisSource crisis.Source
	CrisisConfig crisis.Config
	Log          *slog.Logger
	// BaseURL is the public URL of the site ("https://relais.example.com"), used
	// for invitation links and OAuth redirects; an https URL makes cookies Secure.
	BaseURL string
	// Version is shown in the page footer.
	Version string
	// Links creates short links and assembles the bio page (nil: one over Store and BaseURL).
	Links *link.Service
	// Campaigns manages campaigns (nil: one over Store).
	Campaigns *campaign.Service
	// Operator holds the network apps' settings; nil hides the network apps page.
	Operator *operator.Service
	// Contests runs contests and serves their public pages (nil: one over Store with a key of its own).
	Contests *contest.Service
	// Listen runs social listening (nil: one over Store and Channels).
	Listen *listen.Service
	// MaxBodyBytes bounds a request body (default 1 MiB).
	MaxBodyBytes int64
	// MaxUploadBytes bounds a media upload (default media.MaxVideoUpload plus 1 MiB for the form).
	MaxUploadBytes int64
}

// handler serves every page; its methods are the UI actions, one file each.
type handler struct {
	d        Deps
	log      *slog.Logger
	pages    *pageSet
	static   *staticFiles
	secure   bool
	maxBody  int64
	maxUp    int64
	setupOff atomic.Bool // true once a user exists, so the first-run check stops querying
	modOnce  sync.Once
	mod      *moderation.Service
}

// New builds the web UI handler. It fails when a template does not parse.
func New(d Deps) (http.Handler, error) {
	if d.Store == nil || d.Auth == nil {
		return nil, fmt.Errorf("web: Deps.Store and Deps.Auth are required")
	}
	h := &handler{d: d, log: d.Log, secure: strings.HasPrefix(d.BaseURL, "https://"), maxBody: d.MaxBodyBytes}
	if h.log == nil {
		h.log = slog.Default()
	}
	if h.maxBody <= 0 {
		h.maxBody = 1 << 20
	}
	if h.maxUp = d.MaxUploadBytes; h.maxUp <= 0 {
		h.maxUp = media.MaxVideoUpload + 1<<20
	}
	h.d.BaseURL = strings.TrimRight(d.BaseURL, "/")
	if h.d.Links == nil {
		h.d.Links = &link.Service{Store: d.Store, BaseURL: h.d.BaseURL}
	}
	if h.d.Contests == nil {
		h.d.Contests = contest.New(d.Store, contest.RandomKey(), d.Mail, h.d.BaseURL, h.log)
		if d.Channels != nil {
			h.d.Contests.Connectors = d.Channels
		}
	}
	if h.d.Campaigns == nil {
		h.d.Campaigns = &campaign.Service{Store: d.Store}
	}
	var err error
	if h.static, err = newStaticFiles(); err != nil {
		return nil, err
	}
	if h.pages, err = parsePages(templateFS, h.static); err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	h.routes(mux)
	return h.secureHeaders(h.crossOrigin(h.limitBody(h.refuseNUL(h.firstRun(mux))))), nil
}

// routes registers every page in one place.
func (h *handler) routes(mux *http.ServeMux) {
	mux.Handle("GET /static/", h.static)
	mux.HandleFunc("/", h.notFoundPage)

	mux.HandleFunc("GET /setup", h.showSetup)
	mux.HandleFunc("POST /setup", h.submitSetup)
	mux.HandleFunc("GET /login", h.showLogin)
	mux.HandleFunc("POST /login", h.submitLogin)
	mux.HandleFunc("POST /logout", h.user(h.logout))

	mux.HandleFunc("GET /{$}", h.user(h.home))
	mux.HandleFunc("GET /setup/workspace", h.user(h.showFirstWorkspace))
	mux.HandleFunc("GET /workspaces", h.user(h.listWorkspaces))
	mux.HandleFunc("GET /workspaces/new", h.user(h.showCreateWorkspace))
	mux.HandleFunc("POST /workspaces", h.user(h.createWorkspace))
	mux.HandleFunc("POST /workspaces/switch", h.user(h.switchWorkspace))

	mux.HandleFunc("GET /workspaces/{slug}/{$}", h.member(h.dashboard))
	mux.HandleFunc("GET /workspaces/{slug}/settings", h.member(h.showSettings))
	mux.HandleFunc("POST /workspaces/{slug}/settings", h.member(h.saveSettings))
	mux.HandleFunc("GET /workspaces/{slug}/hooks", h.member(h.hooks))
	mux.HandleFunc("POST /workspaces/{slug}/hooks", h.member(h.createHook))
	mux.HandleFunc("POST /workspaces/{slug}/hooks/{id}/remove", h.member(h.removeHook))
	mux.HandleFunc("POST /workspaces/{slug}/hooks/{id}/test", h.member(h.pingHook))

	mux.HandleFunc("GET /workspaces/{slug}/members", h.member(h.members))
	mux.HandleFunc("GET /workspaces/{slug}/analytics", h.member(h.showAnalytics))
	mux.HandleFunc("GET /workspaces/{slug}/analytics/report", h.member(h.showReport))
	mux.HandleFunc("GET /workspaces/{slug}/analytics/report.csv", h.member(h.reportCSV))
	mux.HandleFunc("GET /workspaces/{slug}/analytics/report.pdf", h.member(h.reportPDF))
	mux.HandleFunc("POST /workspaces/{slug}/analytics/collect", h.member(h.collectMetrics))
	mux.HandleFunc("POST /workspaces/{slug}/analytics/goals", h.member(h.createGoal))
	mux.HandleFunc("POST /workspaces/{slug}/analytics/goals/{id}/delete", h.member(h.deleteGoal))
	mux.HandleFunc("POST /workspaces/{slug}/analytics/schedules", h.member(h.createSchedule))
	mux.HandleFunc("POST /workspaces/{slug}/analytics/schedules/{id}/delete", h.member(h.deleteSchedule))
	mux.HandleFunc("POST /workspaces/{slug}/analytics/brand", h.member(h.saveBrand))
	mux.HandleFunc("GET /workspaces/{slug}/feedback", h.member(h.showFeedback))
	mux.HandleFunc("POST /workspaces/{slug}/feedback", h.member(h.analyzeFeedback))
	mux.HandleFunc("POST /workspaces/{slug}/members/{userID}/role", h.member(h.changeRole))
	mux.HandleFunc("POST /workspaces/{slug}/members/{userID}/remove", h.member(h.removeMember))
	mux.HandleFunc("POST /workspaces/{slug}/invitations", h.member(h.createInvitation))
	mux.HandleFunc("POST /workspaces/{slug}/invitations/{id}/revoke", h.member(h.revokeInvitation))
	mux.HandleFunc("GET /invite/{token}", h.showInvitation)
	mux.HandleFunc("POST /invite/{token}/accept", h.user(h.acceptInvitation))
	mux.HandleFunc("POST /invite/{token}/join", h.joinWithInvitation)

	mux.HandleFunc("GET /account", h.user(h.showAccount))
	mux.HandleFunc("POST /account/language", h.user(h.saveLanguage))
	mux.HandleFunc("POST /account/password", h.user(h.changePassword))
	mux.HandleFunc("GET /admin/apps", h.user(h.adminApps))
	mux.HandleFunc("POST /admin/apps/{app}", h.user(h.saveApp))

	mux.HandleFunc("GET /workspaces/{slug}/tokens", h.member(h.tokens))
	mux.HandleFunc("POST /workspaces/{slug}/tokens", h.member(h.createToken))
	mux.HandleFunc("POST /workspaces/{slug}/tokens/{id}/revoke", h.member(h.revokeToken))

	mux.HandleFunc("GET /workspaces/{slug}/channels", h.member(h.channels))
	mux.HandleFunc("POST /workspaces/{slug}/channels/{kind}/connect", h.member(h.connectChannel))
	mux.HandleFunc("POST /workspaces/{slug}/channels/{id}/check", h.member(h.checkChannel))
	mux.HandleFunc("POST /workspaces/{slug}/channels/{id}/remove", h.member(h.removeChannel))
	mux.HandleFunc("GET /channels/{id}", h.user(h.channelPermalink))
	mux.HandleFunc("GET /channels/connect/{kind}/start", h.user(h.startOAuth))
	mux.HandleFunc("GET /oauth/callback/{kind}", h.user(h.finishOAuth))

	mux.HandleFunc("GET /workspaces/{slug}/links", h.member(h.links))
	mux.HandleFunc("POST /workspaces/{slug}/links", h.member(h.createLink))
	mux.HandleFunc("POST /workspaces/{slug}/links/settings", h.member(h.saveLinkSettings))
	mux.HandleFunc("GET /workspaces/{slug}/links/{id}", h.member(h.showLink))
	mux.HandleFunc("GET /workspaces/{slug}/links/{id}/qr/{format}", h.member(h.linkQR))
	mux.HandleFunc("POST /workspaces/{slug}/links/{id}/delete", h.member(h.deleteLink))
	mux.HandleFunc("GET /workspaces/{slug}/listen", h.member(h.listenPage))
	mux.HandleFunc("POST /workspaces/{slug}/listen/queries", h.member(h.addListenQuery))
	mux.HandleFunc("POST /workspaces/{slug}/listen/queries/{id}/delete", h.member(h.deleteListenQuery))
	mux.HandleFunc("POST /workspaces/{slug}/listen/queries/{id}/pause", h.member(h.pauseListenQuery))
	mux.HandleFunc("POST /workspaces/{slug}/listen/mentions/{id}/conversation", h.member(h.mentionToInbox))
	mux.HandleFunc("POST /workspaces/{slug}/listen/feeds", h.member(h.addListenFeed))
	mux.HandleFunc("POST /workspaces/{slug}/listen/feeds/poll", h.member(h.pollListenFeeds))
	mux.HandleFunc("POST /workspaces/{slug}/listen/feeds/{id}/delete", h.member(h.deleteListenFeed))
	mux.HandleFunc("POST /workspaces/{slug}/listen/search", h.member(h.runListenSearch))
	mux.HandleFunc("GET /workspaces/{slug}/competitors", h.member(h.competitorsPage))
	mux.HandleFunc("POST /workspaces/{slug}/competitors", h.member(h.addCompetitorPanel))
	mux.HandleFunc("POST /workspaces/{slug}/competitors/{id}/delete", h.member(h.deleteCompetitorPanel))
	mux.HandleFunc("GET /workspaces/{slug}/competitors/{id}/report.csv", h.member(h.competitorCSV))
	mux.HandleFunc("GET /workspaces/{slug}/competitors/{id}/report.pdf", h.member(h.competitorPDF))
	mux.HandleFunc("GET /workspaces/{slug}/campaigns", h.member(h.campaigns))
	mux.HandleFunc("POST /workspaces/{slug}/campaigns", h.member(h.createCampaign))
	mux.HandleFunc("GET /workspaces/{slug}/campaigns/{id}", h.member(h.showCampaign))
	mux.HandleFunc("POST /workspaces/{slug}/campaigns/{id}", h.member(h.updateCampaign))
	mux.HandleFunc("POST /workspaces/{slug}/campaigns/{id}/posts", h.member(h.attachCampaignPost))
	mux.HandleFunc("POST /workspaces/{slug}/campaigns/{id}/delete", h.member(h.deleteCampaign))
	h.influencerRoutes(mux)
	mux.HandleFunc("GET /workspaces/{slug}/bio", h.member(h.bioEditor))
	mux.HandleFunc("POST /workspaces/{slug}/bio", h.member(h.saveBio))
	mux.HandleFunc("GET /bio/{slug}", h.bioPage)
	mux.HandleFunc("GET /workspaces/{slug}/contests", h.member(h.contests))
	mux.HandleFunc("POST /workspaces/{slug}/contests", h.member(h.createContest))
	mux.HandleFunc("GET /workspaces/{slug}/contests/{id}", h.member(h.contestAdmin))
	mux.HandleFunc("POST /workspaces/{slug}/contests/{id}/entries/{eid}/moderate", h.member(h.contestAction(h.contestModerate, "contest.flash_moderated")))
	mux.HandleFunc("POST /workspaces/{slug}/contests/{id}/votes/{vid}/void", h.member(h.contestAction(h.contestVoid, "contest.flash_voided")))
	mux.HandleFunc("POST /workspaces/{slug}/contests/{id}/commit", h.member(h.contestAction(h.contestCommit, "contest.flash_committed")))
	mux.HandleFunc("POST /workspaces/{slug}/contests/{id}/draw", h.member(h.contestAction(h.contestDraw, "contest.flash_drawn")))
	mux.HandleFunc("POST /workspaces/{slug}/contests/{id}/candidates", h.member(h.contestAction(h.contestCandidate, "contest.flash_candidate")))
	mux.HandleFunc("POST /workspaces/{slug}/contests/{id}/comments", h.member(h.contestAction(h.contestImportComments, "contest.flash_comments")))
	mux.HandleFunc("POST /workspaces/{slug}/contests/{id}/branding", h.member(h.contestAction(h.contestBranding, "contest.flash_branding")))
	mux.HandleFunc("POST /workspaces/{slug}/contests/{id}/jury", h.member(h.contestAction(h.contestSetJury, "contest.flash_jury")))
	mux.HandleFunc("POST /workspaces/{slug}/contests/{id}/jury/scores", h.member(h.contestJuryScore))
	mux.HandleFunc("GET /c/{cslug}/brand.css", h.contestBrandCSS)
	mux.HandleFunc("POST /c/{cslug}/quiz", h.contestQuiz)
	mux.HandleFunc("POST /c/{cslug}/e/{id}/vote/mastodon", h.contestSocialVote)
	mux.HandleFunc("GET "+contest.SocialCallbackPath, h.contestSocialCallback)
	mux.HandleFunc("GET /c/{cslug}", h.contestHome)
	mux.HandleFunc("GET /c/{cslug}/widget", h.contestWidget)
	mux.HandleFunc("GET /c/{cslug}/rules", h.contestRules)
	mux.HandleFunc("GET /c/{cslug}/results", h.contestResults)
	mux.HandleFunc("GET /c/{cslug}/enter", h.contestEnterForm)
	mux.HandleFunc("POST /c/{cslug}/enter", h.contestEnter)
	mux.HandleFunc("GET /c/{cslug}/e/{id}", h.contestEntry)
	mux.HandleFunc("POST /c/{cslug}/e/{id}/vote", h.contestVote)
	mux.HandleFunc("GET /c/{cslug}/confirm", h.contestConfirmForm)
	mux.HandleFunc("POST /c/{cslug}/confirm", h.contestConfirm)
	mux.HandleFunc("GET /bio/{slug}/style.css", h.bioStyle)

	mux.HandleFunc("GET /workspaces/{slug}/notifications", h.member(h.notifications))
	if h.d.Inbox != nil {
		mux.HandleFunc("GET /workspaces/{slug}/inbox", h.member(h.showInbox))
		mux.HandleFunc("GET /workspaces/{slug}/inbox/{id}", h.member(h.showInboxMessage))
		mux.HandleFunc("POST /workspaces/{slug}/inbox/{id}/reply", h.member(h.replyInbox))
		mux.HandleFunc("POST /workspaces/{slug}/inbox/{id}/change", h.member(h.changeInbox))
		mux.HandleFunc("POST /workspaces/{slug}/inbox/{id}/notes", h.member(h.noteInbox))
		mux.HandleFunc("POST /workspaces/{slug}/inbox/{id}/hide", h.member(h.hideInbox))
		mux.HandleFunc("POST /workspaces/{slug}/inbox/bulk", h.member(h.bulkInbox))
		mux.HandleFunc("POST /workspaces/{slug}/inbox/views", h.member(h.saveInboxView))
		mux.HandleFunc("POST /workspaces/{slug}/inbox/sync", h.member(h.syncInbox))
	}
	mux.HandleFunc("POST /workspaces/{slug}/notifications/{id}/read", h.member(h.markNotificationRead))

	h.composeRoutes(mux)
	h.inboxRoutes(mux)
}

// composeRoutes registers the composer, calendar, post, media and
// publishing pages (when their services are wired).
func (h *handler) composeRoutes(mux *http.ServeMux) {
	if h.d.Compose != nil {
		mux.HandleFunc("GET /posts/{id}", h.user(h.postPermalink))
		mux.HandleFunc("GET /workspaces/{slug}/posts/new", h.member(h.newPost))
		mux.HandleFunc("POST /workspaces/{slug}/posts", h.member(h.savePost))
		mux.HandleFunc("POST /workspaces/{slug}/posts/validate", h.member(h.validatePost))
		mux.HandleFunc("POST /workspaces/{slug}/posts/split", h.member(h.splitThread))
		mux.HandleFunc("GET /workspaces/{slug}/posts/{id}", h.member(h.showPost))
		mux.HandleFunc("GET /workspaces/{slug}/posts/{id}/edit", h.member(h.editPost))
		mux.HandleFunc("POST /workspaces/{slug}/posts/{id}", h.member(h.savePost))
		mux.HandleFunc("POST /workspaces/{slug}/posts/{id}/submit", h.member(h.submitPost))
		mux.HandleFunc("POST /workspaces/{slug}/posts/{id}/approve", h.member(h.approvePost))
		mux.HandleFunc("POST /workspaces/{slug}/posts/{id}/reject", h.member(h.rejectPost))
		mux.HandleFunc("POST /workspaces/{slug}/posts/{id}/reopen", h.member(h.reopenPost))
		mux.HandleFunc("POST /workspaces/{slug}/posts/{id}/reschedule", h.member(h.reschedulePost))
		mux.HandleFunc("POST /workspaces/{slug}/posts/{id}/queue", h.member(h.queuePost))
		mux.HandleFunc("POST /workspaces/{slug}/posts/{id}/now", h.member(h.publishPostNow))
		mux.HandleFunc("POST /workspaces/{slug}/posts/{id}/cancel", h.member(h.cancelPost))
		mux.HandleFunc("POST /workspaces/{slug}/posts/{id}/retry/{pub}", h.member(h.retryPublication))
		mux.HandleFunc("POST /workspaces/{slug}/posts/{id}/published/{pub}", h.member(h.markPublished))
		mux.HandleFunc("POST /workspaces/{slug}/posts/{id}/comments", h.member(h.commentPost))
		mux.HandleFunc("POST /workspaces/{slug}/posts/{id}/delete", h.member(h.deletePost))
		mux.HandleFunc("GET /workspaces/{slug}/calendar", h.member(h.calendar))
		mux.HandleFunc("GET /workspaces/{slug}/problems", h.member(h.problems))
		mux.HandleFunc("GET /workspaces/{slug}/approvals", h.member(h.approvals))
		mux.HandleFunc("GET /workspaces/{slug}/publishing", h.member(h.publishing))
		mux.HandleFunc("POST /workspaces/{slug}/channels/{id}/slots", h.member(h.saveSlots))
		mux.HandleFunc("POST /workspaces/{slug}/channels/{id}/slots/grid", h.member(h.saveSlotGrid))
		mux.HandleFunc("POST /workspaces/{slug}/channels/{id}/slots/suggested", h.member(h.addSuggestedSlots))
		mux.HandleFunc("POST /workspaces/{slug}/ical/rotate", h.member(h.rotateFeed))
		mux.HandleFunc("POST /workspaces/{slug}/ical/disable", h.member(h.disableFeed))
		mux.HandleFunc("GET /workspaces/{slug}/import", h.member(h.showImport))
		mux.HandleFunc("POST /workspaces/{slug}/import", h.member(h.importPosts))
		mux.HandleFunc("GET /workspaces/{slug}/import/sample.csv", h.member(h.importSample))
		mux.HandleFunc("GET /workspaces/{slug}/export/{format}", h.member(h.exportPosts))
		mux.HandleFunc("GET /workspaces/{slug}/snippets", h.member(h.snippets))
		mux.HandleFunc("POST /workspaces/{slug}/snippets", h.member(h.createSnippet))
		mux.HandleFunc("POST /workspaces/{slug}/snippets/{id}/delete", h.member(h.deleteSnippet))
	}
	if h.d.Media != nil {
		mux.HandleFunc("GET /workspaces/{slug}/media", h.member(h.mediaLibrary))
		mux.HandleFunc("POST /workspaces/{slug}/media", h.member(h.uploadMedia))
		mux.HandleFunc("GET /workspaces/{slug}/media/{id}/file", h.member(h.mediaFile))
		mux.HandleFunc("POST /workspaces/{slug}/media/{id}/alt", h.member(h.setMediaAlt))
		mux.HandleFunc("POST /workspaces/{slug}/media/{id}/delete", h.member(h.deleteMedia))
	}
}

// inboxRoutes registers the inbox's settings pages: moderation rules, their
// dry run, saved replies, the inbox settings and the crisis view.
func (h *handler) inboxRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /workspaces/{slug}/inbox/rules", h.member(h.inboxRules))
	mux.HandleFunc("POST /workspaces/{slug}/inbox/rules", h.member(h.saveInboxRule))
	mux.HandleFunc("GET /workspaces/{slug}/inbox/rules/new", h.member(h.newInboxRule))
	mux.HandleFunc("GET /workspaces/{slug}/inbox/rules/dry-run", h.member(h.dryRunInboxRules))
	mux.HandleFunc("GET /workspaces/{slug}/inbox/rules/{id}", h.member(h.editInboxRule))
	mux.HandleFunc("POST /workspaces/{slug}/inbox/rules/{id}/save", h.member(h.saveInboxRule))
	mux.HandleFunc("POST /workspaces/{slug}/inbox/rules/{id}/remove", h.member(h.removeInboxRule))
	mux.HandleFunc("POST /workspaces/{slug}/inbox/rules/{id}/move", h.member(h.moveInboxRule))
	mux.HandleFunc("GET /workspaces/{slug}/inbox/saved-replies", h.member(h.savedReplies))
	mux.HandleFunc("POST /workspaces/{slug}/inbox/saved-replies", h.member(h.createSavedReply))
	mux.HandleFunc("POST /workspaces/{slug}/inbox/saved-replies/{id}/remove", h.member(h.removeSavedReply))
	mux.HandleFunc("GET /workspaces/{slug}/inbox/settings", h.member(h.inboxSettings))
	mux.HandleFunc("POST /workspaces/{slug}/inbox/settings", h.member(h.saveInboxSettings))
	mux.HandleFunc("GET /workspaces/{slug}/inbox/crisis", h.member(h.crisisView))
	mux.HandleFunc("GET /workspaces/{slug}/inbox/response-times", h.member(h.responseTimes))
	mux.HandleFunc("GET /workspaces/{slug}/inbox/response-times.csv", h.member(h.responseTimesCSV))
	mux.HandleFunc("GET /workspaces/{slug}/inbox/criticism", h.member(h.criticismReport))
}
