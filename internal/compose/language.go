package compose

import (
	"maps"
	"strings"

	"github.com/relais/relais/internal/valid"
)

// LanguageAuto asks for the language to be detected from the text when the
// post is published.
const LanguageAuto = "auto"

// OptionLanguage is the variant option that carries the language sent to
// the network (Mastodon "language", Bluesky "langs").
const OptionLanguage = "language"

// Languages are the codes the composer offers, with each language's own
// name; the API and the CLI take any ISO 639 code.
var Languages = []struct{ Code, Name string }{
	{"en", "English"}, {"fr", "Français"}, {"de", "Deutsch"}, {"es", "Español"}, {"it", "Italiano"},
	{"nl", "Nederlands"}, {"pt", "Português"}, {"pl", "Polski"}, {"sv", "Svenska"}, {"da", "Dansk"},
	{"ja", "日本語"}, {"zh", "中文"},
}

// LanguageName is a language's own name ("Français"), or its code when the
// composer does not offer it.
func LanguageName(code string) string {
	for _, l := range Languages {
		if l.Code == code {
			return l.Name
		}
	}
	return code
}

// CheckLanguage normalises a post's language: "" stays "", "auto" (any
// case) is LanguageAuto, otherwise an ISO 639 code of two or three letters,
// lower-cased.
func CheckLanguage(s string) (string, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" || s == LanguageAuto {
		return s, nil
	}
	if len(s) < 2 || len(s) > 3 || strings.Trim(s, "abcdefghijklmnopqrstuvwxyz") != "" {
		return "", valid.Errorf("language", "invalid", "language must be auto or a language code of 2 or 3 letters (like en, fr, de); it is %q", s)
	}
	return s, nil
}

// withLanguage returns a copy of opts with the language option set to lang,
// or removed for LanguageAuto.
func withLanguage(opts map[string]string, lang string) map[string]string {
	out := maps.Clone(opts)
	if out == nil {
		out = map[string]string{}
	}
	if lang == LanguageAuto {
		delete(out, OptionLanguage)
	} else {
		out[OptionLanguage] = lang
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// postLanguage is the language every variant shares, LanguageAuto when none
// sets one, and "" when they differ.
func postLanguage(vs []VariantView) string {
	lang := ""
	for i, v := range vs {
		l := v.Options[OptionLanguage]
		if l == "" {
			l = LanguageAuto
		}
		if i > 0 && l != lang {
			return ""
		}
		lang = l
	}
	return lang
}
