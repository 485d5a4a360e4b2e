package sentiment

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// tokenKind separates words from the symbols that carry sentiment on their own.
type tokenKind uint8

const (
	kindWord tokenKind = iota
	kindEmoji
	kindEmoticon
	kindMention
)

// token is one scoring unit; raw keeps the writer's casing because ALL-CAPS is a signal.
type token struct {
	raw       string
	low       string
	kind      tokenKind
	clauseEnd bool // punctuation follows, so post-verbal negation does not reach past it
	end       byte // strongest punctuation right after the token: '?', '!', '.', ',' or 0
	question  bool // the token sits in a sentence that ends with "?"
	asked     bool // the token sits in a yes/no question about the product (productQuestion)
	muted     bool // the complaint layer found the word's valence misleading here ("fits like", "sich gelöst")
	info      wordInfo
}

// has reports whether the token is a word with all of the given roles.
func (t *token) has(f wordFlags) bool { return t.kind == kindWord && t.info.flags&f == f }

// punctRank orders sentence punctuation so "?!" counts as a question.
func punctRank(b byte) int {
	switch b {
	case '?':
		return 4
	case '!':
		return 3
	case '.':
		return 2
	case ',', ';', ':':
		return 1
	}
	return 0
}

// markQuestions flags tokens in sentences ending with "?"; sentences end at '.', '!' or '?'.
func markQuestions(toks []token) {
	q := false
	for i := len(toks) - 1; i >= 0; i-- {
		switch toks[i].end {
		case '?':
			q = true
		case '.', '!':
			q = false
		}
		toks[i].question = q
	}
}

// tokenStats carries the text-level signals the engine needs besides the tokens.
type tokenStats struct {
	exclaims  int
	questions int
	capsWords int
	words     int
}

// frElisions are the French clitics written with an apostrophe ("n'aime", "l'ourlet");
// splitting them lets "n'" act as a negator and "ourlet" reach the lexicon.
var frElisions = map[string]bool{
	"l": true, "d": true, "j": true, "n": true, "c": true, "s": true, "m": true, "t": true,
	"qu": true, "jusqu": true, "lorsqu": true, "puisqu": true, "quoiqu": true,
}

// isEmojiRune reports whether r is a pictographic symbol scored as its own token.
func isEmojiRune(r rune) bool {
	switch {
	case r >= 0x1F300 && r <= 0x1FAFF:
		return !(r >= 0x1F3FB && r <= 0x1F3FF) // skin-tone modifiers carry no sentiment
	case r >= 0x1F000 && r <= 0x1F2FF:
		return !(r >= 0x1F1E6 && r <= 0x1F1FF) // regional indicators (flags) stay neutral
	case r >= 0x2600 && r <= 0x27BF, r >= 0x2B00 && r <= 0x2BFF, r >= 0x2300 && r <= 0x23FF:
		return true
	}
	return false
}

// isWordRune reports whether r can appear inside a word.
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// isApostrophe accepts the typewriter and typographic apostrophes people type on phones.
func isApostrophe(r rune) bool { return r == '\'' || r == '’' || r == 'ʼ' }

// tokenize splits text into words, emoji, emoticons and mentions, appending to dst
// so callers can reuse a buffer; lang only changes French elision handling.
func tokenize(dst []token, text string, lang string, emoticons map[string]float64) ([]token, tokenStats) {
	var st tokenStats
	i := 0
	for i < len(text) {
		// Skip whitespace between chunks.
		r, size := utf8.DecodeRuneInString(text[i:])
		if unicode.IsSpace(r) {
			i += size
			continue
		}
		j := i
		for j < len(text) {
			r2, s2 := utf8.DecodeRuneInString(text[j:])
			if unicode.IsSpace(r2) {
				break
			}
			j += s2
		}
		chunk := text[i:j]
		i = j
		st.exclaims += strings.Count(chunk, "!")
		st.questions += strings.Count(chunk, "?")
		if isLink(chunk) {
			continue
		}
		if _, ok := emoticons[chunk]; ok {
			dst = append(dst, token{raw: chunk, low: chunk, kind: kindEmoticon})
			continue
		}
		if trimmed := strings.TrimRight(chunk, ".,!?;"); trimmed != chunk {
			if _, ok := emoticons[trimmed]; ok && trimmed != "" {
				dst = append(dst, token{raw: trimmed, low: trimmed, kind: kindEmoticon, clauseEnd: true, end: chunk[len(chunk)-1]})
				continue
			}
		}
		dst = chunkTokens(dst, chunk, lang, &st)
	}
	markQuestions(dst)
	return dst, st
}

// isLink reports whether a chunk is a URL, which never carries sentiment.
func isLink(chunk string) bool {
	return strings.HasPrefix(chunk, "http://") || strings.HasPrefix(chunk, "https://") || strings.HasPrefix(chunk, "www.")
}

// chunkTokens splits one whitespace-free chunk into word, emoji and mention tokens.
func chunkTokens(dst []token, chunk string, lang string, st *tokenStats) []token {
	k := 0
	for k < len(chunk) {
		r, size := utf8.DecodeRuneInString(chunk[k:])
		switch {
		case isEmojiRune(r):
			dst = append(dst, token{raw: chunk[k : k+size], low: chunk[k : k+size], kind: kindEmoji})
			k += size
		case r == '@':
			end := k + size
			for end < len(chunk) {
				r2, s2 := utf8.DecodeRuneInString(chunk[end:])
				if !(isWordRune(r2) || r2 == '_' || r2 == '.') {
					break
				}
				end += s2
			}
			m := strings.TrimRight(chunk[k:end], ".")
			if len(m) > size {
				dst = append(dst, token{raw: m, low: m, kind: kindMention})
				k += len(m)
			} else {
				k += size // a lone "@" is punctuation
			}
		case isWordRune(r):
			end := k + size
			for end < len(chunk) {
				r2, s2 := utf8.DecodeRuneInString(chunk[end:])
				if isWordRune(r2) {
					end += s2
					continue
				}
				if isApostrophe(r2) && end+s2 < len(chunk) {
					r3, _ := utf8.DecodeRuneInString(chunk[end+s2:])
					if isWordRune(r3) {
						end += s2
						continue
					}
				}
				break
			}
			dst = appendWord(dst, chunk[k:end], lang, st)
			k = end
		default:
			if isClausePunct(r) && len(dst) > 0 {
				last := &dst[len(dst)-1]
				last.clauseEnd = true
				if punctRank(byte(r)) > punctRank(last.end) {
					last.end = byte(r)
				}
			}
			k += size
		}
	}
	return dst
}

// isClausePunct reports whether r ends a clause or a sentence.
func isClausePunct(r rune) bool {
	switch r {
	case ',', '.', ';', ':', '!', '?':
		return true
	}
	return false
}

// hasNonASCII reports whether s contains a byte outside ASCII.
func hasNonASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return true
		}
	}
	return false
}

// appendWord lower-cases a word, normalises apostrophes and splits French elisions.
func appendWord(dst []token, w string, lang string, st *tokenStats) []token {
	if hasNonASCII(w) && strings.ContainsAny(w, "’ʼ") {
		w = strings.NewReplacer("’", "'", "ʼ", "'").Replace(w)
	}
	if lang == "fr" {
		if a := strings.IndexByte(w, '\''); a > 0 && frElisions[strings.ToLower(w[:a])] {
			dst = append(dst, token{raw: w[:a+1], low: strings.ToLower(w[:a+1])})
			w = w[a+1:]
		}
	}
	st.words++
	if isAllCaps(w) {
		st.capsWords++
	}
	return append(dst, token{raw: w, low: strings.ToLower(w)})
}

// isAllCaps reports whether a word has at least two letters, all upper case.
func isAllCaps(w string) bool {
	letters := 0
	for _, r := range w {
		if unicode.IsLetter(r) {
			if !unicode.IsUpper(r) {
				return false
			}
			letters++
		}
	}
	return letters >= 2
}

// collapseRepeats shortens runs of three or more identical letters to max letters,
// so "sooooo" can be looked up as "soo" or "so"; it reports whether anything changed.
func collapseRepeats(w string, max int) (string, bool) {
	var b strings.Builder
	changed := false
	var prev rune
	run := 0
	for _, r := range w {
		if r == prev {
			run++
		} else {
			prev, run = r, 1
		}
		if run > max {
			changed = true
			continue
		}
		b.WriteRune(r)
	}
	if !changed {
		return w, false
	}
	return b.String(), true
}

// hasElongation reports whether a word repeats one letter three times or more ("superrrr").
func hasElongation(w string) bool {
	var prev rune
	run := 0
	for _, r := range w {
		if r == prev && unicode.IsLetter(r) {
			run++
			if run >= 3 {
				return true
			}
		} else {
			prev, run = r, 1
		}
	}
	return false
}
