// Package textmodel is the small learned layer on top of relais's rule-based
// text engines (sentiment, feedback themes): hashed text features (folded word
// unigrams, word prefixes, bigrams, character 3–5-grams of words, emoji and
// punctuation flags), linear models over them (multinomial logistic regression
// for one-of-n labels, one logistic per label for sets of labels), a
// deterministic trainer and a compact weight format the packages embed.
//
// Inference is a sum of weights over the text's hashed features: no
// allocation, one pass over the text and one table read per feature.
package textmodel

import (
	"math"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Feature is one hashed feature and its value.
type Feature struct {
	H uint32
	V float32
}

// Feature kinds: each kind hashes with its own seed so a word and a bigram never share a key.
const (
	kindWord uint32 = iota + 1
	kindPrefix
	kindBigram
	kindChar
	kindFlag
	kindLang
	// KindRule is the first kind free for callers' own features (the rule engines' outputs).
	KindRule
)

const (
	fnvOffset = 2166136261
	fnvPrime  = 16777619
)

// mix finalises a hash (murmur3's avalanche) so nearby keys spread over the table.
func mix(h uint32) uint32 {
	h ^= h >> 16
	h *= 0x85ebca6b
	h ^= h >> 13
	h *= 0xc2b2ae35
	h ^= h >> 16
	return h
}

func seed(kind uint32) uint32 { return (fnvOffset ^ kind) * fnvPrime }

func addBytes(h uint32, s []byte) uint32 {
	for _, c := range s {
		h = (h ^ uint32(c)) * fnvPrime
	}
	return h
}

// Key hashes a caller's feature: kind (KindRule or above) and a name.
func Key(kind uint32, name string) uint32 {
	h := seed(kind)
	for i := 0; i < len(name); i++ {
		h = (h ^ uint32(name[i])) * fnvPrime
	}
	return mix(h)
}

// KeyN hashes a caller's feature with a small number (a bin, a class index).
func KeyN(kind uint32, name string, n int) uint32 {
	h := seed(kind)
	for i := 0; i < len(name); i++ {
		h = (h ^ uint32(name[i])) * fnvPrime
	}
	h = (h ^ uint32(n+1)) * fnvPrime
	return mix(h)
}

// Flags the featurizer sets on the whole text.
const (
	flagQuestion = iota
	flagEndsQuestion
	flagExclaim
	flagExclaims
	flagCaps
	flagDigit
	flagCurrency
	flagQuote
	flagMention
	flagEmojiOnly
	flagNoWords
	flagLen1
	flagLen2
	flagLen4
	flagLen9
	flagLen21
	flagEllipsis
	flagURL
)

// maxWordBytes caps the folded word a feature is built from; longer runs are cut.
const maxWordBytes = 40

// MaxFeatures bounds the features of one text; a very long text's tail is not read.
const MaxFeatures = 2048

// Bag holds one text's hashed features without allocating: first the text's own
// (AddText), each worth 1/√n so long and short texts weigh alike, then the callers'
// (Add), each worth 1.
type Bag struct {
	n, text, words int
	h              [MaxFeatures]uint32
}

// Words is the number of words AddText read.
func (b *Bag) Words() int { return b.words }

// Reset empties the bag.
func (b *Bag) Reset() { b.n, b.text, b.words = 0, 0, 0 }

// Add adds a caller's feature (from Key or KeyN) worth 1.
func (b *Bag) Add(h uint32) {
	if b.n < MaxFeatures {
		b.h[b.n] = h
		b.n++
	}
}

func (b *Bag) push(h uint32) {
	if b.n < MaxFeatures-64 { // room kept for the flags and the callers' features
		b.h[b.n] = h
		b.n++
	}
}

// Features lists the bag's features with their values (for training).
func (b *Bag) Features() []Feature {
	out := make([]Feature, b.n)
	v := b.textValue()
	for i := range b.n {
		out[i] = Feature{H: b.h[i], V: 1}
		if i < b.text {
			out[i].V = v
		}
	}
	return out
}

func (b *Bag) textValue() float32 {
	if b.text == 0 {
		return 0
	}
	return float32(1 / math.Sqrt(float64(b.text)))
}

// tokenizer state kept on the stack.
type textState struct {
	prev     uint32 // hash of the previous sequence token, for bigrams (0 at the start)
	words    int
	nonWord  int // emoji and symbols
	bag      *Bag
	flags    uint32
	lastPunc byte
}

// AddText adds the hashed features of text, read in lang ("en", "fr", "de",
// "other"), to an empty bag. The same text always yields the same features in
// the same order.
func (b *Bag) AddText(text, lang string) {
	b.Reset()
	st := textState{bag: b}
	var wbuf [maxWordBytes + 8]byte
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			i++
			continue
		case (r == 'h' || r == 'H') && isURL(text[i:]):
			// A link is one token: its host and path are no words of the comment.
			st.flags |= 1 << flagURL
			i += linkLen(text[i:])
			st.symbol('/')
			st.lastPunc = 0
			continue
		case r == '@':
			// A mention is one token, whatever account it names. The mentions a text
			// starts with are no token at all: a reply on Mastodon or X starts with the
			// accounts it answers ("@brand my parcel never arrived"), which says
			// nothing of the comment.
			i += size + handleLen(text[i+size:])
			if st.prev == 0 && st.words == 0 && st.nonWord == 0 {
				continue
			}
			st.flags |= 1 << flagMention
			st.symbol('@')
			st.lastPunc = 0
			continue
		case isWordRune(r):
			j := i
			n := 0
			caps, lowers := 0, 0
			var last rune = -1
			repeat := 0
			for j < len(text) {
				r2, s2 := rune(text[j]), 1
				if r2 >= utf8.RuneSelf {
					r2, s2 = utf8.DecodeRuneInString(text[j:])
				}
				if !isWordRune(r2) {
					break
				}
				j += s2
				switch {
				case 'a' <= r2 && r2 <= 'z':
					lowers++
				case 'A' <= r2 && r2 <= 'Z':
					caps++
				case r2 < utf8.RuneSelf:
				case unicode.IsUpper(r2):
					caps++
				case unicode.IsLower(r2):
					lowers++
				}
				key := r2
				if '0' <= r2 && r2 <= '9' {
					key = '0' // digits fold to '0' first: "48213" → "00", so a long number is one shape, not dozens of "000" grams
				}
				if key == last {
					repeat++
					if repeat >= 2 {
						continue // "sooooo" → "soo"
					}
				} else {
					repeat, last = 0, key
				}
				n = foldRune(wbuf[:], n, r2)
			}
			if caps >= 3 && lowers == 0 {
				st.flags |= 1 << flagCaps
			}
			i = j
			if n > maxWordBytes {
				n = maxWordBytes
			}
			st.word(wbuf[:n])
			continue
		case r == '?' || r == '!' || r == '"' || r == '“' || r == '”' || r == '«' || r == '»' || r == '„' || r == '…':
			var p byte
			switch r {
			case '?':
				p = '?'
				st.flags |= 1 << flagQuestion
			case '!':
				p = '!'
				if st.flags&(1<<flagExclaim) != 0 {
					st.flags |= 1 << flagExclaims
				}
				st.flags |= 1 << flagExclaim
			case '…':
				p = '.'
				st.flags |= 1 << flagEllipsis
			default:
				p = '"'
				st.flags |= 1 << flagQuote
			}
			if st.lastPunc != p { // "???" is one token
				st.symbol(uint32(p))
			}
			st.lastPunc = p
			i += size
			continue
		case r == '.' && i+2 < len(text) && text[i+1] == '.' && text[i+2] == '.':
			st.flags |= 1 << flagEllipsis
		case r == '£' || r == '€' || r == '$':
			st.flags |= 1 << flagCurrency
		case isSymbol(r):
			if r != 0xFE0F && r != 0x200D && !(r >= 0x1F3FB && r <= 0x1F3FF) { // joiners and skin tones
				st.nonWord++
				st.symbol(uint32(r))
			}
			i += size
			continue
		}
		if r != ' ' {
			st.lastPunc = 0
		}
		i += size
	}
	if st.prev != 0 {
		b.push(mix((seed(kindBigram)^st.prev)*fnvPrime ^ 0x24)) // last token, end of text
	}
	if st.lastPunc == '?' {
		st.flags |= 1 << flagEndsQuestion
	}
	switch {
	case st.words == 0 && st.nonWord > 0:
		st.flags |= 1 << flagEmojiOnly
	case st.words == 0:
		st.flags |= 1 << flagNoWords
	case st.words == 1:
		st.flags |= 1 << flagLen1
	case st.words <= 3:
		st.flags |= 1 << flagLen2
	case st.words <= 8:
		st.flags |= 1 << flagLen4
	case st.words <= 20:
		st.flags |= 1 << flagLen9
	default:
		st.flags |= 1 << flagLen21
	}
	for f := 0; f < 32; f++ {
		if st.flags&(1<<f) != 0 {
			b.Add(mix(seed(kindFlag) ^ uint32(f)*fnvPrime))
		}
	}
	b.Add(Key(kindLang, lang))
	b.text = b.n
	b.words = st.words
}

// word emits a folded word's unigram, prefix, bigram with the previous token and character n-grams.
func (st *textState) word(w []byte) {
	if len(w) == 0 {
		return
	}
	st.words++
	st.lastPunc = 0
	wh := addBytes(seed(kindWord), w)
	st.bag.push(mix(wh))
	if len(w) > 6 {
		st.bag.push(mix(addBytes(seed(kindPrefix), w[:5])))
	}
	st.bigram(wh)
	// Character 3-, 4- and 5-grams of "<word>", boundaries included.
	if len(w) < 2 {
		return
	}
	var buf [maxWordBytes + 2]byte
	buf[0] = '<'
	copy(buf[1:], w)
	buf[len(w)+1] = '>'
	b := buf[:len(w)+2]
	cs := seed(kindChar)
	for i := 0; i+3 <= len(b); i++ {
		h := cs
		h = (h ^ uint32(b[i])) * fnvPrime
		h = (h ^ uint32(b[i+1])) * fnvPrime
		h = (h ^ uint32(b[i+2])) * fnvPrime
		st.bag.push(mix(h))
		if i+4 <= len(b) {
			h = (h ^ uint32(b[i+3])) * fnvPrime
			st.bag.push(mix(h ^ 4))
			if i+5 <= len(b) {
				h = (h ^ uint32(b[i+4])) * fnvPrime
				st.bag.push(mix(h ^ 5))
			}
		}
	}
}

// symbol emits an emoji or punctuation token and its bigram.
func (st *textState) symbol(r uint32) {
	h := (seed(kindWord) ^ r) * fnvPrime
	st.bag.push(mix(h))
	st.bigram(h)
}

func (st *textState) bigram(h uint32) {
	p := st.prev
	if p == 0 {
		p = 0x5e // start of text
	}
	st.bag.push(mix((seed(kindBigram)^p)*fnvPrime ^ h))
	st.prev = h
}

// isURL reports whether s starts with an http or https link.
func isURL(s string) bool {
	return len(s) > 7 && strings.EqualFold(s[:7], "http://") || len(s) > 8 && strings.EqualFold(s[:8], "https://")
}

// linkLen is the length of the link that starts s: up to the next space.
func linkLen(s string) int {
	if i := strings.IndexFunc(s, unicode.IsSpace); i >= 0 {
		return i
	}
	return len(s)
}

// handleLen is the length of the mention handle that starts s (letters,
// digits, _ . - and a second @ for the server). A handle's trailing dots and
// dashes end the sentence, not the handle.
func handleLen(s string) int {
	n := 0
	for n < len(s) {
		r, size := utf8.DecodeRuneInString(s[n:])
		if !(isWordRune(r) || r == '_' || r == '.' || r == '-' || r == '@') {
			break
		}
		n += size
	}
	for n > 0 && (s[n-1] == '.' || s[n-1] == '-') {
		n--
	}
	return n
}

func isWordRune(r rune) bool {
	if r < 0x80 {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.Is(unicode.Mn, r)
}

// isSymbol reports an emoji or another pictograph that stands as its own token.
func isSymbol(r rune) bool {
	return r >= 0x2190 && !unicode.IsLetter(r) && !unicode.IsSpace(r) && !unicode.IsPunct(r) &&
		(unicode.Is(unicode.So, r) || r >= 0x1F000)
}

// foldRune appends r lower-cased, without accents and with digits as '0' to buf at n.
func foldRune(buf []byte, n int, r rune) int {
	if n >= maxWordBytes {
		return n + 1
	}
	switch {
	case r < 0x80:
		c := byte(r)
		switch {
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		case '0' <= c && c <= '9':
			c = '0'
		}
		buf[n] = c
		return n + 1
	case r >= 0xC0 && r <= 0x17F:
		if f := latinFold[r-0xC0]; f != 0 {
			buf[n] = f
			if r == 'ß' && n+1 < maxWordBytes {
				buf[n+1] = 's'
				return n + 2
			}
			return n + 1
		}
	}
	r = unicode.ToLower(r)
	var tmp [4]byte
	k := utf8.EncodeRune(tmp[:], r)
	if n+k > len(buf) {
		return n + 1
	}
	copy(buf[n:], tmp[:k])
	return n + k
}

// latinFold maps U+00C0…U+017F to lower-case ASCII letters (0 where there is none).
var latinFold = func() [0x180 - 0xC0]byte {
	var t [0x180 - 0xC0]byte
	groups := map[byte]string{
		'a': "ÀÁÂÃÄÅàáâãäåĀāĂăĄą", 'c': "ÇçĆćĈĉĊċČč", 'e': "ÈÉÊËèéêëĒēĔĕĖėĘęĚě", 'i': "ÌÍÎÏìíîïĨĩĪīĬĭĮįİı",
		'n': "ÑñŃńŅņŇň", 'o': "ÒÓÔÕÖØòóôõöøŌōŎŏŐő", 'u': "ÙÚÛÜùúûüŨũŪūŬŭŮůŰűŲų", 'y': "ÝýÿŶŷŸ",
		's': "ßŚśŜŝŞşŠš", 'z': "ŹźŻżŽž", 'g': "ĜĝĞğĠġĢģ", 'l': "ĹĺĻļĽľĿŀŁł", 'r': "ŔŕŖŗŘř", 't': "ŢţŤťŦŧ",
		'd': "ĎďĐđÐð", 'h': "ĤĥĦħ", 'j': "Ĵĵ", 'k': "Ķķ", 'w': "Ŵŵ",
	}
	for c, s := range groups {
		for _, r := range s {
			if r >= 0xC0 && r < 0x180 {
				t[r-0xC0] = c
			}
		}
	}
	return t
}()
