package listen

// Matcher tests a post against many compiled queries at once. Every query
// is indexed by its anchors — the words (or word beginnings) of which a
// matching text must hold one, the hashtags and the mentions it listens for
// — so one pass over a post's words, one hash lookup per word, finds the
// few queries worth evaluating in full (multi-pattern matching at the word
// level: the cost grows with the post's length, not with the number of
// queries). A Matcher is immutable and safe for concurrent use.
type Matcher struct {
	queries  []*Compiled
	words    map[string][]int32
	prefixes map[string][]int32
	hashtags map[string][]int32
	mentions map[string][]int32
	// prefix lengths present, in bytes, to bound the lookups per word.
	minPrefix, maxPrefix int
}

// NewMatcher indexes qs; Match reports positions in qs.
func NewMatcher(qs []*Compiled) *Matcher {
	m := &Matcher{queries: qs, words: map[string][]int32{}, prefixes: map[string][]int32{},
		hashtags: map[string][]int32{}, mentions: map[string][]int32{}}
	add := func(idx map[string][]int32, key string, i int32) {
		l := idx[key]
		if len(l) == 0 || l[len(l)-1] != i {
			idx[key] = append(l, i)
		}
	}
	for i, q := range qs {
		qi := int32(i)
		if q.keywords != nil {
			anchors, _ := q.keywords.Anchors()
			for _, a := range anchors {
				if !a.Prefix {
					add(m.words, a.Word, qi)
					continue
				}
				add(m.prefixes, a.Word, qi)
				if n := len(a.Word); m.minPrefix == 0 || n < m.minPrefix {
					m.minPrefix = n
				}
				if n := len(a.Word); n > m.maxPrefix {
					m.maxPrefix = n
				}
			}
		}
		for h := range q.hashtags {
			add(m.hashtags, h, qi)
		}
		for h := range q.mentions {
			add(m.mentions, h, qi)
		}
	}
	return m
}

// Len is the number of queries.
func (m *Matcher) Len() int { return len(m.queries) }

// Query returns the i-th query.
func (m *Matcher) Query(i int) *Compiled { return m.queries[i] }

// Match appends to dst the positions of the queries p matches, in order of
// first anchor found.
func (m *Matcher) Match(p *Post, dst []int) []int {
	return m.match(prepare(p), dst)
}

func (m *Matcher) match(p *prepared, dst []int) []int {
	var cand []int32
	var stack [16]int32
	cand = stack[:0]
	push := func(l []int32) {
		for _, i := range l {
			dup := false
			for _, c := range cand {
				if c == i {
					dup = true
					break
				}
			}
			if !dup {
				cand = append(cand, i)
			}
		}
	}
	for _, w := range p.words {
		if l, ok := m.words[w]; ok {
			push(l)
		}
		if m.maxPrefix > 0 && len(w) >= m.minPrefix {
			for n := m.minPrefix; n <= m.maxPrefix && n <= len(w); n++ {
				if l, ok := m.prefixes[w[:n]]; ok {
					push(l)
				}
			}
		}
	}
	for _, h := range p.hashtags {
		push(m.hashtags[h])
	}
	for _, h := range p.mentions {
		push(m.mentions[h])
		if s := shortHandle(h); s != h {
			push(m.mentions[s])
		}
	}
	for _, i := range cand {
		if m.queries[i].matches(p) {
			dst = append(dst, int(i))
		}
	}
	return dst
}
