package moderation

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/relais/relais/internal/valid"
)

// Limits of a keyword query, named in the messages that refuse one.
const (
	// MaxQueryLength is the longest query accepted, in characters.
	MaxQueryLength = 1000
	// MaxQueryTerms bounds the words and phrases of one query.
	MaxQueryTerms = 100
	// MaxQueryDepth bounds the nesting of parentheses and NOTs.
	MaxQueryDepth = 20
)

// Query is a compiled keyword condition: words and "quoted phrases" combined
// with AND, OR, NOT and parentheses; two terms side by side mean AND. Words
// match whole words, case- and accent-insensitively ("Remboursé" matches
// rembourse); a trailing * matches word beginnings (refund* matches refunds).
// A Query is immutable and safe for concurrent use.
type Query struct {
	root *qnode
	src  string
}

type qkind uint8

const (
	qTerm qkind = iota
	qAnd
	qOr
	qNot
)

type qnode struct {
	kind qkind
	// words of a term: one word, or a phrase's words in order.
	words  []string
	prefix bool // the last word matches word beginnings
	kids   []*qnode
}

// String is the query as written.
func (q *Query) String() string { return q.src }

// ParseQuery compiles a keyword query. An empty query is nil, nil: no
// keyword condition. Errors name the field "query" and the position.
func ParseQuery(src string) (*Query, error) {
	if strings.TrimSpace(src) == "" {
		return nil, nil
	}
	if n := utf8.RuneCountInString(src); n > MaxQueryLength {
		return nil, valid.Errorf("query", "too_long", "Keywords allow at most %d characters; they have %d", MaxQueryLength, n)
	}
	toks, err := lexQuery(src)
	if err != nil {
		return nil, err
	}
	p := &qparser{toks: toks}
	root, err := p.or(0)
	if err != nil {
		return nil, err
	}
	if p.pos < len(p.toks) {
		t := p.toks[p.pos]
		if t.kind == tRParen {
			return nil, qerr(t.at, "a closing parenthesis has no opening one")
		}
		return nil, qerr(t.at, "unexpected %q", t.text)
	}
	if p.terms > MaxQueryTerms {
		return nil, valid.Errorf("query", "too_many", "Keywords allow at most %d words and phrases; they have %d", MaxQueryTerms, p.terms)
	}
	return &Query{root: root, src: strings.TrimSpace(src)}, nil
}

func qerr(at int, format string, args ...any) error {
	return valid.Errorf("query", "syntax", "Keywords: "+format+" (at character %d)", append(args, at+1)...)
}

type tkind uint8

const (
	tWord tkind = iota
	tPhrase
	tAnd
	tOr
	tNot
	tLParen
	tRParen
)

type qtoken struct {
	kind tkind
	text string
	at   int // rune offset, for messages
}

func lexQuery(src string) ([]qtoken, error) {
	var toks []qtoken
	rs := []rune(src)
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case unicode.IsSpace(r):
			i++
		case r == '(':
			toks = append(toks, qtoken{tLParen, "(", i})
			i++
		case r == ')':
			toks = append(toks, qtoken{tRParen, ")", i})
			i++
		case r == '"' || r == '“' || r == '”' || r == '«' || r == '»' || r == '„':
			start := i
			j := i + 1
			for j < len(rs) && !isQuote(rs[j]) {
				j++
			}
			if j >= len(rs) {
				return nil, qerr(start, "a quoted phrase is not closed")
			}
			toks = append(toks, qtoken{tPhrase, string(rs[i+1 : j]), start})
			i = j + 1
		default:
			start := i
			for i < len(rs) && !unicode.IsSpace(rs[i]) && rs[i] != '(' && rs[i] != ')' && !isQuote(rs[i]) {
				i++
			}
			w := string(rs[start:i])
			switch w {
			case "AND", "&&":
				toks = append(toks, qtoken{tAnd, w, start})
			case "OR", "||":
				toks = append(toks, qtoken{tOr, w, start})
			case "NOT":
				toks = append(toks, qtoken{tNot, w, start})
			default:
				toks = append(toks, qtoken{tWord, w, start})
			}
		}
	}
	return toks, nil
}

func isQuote(r rune) bool {
	return r == '"' || r == '“' || r == '”' || r == '«' || r == '»' || r == '„'
}

type qparser struct {
	toks  []qtoken
	pos   int
	terms int
}

func (p *qparser) peek() (qtoken, bool) {
	if p.pos >= len(p.toks) {
		return qtoken{}, false
	}
	return p.toks[p.pos], true
}

func (p *qparser) end() int {
	if len(p.toks) == 0 {
		return 0
	}
	last := p.toks[len(p.toks)-1]
	return last.at + utf8.RuneCountInString(last.text)
}

func (p *qparser) or(depth int) (*qnode, error) {
	left, err := p.and(depth)
	if err != nil {
		return nil, err
	}
	kids := []*qnode{left}
	for {
		t, ok := p.peek()
		if !ok || t.kind != tOr {
			break
		}
		p.pos++
		right, err := p.and(depth)
		if err != nil {
			return nil, err
		}
		kids = append(kids, right)
	}
	if len(kids) == 1 {
		return left, nil
	}
	return &qnode{kind: qOr, kids: kids}, nil
}

func (p *qparser) and(depth int) (*qnode, error) {
	left, err := p.unary(depth)
	if err != nil {
		return nil, err
	}
	kids := []*qnode{left}
	for {
		t, ok := p.peek()
		if !ok || t.kind == tOr || t.kind == tRParen {
			break
		}
		if t.kind == tAnd {
			p.pos++
		}
		right, err := p.unary(depth)
		if err != nil {
			return nil, err
		}
		kids = append(kids, right)
	}
	if len(kids) == 1 {
		return left, nil
	}
	return &qnode{kind: qAnd, kids: kids}, nil
}

func (p *qparser) unary(depth int) (*qnode, error) {
	if depth > MaxQueryDepth {
		t, _ := p.peek()
		return nil, valid.Errorf("query", "too_deep", "Keywords allow at most %d nested parentheses and NOTs (at character %d)", MaxQueryDepth, t.at+1)
	}
	t, ok := p.peek()
	if !ok {
		return nil, qerr(p.end(), "a word or phrase is missing at the end")
	}
	switch t.kind {
	case tNot:
		p.pos++
		kid, err := p.unary(depth + 1)
		if err != nil {
			return nil, err
		}
		return &qnode{kind: qNot, kids: []*qnode{kid}}, nil
	case tLParen:
		p.pos++
		inner, err := p.or(depth + 1)
		if err != nil {
			return nil, err
		}
		c, ok := p.peek()
		if !ok || c.kind != tRParen {
			return nil, qerr(t.at, "this parenthesis is not closed")
		}
		p.pos++
		return inner, nil
	case tWord, tPhrase:
		p.pos++
		text, prefix := t.text, false
		if t.kind == tWord && strings.HasSuffix(text, "*") {
			text, prefix = strings.TrimRight(text, "*"), true
		}
		words := Words(text)
		if len(words) == 0 {
			return nil, qerr(t.at, "%q has no letters or digits to look for", t.text)
		}
		p.terms++
		return &qnode{kind: qTerm, words: words, prefix: prefix}, nil
	}
	return nil, qerr(t.at, "%q needs a word or phrase before it", t.text)
}

// Match reports whether the words of a text (from Words) satisfy the query.
func (q *Query) Match(words []string) bool { return q.root.match(words) }

func (n *qnode) match(words []string) bool {
	switch n.kind {
	case qAnd:
		for _, k := range n.kids {
			if !k.match(words) {
				return false
			}
		}
		return true
	case qOr:
		for _, k := range n.kids {
			if k.match(words) {
				return true
			}
		}
		return false
	case qNot:
		return !n.kids[0].match(words)
	}
	last := len(n.words) - 1
	for i := 0; i+last < len(words); i++ {
		ok := true
		for j, w := range n.words {
			got := words[i+j]
			if j == last && n.prefix {
				ok = strings.HasPrefix(got, w)
			} else {
				ok = got == w
			}
			if !ok {
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// fold maps the accented letters of Latin-1 and Latin Extended-A to their
// base letters, lower case (é→e, Ä→a, ß→ss, œ→oe); built once from Unicode's
// decompositions so the per-message loop never allocates for them.
var fold = func() map[rune]string {
	m := map[rune]string{'ß': "ss", 'ẞ': "ss", 'œ': "oe", 'Œ': "oe", 'æ': "ae", 'Æ': "ae", 'ø': "o", 'Ø': "o", 'ł': "l", 'Ł': "l", 'đ': "d", 'Đ': "d", 'ı': "i"}
	for r := rune(0xC0); r <= 0x24F; r++ {
		if _, ok := m[r]; ok {
			continue
		}
		var b strings.Builder
		for _, d := range norm.NFD.String(string(r)) {
			if unicode.Is(unicode.Mn, d) {
				continue
			}
			b.WriteRune(unicode.ToLower(d))
		}
		if s := b.String(); s != string(unicode.ToLower(r)) || unicode.IsUpper(r) {
			m[r] = s
		}
	}
	return m
}()

// Words splits text into lower-case, accent-free words: runs of letters and
// digits; everything else (spaces, punctuation, apostrophes, emoji) separates
// words. Queries and messages go through the same function, so "l'arnaque"
// contains the word arnaque and "e-mail" is the phrase "e mail".
func Words(text string) []string {
	// The folded words are written into one buffer, separated by spaces,
	// then sliced: two allocations per text instead of one per word.
	var b strings.Builder
	b.Grow(len(text))
	var bounds []int32 // start, end pairs into b
	start := -1
	open := func() {
		if start < 0 {
			start = b.Len()
		}
	}
	flush := func() {
		if start >= 0 {
			bounds = append(bounds, int32(start), int32(b.Len()))
			start = -1
		}
	}
	for _, r := range text {
		switch {
		case r < utf8.RuneSelf:
			switch {
			case 'a' <= r && r <= 'z', '0' <= r && r <= '9':
				open()
				b.WriteByte(byte(r))
			case 'A' <= r && r <= 'Z':
				open()
				b.WriteByte(byte(r) + 'a' - 'A')
			default:
				flush()
			}
		case unicode.Is(unicode.Mn, r):
			// A combining accent written apart (e + U+0301) folds away too.
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			open()
			if s, ok := fold[r]; ok {
				b.WriteString(s)
			} else {
				b.WriteRune(unicode.ToLower(r))
			}
		default:
			flush()
		}
	}
	flush()
	if len(bounds) == 0 {
		return nil
	}
	all := b.String()
	out := make([]string, len(bounds)/2)
	for i := range out {
		out[i] = all[bounds[2*i]:bounds[2*i+1]]
	}
	return out
}

// Anchor is a word a matching text must contain (or, with Prefix, a word
// beginning); see Query.Anchors.
type Anchor struct {
	Word   string
	Prefix bool
}

// Anchors returns words of which every text the query matches contains at
// least one (the first word of a phrase stands for the phrase), so a
// matcher holding many queries tests only those whose anchors a text holds.
// ok is false when the query can match a text with none of its words (a
// bare NOT): such a query has no anchors and must be tested on every text.
func (q *Query) Anchors() (anchors []Anchor, ok bool) { return q.root.anchors() }

// SearchTerms returns, like Anchors, words and phrases of which every text
// the query matches contains at least one, keeping phrases whole (a prefix
// term gives its beginning): what to ask a network's keyword search for,
// before the query itself filters the results.
func (q *Query) SearchTerms() (terms []string, ok bool) { return q.root.searchTerms() }

func (n *qnode) searchTerms() ([]string, bool) {
	switch n.kind {
	case qTerm:
		return []string{strings.Join(n.words, " ")}, true
	case qNot:
		return nil, false
	case qOr:
		var all []string
		for _, k := range n.kids {
			t, ok := k.searchTerms()
			if !ok {
				return nil, false
			}
			all = append(all, t...)
		}
		return all, true
	}
	var best []string
	found := false
	for _, k := range n.kids {
		if t, ok := k.searchTerms(); ok && (!found || len(t) < len(best)) {
			best, found = t, true
		}
	}
	return best, found
}

func (n *qnode) anchors() ([]Anchor, bool) {
	switch n.kind {
	case qTerm:
		return []Anchor{{Word: n.words[0], Prefix: n.prefix && len(n.words) == 1}}, true
	case qNot:
		return nil, false
	case qOr:
		var all []Anchor
		for _, k := range n.kids {
			a, ok := k.anchors()
			if !ok {
				return nil, false
			}
			all = append(all, a...)
		}
		return all, true
	}
	// AND: any one kid's anchors suffice; take the fewest.
	var best []Anchor
	found := false
	for _, k := range n.kids {
		if a, ok := k.anchors(); ok && (!found || len(a) < len(best)) {
			best, found = a, true
		}
	}
	return best, found
}
