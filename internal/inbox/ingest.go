package inbox

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"time"

	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/feedback"
	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/sentiment"
	"github.com/relais/relais/internal/store"
)

// PolledNetworks are the networks whose channels the poller reads: every
// registered network. A channel whose connector reads neither mentions nor
// comments (a website feed, a webhook) is skipped when it is opened, so a new
// connector's conversations reach the inbox as soon as it implements the
// capabilities, without a list to keep.
func PolledNetworks() []network.Kind { return network.Kinds() }

// Classify fills in a message's language, sentiment and feedback themes.
// The network's language tag, when there is one, decides the language.
func Classify(m *Message) {
	r := sentiment.Analyze(m.Text, m.Language)
	m.Language = r.Lang
	m.Sentiment = string(r.Label)
	m.SentimentScore = r.Compound
	themes := feedback.Themes(m.Text, r.Lang)
	m.Themes = make([]string, len(themes))
	for i, t := range themes {
		m.Themes[i] = string(t)
	}
}

// Preparer is a Hook that also sees each batch once it is classified and
// before it is stored, and may set the messages' state, assignee, priority
// and labels (the moderation rules do), so that they are stored with the
// batch rather than changed one by one afterwards. An error is logged.
type Preparer interface {
	Prepare(ctx context.Context, ms []*Message) error
}

// Ingest classifies and stores a batch of messages (skipping those already
// stored) and tells the hooks about each new one. The batch is one
// transaction; Preparer hooks see it before, every hook each new message after.
func (s *Service) Ingest(ctx context.Context, ms []*Message) (int, error) {
	classifyAll(ms)
	for _, h := range s.Hooks {
		if p, ok := h.(Preparer); ok {
			if err := p.Prepare(ctx, ms); err != nil {
				s.log().Warn("inbox: hook failed before storing", "messages", len(ms), "err", err)
			}
		}
	}
	n, err := s.Store.InsertMessages(ctx, ms)
	if err != nil {
		return 0, err
	}
	for _, m := range ms {
		if m.ID == 0 {
			continue
		}
		for _, h := range s.Hooks {
			if err := h.Received(ctx, *m); err != nil {
				s.log().Warn("inbox: hook failed", "message", m.ID, "workspace", m.WorkspaceID, "err", err)
			}
		}
	}
	return n, nil
}

// classifyAll classifies a batch, large batches on every core.
func classifyAll(ms []*Message) {
	workers := runtime.GOMAXPROCS(0)
	if len(ms) < 64 || workers < 2 {
		for _, m := range ms {
			Classify(m)
		}
		return
	}
	var wg sync.WaitGroup
	per := (len(ms) + workers - 1) / workers
	for lo := 0; lo < len(ms); lo += per {
		part := ms[lo:min(lo+per, len(ms))]
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, m := range part {
				Classify(m)
			}
		}()
	}
	wg.Wait()
}

// SyncResult counts what a sync read and stored.
type SyncResult struct {
	Channels int `json:"channels"`
	Read     int `json:"read"`
	New      int `json:"new"`
	// Errors are the channels that could not be read, with why.
	Errors []string `json:"errors,omitempty"`
}

func (r *SyncResult) add(o SyncResult) {
	r.Channels += o.Channels
	r.Read += o.Read
	r.New += o.New
	r.Errors = append(r.Errors, o.Errors...)
}

// Sync reads the principal's workspace now (the "poll now" of the CLI, the
// API and the web UI).
func (s *Service) Sync(ctx context.Context, p auth.Principal) (SyncResult, error) {
	if err := can(p, auth.ActView); err != nil {
		return SyncResult{}, err
	}
	return s.SyncWorkspace(ctx, p.Workspace.ID)
}

// SyncWorkspace reads every channel of the workspace now.
func (s *Service) SyncWorkspace(ctx context.Context, workspaceID int64) (SyncResult, error) {
	chans, err := s.Store.Channels(ctx, workspaceID)
	if err != nil {
		return SyncResult{}, err
	}
	return s.syncChannels(ctx, chans), nil
}

// SyncNetworks reads every channel of the networks, in every workspace (the poller).
func (s *Service) SyncNetworks(ctx context.Context, kinds ...network.Kind) (SyncResult, error) {
	var res SyncResult
	for _, k := range kinds {
		chans, err := s.Store.ChannelsOfNetwork(ctx, string(k))
		if err != nil {
			return res, err
		}
		res.add(s.syncChannels(ctx, chans))
	}
	return res, ctx.Err()
}

func (s *Service) syncChannels(ctx context.Context, chans []store.Channel) SyncResult {
	var res SyncResult
	for _, ch := range chans {
		if ctx.Err() != nil {
			break
		}
		if ch.Status == store.ChannelNeedsReconnect {
			continue
		}
		r, err := s.SyncChannel(ctx, ch)
		if err != nil {
			res.Errors = append(res.Errors, fmt.Sprintf("channel %d (%s): %v", ch.ID, ch.Network, err))
			s.log().Warn("inbox: read channel", "channel", ch.ID, "network", ch.Network, "err", err)
		}
		res.add(r)
	}
	return res
}

// SyncChannel reads a channel's new mentions (from its cursor) and the
// comments under its recent publications, and ingests them. The cursor moves
// only after the messages are stored, so a crash reads them again (and the
// dedup drops them).
func (s *Service) SyncChannel(ctx context.Context, ch store.Channel) (SyncResult, error) {
	conn, _, err := s.Connectors.Connector(ctx, ch.WorkspaceID, ch.ID)
	if err != nil {
		return SyncResult{}, err
	}
	mr, mentions := conn.(network.MentionReader)
	cr, comments := conn.(network.CommentReader)
	if !mentions && !comments {
		return SyncResult{}, nil
	}
	res := SyncResult{Channels: 1}
	th := threader{s: s, ch: ch, pubs: map[string]*store.Publication{}}
	var errs []error
	if mentions {
		cursor, err := s.Store.InboxCursor(ctx, ch.WorkspaceID, ch.ID)
		if err != nil {
			return res, err
		}
		got, next, err := mr.Mentions(ctx, cursor)
		if err != nil {
			errs = append(errs, err)
		}
		n, serr := s.ingestComments(ctx, &th, got, store.KindMention)
		res.Read, res.New = res.Read+len(got), res.New+n
		if serr != nil {
			return res, serr
		}
		if next != "" && next != cursor {
			if err := s.Store.SetInboxCursor(ctx, ch.WorkspaceID, ch.ID, next, s.now()); err != nil {
				return res, err
			}
		}
	}
	if comments {
		window := s.CommentWindow
		if window <= 0 {
			window = 7 * 24 * time.Hour
		}
		pubs, err := s.Store.RecentPublications(ctx, ch.WorkspaceID, ch.ID, s.now().Add(-window), 50)
		if err != nil {
			return res, err
		}
		for _, p := range pubs {
			p := p
			th.pubs[p.RemoteID] = &p
			got, err := cr.Comments(ctx, p.RemoteID)
			if err != nil {
				if !errors.Is(err, network.ErrNotFound) {
					errs = append(errs, err)
				}
				continue
			}
			n, serr := s.ingestComments(ctx, &th, got, store.KindReply)
			res.Read, res.New = res.Read+len(got), res.New+n
			if serr != nil {
				return res, serr
			}
		}
	}
	return res, errors.Join(errs...)
}

func (s *Service) ingestComments(ctx context.Context, th *threader, cs []network.Comment, kind store.MessageKind) (int, error) {
	ms := make([]*Message, 0, len(cs))
	now := s.now()
	for _, c := range cs {
		// The channel's own posts (its replies, its thread parts) are not inbox messages.
		if c.RemoteID == "" || (c.AuthorID != "" && c.AuthorID == th.ch.RemoteID) {
			continue
		}
		m := &Message{WorkspaceID: th.ch.WorkspaceID, ChannelID: th.ch.ID, Network: th.ch.Network, RemoteID: c.RemoteID,
			ParentRemoteID: c.ParentID, RootRemoteID: c.RootID, Kind: kindOf(c, kind), AuthorID: c.AuthorID,
			AuthorHandle: c.AuthorHandle, AuthorName: c.AuthorName, Text: c.Text, Language: c.Language, URL: c.URL,
			CreatedAt: c.CreatedAt, ReceivedAt: now}
		if m.AuthorHandle == "" {
			m.AuthorHandle = c.AuthorName
		}
		if err := th.thread(ctx, m); err != nil {
			return 0, err
		}
		ms = append(ms, m)
	}
	return s.Ingest(ctx, ms)
}

func kindOf(c network.Comment, def store.MessageKind) store.MessageKind {
	switch k := store.MessageKind(c.Kind); k {
	case store.KindReply, store.KindMention, store.KindQuote, store.KindComment, store.KindDM:
		return k
	}
	if def == store.KindMention && c.ParentID != "" {
		return store.KindReply
	}
	return def
}

// threader links messages to the relais publication they answer.
type threader struct {
	s  *Service
	ch store.Channel
	// pubs caches publications by remote id (nil: looked up, none).
	pubs map[string]*store.Publication
	// msgs caches messages by remote id, this batch's and the stored ones
	// looked up (nil: looked up, none).
	msgs map[string]*Message
}

func (t *threader) publication(ctx context.Context, remoteID string) (*store.Publication, error) {
	if remoteID == "" {
		return nil, nil
	}
	if p, ok := t.pubs[remoteID]; ok {
		return p, nil
	}
	p, err := t.s.Store.PublicationByRemoteID(ctx, t.ch.WorkspaceID, t.ch.ID, remoteID)
	if errors.Is(err, store.ErrNotFound) {
		t.pubs[remoteID] = nil
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	t.pubs[remoteID] = &p
	return &p, nil
}

// message finds the channel's message with the remote id: one threaded
// earlier in this batch, else a stored one.
func (t *threader) message(ctx context.Context, remoteID string) (*Message, error) {
	if remoteID == "" {
		return nil, nil
	}
	if t.msgs == nil {
		t.msgs = map[string]*Message{}
	}
	if m, ok := t.msgs[remoteID]; ok {
		return m, nil
	}
	m, err := t.s.Store.MessageByRemoteID(ctx, t.ch.WorkspaceID, t.ch.ID, remoteID)
	if errors.Is(err, store.ErrNotFound) {
		t.msgs[remoteID] = nil
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	t.msgs[remoteID] = &m
	return &m, nil
}

// thread sets the message's post, publication and root: the publication its
// root or parent is; else, when it answers a message already in the inbox,
// that message's (so a reply to a comment stays under the post even when the
// network does not say which post the thread belongs to); else its own
// root, parent or itself.
func (t *threader) thread(ctx context.Context, m *Message) error {
	defer func() {
		if t.msgs == nil {
			t.msgs = map[string]*Message{}
		}
		t.msgs[m.RemoteID] = m
	}()
	for _, id := range []string{m.RootRemoteID, m.ParentRemoteID} {
		p, err := t.publication(ctx, id)
		if err != nil {
			return err
		}
		if p != nil {
			m.PostID, m.PublicationID, m.RootRemoteID = p.PostID, p.ID, p.RemoteID
			return nil
		}
	}
	if m.ParentRemoteID != "" && m.ParentRemoteID != m.RemoteID {
		parent, err := t.message(ctx, m.ParentRemoteID)
		if err != nil {
			return err
		}
		if parent != nil && parent.RootRemoteID != "" {
			m.PostID, m.PublicationID, m.RootRemoteID = parent.PostID, parent.PublicationID, parent.RootRemoteID
			return nil
		}
	}
	switch {
	case m.RootRemoteID != "":
	case m.ParentRemoteID != "":
		m.RootRemoteID = m.ParentRemoteID
	default:
		m.RootRemoteID = m.RemoteID
	}
	return nil
}
