package xtest

import (
	"errors"
	"strings"
	"unicode"
)

// A search query in X's syntax: terms side by side must all match, OR
// between them gives alternatives, parentheses group, "quoted phrases"
// match exactly, a leading '-' negates, #hashtag and @mention match as
// written, and the operators conversation_id:, from:, lang: and is:retweet
// filter. Text matching is case-insensitive on whole words, as on X.
type qnode struct {
	kind  byte // 't' term, 'a' and, 'o' or, 'n' not
	term  string
	kids  []*qnode
	field string // operator name for "field:value" terms
}

type qparser struct {
	toks []string
	pos  int
}

func parseQuery(q string) (*qnode, error) {
	toks, err := lexQuery(q)
	if err != nil {
		return nil, err
	}
	p := &qparser{toks: toks}
	n, err := p.or()
	if err != nil {
		return nil, err
	}
	if p.pos != len(p.toks) {
		return nil, errors.New("There were errors processing your request: unbalanced parentheses")
	}
	return n, nil
}

func lexQuery(q string) ([]string, error) {
	var toks []string
	r := []rune(q)
	for i := 0; i < len(r); {
		switch c := r[i]; {
		case unicode.IsSpace(c):
			i++
		case c == '(' || c == ')':
			toks = append(toks, string(c))
			i++
		default:
			start := i
			if c == '-' {
				i++
			}
			if i < len(r) && r[i] == '"' {
				end := i + 1
				for end < len(r) && r[end] != '"' {
					end++
				}
				if end >= len(r) {
					return nil, errors.New("There were errors processing your request: unterminated quote")
				}
				toks = append(toks, string(r[start:end+1]))
				i = end + 1
				continue
			}
			for i < len(r) && !unicode.IsSpace(r[i]) && r[i] != '(' && r[i] != ')' {
				i++
			}
			toks = append(toks, string(r[start:i]))
		}
	}
	return toks, nil
}

func (p *qparser) peek() string {
	if p.pos < len(p.toks) {
		return p.toks[p.pos]
	}
	return ""
}

func (p *qparser) or() (*qnode, error) {
	var kids []*qnode
	for {
		n, err := p.and()
		if err != nil {
			return nil, err
		}
		kids = append(kids, n)
		if p.peek() != "OR" {
			break
		}
		p.pos++
	}
	if len(kids) == 1 {
		return kids[0], nil
	}
	return &qnode{kind: 'o', kids: kids}, nil
}

func (p *qparser) and() (*qnode, error) {
	var kids []*qnode
	for t := p.peek(); t != "" && t != ")" && t != "OR"; t = p.peek() {
		n, err := p.unary()
		if err != nil {
			return nil, err
		}
		kids = append(kids, n)
	}
	if len(kids) == 0 {
		return nil, errors.New("There were errors processing your request: empty expression")
	}
	if len(kids) == 1 {
		return kids[0], nil
	}
	return &qnode{kind: 'a', kids: kids}, nil
}

func (p *qparser) unary() (*qnode, error) {
	t := p.peek()
	p.pos++
	neg := false
	if len(t) > 1 && t[0] == '-' {
		neg, t = true, t[1:]
	}
	var n *qnode
	if t == "(" {
		inner, err := p.or()
		if err != nil {
			return nil, err
		}
		if p.peek() != ")" {
			return nil, errors.New("There were errors processing your request: unbalanced parentheses")
		}
		p.pos++
		n = inner
	} else {
		n = &qnode{kind: 't', term: strings.ToLower(strings.Trim(t, `"`))}
		if !strings.HasPrefix(t, `"`) {
			if f, v, ok := strings.Cut(t, ":"); ok && f != "" && !strings.HasPrefix(f, "http") {
				n.field, n.term = f, v
			}
		}
	}
	if neg {
		return &qnode{kind: 'n', kids: []*qnode{n}}, nil
	}
	return n, nil
}

// searchPost is what a query is tested on.
type searchPost struct {
	words          []string // lower-case words, with # and @ kept
	conversationID string
	author         string // username, lower-case
	lang           string
	retweet        bool
}

func (n *qnode) match(p *searchPost) bool {
	switch n.kind {
	case 'a':
		for _, k := range n.kids {
			if !k.match(p) {
				return false
			}
		}
		return true
	case 'o':
		for _, k := range n.kids {
			if k.match(p) {
				return true
			}
		}
		return false
	case 'n':
		return !n.kids[0].match(p)
	}
	switch n.field {
	case "conversation_id":
		return p.conversationID == n.term
	case "from":
		return p.author == strings.ToLower(strings.TrimPrefix(n.term, "@"))
	case "lang":
		return p.lang == n.term
	case "is":
		return n.term == "retweet" && p.retweet
	case "":
	default:
		return false
	}
	if strings.Contains(n.term, " ") {
		return strings.Contains(" "+strings.Join(p.words, " ")+" ", " "+strings.Join(splitWords(n.term), " ")+" ")
	}
	for _, w := range p.words {
		if w == n.term {
			return true
		}
	}
	return false
}

// splitWords cuts text into lower-case words; # and @ stay on theirs, and
// a hashtag also counts as its bare word (X's keyword match does).
func splitWords(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '#' && r != '@' && r != '_'
	}) {
		out = append(out, f)
		if t := strings.TrimLeft(f, "#@"); t != f && t != "" {
			out = append(out, t)
		}
	}
	return out
}
