package web

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/language"
)

//go:embed i18n
var catalogFS embed.FS

// languages are the UI languages, the first being the fallback.
var languages = []string{"en", "fr", "de"}

// languageNames are shown in the language select, each in its own language.
var languageNames = map[string]string{"en": "English", "fr": "Français", "de": "Deutsch"}

var matcher = language.NewMatcher([]language.Tag{language.English, language.French, language.German})

// catalog maps a message key to its text in one language.
type catalog map[string]string

// loadCatalogs reads the embedded message catalogs: one folder per language
// (i18n/en, i18n/fr, i18n/de), one JSON object per key prefix in it
// (i18n/en/calendar.json holds every "calendar.*" key), so each part of the UI
// keeps its texts in its own file.
func loadCatalogs() (map[string]catalog, error) {
	out := map[string]catalog{}
	for _, lang := range languages {
		files, err := fs.Glob(catalogFS, "i18n/"+lang+"/*.json")
		if err != nil || len(files) == 0 {
			return nil, fmt.Errorf("web: catalog %s: no message files", lang)
		}
		c := catalog{}
		for _, f := range files {
			b, err := catalogFS.ReadFile(f)
			if err != nil {
				return nil, fmt.Errorf("web: catalog %s: %w", f, err)
			}
			part := map[string]string{}
			if err := json.Unmarshal(b, &part); err != nil {
				return nil, fmt.Errorf("web: catalog %s: %w", f, err)
			}
			prefix := strings.TrimSuffix(path.Base(f), ".json") + "."
			for k, v := range part {
				if !strings.HasPrefix(k, prefix) {
					return nil, fmt.Errorf("web: catalog %s: key %q belongs in %s.json", f, k, strings.SplitN(k, ".", 2)[0])
				}
				c[k] = v
			}
		}
		out[lang] = c
	}
	return out, nil
}

// T translates key, formatting args into it when given; a missing key shows as
// itself so it is noticed (a test makes sure none is missing).
func (c catalog) T(key string, args ...any) string {
	s, ok := c[key]
	if !ok {
		return key
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// TOr translates key, or returns fallback when the catalog lacks it (labels
// that come from network connectors).
func (c catalog) TOr(key, fallback string) string {
	if s, ok := c[key]; ok {
		return s
	}
	return fallback
}

// formatDate writes t the way the language writes dates, in loc.
func (c catalog) formatDate(lang string, t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	if loc != nil {
		t = t.In(loc)
	}
	month := c.T("month." + strconv.Itoa(int(t.Month())))
	switch lang {
	case "fr":
		return fmt.Sprintf("%d %s %d, %s", t.Day(), month, t.Year(), t.Format("15:04"))
	case "de":
		return fmt.Sprintf("%d. %s %d, %s", t.Day(), month, t.Year(), t.Format("15:04"))
	}
	return fmt.Sprintf("%s %d, %d, %s", month, t.Day(), t.Year(), t.Format("3:04 PM"))
}

// pickLanguage returns the user's saved language, else the best match for the
// browser's Accept-Language, else English.
func pickLanguage(saved string, r *http.Request) string {
	if _, ok := languageNames[saved]; ok {
		return saved
	}
	tags, _, err := language.ParseAcceptLanguage(r.Header.Get("Accept-Language"))
	if err != nil || len(tags) == 0 {
		return "en"
	}
	_, i, conf := matcher.Match(tags...)
	if conf == language.No {
		return "en"
	}
	return languages[i]
}

// pluralCategory is the CLDR plural category of n in lang, for the forms
// the UI languages have: French says "one" for 0 and 1 ("0 bloquée",
// "1 bloquée"), English and German for 1 alone.
func pluralCategory(lang string, n int) string {
	switch {
	case lang == "fr" && (n == 0 || n == 1):
		return "one"
	case lang != "fr" && n == 1:
		return "one"
	}
	return "other"
}

// N translates the form of key for the count n ("key.one" or "key.other",
// chosen by the language's plural rule), formatting n and then args into it.
func (c catalog) N(lang, key string, n int, args ...any) string {
	s, ok := c[key+"."+pluralCategory(lang, n)]
	if !ok {
		if s, ok = c[key+".other"]; !ok {
			return key
		}
	}
	return fmt.Sprintf(s, append([]any{n}, args...)...)
}

// notice tells a notification in the catalog's language: the translation of
// its kind's message filled with its values, the values beyond the message's
// placeholders (a note, a comment) after it; notifications stored without
// values, or of a kind the catalog does not know, keep their English text.
func (c catalog) notice(kind, message string, args []string) string {
	s, ok := c["notifications.msg."+kind]
	n := strings.Count(s, "%s")
	if !ok || len(args) < n || strings.Count(s, "%") != n {
		return message
	}
	vals := make([]any, n)
	for i := range n {
		vals[i] = args[i]
	}
	out := fmt.Sprintf(s, vals...)
	for _, extra := range args[n:] {
		if extra != "" {
			out = c.T("notifications.more", out, extra)
		}
	}
	return out
}

// historyDetail tells the detail of a post's history entry in the catalog's
// language: the core writes a small fixed vocabulary ("now", "imported", a
// planned time with its zone, "publication N [link]", the edited fields).
func (c catalog) historyDetail(lang string, loc *time.Location, detail string) string {
	switch detail {
	case "", "now", "imported", "edited after approval":
		if detail == "" {
			return ""
		}
		return c.T("history.detail_" + strings.ReplaceAll(detail, " ", "_"))
	}
	// A planned time ("2027-06-01T07:00:00Z (Europe/Paris)") shows in the
	// viewer's zone and language, naming that zone.
	at, zone, ok := strings.Cut(detail, " (")
	if !ok || strings.HasSuffix(zone, ")") {
		if t, err := time.Parse(time.RFC3339, at); err == nil {
			if loc == nil {
				loc = time.UTC
			}
			return c.formatDate(lang, t, loc) + " (" + loc.String() + ")"
		}
	}
	if rest, ok := strings.CutPrefix(detail, "publication "); ok {
		id, link, _ := strings.Cut(rest, " ")
		if _, err := strconv.ParseInt(id, 10, 64); err == nil {
			return strings.TrimSpace(c.T("history.detail_publication", id) + " " + link)
		}
	}
	fields := strings.Split(detail, ", ")
	for i, f := range fields {
		for _, prefix := range []string{"channel ", "added channel ", "removed channel "} {
			if id, ok := strings.CutPrefix(f, prefix); ok {
				if _, err := strconv.ParseInt(id, 10, 64); err == nil {
					f = c.T("history.field_"+strings.ReplaceAll(strings.TrimSpace(prefix), " ", "_"), id)
				}
			}
		}
		fields[i] = c.TOr("history.field_"+strings.ReplaceAll(f, " ", "_"), f)
	}
	return strings.Join(fields, ", ")
}

// publicationMessages are the publishing engine's own sentences (the
// network's words inside them stay as they are), each with the catalogue key
// that tells it in the reader's language; the key's placeholders take the
// expression's groups in order.
var publicationMessages = []struct {
	re  *regexp.Regexp
	key string
}{
	{regexp.MustCompile(`^gave up after (\d+) attempts: (.*)$`), "pubmsg.gave_up"},
	{regexp.MustCompile(`^could not open the channel: (.*)$`), "pubmsg.open_failed"},
	{regexp.MustCompile(`^channel needs reconnect: (.*)$`), "pubmsg.needs_reconnect"},
	{regexp.MustCompile(`^the channel was removed$`), "pubmsg.channel_removed"},
	{regexp.MustCompile(`^The call to (.+?) ended without an answer \((.*)\); .+ may or may not have published it\. Check the channel, then mark it published or retry\.$`), "pubmsg.no_answer"},
	{regexp.MustCompile(`^The instance publishing this stopped during the call to (.+), so it may or may not be out\. Check the channel, then mark it published or retry\.$`), "pubmsg.stopped"},
	{regexp.MustCompile(`^The instance publishing this stopped mid-call; retrying with the same idempotency key, so it cannot be posted twice\.$`), "pubmsg.stopped_retrying"},
}

// publicationMessage tells a publication's error or hold reason in the
// catalog's language when it is one of the engine's sentences; anything else
// (the network's own message) is shown as it is.
func (c catalog) publicationMessage(lang, msg string) string {
	for _, m := range publicationMessages {
		g := m.re.FindStringSubmatch(msg)
		if g == nil {
			continue
		}
		if m.key == "pubmsg.gave_up" {
			n, _ := strconv.Atoi(g[1])
			return c.N(lang, m.key, n, g[2])
		}
		args := make([]any, len(g)-1)
		for i, s := range g[1:] {
			args[i] = s
		}
		return c.T(m.key, args...)
	}
	return msg
}
