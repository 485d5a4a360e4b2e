package contest

import (
	"context"
	"errors"
	"sync"

	"github.com/relais/relais/internal/store"
)

// Recorder writes votes with group commit: concurrent callers' votes are
// gathered into one transaction, and each Record returns only once the
// transaction holding its vote has committed (durable before the answer).
type Recorder struct {
	st       store.ContestStore
	reqs     chan *voteReq
	maxBatch int
	wg       sync.WaitGroup
	once     sync.Once
	done     chan struct{}
}

type voteReq struct {
	v    store.Vote
	resp chan voteResp
}

type voteResp struct {
	stored bool
	err    error
}

// ErrRecorderClosed is returned by Record after Close.
var ErrRecorderClosed = errors.New("contest: the vote recorder is closed")

// NewRecorder starts writers (1 for SQLite's single writer; a few for
// PostgreSQL) committing batches of at most maxBatch votes.
func NewRecorder(st store.ContestStore, writers, maxBatch int) *Recorder {
	if writers <= 0 {
		writers = 1
	}
	if maxBatch <= 0 {
		maxBatch = 512
	}
	r := &Recorder{st: st, reqs: make(chan *voteReq, 4*maxBatch), maxBatch: maxBatch, done: make(chan struct{})}
	for range writers {
		r.wg.Add(1)
		go r.loop()
	}
	return r
}

// Record stores a vote and reports whether it counted (false: the identity
// had already voted in the period).
func (r *Recorder) Record(ctx context.Context, v store.Vote) (bool, error) {
	req := &voteReq{v: v, resp: make(chan voteResp, 1)}
	select {
	case r.reqs <- req:
	case <-r.done:
		return false, ErrRecorderClosed
	case <-ctx.Done():
		return false, ctx.Err()
	}
	// Once queued the vote is written whatever the caller does; wait for it.
	res := <-req.resp
	return res.stored, res.err
}

func (r *Recorder) loop() {
	defer r.wg.Done()
	batch := make([]*voteReq, 0, r.maxBatch)
	for {
		var first *voteReq
		select {
		case first = <-r.reqs:
		case <-r.done:
			// Drain what was queued before closing.
			for {
				select {
				case q := <-r.reqs:
					r.flush([]*voteReq{q})
				default:
					return
				}
			}
		}
		batch = append(batch[:0], first)
	fill:
		for len(batch) < r.maxBatch {
			select {
			case q := <-r.reqs:
				batch = append(batch, q)
			default:
				break fill
			}
		}
		r.flush(batch)
	}
}

func (r *Recorder) flush(batch []*voteReq) {
	votes := make([]store.Vote, len(batch))
	for i, q := range batch {
		votes[i] = q.v
	}
	stored, err := r.st.RecordVotes(context.Background(), votes)
	for i, q := range batch {
		if err != nil {
			q.resp <- voteResp{err: err}
			continue
		}
		q.resp <- voteResp{stored: stored[i]}
	}
}

// Close stops the writers after the queued votes are written.
func (r *Recorder) Close() {
	r.once.Do(func() { close(r.done) })
	r.wg.Wait()
}
