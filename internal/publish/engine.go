package publish

import (
	"container/heap"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/store"
)

// Config configures an Engine; zero values take the defaults shown.
type Config struct {
	Store    store.Store
	Resolver Resolver
	// Notifiers hear about failures (default: in-app notifications).
	Notifiers []Notifier
	// Media loads variant media (default: media JSON read as []network.Media).
	Media MediaLoader
	// RewriteFunc, when set, may change a request after it is built and before
	// any call (automatic short links). It must be deterministic for a
	// publication: a retry rebuilds the request and must send the same content.
	RewriteFunc func(ctx context.Context, j store.PublishJob, limits network.Limits, req *network.PublishRequest) error
	// InstanceID names this process in leases (default: host-pid-random).
	InstanceID string
	// LeadTime is how long before its due time a publication is staged and prepared (30 s).
	LeadTime time.Duration
	// StageInterval is how often the stager looks for due work while it finds
	// some (1 s).
	StageInterval time.Duration
	// IdleStageInterval is how often it looks once a look found nothing (10 s,
	// at most a third of LeadTime): work queued in this process wakes it at
	// once (Wake); work queued by another process (a CLI command, another
	// instance) is found at the next look, still ahead of its due time when it
	// was queued more than this ahead.
	IdleStageInterval time.Duration
	// StageLease is how long a staged row stays ours after our last heartbeat
	// (15 s; the heartbeat beats every third of it): a dead instance's staged
	// rows are taken over after it.
	StageLease time.Duration
	// CallTimeout bounds one publish call (60 s; calls starting within a tenth
	// of it, at most a second, share one deadline, so a call may run that much
	// longer, and the publishing lease counts it).
	CallTimeout time.Duration
	// PublishGrace is added to CallTimeout for the publishing lease (30 s):
	// the reconciler acts on a row only after both have passed.
	PublishGrace time.Duration
	// Workers bounds concurrent publish calls (256).
	Workers int
	// BatchSize bounds claims, publishing marks and result writes per transaction (500).
	BatchSize int
	// FlushInterval is how often buffered results are written (10 ms).
	FlushInterval time.Duration
	// ResultDelay is the longest results wait while due publications are still
	// being sent, so that the calls get the machine first (2 s).
	ResultDelay time.Duration
	// MaxStaged bounds publications held in memory (50,000).
	MaxStaged int
	// PrepareWorkers bounds concurrent Prepare calls (16).
	PrepareWorkers int
	// ReconcileInterval is how often the leader reconciles publications stuck
	// in publishing (15 s; they are reconciled only after CallTimeout +
	// PublishGrace anyway, so looking more often bought nothing but idle work).
	ReconcileInterval time.Duration
	// StuckAfter is how late a queued publication must be to show as stuck (5 min).
	StuckAfter time.Duration
	// MaxAttempts returns a workspace's maximum number of calls per publication (nil: 5).
	MaxAttempts func(ctx context.Context, workspaceID int64) int
	// BackoffBase and BackoffMax shape the exponential retry delay (10 s, 30 min).
	BackoffBase, BackoffMax time.Duration
	// Idempotent lists networks whose interrupted calls may be repeated (default: DefaultIdempotent).
	Idempotent map[network.Kind]bool
	// BurstGCPercent is the garbage collector's target while more
	// publications are due than workers are free (400; 100 or less leaves the
	// collector alone, as does GOGC set in the environment). See gc.go.
	BurstGCPercent int
	Logger         *slog.Logger
}

// DefaultMaxAttempts is the maximum number of calls per publication when the workspace sets none.
const DefaultMaxAttempts = 5

func (c *Config) defaults() error {
	if c.Store == nil || c.Resolver == nil {
		return errors.New("publish: Config needs a Store and a Resolver")
	}
	set := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	set(&c.LeadTime, 30*time.Second)
	set(&c.StageInterval, time.Second)
	set(&c.IdleStageInterval, max(c.StageInterval, min(10*time.Second, c.LeadTime/3)))
	set(&c.StageLease, 15*time.Second)
	set(&c.CallTimeout, 60*time.Second)
	set(&c.PublishGrace, 30*time.Second)
	set(&c.FlushInterval, 10*time.Millisecond)
	set(&c.ResultDelay, 2*time.Second)
	set(&c.ReconcileInterval, 15*time.Second)
	set(&c.StuckAfter, 5*time.Minute)
	set(&c.BackoffBase, 10*time.Second)
	set(&c.BackoffMax, 30*time.Minute)
	if c.Workers <= 0 {
		c.Workers = 256
	}
	if c.BatchSize <= 0 {
		c.BatchSize = 500
	}
	if c.MaxStaged <= 0 {
		c.MaxStaged = 50_000
	}
	if c.PrepareWorkers <= 0 {
		c.PrepareWorkers = 16
	}
	if c.BurstGCPercent == 0 {
		c.BurstGCPercent = 400
	}
	if c.Idempotent == nil {
		c.Idempotent = DefaultIdempotent
	}
	if c.Notifiers == nil {
		c.Notifiers = []Notifier{InApp{Store: c.Store}}
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.InstanceID == "" {
		host, _ := os.Hostname()
		b := make([]byte, 4)
		_, _ = rand.Read(b)
		c.InstanceID = fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(b))
	}
	return nil
}

// Engine publishes scheduled posts. Run one per process; any number of
// processes may share a PostgreSQL database.
type Engine struct {
	cfg Config
	st  store.Store
	log *slog.Logger

	mu      sync.Mutex
	pending itemHeap // staged, waiting for their due time

	wake     chan struct{} // dispatcher: new or earlier items
	stageNow chan struct{} // stager: new work may be due
	slots    chan struct{} // one per busy worker
	markers  chan struct{} // marks in flight
	marking  sync.WaitGroup
	marks    chan markJob // to the marking goroutines
	work     chan *item
	results  chan result

	rateMu    sync.Mutex
	blocked   map[int64]time.Time // channel → rate-limited until
	holds     map[int64]time.Time // channel → shared hold last read (zero: none)
	holdsRead map[int64]time.Time // channel → when its shared hold was read

	connMu sync.Mutex
	conns  map[int64]connEntry
	held   map[int64]bool // channels this instance held (one notice each)

	refreshMu    sync.Mutex
	refreshLocks map[int64]*sync.Mutex
	refreshed    map[int64]time.Time // channel → last successful refresh

	runCtx context.Context

	callMu     sync.Mutex
	callCtx    context.Context // shared by the calls starting within callWindow of callFrom
	callCancel context.CancelFunc
	callFrom   time.Time

	// inBurst is set by the dispatcher while it raised the collector's
	// target for a backlog (see gc.go).
	inBurst bool
}

type connEntry struct {
	conn   network.Connector
	limits network.Limits
	at     time.Time
}

// item is a staged publication held in memory until its due time.
type item struct {
	job      store.PublishJob
	conn     network.Connector
	limits   network.Limits
	req      network.PublishRequest
	prepared bool
	index    int
}

// result is a state change plus what to do once it is written.
type result struct {
	store.PublishResult
	ws, post, channel int64
	event             *Event
	hold              bool
}

// New builds an engine; call Run to start it.
func New(cfg Config) (*Engine, error) {
	if err := cfg.defaults(); err != nil {
		return nil, err
	}
	return &Engine{
		cfg: cfg, st: cfg.Store, log: cfg.Logger.With("component", "publish", "instance", cfg.InstanceID),
		wake: make(chan struct{}, 1), stageNow: make(chan struct{}, 1),
		slots:   make(chan struct{}, cfg.Workers),
		markers: make(chan struct{}, 4),
		marks:   make(chan markJob),
		work:    make(chan *item, cfg.BatchSize),
		results: make(chan result, cfg.Workers*4),
		blocked: map[int64]time.Time{}, holds: map[int64]time.Time{}, holdsRead: map[int64]time.Time{}, conns: map[int64]connEntry{}, held: map[int64]bool{},
		refreshLocks: map[int64]*sync.Mutex{}, refreshed: map[int64]time.Time{},
	}, nil
}

// InstanceID names this engine in leases.
func (e *Engine) InstanceID() string { return e.cfg.InstanceID }

func poke(c chan struct{}) {
	select {
	case c <- struct{}{}:
	default:
	}
}

// Run stages, publishes and reconciles until ctx ends, then releases what it
// staged, lets calls in flight finish, writes their results and returns.
func (e *Engine) Run(ctx context.Context) error {
	e.runCtx = ctx
	if err := e.beat(ctx); err != nil {
		return fmt.Errorf("publish: heartbeat: %w", err)
	}
	var loops, workers sync.WaitGroup
	writerDone := make(chan struct{})
	go func() { e.writer(); close(writerDone) }()
	for range e.cfg.Workers {
		workers.Add(1)
		go func() {
			defer workers.Done()
			for it := range e.work {
				e.results <- e.call(it)
				<-e.slots
			}
		}()
	}
	// The marks run on long-lived goroutines: a new goroutine per mark would
	// grow its stack through the database driver's deep calls every time.
	var markers sync.WaitGroup
	for range cap(e.markers) {
		markers.Add(1)
		go func() {
			defer markers.Done()
			for m := range e.marks {
				e.mark(ctx, m.ready, m.refs, m.now)
				<-e.markers
				e.marking.Done()
			}
		}()
	}
	loops.Add(3)
	go func() { defer loops.Done(); e.stager(ctx) }()
	go func() { defer loops.Done(); e.reconciler(ctx) }()
	go func() { defer loops.Done(); e.heartbeat(ctx) }()
	e.dispatcher(ctx)
	e.marking.Wait()
	close(e.marks)
	markers.Wait()
	loops.Wait()
	// Hand back what we staged so another instance can take it at once.
	e.mu.Lock()
	left := e.pending
	e.pending = nil
	e.mu.Unlock()
	for _, it := range left {
		e.results <- release(it.job, "", time.Time{})
	}
	close(e.work)
	workers.Wait()
	e.callMu.Lock()
	if e.callCancel != nil {
		e.callCancel() // no call uses it any more
	}
	e.callMu.Unlock()
	close(e.results)
	<-writerDone
	return nil
}

// --- user operations -------------------------------------------------------

// Schedule schedules posts at a moment (also used to reschedule): their
// publications are (re)queued in the same transaction as the posts' state.
// A reschedule while a worker holds a claim voids that claim, so the post goes
// out once, at the new time.
func (e *Engine) Schedule(ctx context.Context, workspaceID int64, postIDs []int64, at time.Time, tz string) ([]int64, error) {
	ids, err := e.st.SchedulePosts(ctx, workspaceID, postIDs, at.UTC(), tz, time.Now().UTC())
	if err != nil {
		return nil, fmt.Errorf("publish: schedule: %w", err)
	}
	if time.Until(at) < e.cfg.LeadTime {
		poke(e.stageNow)
	}
	return ids, nil
}

// PublishNow schedules a post for this moment.
func (e *Engine) PublishNow(ctx context.Context, workspaceID, postID int64) error {
	ids, err := e.Schedule(ctx, workspaceID, []int64{postID}, time.Now(), "")
	if err == nil && len(ids) == 0 {
		return fmt.Errorf("publish: post %d cannot be published now: %w", postID, store.ErrStale)
	}
	return err
}

// Cancel cancels what of a post is not yet in flight; it returns how many
// publications are mid-call (those finish and show their result).
func (e *Engine) Cancel(ctx context.Context, workspaceID, postID int64) (int, error) {
	n, err := e.st.CancelPost(ctx, workspaceID, postID, time.Now().UTC())
	if err != nil {
		return 0, fmt.Errorf("publish: cancel: %w", err)
	}
	return n, nil
}

// Retry queues a failed or needs_review publication again, due now.
func (e *Engine) Retry(ctx context.Context, workspaceID, publicationID int64) error {
	if err := e.st.RetryPublication(ctx, workspaceID, publicationID, time.Now().UTC()); err != nil {
		return fmt.Errorf("publish: retry: %w", err)
	}
	poke(e.stageNow)
	return nil
}

// MarkPublished records that a person found a needs_review publication on the network.
func (e *Engine) MarkPublished(ctx context.Context, workspaceID, publicationID int64, remoteID, url string) error {
	if err := e.st.MarkPublicationPublished(ctx, workspaceID, publicationID, remoteID, url, time.Now().UTC()); err != nil {
		return fmt.Errorf("publish: mark published: %w", err)
	}
	return nil
}

// ResumeChannel releases a channel's held queue after it was reconnected.
func (e *Engine) ResumeChannel(ctx context.Context, workspaceID, channelID int64) (int64, error) {
	e.forget(channelID)
	e.unhold(channelID)
	n, err := e.st.ReleaseChannel(ctx, workspaceID, channelID, time.Now().UTC())
	if err != nil {
		return 0, fmt.Errorf("publish: resume channel: %w", err)
	}
	poke(e.stageNow)
	return n, nil
}

// Problems lists a workspace's failed, needs_review, held and stuck publications.
func (e *Engine) Problems(ctx context.Context, workspaceID int64, limit int) ([]store.Publication, error) {
	return e.st.ProblemPublications(ctx, workspaceID, time.Now().UTC(), e.cfg.StuckAfter, limit)
}

// --- stager ------------------------------------------------------------------

// Wake tells the stager that publications may have been queued: it looks for
// due work at once instead of at its next idle look.
func (e *Engine) Wake() { poke(e.stageNow) }

func (e *Engine) stager(ctx context.Context) {
	t := time.NewTimer(e.cfg.StageInterval)
	defer t.Stop()
	for {
		wait := e.cfg.IdleStageInterval
		if e.stageOnce(ctx) {
			wait = e.cfg.StageInterval
		}
		t.Reset(wait)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-e.stageNow:
		}
	}
}

// stageOnce claims and stages what is due within the lead time; it reports
// whether it found any (or could not look), so that the stager looks again
// soon instead of after its idle interval.
func (e *Engine) stageOnce(ctx context.Context) (found bool) {
	for ctx.Err() == nil {
		e.mu.Lock()
		room := e.cfg.MaxStaged - len(e.pending)
		e.mu.Unlock()
		if room <= 0 {
			return true
		}
		now := time.Now().UTC()
		jobs, err := e.st.ClaimDue(ctx, e.cfg.InstanceID, now.Add(e.cfg.LeadTime), now.Add(e.cfg.StageLease), now, min(room, e.cfg.BatchSize))
		if err != nil {
			if ctx.Err() == nil {
				e.log.Warn("claim due publications", "err", err)
			}
			return true
		}
		if len(jobs) == 0 {
			return found
		}
		found = true
		e.stage(ctx, jobs)
		if len(jobs) < e.cfg.BatchSize {
			return true
		}
	}
	return found
}

// stage opens connectors, enforces daily caps, builds and prepares requests,
// and queues the items for their due time.
func (e *Engine) stage(ctx context.Context, jobs []store.PublishJob) {
	items := make([]*item, 0, len(jobs))
	capped := map[int64]network.Limits{}
	for _, j := range jobs {
		conn, limits, err := e.connector(ctx, j.WorkspaceID, j.ChannelID)
		if err != nil {
			e.results <- e.openFailed(j, err)
			continue
		}
		req, err := BuildRequest(ctx, j, e.cfg.Media)
		if err != nil {
			e.results <- fail(j, store.PubStaged, string(network.Permanent), userMessage(err), nil)
			continue
		}
		if e.cfg.RewriteFunc != nil {
			if err := e.cfg.RewriteFunc(ctx, j, limits, &req); err != nil {
				e.log.Warn("rewrite request", "publication", j.ID, "err", err)
				e.results <- release(j, "could not prepare its short links: "+userMessage(err), time.Now().Add(e.cfg.BackoffBase))
				continue
			}
		}
		if limits.DailyPostCap > 0 {
			capped[j.ChannelID] = limits
		}
		items = append(items, &item{job: j, conn: conn, limits: limits, req: req})
	}
	items = e.enforceCaps(ctx, items, capped)

	sem := make(chan struct{}, e.cfg.PrepareWorkers)
	var wg sync.WaitGroup
	var keepMu sync.Mutex
	keep := items[:0:0]
	for _, it := range items {
		p, ok := it.conn.(Preparer)
		if !ok {
			keep = append(keep, it)
			continue
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			pctx, cancel := context.WithTimeout(ctx, e.cfg.CallTimeout)
			defer cancel()
			start := time.Now()
			req, err := p.Prepare(pctx, it.req)
			if err == nil {
				it.req, it.prepared = req, true
			} else if r, drop := e.prepareFailed(it, err, start); drop {
				e.results <- r
				return
			}
			keepMu.Lock()
			keep = append(keep, it)
			keepMu.Unlock()
		}()
	}
	wg.Wait()

	e.mu.Lock()
	for _, it := range keep {
		heap.Push(&e.pending, it)
	}
	e.mu.Unlock()
	poke(e.wake)
}

// prepareFailed decides what a failed Prepare means; drop reports that the
// item leaves the queue with r. Nothing was published, so nothing is ambiguous.
func (e *Engine) prepareFailed(it *item, err error, start time.Time) (result, bool) {
	j := it.job
	switch network.ClassOf(err) {
	case network.AuthRefresh, network.AuthReconnect:
		return e.holdResult(j, store.PubStaged, err), true
	case network.InvalidContent, network.Permanent:
		att := attempt(j, start, err, "failed")
		return fail(j, store.PubStaged, string(network.ClassOf(err)), userMessage(err), att), true
	}
	// A transient failure: Publish prepares again at the due moment.
	e.log.Info("prepare failed; will prepare at due time", "publication", j.ID, "err", err)
	return result{}, false
}

func (e *Engine) openFailed(j store.PublishJob, err error) result {
	switch {
	case errors.Is(err, store.ErrNotFound):
		return fail(j, store.PubStaged, string(network.Permanent), "the channel was removed", nil)
	case network.ClassOf(err) == network.AuthReconnect || network.ClassOf(err) == network.AuthRefresh:
		return e.holdResult(j, store.PubStaged, err)
	}
	e.log.Warn("open connector", "channel", j.ChannelID, "err", err)
	return release(j, "could not open the channel: "+userMessage(err), time.Now().Add(e.cfg.BackoffBase))
}

// enforceCaps keeps per-network daily caps (Instagram 100 posts per 24 h,
// Threads 250, Tumblr 250) before any call: items over the cap wait.
func (e *Engine) enforceCaps(ctx context.Context, items []*item, capped map[int64]network.Limits) []*item {
	if len(capped) == 0 {
		return items
	}
	chs := make([]int64, 0, len(capped))
	for ch := range capped {
		chs = append(chs, ch)
	}
	counts, err := e.st.PublishedSince(ctx, chs, time.Now().Add(-24*time.Hour))
	if err != nil {
		e.log.Warn("count recent publications for daily caps", "err", err)
		counts = map[int64]int{}
	}
	e.mu.Lock()
	for _, it := range e.pending {
		if _, ok := capped[it.job.ChannelID]; ok {
			counts[it.job.ChannelID]++
		}
	}
	e.mu.Unlock()
	out := items[:0]
	for _, it := range items {
		l, ok := capped[it.job.ChannelID]
		if !ok || counts[it.job.ChannelID] < l.DailyPostCap {
			counts[it.job.ChannelID]++
			out = append(out, it)
			continue
		}
		e.results <- e.overCap(it)
	}
	return out
}

func (e *Engine) connector(ctx context.Context, ws, ch int64) (network.Connector, network.Limits, error) {
	e.connMu.Lock()
	c, ok := e.conns[ch]
	e.connMu.Unlock()
	if ok && time.Since(c.at) < time.Minute {
		return c.conn, c.limits, nil
	}
	conn, limits, err := e.cfg.Resolver.Connector(ctx, ws, ch)
	if err != nil {
		return nil, limits, err
	}
	e.connMu.Lock()
	e.conns[ch] = connEntry{conn: conn, limits: limits, at: time.Now()}
	e.connMu.Unlock()
	return conn, limits, nil
}

func (e *Engine) forget(ch int64) {
	e.connMu.Lock()
	delete(e.conns, ch)
	e.connMu.Unlock()
}

func (e *Engine) unhold(ch int64) {
	e.connMu.Lock()
	delete(e.held, ch)
	e.connMu.Unlock()
}

// heartbeat keeps this instance's staged rows ours: other instances take
// them over only once it stops (one write per interval, however many rows).
func (e *Engine) heartbeat(ctx context.Context) {
	t := time.NewTicker(e.cfg.StageLease / 3)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := e.beat(ctx); err != nil && ctx.Err() == nil {
				e.log.Warn("heartbeat", "err", err)
			}
		}
	}
}

func (e *Engine) beat(ctx context.Context) error {
	now := time.Now().UTC()
	_, err := e.st.TryLease(ctx, "instance:"+e.cfg.InstanceID, e.cfg.InstanceID, now.Add(e.cfg.StageLease), now)
	return err
}

// --- dispatcher ----------------------------------------------------------------

func (e *Engine) dispatcher(ctx context.Context) {
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	defer e.endBurst()
	for {
		now := time.Now()
		wait := time.Hour
		e.mu.Lock()
		due := len(e.pending) > 0 && !e.pending[0].job.NextAttemptAt.After(now)
		if !due && len(e.pending) > 0 {
			wait = e.pending[0].job.NextAttemptAt.Sub(now)
		}
		e.mu.Unlock()
		if due {
			e.dispatch(ctx)
			if ctx.Err() != nil {
				return
			}
			continue
		}
		e.endBurst()
		timer.Reset(wait)
		select {
		case <-ctx.Done():
			return
		case <-e.wake:
		case <-timer.C:
		}
		if !timer.Stop() {
			select {
			case <-timer.C:
			default:
			}
		}
	}
}

// endBurst gives the collector's target back once the backlog is sent.
func (e *Engine) endBurst() {
	if e.inBurst {
		e.inBurst = false
		leaveBurstGC()
	}
}

// dispatch takes as many due publications as there are free workers (at
// most BatchSize), marks them publishing in one transaction and hands them to
// the workers.
func (e *Engine) dispatch(ctx context.Context) {
	// Mark only as many as there are free workers: a row marked publishing is
	// called at once, so a crash leaves to review only calls really in flight.
	// The first free worker is awaited before the rate-limit check: a worker
	// frees its slot only after reading its connector's rate limit, so a
	// publication queued behind the call that used up a channel's limit waits
	// for the reset instead of being sent into a 429. The publications are
	// taken off the queue only once the workers are there: the queue is not
	// churned while waiting.
	select {
	case e.slots <- struct{}{}:
	case <-ctx.Done():
		return
	}
	e.mu.Lock()
	limit := min(e.cfg.BatchSize, len(e.pending))
	e.mu.Unlock()
	// Waiting a moment for a few more free workers keeps the batches large
	// (at most 2 ms, or until it holds a quarter of the batch); it wakes as a
	// worker frees up instead of polling.
	got := 1
	wait := time.NewTimer(2 * time.Millisecond)
gather:
	for got < limit {
		select {
		case e.slots <- struct{}{}:
			got++
			continue
		default:
		}
		if got >= limit/4 {
			break
		}
		select {
		case e.slots <- struct{}{}:
			got++
		case <-wait.C:
			break gather
		}
	}
	wait.Stop()
	now := time.Now()
	var batch []*item
	e.mu.Lock()
	for len(e.pending) > 0 && len(batch) < got && !e.pending[0].job.NextAttemptAt.After(now) {
		batch = append(batch, heap.Pop(&e.pending).(*item))
	}
	// More is due than the workers just freed can take, and at least as many
	// as there are workers are staged: a burst.
	backlog := len(e.pending) >= e.cfg.Workers && !e.pending[0].job.NextAttemptAt.After(now)
	e.mu.Unlock()
	if backlog && !e.inBurst {
		e.inBurst = enterBurstGC(e.cfg.BurstGCPercent)
	}
	for range got - len(batch) {
		<-e.slots // fewer due than free workers (cancelled or rescheduled meanwhile)
	}
	if len(batch) == 0 {
		return
	}
	shared := e.sharedHolds(ctx, batch, now)
	ready := batch[:0]
	for _, it := range batch {
		until := e.blockedUntil(it.job.ChannelID)
		if s := shared[it.job.ChannelID]; s.After(until) {
			until = s
		}
		if until.After(now) {
			msg := fmt.Sprintf("waiting for %s's rate limit to reset at %s", it.limits.Name, until.UTC().Format(time.RFC3339))
			e.results <- release(it.job, msg, until)
			<-e.slots
			continue
		}
		ready = append(ready, it)
	}
	if len(ready) == 0 {
		return
	}
	now = time.Now()
	refs := make([]store.ClaimRef, len(ready))
	for i, it := range ready {
		refs[i] = store.ClaimRef{ID: it.job.ID, Claim: it.job.Claim}
	}
	// A few marks may be in flight at once, so that the next batch is not held
	// behind the previous one's commit (PostgreSQL also commits them as a group).
	select {
	case e.markers <- struct{}{}:
	case <-ctx.Done():
		for range ready {
			<-e.slots
		}
		e.requeue(ready)
		return
	}
	e.marking.Add(1)
	e.marks <- markJob{ready: ready, refs: refs, now: now}
}

// markJob is one batch for the marking goroutines.
type markJob struct {
	ready []*item
	refs  []store.ClaimRef
	now   time.Time
}

// mark moves a batch to publishing in one transaction and hands what it
// moved to the workers.
func (e *Engine) mark(ctx context.Context, ready []*item, refs []store.ClaimRef, now time.Time) {
	marked, again, err := e.markBatch(ctx, ready, refs, now)
	if err != nil {
		// Nothing changed: the rows are still staged and ours. Try again shortly.
		for range ready {
			<-e.slots
		}
		if ctx.Err() == nil {
			e.log.Warn("mark publishing", "err", err)
			time.Sleep(100 * time.Millisecond)
		}
		e.requeue(ready)
		poke(e.wake)
		return
	}
	ok := make(map[int64]bool, len(marked))
	for _, id := range marked {
		ok[id] = true
	}
	var back []*item
	for _, it := range ready {
		if again[it.job.ID] {
			<-e.slots
			back = append(back, it)
			continue
		}
		if !ok[it.job.ID] {
			<-e.slots // rescheduled, cancelled, held, over its cap or taken over meanwhile: not ours any more
			continue
		}
		it.job.Attempts++
		e.work <- it
	}
	if len(back) > 0 {
		// Their mark failed while others' succeeded: still staged and ours.
		time.Sleep(100 * time.Millisecond)
		e.requeue(back)
		poke(e.wake)
	}
}

// markBatch moves a batch to publishing. Publications of channels with a
// daily cap are marked per channel under the channel's lock in the database,
// counting what every instance published or is publishing: the authoritative
// cap check, since the one at staging only sees this instance's staged rows.
// Those over the cap go back to the queue for an hour with the reason.
// Rows in again could not be marked for a passing reason while others were.
func (e *Engine) markBatch(ctx context.Context, ready []*item, refs []store.ClaimRef, now time.Time) (marked []int64, again map[int64]bool, _ error) {
	leaseUntil := now.Add(e.cfg.CallTimeout + e.callWindow() + e.cfg.PublishGrace).UTC() // a call may run a window past CallTimeout
	var plain []store.ClaimRef
	capped := map[int64][]store.ClaimRef{}
	limits := map[int64]network.Limits{}
	var order []int64
	for i, it := range ready {
		l := it.limits
		if l.DailyPostCap <= 0 {
			plain = append(plain, refs[i])
			continue
		}
		ch := it.job.ChannelID
		if _, ok := capped[ch]; !ok {
			order = append(order, ch)
			limits[ch] = l
		}
		capped[ch] = append(capped[ch], refs[i])
	}
	if len(plain) > 0 {
		m, err := e.st.MarkPublishing(ctx, plain, leaseUntil, now.UTC())
		if err != nil {
			return nil, nil, err
		}
		marked = m
	}
	overIDs := map[int64]bool{}
	again = map[int64]bool{}
	for i, ch := range order {
		l := limits[ch]
		m, over, err := e.st.MarkPublishingCapped(ctx, ch, l.DailyPostCap, now.Add(-24*time.Hour).UTC(), capped[ch], leaseUntil, now.UTC())
		if err != nil {
			if len(marked) == 0 && i == len(order)-1 && len(again) == 0 {
				return nil, nil, err // nothing changed
			}
			e.log.Warn("mark capped publications", "channel", ch, "err", err)
			for _, r := range capped[ch] {
				again[r.ID] = true
			}
			continue
		}
		marked = append(marked, m...)
		for _, r := range over {
			overIDs[r.ID] = true
		}
	}
	for _, it := range ready {
		if overIDs[it.job.ID] {
			e.results <- e.overCap(it)
		}
	}
	return marked, again, nil
}

// overCap hands a publication over its channel's daily cap back to the queue for an hour.
func (e *Engine) overCap(it *item) result {
	next := time.Now().Add(time.Hour)
	msg := fmt.Sprintf("%s allows %d posts per 24 hours on one account; this channel reached it, next try at %s",
		it.limits.Name, it.limits.DailyPostCap, next.UTC().Format(time.RFC3339))
	return release(it.job, msg, next)
}

func (e *Engine) requeue(items []*item) {
	e.mu.Lock()
	for _, it := range items {
		heap.Push(&e.pending, it)
	}
	e.mu.Unlock()
}

// sharedHolds reads the rate-limit holds other instances recorded for the
// batch's channels: a limit one instance used up is used up for all. A
// channel's hold read less than holdsFresh ago is taken from memory, so that
// a burst's batches do not each wait for the same read before their mark.
// When the database does not answer, this instance's own holds still apply.
func (e *Engine) sharedHolds(ctx context.Context, batch []*item, now time.Time) map[int64]time.Time {
	out := make(map[int64]time.Time)
	var stale []int64
	e.rateMu.Lock()
	for _, it := range batch {
		ch := it.job.ChannelID
		if _, seen := out[ch]; seen {
			continue
		}
		if at, ok := e.holdsRead[ch]; ok && now.Sub(at) < holdsFresh && !at.After(now) {
			out[ch] = e.holds[ch]
			continue
		}
		out[ch] = time.Time{}
		stale = append(stale, ch)
	}
	e.rateMu.Unlock()
	if len(stale) == 0 {
		return out
	}
	holds, err := e.st.ChannelThrottles(ctx, stale, now.UTC())
	if err != nil {
		if ctx.Err() == nil {
			e.log.Warn("read shared rate-limit holds", "err", err)
		}
		return out
	}
	e.rateMu.Lock()
	if len(e.holdsRead) > 100_000 { // channels gone for good are forgotten now and then
		clear(e.holds)
		clear(e.holdsRead)
	}
	for _, ch := range stale {
		out[ch] = holds[ch]
		e.holds[ch], e.holdsRead[ch] = holds[ch], now
	}
	e.rateMu.Unlock()
	return out
}

// holdsFresh is how long a channel's shared hold, once read, is trusted.
const holdsFresh = 200 * time.Millisecond

func (e *Engine) blockedUntil(ch int64) time.Time {
	e.rateMu.Lock()
	defer e.rateMu.Unlock()
	return e.blocked[ch]
}

// block holds a channel until a rate limit's reset, in this instance at once
// and for every instance through the database.
func (e *Engine) block(ch int64, until time.Time) {
	e.rateMu.Lock()
	later := until.After(e.blocked[ch])
	if later {
		e.blocked[ch] = until
	}
	e.rateMu.Unlock()
	if !later {
		return // already recorded
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(e.runCtx), 10*time.Second)
	defer cancel()
	if err := e.st.ThrottleChannel(ctx, ch, until.UTC()); err != nil {
		e.log.Warn("share rate-limit hold", "channel", ch, "err", err)
	}
}

// --- worker --------------------------------------------------------------------

// call makes the remote call of one publication and decides its outcome.
func (e *Engine) call(it *item) result {
	start := time.Now()
	ctx := e.callContext(start)
	req := it.req
	var err error
	if p, ok := it.conn.(Preparer); ok && !it.prepared {
		req, err = p.Prepare(ctx, req)
	}
	called := false
	var res network.PublishResult
	if err == nil {
		called = true
		res, err = it.conn.Publish(ctx, req)
	}
	if rr, ok := it.conn.(RateLimitReporter); ok {
		if rl := rr.RateLimit(); rl.Known() && rl.Remaining == 0 && rl.Reset.After(time.Now()) {
			e.block(it.job.ChannelID, rl.Reset)
		}
	}
	return e.outcome(ctx, it, req, res, err, called, start)
}

// callContext is the context of a call starting at now: it ends no sooner
// than CallTimeout after now and at most a tenth of it later. Calls starting
// within the same tenth share one context, so a burst of ten thousand calls
// sets a handful of timers instead of one each. A shared context is never
// cancelled early; its timer releases it at its deadline.
func (e *Engine) callContext(now time.Time) context.Context {
	e.callMu.Lock()
	defer e.callMu.Unlock()
	if e.callCtx == nil || now.After(e.callFrom.Add(e.callWindow())) {
		e.callFrom = now
		// The context it replaces is not cancelled: calls in flight still use
		// it, and its own timer releases it at its deadline.
		e.callCtx, e.callCancel = context.WithDeadline(context.WithoutCancel(e.runCtx), now.Add(e.callWindow()+e.cfg.CallTimeout))
	}
	return e.callCtx
}

// callWindow is how long calls share one context (a tenth of CallTimeout, at most a second).
func (e *Engine) callWindow() time.Duration { return min(time.Second, e.cfg.CallTimeout/10) }

func (e *Engine) outcome(ctx context.Context, it *item, req network.PublishRequest, res network.PublishResult, err error, called bool, start time.Time) result {
	j := it.job
	done := mergeDone(req.Done, res.Parts)
	r := base(j, store.PubPublishing)
	r.DoneParts = encodeDone(done)
	if len(done) > 0 {
		r.RemoteID, r.URL = done[0].ID, done[0].URL
	}
	if err == nil {
		if res.FirstComment != nil {
			fc := *res.FirstComment
			fc.Extra = map[string]string{"first_comment": "true"}
			r.DoneParts = encodeDone(append(done, fc))
		}
		r.State, r.ErrorClass, r.ErrorMessage = store.PubPublished, "", ""
		r.Attempt = attempt(j, start, nil, "published")
		return r
	}
	class := network.ClassOf(err)
	if !called && class == network.Unknown {
		class = network.Retryable // Prepare failed: nothing was sent
	}
	msg := userMessage(err)
	if len(done) > 0 {
		msg = fmt.Sprintf("%d of %d parts are out; %s", len(done), len(req.Parts), msg)
	}
	var ne *network.Error
	errors.As(err, &ne)
	retry := func() result {
		maxAttempts := DefaultMaxAttempts
		if e.cfg.MaxAttempts != nil {
			if m := e.cfg.MaxAttempts(ctx, j.WorkspaceID); m > 0 {
				maxAttempts = m
			}
		}
		if j.Attempts >= maxAttempts {
			r := fail(j, store.PubPublishing, string(class), fmt.Sprintf("gave up after %d attempts: %s", j.Attempts, msg), attempt(j, start, err, "failed"))
			r.DoneParts, r.RemoteID, r.URL = encodeDone(done), doneID(done), doneURL(done)
			return r
		}
		next := time.Now().Add(e.backoff(j.Attempts))
		if ne != nil && !ne.RetryAfter.IsZero() {
			if ne.Status == 429 {
				e.block(j.ChannelID, ne.RetryAfter)
			}
			if ne.RetryAfter.After(next) {
				next = ne.RetryAfter
			}
		}
		r.State, r.NextAttemptAt, r.ErrorClass, r.ErrorMessage = store.PubScheduled, next.UTC(), string(class), msg
		r.Attempt = attempt(j, start, err, "retry")
		return r
	}
	switch class {
	case network.Retryable:
		return retry()
	case network.Unknown:
		if e.cfg.Idempotent[network.Kind(j.Network)] {
			return retry()
		}
		r.State, r.ErrorClass = store.PubNeedsReview, string(class)
		r.ErrorMessage = fmt.Sprintf("The call to %s ended without an answer (%s); %s may or may not have published it. "+
			"Check the channel, then mark it published or retry.", networkName(it), msg, networkName(it))
		r.Attempt = attempt(j, start, err, "needs_review")
		r.event = &Event{Kind: "publish_needs_review", Message: r.ErrorMessage, Args: []string{networkName(it)}}
		return r
	case network.AuthRefresh:
		switch e.refresh(ctx, j, start) {
		case refreshed:
			r.State, r.NextAttemptAt, r.ErrorClass, r.ErrorMessage = store.PubScheduled, time.Now().UTC(), string(class), msg
			r.Attempt = attempt(j, start, err, "retry")
			return r
		case refreshFailed:
			// The refresh itself failed for a passing reason: try again later
			// rather than ask a person to reconnect.
			class = network.Retryable
			return retry()
		}
		h := e.holdResult(j, store.PubPublishing, err)
		h.Attempt = attempt(j, start, err, "held")
		h.DoneParts, h.RemoteID, h.URL = r.DoneParts, r.RemoteID, r.URL
		return h
	case network.AuthReconnect:
		h := e.holdResult(j, store.PubPublishing, err)
		h.Attempt = attempt(j, start, err, "held")
		h.DoneParts, h.RemoteID, h.URL = r.DoneParts, r.RemoteID, r.URL
		return h
	}
	f := fail(j, store.PubPublishing, string(class), msg, attempt(j, start, err, "failed"))
	f.DoneParts, f.RemoteID, f.URL = r.DoneParts, r.RemoteID, r.URL
	return f
}

// refreshOutcome is what a token refresh came to.
type refreshOutcome int

const (
	refreshed      refreshOutcome = iota // new tokens: retry now
	refreshRefused                       // no refresher, or the network refused: the channel needs a reconnect
	refreshFailed                        // a passing failure (database, network): retry later
)

// refresh refreshes a channel's tokens once for all the calls that failed
// with the old ones: a call that started before the last refresh just retries.
func (e *Engine) refresh(ctx context.Context, j store.PublishJob, started time.Time) refreshOutcome {
	rf, canRefresh := e.cfg.Resolver.(Refresher)
	e.refreshMu.Lock()
	m, ok := e.refreshLocks[j.ChannelID]
	if !ok {
		m = &sync.Mutex{}
		e.refreshLocks[j.ChannelID] = m
	}
	e.refreshMu.Unlock()
	m.Lock()
	defer m.Unlock()
	e.refreshMu.Lock()
	last := e.refreshed[j.ChannelID]
	e.refreshMu.Unlock()
	if last.After(started) {
		return refreshed
	}
	if !canRefresh {
		// Connectors refresh their own tokens and save them: reopening the
		// connector picks up what was saved. Once a minute at most, then hold.
		if time.Since(last) < time.Minute {
			return refreshRefused
		}
		e.forget(j.ChannelID)
		e.refreshMu.Lock()
		e.refreshed[j.ChannelID] = time.Now()
		e.refreshMu.Unlock()
		return refreshed
	}
	if err := rf.RefreshChannel(ctx, j.WorkspaceID, j.ChannelID); err != nil {
		e.log.Warn("token refresh failed", "channel", j.ChannelID, "err", err)
		if c := network.ClassOf(err); c == network.AuthRefresh || c == network.AuthReconnect || errors.Is(err, network.ErrAuth) {
			return refreshRefused
		}
		return refreshFailed
	}
	e.forget(j.ChannelID)
	e.refreshMu.Lock()
	e.refreshed[j.ChannelID] = time.Now()
	e.refreshMu.Unlock()
	return refreshed
}

func networkName(it *item) string {
	if it.limits.Name != "" {
		return it.limits.Name
	}
	return it.job.Network
}

// backoff is exponential with ±20 % jitter, so that retries of a burst spread out.
func (e *Engine) backoff(attempts int) time.Duration {
	d := e.cfg.BackoffBase
	for i := 1; i < attempts && d < e.cfg.BackoffMax; i++ {
		d *= 2
	}
	d = min(d, e.cfg.BackoffMax)
	var b [2]byte
	_, _ = rand.Read(b[:])
	f := 0.8 + 0.4*float64(uint16(b[0])<<8|uint16(b[1]))/65535
	return time.Duration(float64(d) * f)
}

func (e *Engine) holdResult(j store.PublishJob, from store.PublicationState, err error) result {
	r := base(j, from)
	r.State, r.NextAttemptAt = store.PubScheduled, time.Now().UTC()
	r.ErrorClass, r.ErrorMessage = string(network.ClassOf(err)), userMessage(err)
	r.HoldReason = "channel needs reconnect: " + userMessage(err)
	r.hold = true
	r.event = &Event{Kind: "channel_needs_reconnect", Message: fmt.Sprintf("A channel needs to be reconnected; its posts wait until then (%s).", userMessage(err)),
		Args: []string{userMessage(err)}}
	return r
}

func base(j store.PublishJob, from store.PublicationState) result {
	return result{
		PublishResult: store.PublishResult{ID: j.ID, Claim: j.Claim, From: from, State: from, RemoteID: j.RemoteID, URL: j.URL,
			DoneParts: j.DoneParts, ErrorClass: j.ErrorClass, ErrorMessage: j.ErrorMessage, HoldReason: j.HoldReason},
		ws: j.WorkspaceID, post: j.PostID, channel: j.ChannelID,
	}
}

// release hands a staged row back to the queue without counting an attempt.
func release(j store.PublishJob, msg string, next time.Time) result {
	r := base(j, store.PubStaged)
	r.State = store.PubScheduled
	if !next.IsZero() {
		r.NextAttemptAt = next.UTC()
	}
	if msg != "" {
		r.ErrorMessage = msg
	}
	return r
}

func fail(j store.PublishJob, from store.PublicationState, class, msg string, att *store.Attempt) result {
	r := base(j, from)
	r.State, r.ErrorClass, r.ErrorMessage, r.Attempt = store.PubFailed, class, msg, att
	r.event = &Event{Kind: "publish_failed", Message: "Publishing failed: " + msg, Args: []string{msg}}
	return r
}

func attempt(j store.PublishJob, start time.Time, err error, outcome string) *store.Attempt {
	a := &store.Attempt{PublicationID: j.ID, WorkspaceID: j.WorkspaceID, StartedAt: start.UTC(), LatencyMS: time.Since(start).Milliseconds(), Outcome: outcome}
	if err != nil {
		a.Class, a.Message = string(network.ClassOf(err)), userMessage(err)
		var ne *network.Error
		if errors.As(err, &ne) {
			a.HTTPStatus, a.TraceID = ne.Status, ne.TraceID
		}
	}
	return a
}

// userMessage is what the attempt log and notifications show: the network's
// own message when it gave one, never Go error prefixes (see network.UserMessage).
func userMessage(err error) string { return network.UserMessage(err) }

func encodeDone(done []network.RemotePost) json.RawMessage {
	if len(done) == 0 {
		return json.RawMessage("[]")
	}
	b, _ := json.Marshal(done)
	return b
}

func doneID(done []network.RemotePost) string {
	if len(done) == 0 {
		return ""
	}
	return done[0].ID
}

func doneURL(done []network.RemotePost) string {
	if len(done) == 0 {
		return ""
	}
	return done[0].URL
}

// --- result writer ---------------------------------------------------------------

// writer commits results in batches of at most BatchSize. Flushes run in the
// background (a few at once), so that workers never wait for a commit. While
// due publications are still being sent, commits wait (at most ResultDelay):
// at the due moment the calls have the machine, the bookkeeping follows.
func (e *Engine) writer() {
	// Results gather in batches of BatchSize allocated once each: a burst's
	// results held back are a list of full batches, never one growing slice
	// copied again at every doubling.
	var full [][]result // complete batches waiting
	var cur []result    // the batch being filled
	var oldest time.Time
	var wg sync.WaitGroup
	// SQLite has one writer: concurrent flushes would only queue ahead of the
	// marks. PostgreSQL commits them side by side.
	n := 3
	if e.st.Dialect() == "sqlite" {
		n = 1
	}
	flushers := make(chan struct{}, n)
	flush := func(b []result) {
		flushers <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-flushers }()
			e.flush(b)
		}()
	}
	send := func(all bool) {
		for _, b := range full {
			flush(b)
		}
		full = full[:0]
		if all && len(cur) > 0 {
			flush(cur)
			cur = nil
		}
	}
	hold := func() bool { return e.dispatching() && time.Since(oldest) < e.cfg.ResultDelay }
	// The flush timer runs only while results wait: an idle engine does not wake.
	t := time.NewTimer(e.cfg.FlushInterval)
	t.Stop()
	var tick <-chan time.Time
	arm := func() {
		if tick == nil && (len(cur) > 0 || len(full) > 0) {
			t.Reset(e.cfg.FlushInterval)
			tick = t.C
		}
	}
	defer t.Stop()
	for {
		select {
		case r, ok := <-e.results:
			if !ok {
				send(true)
				wg.Wait()
				return
			}
			if cur == nil {
				if len(full) == 0 {
					oldest = time.Now()
				}
				cur = make([]result, 0, e.cfg.BatchSize)
			}
			cur = append(cur, r)
			if len(cur) == e.cfg.BatchSize {
				full, cur = append(full, cur), nil
				if !hold() {
					send(false)
				}
			}
			arm()
		case <-tick:
			tick = nil
			if !hold() {
				send(true)
			}
			arm()
		}
	}
}

// dispatching reports whether due publications wait to be sent, marks are
// in flight, or a burst's calls are (a quarter of the workers or more busy):
// the last calls of a burst are sent before its results are written, while
// the results of a steady trickle of calls are written at once.
func (e *Engine) dispatching() bool {
	if len(e.markers) > 0 || len(e.slots) >= max(1, cap(e.slots)/4) {
		return true
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	return len(e.pending) > 0 && !e.pending[0].job.NextAttemptAt.After(time.Now())
}

func (e *Engine) flush(buf []result) {
	if len(buf) == 0 {
		return
	}
	rows := make([]store.PublishResult, len(buf))
	for i, r := range buf {
		rows[i] = r.PublishResult
	}
	var applied []int64
	var err error
	// The outcome of a remote call must not be lost to a database hiccup: retry for a while.
	for try, wait := 0, 50*time.Millisecond; ; try++ {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		applied, err = e.st.SaveResults(ctx, rows, time.Now().UTC())
		cancel()
		if err == nil || try >= 8 {
			break
		}
		e.log.Warn("save publish results; retrying", "err", err)
		time.Sleep(wait)
		wait = min(wait*2, 5*time.Second)
	}
	if err != nil {
		e.log.Error("save publish results; the reconciler will resolve these publications", "err", err, "count", len(rows))
		return
	}
	ok := make(map[int64]bool, len(applied))
	for _, id := range applied {
		ok[id] = true
	}
	for _, r := range buf {
		if !ok[r.ID] {
			continue
		}
		if r.hold && !e.markHeld(r.channel) {
			continue // this instance already held the channel and told people
		}
		if r.hold {
			e.holdChannel(r)
		}
		if r.event != nil {
			ev := *r.event
			ev.WorkspaceID, ev.PostID, ev.PublicationID, ev.ChannelID = r.ws, r.post, r.ID, r.channel
			if ev.Kind == "channel_needs_reconnect" {
				ev.PostID = 0
			}
			e.notify(ev)
		}
	}
}

// markHeld records that the channel is held and reports whether it was not already.
func (e *Engine) markHeld(ch int64) bool {
	e.connMu.Lock()
	defer e.connMu.Unlock()
	if e.held[ch] {
		return false
	}
	e.held[ch] = true
	return true
}

func (e *Engine) holdChannel(r result) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	e.forget(r.channel)
	reason := r.HoldReason
	if m, ok := e.cfg.Resolver.(ReconnectMarker); ok {
		if err := m.MarkNeedsReconnect(ctx, r.ws, r.channel, reason); err != nil {
			e.log.Warn("mark channel needs reconnect", "channel", r.channel, "err", err)
		}
	} else if err := e.st.SetChannelStatus(ctx, r.ws, r.channel, store.ChannelNeedsReconnect, reason, time.Now().UTC()); err != nil {
		e.log.Warn("mark channel needs reconnect", "channel", r.channel, "err", err)
	}
	if _, err := e.st.HoldChannel(ctx, r.ws, r.channel, reason, time.Now().UTC()); err != nil {
		e.log.Warn("hold channel", "channel", r.channel, "err", err)
	}
}

func (e *Engine) notify(ev Event) {
	for _, n := range e.cfg.Notifiers {
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			if err := n.Notify(ctx, ev); err != nil {
				e.log.Warn("notify", "kind", ev.Kind, "err", err)
			}
		}()
	}
}

// --- reconciler ----------------------------------------------------------------

// LeaseReconciler names the lease that elects the reconciling instance.
const LeaseReconciler = "publish.reconciler"

func (e *Engine) reconciler(ctx context.Context) {
	t := time.NewTicker(e.cfg.ReconcileInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if _, err := e.Reconcile(ctx); err != nil && ctx.Err() == nil {
			e.log.Warn("reconcile", "err", err)
		}
	}
}

// interruptedRetryMessage says what repeating an interrupted call means: the
// networks drop the repeat by its idempotency key, but a webhook is delivered
// at least once and its receiver drops the duplicate by the delivery id.
func interruptedRetryMessage(kind network.Kind) string {
	if kind == network.Webhook {
		return "The instance publishing this stopped mid-call; sending it again with the same delivery id (webhook-id). " +
			"Webhooks are delivered at least once: the receiver may get it twice and should drop the repeat by that id."
	}
	return "The instance publishing this stopped mid-call; retrying with the same idempotency key, so the network does not post it twice."
}

// Reconcile resolves publications left in publishing past their lease (their
// instance died mid-call), if this instance holds the reconciler lease: an
// idempotent network's call is repeated with the same key; any other becomes
// needs_review with the reason, never retried blindly. It returns how many it resolved.
func (e *Engine) Reconcile(ctx context.Context) (int, error) {
	now := time.Now().UTC()
	leader, err := e.st.TryLease(ctx, LeaseReconciler, e.cfg.InstanceID, now.Add(3*e.cfg.ReconcileInterval), now)
	if err != nil || !leader {
		return 0, err
	}
	total := 0
	for ctx.Err() == nil {
		pubs, err := e.st.ExpiredPublishing(ctx, time.Now().UTC(), e.cfg.BatchSize)
		if err != nil || len(pubs) == 0 {
			return total, err
		}
		results := make([]result, 0, len(pubs))
		for _, p := range pubs {
			j := store.PublishJob{Publication: p}
			r := base(j, store.PubPublishing)
			name := p.Network
			if l, ok := network.LimitsFor(network.Kind(p.Network)); ok {
				name = l.Name
			}
			a := &store.Attempt{PublicationID: p.ID, WorkspaceID: p.WorkspaceID, StartedAt: now, Outcome: "interrupted", Class: string(network.Unknown)}
			if e.cfg.Idempotent[network.Kind(p.Network)] {
				r.State, r.NextAttemptAt, r.ErrorClass = store.PubScheduled, now, string(network.Unknown)
				r.ErrorMessage = interruptedRetryMessage(network.Kind(p.Network))
			} else {
				r.State, r.ErrorClass = store.PubNeedsReview, string(network.Unknown)
				r.ErrorMessage = fmt.Sprintf("The instance publishing this stopped during the call to %s, so it may or may not be out. "+
					"Check the channel, then mark it published or retry.", name)
				r.event = &Event{Kind: "publish_needs_review", Message: r.ErrorMessage, Args: []string{name}}
			}
			a.Message = r.ErrorMessage
			r.Attempt = a
			results = append(results, r)
		}
		e.flush(results)
		total += len(results)
		if len(pubs) < e.cfg.BatchSize {
			return total, nil
		}
	}
	return total, ctx.Err()
}

// --- heap of staged items, earliest due first ---------------------------------------

type itemHeap []*item

func (h itemHeap) Len() int { return len(h) }
func (h itemHeap) Less(i, j int) bool {
	return h[i].job.NextAttemptAt.Before(h[j].job.NextAttemptAt)
}
func (h itemHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i]; h[i].index = i; h[j].index = j }

// Push adds an item (container/heap).
func (h *itemHeap) Push(x any) { it := x.(*item); it.index = len(*h); *h = append(*h, it) }

// Pop removes the last item (container/heap).
func (h *itemHeap) Pop() any {
	old := *h
	it := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	return it
}
