package web

import (
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/relais/relais/internal/coach"
	"github.com/relais/relais/internal/crisis"
	"github.com/relais/relais/internal/moderation"
	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/store"
	"github.com/stretchr/testify/require"
)

func TestCatalogsHaveTheSameKeys(t *testing.T) {
	t.Parallel()
	cats, err := loadCatalogs()
	require.NoError(t, err)
	keys := func(c catalog) []string {
		var out []string
		for k := range c {
			out = append(out, k)
		}
		sort.Strings(out)
		return out
	}
	for _, lang := range languages[1:] {
		require.Equal(t, keys(cats["en"]), keys(cats[lang]), lang)
		for k, v := range cats[lang] {
			require.NotEmpty(t, v, lang+" "+k)
			require.Equal(t, strings.Count(cats["en"][k], "%"), strings.Count(v, "%"), "placeholders of %s in %s", k, lang)
		}
	}
}

var (
	templateKey = regexp.MustCompile(`\b[TN] "([^"]+)"`)
	goKey       = regexp.MustCompile(`"([a-z]+\.[a-z0-9_]+)"`)
)

// TestEveryKeyUsedIsInTheCatalog reads the templates and the Go files for
// message keys, and adds the keys built at run time (roles, months).
func TestEveryKeyUsedIsInTheCatalog(t *testing.T) {
	t.Parallel()
	cats, err := loadCatalogs()
	require.NoError(t, err)
	used := map[string]bool{}
	require.NoError(t, fs.WalkDir(templateFS, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := templateFS.ReadFile(p)
		for _, m := range templateKey.FindAllStringSubmatch(string(b), -1) {
			used[m[1]] = true
		}
		return err
	}))
	prefixes := map[string]bool{}
	for k := range cats["en"] {
		prefixes[strings.SplitN(k, ".", 2)[0]] = true
	}
	goFiles, err := filepath.Glob("*.go")
	require.NoError(t, err)
	for _, f := range goFiles {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		for _, m := range goKey.FindAllStringSubmatch(string(b), -1) {
			// A quoted "prefix.key" in Go code is a message key when the
			// catalog has that prefix (one file per prefix).
			// (A prefix ending in "_" builds keys at run time.)
			if prefixes[strings.SplitN(m[1], ".", 2)[0]] && !strings.HasSuffix(m[1], "_") {
				used[m[1]] = true
			}
		}
	}
	for _, r := range store.Roles {
		used["role."+string(r)] = true
	}
	for m := 1; m <= 12; m++ {
		used["month."+strconv.Itoa(m)] = true
		used["monthlong."+strconv.Itoa(m)] = true
	}
	for d := 1; d <= 7; d++ {
		used["weekday."+strconv.Itoa(d)] = true
	}
	for _, s := range allStates {
		used["state."+string(s)] = true
	}
	for _, s := range []store.PublicationState{store.PubScheduled, store.PubStaged, store.PubPublishing, store.PubPublished, store.PubFailed, store.PubNeedsReview, store.PubCancelled} {
		used["pubstate."+string(s)] = true
	}
	for _, d := range []store.ApprovalDecision{store.ApprovalApproved, store.ApprovalRejected} {
		used["decision."+string(d)] = true
	}
	for _, a := range []string{"created", "edited", "submit", "approve", "reject", "schedule", "scheduled", "cancel", "cancelled", "reopen", "retried", "submitted", "marked_published"} {
		used["history."+a] = true
	}
	for _, r := range []string{coach.RuleEnthusiasm, coach.RuleEasyToShare, coach.RuleReward, coach.RuleShareActively, coach.RuleInviteSharing} {
		used["coach."+r] = true
	}
	for _, k := range []string{"post_review", "post_approved", "post_rejected", "post_comment", "publish_failed", "publish_needs_review", "channel_needs_reconnect", store.HookAlertCrisis, "inbox_rule", "inbox_sla"} {
		used["notifications.kind."+k] = true
		used["notifications.msg."+k] = true
	}
	for _, k := range append(moderation.ActionKinds, moderation.ActFlagReview) {
		used["inboxrules.kind_"+k] = true
	}
	for _, k := range []string{"en", "fr", "de", "other"} {
		used["inboxrules.lang_"+k] = true
	}
	for _, p := range moderation.Priorities {
		used["inboxrules.act_priority_"+p] = true
	}
	for _, m := range []crisis.Model{crisis.Poisson, crisis.NegBinom} {
		used["inboxrules.crisis_model_"+string(m)] = true
	}
	for _, o := range []string{"published", "failed", "retry", "needs_review", "interrupted"} {
		used["post.outcome_"+o] = true
	}
	for _, c := range []network.Class{network.Retryable, network.AuthRefresh, network.AuthReconnect, network.InvalidContent, network.Permanent, network.Unknown} {
		used["post.class_"+string(c)] = true
	}
	require.Greater(t, len(used), 150)
	for k := range used {
		for _, lang := range languages {
			_, ok := cats[lang][k]
			// A counted message has its plural forms instead (see catalog.N).
			_, one := cats[lang][k+".one"]
			_, other := cats[lang][k+".other"]
			require.True(t, ok || one && other, "key %q missing from i18n/%s/%s.json", k, lang, strings.SplitN(k, ".", 2)[0])
		}
	}
}

func TestDatesPerLanguage(t *testing.T) {
	t.Parallel()
	cats, err := loadCatalogs()
	require.NoError(t, err)
	at := time.Date(2026, time.March, 7, 14, 5, 0, 0, time.UTC)
	paris, err := time.LoadLocation("Europe/Paris")
	require.NoError(t, err)
	for lang, want := range map[string]string{"en": "Mar 7, 2026, 3:05 PM", "fr": "7 mars 2026, 15:05", "de": "7. März 2026, 15:05"} {
		require.Equal(t, want, cats[lang].formatDate(lang, at, paris), lang)
	}
}

func TestPickLanguage(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ saved, header, want string }{
		{"", "fr-CA,fr;q=0.9", "fr"},
		{"", "de-AT", "de"},
		{"", "ja,es;q=0.8", "en"},
		{"", "", "en"},
		{"de", "fr", "de"},
		{"xx", "fr", "fr"},
	} {
		r, _ := http.NewRequest(http.MethodGet, "/", nil)
		r.Header.Set("Accept-Language", tc.header)
		require.Equal(t, tc.want, pickLanguage(tc.saved, r), tc)
	}
}

// TestPluralForms: counted messages follow each language's CLDR rule (French
// uses the singular for 0 and 1), and every counted key has both forms.
func TestPluralForms(t *testing.T) {
	t.Parallel()
	cats, err := loadCatalogs()
	require.NoError(t, err)
	for _, tc := range []struct {
		lang string
		n    int
		want string
	}{
		{"fr", 0, "0 bloquée ou en échec"}, {"fr", 1, "1 bloquée ou en échec"}, {"fr", 2, "2 bloquées ou en échec"},
		{"en", 0, "0 stuck or failed"}, {"en", 1, "1 stuck or failed"}, {"de", 1, "1 hängend oder fehlgeschlagen"},
	} {
		require.Equal(t, tc.want, cats[tc.lang].N(tc.lang, "nav.problems", tc.n), "%s %d", tc.lang, tc.n)
	}
	for _, tc := range []struct {
		lang string
		n    int
		want string
	}{
		{"fr", 0, "0 tentative"}, {"fr", 1, "1 tentative"}, {"fr", 3, "3 tentatives"},
		{"en", 0, "0 attempts"}, {"en", 1, "1 attempt"}, {"de", 1, "1 Versuch"}, {"de", 0, "0 Versuche"},
	} {
		require.Equal(t, tc.want, cats[tc.lang].N(tc.lang, "problems.attempts", tc.n), "%s %d", tc.lang, tc.n)
	}
	for _, lang := range languages {
		for k := range cats[lang] {
			if base, ok := strings.CutSuffix(k, ".one"); ok {
				require.Contains(t, cats[lang], base+".other", lang)
			}
			if base, ok := strings.CutSuffix(k, ".other"); ok {
				require.Contains(t, cats[lang], base+".one", lang)
			}
		}
	}
}

// TestNoticesAndHistoryDetails: notifications and history entries are told
// in the reader's language from the values the core stored.
func TestNoticesAndHistoryDetails(t *testing.T) {
	t.Parallel()
	cats, err := loadCatalogs()
	require.NoError(t, err)
	paris, err := time.LoadLocation("Europe/Paris")
	require.NoError(t, err)
	for _, tc := range []struct {
		lang, kind, message string
		args                []string
		want                string
	}{
		{"fr", "post_review", "Inès submitted post 7 for review", []string{"Inès", "7"}, "Inès a soumis la publication 7 pour validation"},
		{"de", "post_rejected", "Inès rejected post 7: too long", []string{"Inès", "7", "too long"}, "Inès hat Beitrag 7 zurückgewiesen: too long"},
		{"fr", "post_approved", "Inès approved post 7", []string{"Inès", "7", ""}, "Inès a approuvé la publication 7"},
		{"fr", "post_comment", "Inès commented on post 7: Bravo", []string{"Inès", "7", "Bravo"}, "Inès a commenté la publication 7 : Bravo"},
		{"de", "publish_failed", "Publishing failed: text too long", []string{"text too long"}, "Veröffentlichung fehlgeschlagen: text too long"},
		{"fr", "post_review", "stored before translations", nil, "stored before translations"},
		{"fr", "some_new_kind", "A message", []string{"x"}, "A message"},
	} {
		require.Equal(t, tc.want, cats[tc.lang].notice(tc.kind, tc.message, tc.args), tc.kind)
	}
	for _, tc := range []struct{ lang, detail, want string }{
		{"fr", "now", "maintenant"},
		{"de", "imported", "importiert"},
		{"fr", "2026-03-01T09:30:00Z (Europe/Paris)", "1 mars 2026, 10:30 (Europe/Paris)"},
		{"de", "publication 12 https://x.example/p", "Veröffentlichung 12 https://x.example/p"},
		{"fr", "text, time zone, channel 3, added channel 4, removed channel 5", "texte, fuseau horaire, canal 3, canal 4 ajouté, canal 5 retiré"},
		{"en", "text, labels", "text, labels"},
	} {
		require.Equal(t, tc.want, cats[tc.lang].historyDetail(tc.lang, paris, tc.detail), tc.detail)
	}
}

// TestPublicationMessages: the engine's sentences about a publication are
// told in the reader's language, the network's own words inside kept.
func TestPublicationMessages(t *testing.T) {
	t.Parallel()
	cats, err := loadCatalogs()
	require.NoError(t, err)
	for _, tc := range []struct{ lang, msg, want string }{
		{"fr", "gave up after 5 attempts: Service Unavailable", "abandon après 5 tentatives : Service Unavailable"},
		{"fr", "gave up after 1 attempts: Bad Gateway", "abandon après 1 tentative : Bad Gateway"},
		{"de", "channel needs reconnect: token revoked", "Kanal muss neu verbunden werden: token revoked"},
		{"de", "could not open the channel: the stored key is malformed", "Kanal konnte nicht geöffnet werden: the stored key is malformed"},
		{"fr", "the channel was removed", "le canal a été supprimé"},
		{"fr", "The call to Mastodon ended without an answer (read timeout); Mastodon may or may not have published it. Check the channel, then mark it published or retry.",
			"L'appel à Mastodon s'est terminé sans réponse (read timeout) ; la publication est peut-être en ligne, ou non. Vérifiez le canal, puis marquez-la publiée ou réessayez."},
		{"de", "The instance publishing this stopped during the call to Telegram, so it may or may not be out. Check the channel, then mark it published or retry.",
			"Die veröffentlichende Instanz hat während des Aufrufs an Telegram angehalten; der Beitrag ist vielleicht online, vielleicht nicht. Prüfen Sie den Kanal, dann markieren Sie ihn als veröffentlicht oder versuchen Sie es erneut."},
		{"fr", "Validation failed: text too long", "Validation failed: text too long"},
		{"en", "gave up after 5 attempts: Service Unavailable", "gave up after 5 attempts: Service Unavailable"},
	} {
		require.Equal(t, tc.want, cats[tc.lang].publicationMessage(tc.lang, tc.msg), tc.msg)
	}
}
