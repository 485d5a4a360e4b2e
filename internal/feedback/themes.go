// Package feedback owns feedback themes: what customers talk about in a
// comment (delivery, refunds and returns, quality, size and fit, price,
// service, stock, website, store, ethics, payment), so a product or service
// team can act on what is said ("societing"). Themes are found with
// per-language cue words in English, French and German: whole words, word
// beginnings ("rembours*" for remboursement, remboursée…) and, for German
// compounds, word parts ("~versand" in Expressversand). A small learned layer
// (learned.go, internal/textmodel) reads the cues' themes with the text's own
// features and has the last word. The classifier is deterministic,
// allocation-light and safe for concurrent use.
package feedback

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/relais/relais/internal/sentiment"
)

// Theme is one fixed feedback theme key.
type Theme string

// The theme keys, in the order they are reported.
const (
	Delivery     Theme = "delivery"
	RefundReturn Theme = "refund_return"
	Quality      Theme = "quality"
	SizeFit      Theme = "size_fit"
	Price        Theme = "price"
	Service      Theme = "service"
	Stock        Theme = "stock"
	Website      Theme = "website"
	Store        Theme = "store"
	Ethics       Theme = "ethics"
	Payment      Theme = "payment"
)

// All lists every theme in report order.
var All = []Theme{Delivery, RefundReturn, Quality, SizeFit, Price, Service, Stock, Website, Store, Ethics, Payment}

// TextThemes is the themes of one text and the language they were read in.
// (Not "Result": the API's document already has sentiment's Result.)
type TextThemes struct {
	Themes []Theme `json:"themes" doc:"Theme keys in a fixed order: delivery, refund_return, quality, size_fit, price, service, stock, website, store, ethics, payment"`
	Lang   string  `json:"lang" doc:"en, fr, de or other"`
}

// Analyze finds the themes of text. langHint is a language tag ("fr",
// "de-AT") or "" / "auto" to detect the language; texts in other languages
// are read with the English cues and reported with Lang "other".
func Analyze(text, langHint string) TextThemes {
	lang := sentiment.DetectLanguage(text, langHint)
	return TextThemes{Themes: Themes(text, lang), Lang: lang}
}

// Themes returns the themes of text read with the cues of lang ("en", "fr",
// "de"; anything else reads English), in report order, never nil.
func Themes(text, lang string) []Theme { return ThemesModel(embedded(), text, lang) }

// ruleThemes is the cue tables' verdict.
func ruleThemes(text, lang string) themeSet {
	t := tables[lang]
	if t == nil {
		t = tables["en"]
	}
	var hit themeSet
	var weak [8]weakCue
	nweak := 0
	var prev, prev2 string
	years, still := false, false
	words := 0
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !isWordRune(r) {
			if c, ok := t.weakCue(string(r)); ok && nweak < len(weak) {
				weak[nweak] = c
				nweak++
			}
			i += size
			continue
		}
		j := i + size
		for j < len(text) {
			r2, s2 := utf8.DecodeRuneInString(text[j:])
			if !isWordRune(r2) && !(isApostrophe(r2) && j+s2 < len(text) && startsWord(text[j+s2:])) {
				break
			}
			j += s2
		}
		w := lower(text[i:j])
		i = j
		words++
		if lang == "fr" {
			if a := strings.IndexAny(w, "'’"); a > 0 && a <= 5 {
				w = w[a+1:] // l'appli → appli, d'attente → attente
				if w == "" {
					continue
				}
			}
		}
		if prev != "" {
			hit |= t.pair(prev, w)
		}
		if bodyHeight(w) {
			hit |= 1 << themeIndex(SizeFit) // "1m85", "6ft", "170cm": the wearer's height is a fit matter
		}
		switch {
		case yearWords[w]:
			years = true
		case stillWords[w]:
			still = true
		}
		if sizeChoice(prev2, prev, w) {
			hit |= 1 << themeIndex(SizeFit) // "12 or 14", "40 ou 42", "40 oder 42": which size to take
		}
		hit |= t.word(w)
		c, ok := t.weakCue(w)
		if !ok {
			c, ok = t.weakHead(w)
		}
		if ok && nweak < len(weak) {
			weak[nweak] = c
			nweak++
		}
		prev2, prev = prev, w
	}
	if years && still {
		hit |= 1 << themeIndex(Quality) // "bought it 4 years ago and still wear it": durability
	}
	strong := hit
	for _, c := range weak[:nweak] {
		if strong&c.blockedBy&^c.set == 0 {
			hit |= c.set
		}
	}
	return hit
}

// list is the themes of a set in report order, never nil.
func (s themeSet) list() []Theme {
	out := make([]Theme, 0, 3)
	for k, th := range All {
		if s&(1<<k) != 0 {
			out = append(out, th)
		}
	}
	return out
}

// themeSet is a bit set over All.
type themeSet uint16

func themeIndex(t Theme) int {
	for i, x := range All {
		if x == t {
			return i
		}
	}
	panic("feedback: unknown theme " + string(t))
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || unicode.Is(unicode.Mn, r)
}

func isApostrophe(r rune) bool { return r == '\'' || r == '’' }

func startsWord(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsLetter(r)
}

// lower lower-cases ASCII without allocating when the word is already lower case.
func lower(w string) string {
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c >= 0x80 || ('A' <= c && c <= 'Z') {
			return strings.ToLower(w)
		}
	}
	return w
}

// sizeChoice reports two clothing sizes offered as a choice: "12 or 14", "40 ou 42", "40 oder 42".
func sizeChoice(a, or, b string) bool {
	if or != "or" && or != "ou" && or != "oder" {
		return false
	}
	x, y := sizeNumber(a), sizeNumber(b)
	return x > 0 && y > 0 && y-x >= 1 && y-x <= 4
}

// sizeNumber reads a clothing size of two digits at most (0 when w is none).
func sizeNumber(w string) int {
	if len(w) == 0 || len(w) > 2 {
		return 0
	}
	n := 0
	for i := 0; i < len(w); i++ {
		if w[i] < '0' || w[i] > '9' {
			return 0
		}
		n = n*10 + int(w[i]-'0')
	}
	return n
}

var (
	yearWords  = map[string]bool{"years": true, "year": true, "ans": true, "années": true, "jahre": true, "jahren": true, "winters": true, "hivers": true}
	stillWords = map[string]bool{"still": true, "encore": true, "toujours": true, "noch": true}
)

// bodyHeight reports a wearer's height: "1m85", "6ft", "170cm".
func bodyHeight(w string) bool {
	i := 0
	for i < len(w) && w[i] >= '0' && w[i] <= '9' {
		i++
	}
	if i == 0 || i == len(w) {
		return false
	}
	switch rest := w[i:]; {
	case rest == "ft" || rest == "cm" && i == 3:
		return true
	case rest[0] == 'm' && len(rest) == 3 && i == 1:
		return rest[1] >= '0' && rest[1] <= '9' && rest[2] >= '0' && rest[2] <= '9'
	}
	return false
}
