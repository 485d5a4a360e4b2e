package publish

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/store/postgres"
	"github.com/relais/relais/internal/store/sqlite"
)

// The fault tests run publishing workers in re-executed test binaries, so that
// they can be killed with SIGKILL at any point. A worker reads its setup from
// the environment.
const (
	envDB       = "RELAIS_FAULT_DB"       // sqlite or postgres
	envDSN      = "RELAIS_FAULT_DSN"      // database file or URL
	envNet      = "RELAIS_FAULT_NET"      // fake network base URL
	envInstance = "RELAIS_FAULT_INSTANCE" // instance name
)

// faultTimings are short so that leases expire within a test.
func faultConfig(st store.Store, r Resolver, instance string) Config {
	return Config{Store: st, Resolver: r, InstanceID: instance, LeadTime: time.Second, StageInterval: 50 * time.Millisecond,
		StageLease: time.Second, CallTimeout: time.Second, PublishGrace: 500 * time.Millisecond, ReconcileInterval: 200 * time.Millisecond,
		BackoffBase: 50 * time.Millisecond, BackoffMax: 500 * time.Millisecond, Workers: 64, BatchSize: 100,
		MaxAttempts: func(context.Context, int64) int { return 50 },
		Idempotent:  map[network.Kind]bool{kindIdem: true}}
}

func workerMain() error {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	var st store.Store
	var err error
	switch os.Getenv(envDB) {
	case "sqlite":
		st, err = sqlite.Open(ctx, os.Getenv(envDSN), false)
	case "postgres":
		st, err = postgres.Open(ctx, os.Getenv(envDSN), false)
	default:
		err = errors.New("no database")
	}
	if err != nil {
		return err
	}
	defer st.Close()
	instance := os.Getenv(envInstance)
	r := &storeResolver{st: st, base: os.Getenv(envNet), instance: instance,
		http: &http.Client{Timeout: 500 * time.Millisecond, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}}
	e, err := New(faultConfig(st, r, instance))
	if err != nil {
		return err
	}
	fmt.Println(workerReady)
	return e.Run(ctx)
}

// workerReady is what a worker prints once its engine is about to run.
const workerReady = "worker ready"

// storeResolver opens fake connectors from the channels in the store; the
// access token lives in the channel's settings, and a refresh replaces it
// there, as the real resolver persists refreshed secrets.
type storeResolver struct {
	st       store.Store
	base     string
	instance string
	http     *http.Client
}

func (r *storeResolver) Connector(ctx context.Context, ws, ch int64) (network.Connector, network.Limits, error) {
	c, err := r.st.Channel(ctx, ws, ch)
	if err != nil {
		return nil, network.Limits{}, err
	}
	token := c.Settings["token"]
	if token == "" {
		token = "good"
	}
	kind := network.Kind(c.Network)
	return &FakeConnector{KindName: kind, BaseURL: r.base, Channel: strconv.FormatInt(ch, 10), Idempotent: kind == kindIdem, HTTP: r.http,
		Token: func() string { return token }, Instance: r.instance}, network.Limits{Network: kind, Name: "Fake"}, nil
}

func (r *storeResolver) RefreshChannel(ctx context.Context, ws, ch int64) error {
	c, err := r.st.Channel(ctx, ws, ch)
	if err != nil {
		return err
	}
	if c.Settings["refresh"] == "" {
		return &network.Error{Class: network.AuthReconnect, Network: network.Kind(c.Network), Message: fmt.Sprintf("channel %d has no refresh token", ch)}
	}
	c.Settings["token"] = c.Settings["refresh"]
	return r.st.UpdateChannel(ctx, c)
}
