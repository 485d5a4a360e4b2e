package sentiment

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

// The stemmers below are deliberately light: they only need to map the
// inflected forms of one lexicon lemma onto one key (gender, number, German
// adjective endings, common verb endings). They run on both the lexicon keys
// and the looked-up tokens, so a consistent key matters more than a linguistic
// root. An exact lexicon match always wins over a stem match.

// frFold removes French accents, because social comments often drop them ("decue").
var frFold = strings.NewReplacer(
	"é", "e", "è", "e", "ê", "e", "ë", "e", "à", "a", "â", "a", "ä", "a", "î", "i", "ï", "i",
	"ô", "o", "ö", "o", "ù", "u", "û", "u", "ü", "u", "ç", "c", "œ", "oe", "æ", "ae", "ÿ", "y",
)

// stemFrench maps French inflections onto one key: "déçue", "déçues", "decu" → "decu".
func stemFrench(w string) string {
	for i := 0; i < len(w); i++ {
		if w[i] >= 0x80 { // only words with accents pay for folding
			w = frFold.Replace(w)
			break
		}
	}
	n := len(w)
	if n <= 3 {
		return w
	}
	for _, suf := range frSuffixes {
		if len(w)-len(suf) >= 3 && strings.HasSuffix(w, suf) {
			switch suf {
			case "euses", "euse", "eux":
				w = w[:len(w)-len(suf)] + "eu"
			case "ives", "ive", "ifs", "if":
				w = w[:len(w)-len(suf)] + "if"
			case "ements", "ement":
				w = w[:len(w)-len(suf)] + "e"
				w = strings.TrimSuffix(w, "e")
			default:
				w = w[:len(w)-len(suf)]
			}
			break
		}
	}
	return undouble(w)
}

// stemGerman maps German adjective and noun endings onto one key:
// "schöne", "schönen", "schöner" → "schön"; "ß" is folded so "Scheisse" meets "Scheiße".
func stemGerman(w string) string {
	if strings.Contains(w, "ß") {
		w = strings.ReplaceAll(w, "ß", "ss")
	}
	for _, suf := range []string{"sten", "ster", "stes", "ste", "ern", "em", "en", "er", "es", "e", "n", "s"} {
		if len(w)-len(suf) >= 4 && strings.HasSuffix(w, suf) {
			w = w[:len(w)-len(suf)]
			break
		}
	}
	return undouble(w)
}

// undouble collapses a doubled final consonant ("null" → "nul", "bonn" → "bon", "toll" → "tol").
func undouble(w string) string {
	n := len(w)
	if n >= 4 && w[n-1] == w[n-2] && !strings.ContainsRune("aeiouy", rune(w[n-1])) && w[n-1] < 0x80 {
		return w[:n-1]
	}
	return w
}

// frFoldRunes is frFold as a rune table, for appendStemFrench.
var frFoldRunes = map[rune]string{
	'é': "e", 'è': "e", 'ê': "e", 'ë': "e", 'à': "a", 'â': "a", 'ä': "a", 'î': "i", 'ï': "i",
	'ô': "o", 'ö': "o", 'ù': "u", 'û': "u", 'ü': "u", 'ç': "c", 'œ': "oe", 'æ': "ae", 'ÿ': "y",
}

// frSuffixes are the endings stemFrench strips, longest first.
var frSuffixes = []string{"ements", "ement", "euses", "euse", "eux", "ives", "ive", "ifs", "if",
	"ees", "ee", "es", "ez", "ent", "er", "e", "s", "x"}

// appendStemFrench appends stemFrench(w) to dst without allocating when dst has room,
// for the complaint cues' per-token lookups (TestAppendStemFrench keeps the two equal).
func appendStemFrench(dst []byte, w string) []byte {
	start := len(dst)
	for _, r := range w {
		if f, ok := frFoldRunes[r]; ok {
			dst = append(dst, f...)
		} else {
			dst = utf8.AppendRune(dst, r)
		}
	}
	b := dst[start:]
	if len(b) <= 3 {
		return dst
	}
	for _, suf := range frSuffixes {
		if len(b)-len(suf) >= 3 && bytes.HasSuffix(b, []byte(suf)) {
			b = b[:len(b)-len(suf)]
			switch suf {
			case "euses", "euse", "eux":
				b = append(b, "eu"...)
			case "ives", "ive", "ifs", "if":
				b = append(b, "if"...)
			case "ements", "ement":
				// stemFrench appends "e" and trims it again: nothing to add.
			}
			break
		}
	}
	if n := len(b); n >= 4 && b[n-1] == b[n-2] && !strings.ContainsRune("aeiouy", rune(b[n-1])) && b[n-1] < 0x80 {
		b = b[:n-1]
	}
	return dst[:start+len(b)]
}
