package inbox

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/valid"
)

// ReplyKey is the idempotency key of a reply when the caller gives none: the
// same text to the same message is one reply, however often it is asked for
// (a command run again after a crash, a form submitted twice).
func ReplyKey(messageID int64, text string) string {
	sum := sha256.Sum256([]byte(strconv.FormatInt(messageID, 10) + "\x00" + text))
	return "auto-" + hex.EncodeToString(sum[:16])
}

// ErrReplyNeedsReview is returned when an earlier attempt of the reply was cut
// short on a network where relais cannot check whether it went out.
var ErrReplyNeedsReview = errors.New("inbox: the reply may have been sent; check the conversation on the network")

// Reply answers a message through its network, as the channel, exactly once
// per idempotency key (ReplyKey when key is ""). The reply is recorded
// (sending) before the remote call; a repeated request finds the record and
// returns the sent reply, or, when an earlier attempt was cut short, looks
// for the reply on the network before sending it again.
func (s *Service) Reply(ctx context.Context, p auth.Principal, messageID int64, text, key string) (store.Reply, error) {
	if err := can(p, auth.ActCompose); err != nil {
		return store.Reply{}, err
	}
	text, err := valid.Text("text", "The reply", text, MaxReply)
	if err != nil {
		return store.Reply{}, err
	}
	if key == "" {
		key = ReplyKey(messageID, text)
	} else if len(key) > 200 {
		return store.Reply{}, valid.Errorf("idempotency_key", "too_long", "the idempotency key allows at most 200 characters; it has %d", len(key))
	}
	m, err := s.Store.Message(ctx, p.Workspace.ID, messageID)
	if err != nil {
		return store.Reply{}, err
	}
	conn, _, err := s.Connectors.Connector(ctx, p.Workspace.ID, m.ChannelID)
	if err != nil {
		return store.Reply{}, err
	}
	if _, ok := conn.(network.Replier); !ok {
		return store.Reply{}, fmt.Errorf("%w: %s channels cannot reply from relais", ErrNotSupported, m.Network)
	}
	r := store.Reply{WorkspaceID: p.Workspace.ID, MessageID: m.ID, AuthorID: p.User.ID, Text: text, IdempotencyKey: key, CreatedAt: s.now()}
	err = s.Store.CreateReply(ctx, &r)
	if errors.Is(err, store.ErrConflict) {
		prev, err := s.Store.ReplyByKey(ctx, p.Workspace.ID, key)
		if err != nil {
			return store.Reply{}, err
		}
		if prev.MessageID != m.ID {
			return store.Reply{}, valid.Errorf("idempotency_key", "taken", "the idempotency key was used for a reply to another message")
		}
		switch prev.State {
		case store.ReplySent:
			return prev, nil
		case store.ReplyNeedsReview:
			return prev, ErrReplyNeedsReview
		case store.ReplyFailed:
			return prev, fmt.Errorf("inbox: this reply failed before: %s; send it with another key to try again", prev.Error)
		}
		// Sending: an earlier attempt was cut short; check before sending.
		return s.resume(ctx, conn, m, prev)
	}
	if err != nil {
		return store.Reply{}, err
	}
	return s.send(ctx, conn, m, r)
}

// send makes the remote call for a recorded reply and stores its outcome.
func (s *Service) send(ctx context.Context, conn network.Connector, m Message, r store.Reply) (store.Reply, error) {
	rp, err := conn.(network.Replier).Reply(ctx, m.RemoteID, r.Text)
	if err != nil {
		switch network.ClassOf(err) {
		case network.InvalidContent, network.Permanent, network.AuthReconnect, network.AuthRefresh:
			// The network refused: nothing went out.
			return s.finish(ctx, r, store.ReplyFailed, network.RemotePost{}, err.Error(), err)
		}
		// A timeout or a dropped answer: the reply may be out; look before saying it failed.
		return s.resume(ctx, conn, m, r)
	}
	return s.finish(ctx, r, store.ReplySent, rp, "", nil)
}

// resume settles a reply left in sending: found on the network, it is sent;
// not found, it is sent now; on a network where relais cannot look, it goes
// to needs_review for a person.
func (s *Service) resume(ctx context.Context, conn network.Connector, m Message, r store.Reply) (store.Reply, error) {
	f, ok := conn.(network.ReplyFinder)
	if !ok {
		return s.finish(ctx, r, store.ReplyNeedsReview, network.RemotePost{}, "interrupted; the network cannot be checked", ErrReplyNeedsReview)
	}
	rp, found, err := f.FindReply(ctx, m.RemoteID, r.Text)
	if err != nil {
		// Leave it sending: the next attempt or the recovery looks again.
		return r, fmt.Errorf("inbox: check whether reply %d went out: %w", r.ID, err)
	}
	if found {
		return s.finish(ctx, r, store.ReplySent, rp, "", nil)
	}
	rp, err = conn.(network.Replier).Reply(ctx, m.RemoteID, r.Text)
	if err != nil {
		if c := network.ClassOf(err); c == network.Retryable || c == network.Unknown {
			return r, fmt.Errorf("inbox: reply %d: %w", r.ID, err)
		}
		return s.finish(ctx, r, store.ReplyFailed, network.RemotePost{}, err.Error(), err)
	}
	return s.finish(ctx, r, store.ReplySent, rp, "", nil)
}

func (s *Service) finish(ctx context.Context, r store.Reply, st store.ReplyState, rp network.RemotePost, msg string, cause error) (store.Reply, error) {
	r.State, r.RemoteID, r.URL, r.Error = st, rp.ID, rp.URL, msg
	if st == store.ReplySent {
		now := s.now()
		r.SentAt = &now
	}
	if err := s.Store.FinishReply(ctx, r); err != nil {
		if errors.Is(err, store.ErrStale) {
			// Another process settled it first; its outcome stands.
			return s.Store.ReplyByKey(ctx, r.WorkspaceID, r.IdempotencyKey)
		}
		return r, err
	}
	if cause != nil {
		return r, fmt.Errorf("inbox: reply %d: %w", r.ID, cause)
	}
	return r, nil
}

// RecoverReplies settles replies left in sending for longer than grace (a
// process died during the call): each is looked for on the network and sent
// only when it is not there. It returns how many it settled.
func (s *Service) RecoverReplies(ctx context.Context, grace time.Duration) (int, error) {
	rs, err := s.Store.SendingReplies(ctx, s.now().Add(-grace))
	if err != nil {
		return 0, err
	}
	n := 0
	var errs []error
	for _, r := range rs {
		m, err := s.Store.Message(ctx, r.WorkspaceID, r.MessageID)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		conn, _, err := s.Connectors.Connector(ctx, r.WorkspaceID, m.ChannelID)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if _, ok := conn.(network.Replier); !ok {
			continue
		}
		if r2, err := s.resume(ctx, conn, m, r); err == nil || r2.State != store.ReplySending {
			n++
		} else {
			errs = append(errs, err)
		}
	}
	return n, errors.Join(errs...)
}
