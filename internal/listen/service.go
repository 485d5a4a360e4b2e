package listen

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/relais/relais/internal/feedback"
	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/sentiment"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/valid"
)

// MaxQueries bounds the queries of one workspace.
const MaxQueries = 200

// Connectors opens a workspace's channel connector (the inbox's registry).
type Connectors interface {
	Connector(ctx context.Context, workspaceID, channelID int64) (network.Connector, network.Limits, error)
}

// Hook hears about each new mention (alerts, webhooks).
type Hook func(ctx context.Context, m store.Mention)

// Service runs listening: queries, the matcher over every workspace's
// active queries, the sources and the mentions.
type Service struct {
	Store      store.Store
	Connectors Connectors
	Hooks      []Hook
	// Alerts announces new mentions and bursts of the queries that ask (nil: none).
	Alerts *Alerter
	// HTTP reads the website feeds: the connectors' client, which refuses
	// private and loopback addresses (default: a new one).
	HTTP *http.Client
	Log  *slog.Logger
	Now  func() time.Time
	// Rewind is how far before its cursor a Jetstream reconnection resumes
	// (default 2 s): events in flight at the drop are read again, never lost.
	Rewind time.Duration

	mu     sync.RWMutex
	all    *Matcher
	refs   []queryRef // refs[i] is all.Query(i)'s id and workspace
	loaded bool
	recent ring
	specs  map[int64]Spec // the active queries' specs, by id
}

type queryRef struct{ ID, WorkspaceID int64 }

func (s *Service) log() *slog.Logger {
	if s.Log == nil {
		return slog.Default()
	}
	return s.Log
}

func (s *Service) now() time.Time {
	if s.Now == nil {
		return time.Now().UTC()
	}
	return s.Now().UTC()
}

// Query is a stored query with its spec decoded.
type Query struct {
	ID          int64     `json:"id"`
	WorkspaceID int64     `json:"-"`
	Paused      bool      `json:"paused"`
	CreatedAt   time.Time `json:"created_at"`
	Spec
}

func decode(q store.ListenQuery) (Query, error) {
	out := Query{ID: q.ID, WorkspaceID: q.WorkspaceID, Paused: q.Paused, CreatedAt: q.CreatedAt}
	err := json.Unmarshal([]byte(q.Spec), &out.Spec)
	out.Name = q.Name
	return out, err
}

// AddQuery validates and stores a query.
func (s *Service) AddQuery(ctx context.Context, workspaceID, userID int64, spec Spec) (Query, error) {
	c, err := Compile(spec)
	if err != nil {
		return Query{}, err
	}
	existing, err := s.Store.ListenQueries(ctx, workspaceID)
	if err != nil {
		return Query{}, err
	}
	if len(existing) >= MaxQueries {
		return Query{}, valid.Errorf("name", "too_many", "A workspace allows at most %d listening queries", MaxQueries)
	}
	raw, _ := json.Marshal(c.Spec)
	q := store.ListenQuery{WorkspaceID: workspaceID, Name: c.Spec.Name, Spec: string(raw), CreatedBy: userID, CreatedAt: s.now()}
	if err := s.Store.CreateListenQuery(ctx, &q); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return Query{}, valid.Errorf("name", "taken", "A query named %q exists already", c.Spec.Name)
		}
		return Query{}, err
	}
	s.Invalidate()
	return decode(q)
}

// SetPaused pauses a query (it matches nothing until resumed) or resumes it.
func (s *Service) SetPaused(ctx context.Context, workspaceID, id int64, paused bool) error {
	q, err := s.Store.ListenQuery(ctx, workspaceID, id)
	if err != nil {
		return err
	}
	q.Paused = paused
	if err := s.Store.UpdateListenQuery(ctx, q); err != nil {
		return err
	}
	s.Invalidate()
	return nil
}

// UpdateQuery replaces a query's spec and pause.
func (s *Service) UpdateQuery(ctx context.Context, workspaceID, id int64, spec Spec, paused bool) (Query, error) {
	c, err := Compile(spec)
	if err != nil {
		return Query{}, err
	}
	raw, _ := json.Marshal(c.Spec)
	q, err := s.Store.ListenQuery(ctx, workspaceID, id)
	if err != nil {
		return Query{}, err
	}
	q.Name, q.Spec, q.Paused = c.Spec.Name, string(raw), paused
	if err := s.Store.UpdateListenQuery(ctx, q); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return Query{}, valid.Errorf("name", "taken", "A query named %q exists already", c.Spec.Name)
		}
		return Query{}, err
	}
	s.Invalidate()
	return decode(q)
}

// DeleteQuery deletes a query; its mentions stay.
func (s *Service) DeleteQuery(ctx context.Context, workspaceID, id int64) error {
	if err := s.Store.DeleteListenQuery(ctx, workspaceID, id); err != nil {
		return err
	}
	s.Invalidate()
	return nil
}

// Queries lists a workspace's queries.
func (s *Service) Queries(ctx context.Context, workspaceID int64) ([]Query, error) {
	qs, err := s.Store.ListenQueries(ctx, workspaceID)
	if err != nil {
		return nil, err
	}
	out := make([]Query, 0, len(qs))
	for _, q := range qs {
		d, err := decode(q)
		if err != nil {
			return nil, fmt.Errorf("listen: query %d: %w", q.ID, err)
		}
		out = append(out, d)
	}
	return out, nil
}

// Invalidate makes the next match reload the queries.
func (s *Service) Invalidate() {
	s.mu.Lock()
	s.loaded = false
	s.mu.Unlock()
}

// matcher returns the matcher of every active query, reloading it when
// queries changed.
func (s *Service) matcher(ctx context.Context) (*Matcher, []queryRef, error) {
	s.mu.RLock()
	if s.loaded {
		m, refs := s.all, s.refs
		s.mu.RUnlock()
		return m, refs, nil
	}
	s.mu.RUnlock()
	qs, err := s.Store.ActiveListenQueries(ctx)
	if err != nil {
		return nil, nil, err
	}
	var cs []*Compiled
	var refs []queryRef
	specs := map[int64]Spec{}
	for _, q := range qs {
		d, err := decode(q)
		if err != nil {
			s.log().Warn("listen: unreadable query", "query", q.ID, "err", err)
			continue
		}
		c, err := Compile(d.Spec)
		if err != nil {
			s.log().Warn("listen: invalid stored query", "query", q.ID, "err", err)
			continue
		}
		cs = append(cs, c)
		refs = append(refs, queryRef{q.ID, q.WorkspaceID})
		specs[q.ID] = c.Spec
	}
	m := NewMatcher(cs)
	s.mu.Lock()
	s.all, s.refs, s.loaded, s.specs = m, refs, true, specs
	s.mu.Unlock()
	return m, refs, nil
}

// Score fills a mention's language, sentiment and themes from its text.
func Score(m *store.Mention, langHint string) {
	r := sentiment.Analyze(m.Text, langHint)
	m.Sentiment, m.Compound = string(r.Label), r.Compound
	lang := r.Lang
	if lang == "other" || lang == "" {
		lang = baseLang(langHint)
	}
	m.Lang = lang
	m.Themes = m.Themes[:0]
	for _, t := range feedback.Themes(m.Text, lang) {
		m.Themes = append(m.Themes, string(t))
	}
}

// Process matches items against the active queries (only workspaceID's
// when it is not 0), scores and stores the matches; new is the number of
// mentions stored for the first time. Every item enters the preview sample.
func (s *Service) Process(ctx context.Context, workspaceID int64, items []Item) (created int, err error) {
	m, refs, err := s.matcher(ctx)
	if err != nil {
		return 0, err
	}
	var hits []int
	for i := range items {
		it := &items[i]
		s.recent.add(*it)
		hits = m.Match(&it.Post, hits[:0])
		if len(hits) == 0 {
			continue
		}
		byWork := map[int64][]int64{}
		var order []int64
		for _, h := range hits {
			r := refs[h]
			if workspaceID != 0 && r.WorkspaceID != workspaceID {
				continue
			}
			if _, ok := byWork[r.WorkspaceID]; !ok {
				order = append(order, r.WorkspaceID)
			}
			byWork[r.WorkspaceID] = append(byWork[r.WorkspaceID], r.ID)
		}
		for _, ws := range order {
			men := store.Mention{WorkspaceID: ws, Network: it.Network, RemoteID: it.RemoteID, URL: it.URL, Author: it.Author,
				AuthorName: it.AuthorName, AuthorFollowers: it.AuthorFollowers, Text: it.Text, PostedAt: it.PostedAt,
				ReceivedAt: s.now(), QueryIDs: byWork[ws]}
			Score(&men, it.Lang)
			isNew, err := s.Store.SaveMention(ctx, &men)
			if err != nil {
				return created, err
			}
			if isNew {
				created++
				for _, h := range s.Hooks {
					h(ctx, men)
				}
				s.alertMention(ctx, men)
			}
		}
	}
	return created, nil
}

// Preview runs a query, unsaved, on the posts the sources read lately (the
// last RecentSize) and on the workspace's stored mentions of the last 30
// days, and returns what it would have matched (at most limit).
func (s *Service) Preview(ctx context.Context, workspaceID int64, spec Spec, limit int) (PreviewResult, error) {
	c, err := Compile(spec)
	if err != nil {
		return PreviewResult{}, err
	}
	if limit <= 0 || limit > 100 {
		limit = 20
	}
	var res PreviewResult
	for _, it := range s.recent.items() {
		res.Scanned++
		if c.Match(&it.Post) {
			res.Matched++
			if len(res.Items) < limit {
				res.Items = append(res.Items, PreviewItem{Network: it.Network, Author: it.Author, Text: it.Text, URL: it.URL, PostedAt: it.PostedAt})
			}
		}
	}
	ms, err := s.Store.Mentions(ctx, workspaceID, store.MentionFilter{Since: s.now().AddDate(0, 0, -30), Limit: 2000})
	if err != nil {
		return res, err
	}
	for _, mm := range ms {
		res.Scanned++
		p := Post{Network: mm.Network, Author: mm.Author, Text: mm.Text, Lang: mm.Lang}
		p.Hashtags, p.Mentions = tagsOf(mm.Text)
		if c.Match(&p) {
			res.Matched++
			if len(res.Items) < limit {
				res.Items = append(res.Items, PreviewItem{Network: mm.Network, Author: mm.Author, Text: mm.Text, URL: mm.URL, PostedAt: mm.PostedAt})
			}
		}
	}
	return res, nil
}

// PreviewResult is what a query would have matched.
type PreviewResult struct {
	Scanned int           `json:"scanned" doc:"Posts the query was tested on"`
	Matched int           `json:"matched"`
	Items   []PreviewItem `json:"items"`
}

// PreviewItem is one post a previewed query matched.
type PreviewItem struct {
	Network  string    `json:"network"`
	Author   string    `json:"author"`
	Text     string    `json:"text"`
	URL      string    `json:"url,omitempty"`
	PostedAt time.Time `json:"posted_at"`
}

// tagsOf finds the #hashtags and @mentions written in plain text.
func tagsOf(text string) (tags, mentions []string) {
	for _, f := range strings.FieldsFunc(text, func(r rune) bool {
		return r == ' ' || r == '\n' || r == '\t' || r == ',' || r == '.' || r == '!' || r == '?' || r == ';' || r == ':' || r == '(' || r == ')'
	}) {
		switch {
		case len(f) > 1 && f[0] == '#':
			tags = append(tags, f[1:])
		case len(f) > 1 && f[0] == '@':
			mentions = append(mentions, f[1:])
		}
	}
	return tags, mentions
}

// RecentSize is how many recently read posts the preview tests.
const RecentSize = 5000

type ring struct {
	mu   sync.Mutex
	buf  []Item
	next int
}

func (r *ring) add(it Item) {
	r.mu.Lock()
	if len(r.buf) < RecentSize {
		r.buf = append(r.buf, it)
	} else {
		r.buf[r.next] = it
		r.next = (r.next + 1) % RecentSize
	}
	r.mu.Unlock()
}

func (r *ring) items() []Item {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Item(nil), r.buf...)
}

// jetSource names a Jetstream endpoint's cursor.
func jetSource(endpoint string) string { return "jetstream:" + endpoint }

// RunJetstream reads Bluesky's firehose from endpoint until ctx ends,
// resuming from the stored cursor. The cursor is saved only after the
// events up to it are processed, so a restart reads a few events again
// (stored once: mentions are unique per post) and loses none.
func (s *Service) RunJetstream(ctx context.Context, endpoint string) error {
	src := jetSource(endpoint)
	saved, err := s.Store.ListenCursor(ctx, src)
	if err != nil {
		return err
	}
	cursor, _ := strconv.ParseInt(saved, 10, 64)
	var lastSave time.Time
	var unsaved int
	processed := cursor
	rewind := s.Rewind
	if rewind <= 0 {
		rewind = 2 * time.Second
	}
	c := &JetstreamClient{Endpoint: endpoint, Cursor: cursor, Rewind: rewind, Log: s.log()}
	save := func(ctx context.Context) error {
		if unsaved == 0 {
			return nil
		}
		unsaved = 0
		lastSave = time.Now()
		return s.Store.SetListenCursor(ctx, src, strconv.FormatInt(processed, 10))
	}
	batch := make([]Item, 1)
	c.Handle = func(ctx context.Context, timeUS int64, it *Item) error {
		if it != nil {
			batch[0] = *it
			if _, err := s.Process(ctx, 0, batch); err != nil {
				return err
			}
		}
		// Saved only once the event is processed: a crash before this line
		// reads it again.
		processed = max(processed, timeUS)
		unsaved++
		if unsaved >= 1000 || time.Since(lastSave) >= time.Second {
			return save(ctx)
		}
		return nil
	}
	err = c.Run(ctx)
	// Save the final position with a context that outlives ctx.
	if serr := save(context.WithoutCancel(ctx)); serr != nil && err == nil {
		err = serr
	}
	return err
}
