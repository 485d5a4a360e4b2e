package coach

import (
	"strings"
	"unicode"
)

// readabilityResult is a draft's readability under its language's formula.
type readabilityResult struct {
	formula    string
	score      float64
	pass       float64
	asl, asw   float64 // average sentence length in words, syllables per word
	words, lix float64
}

// readability applies Flesch Reading Ease (English), Amstad (German) or
// Kandel–Moles (French); other languages get Flesch as the closest general
// formula. Syllables come from a per-language vowel-group heuristic, which is
// accurate enough to tell a simple post from a dense one.
func readability(text, lang string) readabilityResult {
	sentences, words, syllables, long := 0, 0, 0, 0
	inSentence := false
	for _, f := range strings.Fields(text) {
		if strings.HasPrefix(f, "http://") || strings.HasPrefix(f, "https://") || strings.HasPrefix(f, "#") ||
			strings.HasPrefix(f, "@") || strings.HasPrefix(f, "www.") {
			continue
		}
		w := strings.TrimFunc(f, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		if w != "" && strings.IndexFunc(w, unicode.IsLetter) >= 0 {
			words++
			syllables += countSyllables(strings.ToLower(w), lang)
			if len([]rune(w)) > 6 {
				long++
			}
			inSentence = true
		}
		if strings.ContainsAny(f, ".!?…") && inSentence {
			sentences++
			inSentence = false
		}
	}
	if inSentence {
		sentences++
	}
	r := readabilityResult{pass: 60, words: float64(words)}
	if words == 0 {
		return r
	}
	// Line breaks end sentences too in social posts (lists, one idea per line).
	if lines := strings.Count(strings.TrimSpace(text), "\n") + 1; lines > sentences {
		sentences = lines
	}
	r.asl = float64(words) / float64(sentences)
	r.asw = float64(syllables) / float64(words)
	r.lix = r.asl + 100*float64(long)/float64(words)
	switch lang {
	case "de":
		r.formula, r.score = "Amstad", 180-r.asl-58.5*r.asw
	case "fr":
		r.formula, r.score = "Kandel–Moles", 207-1.015*r.asl-73.6*r.asw
	default:
		r.formula, r.score = "Flesch", 206.835-1.015*r.asl-84.6*r.asw
	}
	return r
}

// vowels per language for syllable counting.
var vowels = map[string]string{
	"en": "aeiouy",
	"fr": "aeiouyàâéèêëîïôûùüÿœæ",
	"de": "aeiouyäöü",
}

// countSyllables counts vowel groups, with the silent final "e" of English and
// French ("make", "robe", "robes") removed when the word has other vowels.
func countSyllables(w, lang string) int {
	vs, ok := vowels[lang]
	if !ok {
		vs = vowels["en"]
	}
	n := 0
	prev := false
	for _, r := range w {
		v := strings.ContainsRune(vs, r)
		if v && !prev {
			n++
		}
		prev = v
	}
	if n > 1 {
		switch lang {
		case "fr":
			if strings.HasSuffix(w, "e") || strings.HasSuffix(w, "es") || strings.HasSuffix(w, "ent") && len(w) > 4 {
				n--
			}
		case "de":
		default:
			if strings.HasSuffix(w, "e") && !strings.HasSuffix(w, "le") && !strings.HasSuffix(w, "ee") {
				n--
			}
		}
	}
	return max(1, n)
}
