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
	templateKey = regexp.MustCompile(`\bT "([^"]+)"`)
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
			if prefixes[strings.SplitN(m[1], ".", 2)[0]] {
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
	require.Greater(t, len(used), 150)
	for k := range used {
		for _, lang := range languages {
			_, ok := cats[lang][k]
			require.True(t, ok, "key %q missing from i18n/%s/%s.json", k, lang, strings.SplitN(k, ".", 2)[0])
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
