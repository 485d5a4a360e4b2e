package compose

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/idna"
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
// protocol, bare domains only with a known top-level domain, balanced
// parentheses kept in paths and trailing punctuation left out.
func ExtractURLs(text string) []URLMatch {
	return extractURLs(text, true)
}

// extractURLs scans text once; bare says whether domains written without a
// protocol count as URLs (X does, Mastodon does not).
func extractURLs(s string, bare bool) []URLMatch {
	var out []URLMatch
	for i := 0; i < len(s); {
		c := s[i]
		if !isASCIIAlnum(c) {
			i++
			continue
		}
		if i > 0 {
			prev, _ := utf8.DecodeLastRuneInString(s[:i])
			if invalidURLPreceding(prev) {
				i++
				continue
			}
		}
		if m, ok := matchURL(s, i, bare); ok {
			out = append(out, m)
			i = m.End
			continue
		}
		i++
	}
	return out
}

// invalidURLPreceding mirrors twitter-text: a URL cannot start right after
// a letter, digit, @, $ or # (it would be part of a word, mention or tag).
func invalidURLPreceding(r rune) bool {
	return r < utf8.RuneSelf && isASCIIAlnum(byte(r)) || strings.ContainsRune("@＠$#＃", r)
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
	end, labels, ok := matchDomain(s, p, protocol)
	if !ok {
		return URLMatch{}, false
	}
	// Port.
	if end < len(s) && s[end] == ':' {
		j := end + 1
		for j < len(s) && j-end <= 5 && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		if j > end+1 {
			end = j
		}
	}
	hasPath := false
	if end < len(s) && s[end] == '/' {
		end = matchPath(s, end)
		hasPath = true
	}
	if end < len(s) && s[end] == '?' {
		end = matchQuery(s, end)
	}
	if !protocol && !hasPath && labels == 2 {
		// twitter-text: "name.cc" without a path is not linked (except t.co),
		// so "bit.ly" alone stays text but "bit.ly/x" is a URL.
		dom := strings.ToLower(s[p:end])
		if j := strings.IndexByte(dom, ':'); j >= 0 {
			dom = dom[:j]
		}
		tld := dom[strings.LastIndexByte(dom, '.')+1:]
		if ccTLDs[tld] && dom != "t.co" {
			return URLMatch{}, false
		}
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

// matchDomain matches labels separated by dots ending in a valid top-level
// domain and returns the end offset and the number of labels used.
func matchDomain(s string, p int, protocol bool) (int, int, bool) {
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
		}
		break
	}
	if len(labels) < 2 {
		return 0, 0, false
	}
	if protocol && isIPv4(s, labels[0].start, labels[len(labels)-1].end, len(labels)) {
		return labels[len(labels)-1].end, len(labels), true
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
		if validTLD(s[labels[k].start:labels[k].end], protocol) && validLabel(s[labels[k-1].start:labels[k-1].end], false) {
			return labels[k].end, k + 1, true
		}
	}
	return 0, 0, false
}

// domainRune says whether r can appear in a domain label; without a protocol
// only ASCII domains are recognised, as in twitter-text.
func domainRune(r rune, protocol bool) bool {
	if r < utf8.RuneSelf {
		return isASCIIAlnum(byte(r)) || r == '-' || r == '_'
	}
	// After a protocol twitter-text accepts any non-punctuation character
	// (IDN letters, and symbols such as the snowman of http://☃.net).
	return protocol && (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) || unicode.Is(unicode.So, r))
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

// validTLD accepts listed TLDs and punycode ones; after a protocol any
// alphabetic TLD of two letters or more is accepted (IDN TLDs included).
func validTLD(tld string, protocol bool) bool {
	low := strings.ToLower(tld)
	if gTLDs[low] || ccTLDs[low] {
		return true
	}
	if strings.HasPrefix(low, "xn--") && len(low) > 4 {
		return true
	}
	if !protocol {
		return false
	}
	n := 0
	for _, r := range tld {
		if !unicode.IsLetter(r) && !unicode.Is(unicode.Mn, r) {
			return false
		}
		n++
	}
	return n >= 2
}

// isIPv4 accepts four dot-separated numbers up to 255.
func isIPv4(s string, start, end, labels int) bool {
	if labels != 4 {
		return false
	}
	for _, part := range strings.Split(s[start:end], ".") {
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
	return (r >= 0x0400 && r <= 0x04FF) ||
		(r >= 0x00C0 && r <= 0x024F && r != 0x00D7 && r != 0x00F7) ||
		(r >= 0x0300 && r <= 0x036F) || (r >= 0x1E00 && r <= 0x1EFF)
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
// given URL spans. A hashtag needs at least one non-digit; a mention may be
// "@user", "@handle.example.com" or "@user@domain".
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
			if tagWordRune(prev) || prev == '&' || prev == '@' || prev == '＠' || prev == '#' || prev == '＃' {
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
		if end > i+size {
			t.start, t.end = i, end
			out = append(out, t)
			i = end
			continue
		}
		i += size
	}
	return out
}

func tagWordRune(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.M, r)
}

// scanHashtag returns the end of a hashtag body starting at p, or p when
// there is none (empty or digits only).
func scanHashtag(s string, p int) int {
	j := p
	letter := false
	for j < len(s) {
		r, size := utf8.DecodeRuneInString(s[j:])
		if !tagWordRune(r) && r != '\u200c' && r != '\u200d' {
			break
		}
		if !unicode.IsDigit(r) {
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
