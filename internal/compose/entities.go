package compose

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/idna"
	"golang.org/x/net/publicsuffix"
)

// URLMatch is one URL found in a text, as byte offsets into that text.
type URLMatch struct {
	// Start and End delimit the URL in the text: text[Start:End].
	Start, End int
	// URL is the matched text.
	URL string
	// Protocol is true when the URL was written with http:// or https://.
	Protocol bool
}

// ExtractURLs finds URLs the way twitter-text does: with or without a
// protocol, domains only with a top-level domain in the IANA root zone (as
// listed by the Public Suffix List), balanced parentheses kept in paths and
// trailing punctuation left out.
func ExtractURLs(text string) []URLMatch {
	return extractURLs(text, true)
}

// extractURLs scans text once; bare says whether domains written without a
// protocol count as URLs (X does, Mastodon does not).
func extractURLs(s string, bare bool) []URLMatch {
	// Every URL has a dot in its domain (and a colon in its protocol).
	if !strings.Contains(s, ".") || (!bare && !strings.Contains(s, "://")) {
		return nil
	}
	var out []URLMatch
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if !isASCIIAlnum(c) {
				i++
				continue
			}
		} else {
			r, size := utf8.DecodeRuneInString(s[i:])
			if !bare || !latinAccent(r) {
				i += size
				continue
			}
		}
		if i > 0 {
			prev, _ := utf8.DecodeLastRuneInString(s[:i])
			if invalidURLPreceding(prev) {
				i = skipWord(s, i)
				continue
			}
		}
		if m, ok := matchURL(s, i, bare); ok {
			out = append(out, m)
			i = m.End
			continue
		}
		i = skipWord(s, i)
	}
	return out
}

// skipWord steps over letters and digits: a URL cannot start inside a word,
// since its preceding character would be a letter or digit.
func skipWord(s string, i int) int {
	for i < len(s) {
		if c := s[i]; c < utf8.RuneSelf {
			if !isASCIIAlnum(c) {
				return i
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if !latinAccent(r) {
			return i
		}
		i += size
	}
	return i
}

// invalidURLPreceding mirrors twitter-text: a URL cannot start right after
// a letter, digit, @, $ or # (it would be part of a word, mention or tag),
// nor after a byte-order mark or a noncharacter.
func invalidURLPreceding(r rune) bool {
	if r < utf8.RuneSelf {
		return isASCIIAlnum(byte(r)) || r == '@' || r == '$' || r == '#'
	}
	switch r {
	case '＠', '＃', 0xFFFE, 0xFEFF, 0xFFFF:
		return true
	}
	return latinAccent(r)
}

// matchURL tries to match a URL starting at s[i].
func matchURL(s string, i int, bare bool) (URLMatch, bool) {
	p := i
	protocol := false
	for _, proto := range []string{"https://", "http://"} {
		if len(s)-i >= len(proto) && strings.EqualFold(s[i:i+len(proto)], proto) {
			p = i + len(proto)
			protocol = true
			break
		}
	}
	if !protocol {
		if !bare {
			return URLMatch{}, false
		}
		// A bare domain right after "-", "_", "." or "/" is the tail of something else.
		if i > 0 && strings.IndexByte("-_./", s[i-1]) >= 0 {
			return URLMatch{}, false
		}
	} else {
		p = skipUserinfo(s, p)
	}
	end, ok := matchDomain(s, p, protocol)
	if !ok {
		return URLMatch{}, false
	}
	domainEnd := end
	// Port.
	if end < len(s) && s[end] == ':' {
		j := end + 1
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		if j > end+1 {
			end = j
		}
	}
	if end < len(s) && s[end] == '/' {
		if protocol && strings.EqualFold(s[p:domainEnd], "t.co") {
			// t.co links are a bare slug: "http://t.co/abc's" stops at "abc",
			// and a slug over 40 characters is not a t.co link at all.
			j := end + 1
			for j < len(s) && isASCIIAlnum(s[j]) {
				j++
			}
			if j-end-1 > 40 {
				return URLMatch{}, false
			}
			end = j
		} else {
			end = matchPath(s, end)
		}
	}
	if end < len(s) && s[end] == '?' {
		end = matchQuery(s, end)
	}
	return URLMatch{Start: i, End: end, URL: s[i:end], Protocol: protocol}, true
}

// skipUserinfo steps over "user:password@" after a protocol.
func skipUserinfo(s string, p int) int {
	for j := p; j < len(s); j++ {
		c := s[j]
		switch {
		case c == '@':
			if j > p {
				return j + 1
			}
			return p
		case isASCIIAlnum(c) || strings.IndexByte("-._~!$&'()*+,;=:%", c) >= 0:
		default:
			return p
		}
	}
	return p
}

// matchDomain matches dot-separated labels ending in a top-level domain and
// returns where the domain ends. As in twitter-text the TLD may also be the
// start of a label when what follows it cannot continue an ASCII name
// ("http://example.comだよね" ends after "com"), and a TLD followed by "@"
// or "+" is no TLD ("john.doe.gov@mail.com" is an address).
func matchDomain(s string, p int, protocol bool) (int, bool) {
	type label struct{ start, end int }
	var labels []label
	j := p
	for {
		k := j
		for k < len(s) {
			r, size := utf8.DecodeRuneInString(s[k:])
			if !domainRune(r, protocol) {
				break
			}
			k += size
		}
		if k == j {
			break
		}
		labels = append(labels, label{j, k})
		if k+1 < len(s) && s[k] == '.' {
			r, _ := utf8.DecodeRuneInString(s[k+1:])
			if domainRune(r, protocol) {
				j = k + 1
				continue
			}
			if !protocol && domainRune(r, true) {
				// A bare ASCII domain may still end in an IDN TLD ("twitter.みんな").
				e := k + 1
				for e < len(s) {
					r, size := utf8.DecodeRuneInString(s[e:])
					if !domainRune(r, true) {
						break
					}
					e += size
				}
				labels = append(labels, label{k + 1, e})
			}
		}
		break
	}
	if len(labels) < 2 {
		return 0, false
	}
	last := labels[len(labels)-1]
	if protocol && last.end-labels[0].start <= 15 && isIPv4(s[labels[0].start:last.end]) {
		return last.end, true
	}
	// Labels before the registered name must be valid subdomains; find the
	// first one that is not, once, so choosing the TLD stays linear.
	firstBadSub := len(labels)
	for n, lab := range labels {
		if !validLabel(s[lab.start:lab.end], true) {
			firstBadSub = n
			break
		}
	}
	for k := len(labels) - 1; k >= 1; k-- {
		if firstBadSub < k-1 {
			break
		}
		// Underscores are tolerated in subdomains only, never in the registered name.
		if !validLabel(s[labels[k-1].start:labels[k-1].end], false) {
			continue
		}
		if end, ok := tldEnd(s, labels[k].start, labels[k].end); ok {
			return end, true
		}
	}
	return 0, false
}

// tldEnd finds the longest top-level domain starting at s[start] within the
// label ending at end: the whole label, or a prefix of it followed by a
// character that cannot continue an ASCII name.
func tldEnd(s string, start, end int) (int, bool) {
	if end < len(s) && (s[end] == '@' || s[end] == '+') {
		return 0, false
	}
	if isTLD(s[start:end]) {
		return end, true
	}
	// No TLD is longer than 63 octets in punycode, so no longer than 252
	// bytes in UTF-8: do not look further into a long run of text.
	for j := min(end-1, start+maxTLDBytes); j > start; j-- {
		if !utf8.RuneStart(s[j]) {
			continue
		}
		c := s[j]
		if isASCIIAlnum(c) || c == '-' {
			continue
		}
		if isTLD(s[start:j]) {
			return j, true
		}
	}
	return 0, false
}

// maxTLDBytes bounds a TLD's UTF-8 length (63 punycode octets, at most 4
// bytes per character).
const maxTLDBytes = 4 * 63

// isTLD says whether name is a top-level domain of the root zone; IDN TLDs
// are looked up in their punycode form.
func isTLD(name string) bool {
	if name == "" || len(name) > maxTLDBytes || strings.ContainsAny(name, "_") {
		return false
	}
	ascii := strings.ToLower(name)
	for i := 0; i < len(name); i++ {
		if name[i] >= utf8.RuneSelf {
			var err error
			ascii, err = idna.Lookup.ToASCII(name)
			if err != nil || ascii == "" || strings.Contains(ascii, ".") {
				return false
			}
			break
		}
	}
	suffix, icann := publicsuffix.PublicSuffix("x." + ascii)
	return icann && suffix == ascii
}

// domainRune says whether r can appear in a domain label. After a protocol
// twitter-text accepts anything but ASCII punctuation, spaces, controls and
// directional marks (IDN letters, and symbols such as the snowman of
// http://☃.net); without one, only ASCII letters and digits and Latin
// letters with accents.
func domainRune(r rune, protocol bool) bool {
	if r < utf8.RuneSelf {
		return isASCIIAlnum(byte(r)) || r == '-' || r == '_'
	}
	if !protocol {
		return latinAccent(r)
	}
	switch {
	case unicode.IsSpace(r), unicode.IsControl(r), r == utf8.RuneError,
		r == 0xFFFE, r == 0xFEFF, r == 0xFFFF,
		r == 0x200E, r == 0x200F, r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069:
		return false
	}
	return true
}

// latinAccent is twitter-text's set of accented Latin letters allowed in
// bare domains and paths.
func latinAccent(r rune) bool {
	return (r >= 0x00C0 && r <= 0x024F && r != 0x00D7 && r != 0x00F7) ||
		r == 0x0253 || r == 0x0254 || r == 0x0256 || r == 0x0257 || r == 0x0259 || r == 0x025B ||
		r == 0x0263 || r == 0x0268 || r == 0x026F || r == 0x0272 || r == 0x0289 || r == 0x028B || r == 0x02BB ||
		(r >= 0x0300 && r <= 0x036F) || (r >= 0x1E00 && r <= 0x1EFF)
}

// validLabel checks one non-TLD label: no leading or trailing dash or
// underscore, underscores only in subdomains, at most 63 octets once encoded.
func validLabel(lab string, subdomain bool) bool {
	if lab == "" || strings.IndexByte("-_", lab[0]) >= 0 || strings.IndexByte("-_", lab[len(lab)-1]) >= 0 {
		return false
	}
	if !subdomain && strings.IndexByte(lab, '_') >= 0 {
		return false
	}
	return encodedLen(lab) <= 63
}

// encodedLen is the label's length on the wire (punycode for Unicode labels).
func encodedLen(lab string) int {
	for i := 0; i < len(lab); i++ {
		if lab[i] >= utf8.RuneSelf {
			a, err := idna.Punycode.ToASCII(lab)
			if err != nil {
				return 1 << 10
			}
			return len(a)
		}
	}
	return len(lab)
}

// isIPv4 accepts four dot-separated numbers up to 255.
func isIPv4(s string) bool {
	parts := strings.Split(s, ".")
	if len(parts) != 4 {
		return false
	}
	for _, part := range parts {
		if len(part) == 0 || len(part) > 3 {
			return false
		}
		n := 0
		for i := 0; i < len(part); i++ {
			if part[i] < '0' || part[i] > '9' {
				return false
			}
			n = n*10 + int(part[i]-'0')
		}
		if n > 255 {
			return false
		}
	}
	return true
}

// matchPath returns the end of the URL path starting at the "/" at s[p]:
// the longest prefix that ends in a path-ending character or a balanced
// parenthesis group (one level of nesting), so "(see https://x.com/a)"
// leaves the closing parenthesis out but "wiki/Go_(language)" keeps it.
func matchPath(s string, p int) int {
	end := p + 1
	depth := 0
	for j := p + 1; j < len(s); {
		r, size := utf8.DecodeRuneInString(s[j:])
		switch {
		case r == '(':
			if depth == 2 {
				return end
			}
			depth++
		case r == ')':
			if depth == 0 {
				return end
			}
			depth--
		case !pathRune(r):
			return end
		}
		j += size
		if depth == 0 && (r == ')' || pathEndRune(r)) {
			end = j
		}
	}
	return end
}

// matchQuery returns the end of the query starting at the "?" at s[p]; a
// query with no valid ending character is not part of the URL.
func matchQuery(s string, p int) int {
	end := p
	for j := p + 1; j < len(s); j++ {
		c := s[j]
		if !(isASCIIAlnum(c) || strings.IndexByte("!?*'@();:&=+$/%#[]-_.,~|", c) >= 0) {
			break
		}
		if isASCIIAlnum(c) || strings.IndexByte("-_&=#/", c) >= 0 {
			end = j + 1
		}
	}
	return end
}

// pathRune is twitter-text's set of general URL path characters.
func pathRune(r rune) bool {
	if r < utf8.RuneSelf {
		return isASCIIAlnum(byte(r)) || strings.IndexByte("!*';:=+,.$/%#[]-_~&|@", byte(r)) >= 0
	}
	return r == '\u2013' || cyrillicOrAccent(r)
}

// pathEndRune is the set of characters a URL path may end with.
func pathEndRune(r rune) bool {
	if r < utf8.RuneSelf {
		return isASCIIAlnum(byte(r)) || strings.IndexByte("+-=_#/", byte(r)) >= 0
	}
	return cyrillicOrAccent(r)
}

func cyrillicOrAccent(r rune) bool {
	return (r >= 0x0400 && r <= 0x04FF) || latinAccent(r)
}

func isASCIIAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// tagSpan is a hashtag or mention found in a text.
type tagSpan struct {
	start, end int
	// domainStart is where "@domain" begins in a "@user@domain" mention (0: none).
	domainStart int
}

// findTags finds hashtags (sigil '#') or mentions (sigil '@') outside the
// given URL spans, with twitter-text's rules for what may precede and
// follow them. A hashtag needs a letter; a mention may be "@user",
// "@handle.example.com" or "@user@domain" (Mastodon, Bluesky).
func findTags(s string, urls []URLMatch, sigil rune) []tagSpan {
	var out []tagSpan
	u := 0
	full := '＃'
	if sigil == '@' {
		full = '＠'
	}
	for i := 0; i < len(s); {
		for u < len(urls) && urls[u].End <= i {
			u++
		}
		if u < len(urls) && i >= urls[u].Start {
			i = urls[u].End
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r != sigil && r != full {
			i += size
			continue
		}
		if i > 0 {
			prev, _ := utf8.DecodeLastRuneInString(s[:i])
			if invalidTagPreceding(prev, sigil) {
				i += size
				continue
			}
		}
		var end int
		var t tagSpan
		if sigil == '#' {
			end = scanHashtag(s, i+size)
		} else {
			end, t.domainStart = scanMention(s, i+size)
		}
		if end > i+size && validTagEnd(s, end, sigil) {
			t.start, t.end = i, end
			out = append(out, t)
			i = end
			continue
		}
		i += size
	}
	return out
}

// invalidTagPreceding: a hashtag cannot follow a letter, digit, mark or "&"
// (an HTML entity), though it may follow an emoji's variation selector; a
// mention cannot follow an ASCII letter or digit (an e-mail address) or
// one of _!#$%&*@.
func invalidTagPreceding(prev, sigil rune) bool {
	if sigil == '#' {
		if prev == '\uFE0E' || prev == '\uFE0F' {
			return false
		}
		return tagWordRune(prev) || prev == '&' || prev == '#' || prev == '＃'
	}
	if prev < utf8.RuneSelf {
		return isASCIIAlnum(byte(prev)) || strings.ContainsRune("_!#$%&*@", prev)
	}
	return prev == '＠'
}

// validTagEnd rejects a tag glued to what cannot follow it: "#http://…",
// "@user@" without a domain, "@alice" followed by an accented letter.
func validTagEnd(s string, end int, sigil rune) bool {
	if strings.HasPrefix(s[end:], "://") {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s[end:])
	if sigil == '#' {
		return r != '#' && r != '＃'
	}
	return r != '@' && r != '＠' && !latinAccent(r)
}

func tagWordRune(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// hashtagSpecial are the joiners and marks twitter-text allows inside a
// hashtag: ZWNJ, ZWJ, Hebrew maqaf and gershayim, Japanese iteration and
// prolonged-sound marks, wave dashes, the Tibetan tsheg and the middle dot.
const hashtagSpecial = "\u200c\u200d\ua67e\u05be\u05f3\u05f4\uff5e\u301c\u309b\u309c\u30a0\u30fb\u3003\u0f0b\u0f0c\u00b7"

// scanHashtag returns the end of a hashtag body starting at p, or p when
// there is none (no letter in it).
func scanHashtag(s string, p int) int {
	j := p
	letter := false
	for j < len(s) {
		r, size := utf8.DecodeRuneInString(s[j:])
		if !tagWordRune(r) && !strings.ContainsRune(hashtagSpecial, r) {
			break
		}
		if unicode.IsLetter(r) || unicode.IsMark(r) {
			letter = true
		}
		j += size
	}
	if !letter {
		return p
	}
	return j
}

// scanMention returns the end of a mention body starting at p and where its
// "@domain" part starts (0 when there is none).
func scanMention(s string, p int) (int, int) {
	name := func(j int, dots bool) int {
		k := j
		for k < len(s) {
			c := s[k]
			if isASCIIAlnum(c) || c == '_' || (dots && (c == '.' || c == '-')) {
				k++
				continue
			}
			break
		}
		// A sentence-ending dot or dash is punctuation, not part of the handle.
		for k > j && (s[k-1] == '.' || s[k-1] == '-') {
			k--
		}
		return k
	}
	end := name(p, true)
	if end == p {
		return p, 0
	}
	if end < len(s) && (s[end] == '@') && !strings.ContainsAny(s[p:end], ".") {
		d := name(end+1, true)
		if d > end+1 && strings.Contains(s[end+1:d], ".") {
			return d, end
		}
	}
	return end, 0
}
