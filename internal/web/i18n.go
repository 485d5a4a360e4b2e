package web

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"path"
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
