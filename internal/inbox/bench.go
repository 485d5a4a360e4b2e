package inbox

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"runtime/pprof"
	"slices"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/publish"
	"github.com/relais/relais/internal/store"
)

// BenchOptions tune the inbox benchmark.
type BenchOptions struct {
	// DB is "sqlite" or "postgres".
	DB string
	// DatabaseURL is the PostgreSQL server (a temporary database is made there).
	DatabaseURL string
	// Messages is how many messages the workspace receives.
	Messages int
	// Batch is how many messages one ingest call stores (default 1000).
	Batch int
	// Queries is how many list and how many search queries are timed (default 200 each).
	Queries int
	// Seed makes the generated texts reproducible.
	Seed uint64
	// Setup, when set, prepares the workspace before the ingest and returns
	// the hooks the ingest runs (the moderation rules) and how many rules.
	Setup func(ctx context.Context, st store.Store, ws store.Workspace, owner store.User, svc *Service) (hooks []Hook, rules int, err error)
	// Profile, when set, receives a CPU profile of the ingest alone.
	Profile io.Writer
}

// BenchResult is what the benchmark measured.
type BenchResult struct {
	DB       string `json:"db"`
	Messages int    `json:"messages"`
	// Stored counts the messages the ingest stored (all of them: the texts are unique).
	Stored int `json:"stored"`
	// Rules is how many moderation rules ran on each message during the ingest.
	Rules int `json:"rules"`
	// IngestPerS counts messages classified (language, sentiment, themes) and stored per second.
	IngestPerS float64 `json:"ingest_per_s"`
	// IngestCPUS is the CPU time of the process during the ingest (user and
	// system, seconds), and CPUPer10kS the same per 10,000 messages: on a
	// shared machine they vary far less than the rate.
	IngestCPUS float64 `json:"ingest_cpu_s"`
	CPUPer10kS float64 `json:"cpu_s_per_10k"`
	// Load1 is the machine's one-minute load average when the ingest started (Linux).
	Load1       string  `json:"load1,omitempty"`
	ListP50MS   float64 `json:"list_p50_ms"`
	ListP95MS   float64 `json:"list_p95_ms"`
	SearchP50MS float64 `json:"search_p50_ms"`
	SearchP95MS float64 `json:"search_p95_ms"`
	// SlowestList and SlowestSearch name the query with the highest latency.
	SlowestList   string `json:"slowest_list"`
	SlowestSearch string `json:"slowest_search"`
}

// benchTexts are the sentences messages are made of: complaints, praise and
// questions in English, French and German, as customers write them.
var benchTexts = []string{
	"My parcel never arrived and nobody answers my emails",
	"Love the new collection, the quality is amazing",
	"Where is my refund? I sent the item back three weeks ago",
	"The size runs small, I had to return it",
	"Too expensive for what it is",
	"Great service in the Lyon store, thank you!",
	"The website keeps crashing at checkout, payment failed twice",
	"Is the blue one back in stock soon?",
	"Mon colis n'est jamais arrivé, c'est inadmissible",
	"J'adore la nouvelle collection, merci !",
	"Toujours pas de remboursement après trois semaines",
	"La taille est trop petite, je dois la retourner",
	"Le service client ne répond pas",
	"Mein Paket ist nie angekommen, sehr enttäuschend",
	"Die Qualität ist super, vielen Dank!",
	"Wann kommt meine Rückerstattung? Ich warte seit Wochen",
	"Zu teuer für diese Qualität",
	"Der Kundenservice war sehr freundlich",
}

// benchWords are the search terms, from frequent to rare.
var benchWords = []string{"parcel", "collection", "refund", "colis", "Paket", "checkout", "stock", "Lyon", "remboursement", "Kundenservice"}

// Bench fills a workspace with generated messages through the ingest path
// (classification included) and times the first page of filtered lists and
// keyword searches over them.
func Bench(ctx context.Context, o BenchOptions) (BenchResult, error) {
	if o.Batch <= 0 {
		o.Batch = 1000
	}
	if o.Queries <= 0 {
		o.Queries = 200
	}
	if o.DB == "postgres" && o.DatabaseURL == "" {
		o.DatabaseURL = publish.DefaultBenchDatabaseURL
	}
	dir, err := os.MkdirTemp("", "relais-bench-inbox-")
	if err != nil {
		return BenchResult{}, err
	}
	defer os.RemoveAll(dir)
	st, drop, err := publish.OpenBenchStore(ctx, o.DB, o.DatabaseURL, dir)
	if err != nil {
		return BenchResult{}, err
	}
	defer drop()
	u := store.User{Email: "bench@example.com", Name: "Bench", PasswordHash: "-"}
	if err := st.CreateUser(ctx, &u); err != nil {
		return BenchResult{}, fmt.Errorf("inbox: bench: %w", err)
	}
	ws := store.Workspace{Name: "Bench", Slug: "bench", Timezone: "UTC"}
	if err := st.CreateWorkspace(ctx, &ws, u.ID); err != nil {
		return BenchResult{}, fmt.Errorf("inbox: bench: %w", err)
	}
	networks := []string{"mastodon", "bluesky", "telegram"}
	var chans []store.Channel
	for i := range 9 {
		c := store.Channel{WorkspaceID: ws.ID, Network: networks[i%3], RemoteID: "bench-" + strconv.Itoa(i), Handle: "@bench" + strconv.Itoa(i)}
		if err := st.CreateChannel(ctx, &c); err != nil {
			return BenchResult{}, fmt.Errorf("inbox: bench: %w", err)
		}
		chans = append(chans, c)
	}
	svc := &Service{Store: st}
	rules := 0
	if o.Setup != nil {
		if svc.Hooks, rules, err = o.Setup(ctx, st, ws, u, svc); err != nil {
			return BenchResult{}, fmt.Errorf("inbox: bench: setup: %w", err)
		}
	}
	rng := rand.New(rand.NewPCG(o.Seed, 42))
	start := time.Now().Add(-30 * 24 * time.Hour)
	step := 30 * 24 * time.Hour / time.Duration(o.Messages+1)
	// The batches are made first (they stand for what the networks send);
	// two ingesters then classify and store them, so one classifies while
	// the other's batch is written.
	var batches [][]*Message
	for done := 0; done < o.Messages; {
		n := min(o.Batch, o.Messages-done)
		batch := make([]*Message, n)
		for i := range batch {
			k := done + i
			c := chans[rng.IntN(len(chans))]
			at := start.Add(time.Duration(k) * step)
			state := store.MessageClosed
			switch r := rng.IntN(10); {
			case r < 3:
				state = store.MessageOpen
			case r < 4:
				state = store.MessagePending
			}
			text := benchTexts[rng.IntN(len(benchTexts))] + " #" + strconv.Itoa(k)
			if rng.IntN(3) == 0 {
				text += ". " + benchTexts[rng.IntN(len(benchTexts))]
			}
			batch[i] = &Message{WorkspaceID: ws.ID, ChannelID: c.ID, Network: c.Network, RemoteID: "m" + strconv.Itoa(k), Kind: store.KindReply,
				AuthorHandle: "@user" + strconv.Itoa(rng.IntN(50000)), Text: text, State: state, CreatedAt: at, ReceivedAt: at}
		}
		batches = append(batches, batch)
		done += n
	}
	load1 := publish.LoadAverage()
	if o.Profile != nil {
		if err := pprof.StartCPUProfile(o.Profile); err != nil {
			return BenchResult{}, fmt.Errorf("inbox: bench: %w", err)
		}
	}
	cpu0 := publish.ProcessCPU()
	t0 := time.Now()
	var stored atomic.Int64
	work := make(chan []*Message)
	errs := make(chan error, 2)
	for range 2 {
		go func() {
			for b := range work {
				n, err := svc.Ingest(ctx, b)
				stored.Add(int64(n))
				if err != nil {
					errs <- fmt.Errorf("inbox: bench: ingest: %w", err)
					for range work {
					}
					return
				}
			}
			errs <- nil
		}()
	}
	for _, b := range batches {
		work <- b
	}
	close(work)
	for range 2 {
		if e := <-errs; e != nil && err == nil {
			err = e
		}
	}
	if err != nil {
		return BenchResult{}, err
	}
	ingest := time.Since(t0)
	cpu := publish.ProcessCPU() - cpu0
	if o.Profile != nil {
		pprof.StopCPUProfile()
	}
	// What autovacuum does after a bulk load on PostgreSQL; timed apart from the ingest.
	if err := st.AnalyzeInbox(ctx); err != nil {
		return BenchResult{}, fmt.Errorf("inbox: bench: %w", err)
	}
	res := BenchResult{DB: o.DB, Messages: o.Messages, Stored: int(stored.Load()), Rules: rules, IngestPerS: float64(o.Messages) / ingest.Seconds(),
		IngestCPUS: cpu.Seconds(), CPUPer10kS: cpu.Seconds() * 10_000 / float64(o.Messages), Load1: load1}
	p := auth.Principal{User: u, Workspace: ws, Role: store.RoleOwner}
	lists := []Query{
		{}, {State: "open"}, {Sentiment: "negative"}, {State: "open", Sentiment: "negative"}, {Language: "fr"},
		{Theme: "delivery", State: "open"}, {Network: "bluesky"}, {ChannelID: chans[4].ID, State: "pending"}, {Unanswered: true, Sentiment: "negative"},
		{Language: "de", Sentiment: "positive"},
	}
	var searches []Query
	for _, w := range benchWords {
		searches = append(searches, Query{Search: w}, Query{Search: w, State: "open"})
	}
	res.ListP50MS, res.ListP95MS, res.SlowestList, err = timeQueries(ctx, svc, p, lists, o.Queries)
	if err != nil {
		return res, err
	}
	res.SearchP50MS, res.SearchP95MS, res.SlowestSearch, err = timeQueries(ctx, svc, p, searches, o.Queries)
	return res, err
}

// timeQueries runs n first-page queries, cycling through qs, and returns the
// median and 95th percentile latency in milliseconds and the slowest query.
func timeQueries(ctx context.Context, svc *Service, p auth.Principal, qs []Query, n int) (p50, p95 float64, slowest string, _ error) {
	// One warm-up round: the first query of each shape pays for planning and cold pages.
	for _, q := range qs {
		if _, err := svc.Find(ctx, p, q); err != nil {
			return 0, 0, "", err
		}
	}
	lat := make([]float64, n)
	var worst float64
	for i := range n {
		q := qs[i%len(qs)]
		t0 := time.Now()
		if _, err := svc.Find(ctx, p, q); err != nil {
			return 0, 0, "", err
		}
		lat[i] = float64(time.Since(t0).Microseconds()) / 1000
		if lat[i] > worst {
			worst, slowest = lat[i], q.Encode()
		}
	}
	slices.Sort(lat)
	if slowest == "" {
		slowest = "(no filter)"
	}
	return lat[n/2], lat[(n*95+99)/100-1], slowest, nil
}
