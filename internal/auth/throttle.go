package auth

import (
	"context"
	"net/netip"
	"strings"
	"time"

	"github.com/relais/relais/internal/store"
)

// Rule is one sign-in budget: Free attempts, then every further attempt waits
// Base, doubling up to Max, before the next may start. A key whose last
// attempt is older than Quiet (and whose wait is over) starts afresh. Growing
// waits instead of a hard lock keep a guesser slow without shutting the real
// owner out for long.
type Rule struct {
	Free  int
	Base  time.Duration
	Max   time.Duration
	Quiet time.Duration
}

// delay is the wait after the n-th unrefunded attempt.
func (r Rule) delay(n int) time.Duration {
	if n < r.Free {
		return 0
	}
	d := r.Base
	for i := r.Free; i < n && d < r.Max; i++ {
		d *= 2
	}
	return min(d, r.Max)
}

// The default rules. A client (an IPv4 address or an IPv6 /64) and one
// account from one client are slowed hard; an account across all clients is
// slowed by at most a minute per attempt, so a distributed guesser cannot
// lock its owner out.
var (
	ClientRule        = Rule{Free: 20, Base: time.Second, Max: 15 * time.Minute, Quiet: time.Hour}
	AccountClientRule = Rule{Free: 5, Base: time.Second, Max: 15 * time.Minute, Quiet: time.Hour}
	AccountRule       = Rule{Free: 10, Base: time.Second, Max: time.Minute, Quiet: time.Hour}
)

// Throttle keeps sign-in budgets in the database, so every instance sharing
// it enforces one allowance. An attempt is reserved before the password is
// hashed: parallel guesses cannot all pass the check before any is counted.
type Throttle struct {
	Store store.LoginThrottleStore
	// Client, AccountClient and Account are the rules (defaults above).
	Client, AccountClient, Account Rule
}

// NewThrottle makes a throttle with the default rules over st.
func NewThrottle(st store.LoginThrottleStore) *Throttle {
	return &Throttle{Store: st, Client: ClientRule, AccountClient: AccountClientRule, Account: AccountRule}
}

type throttleKey struct {
	key  string
	rule Rule
}

// Attempt is a reserved sign-in attempt; Succeeded refunds it.
type Attempt struct {
	t    *Throttle
	keys []throttleKey
}

func (t *Throttle) keys(account, client string) []throttleKey {
	account = strings.ToLower(strings.TrimSpace(account))
	client = ClientKey(client)
	// Keys are hashed: the table never holds an e-mail address or an IP.
	return []throttleKey{
		{HashToken("ac:" + account + "|" + client), t.AccountClient},
		{HashToken("a:" + account), t.Account},
		{HashToken("c:" + client), t.Client},
	}
}

// Reserve counts an attempt for account from client, or says when one may be
// tried (*ThrottledError).
func (t *Throttle) Reserve(ctx context.Context, account, client string, now time.Time) (*Attempt, error) {
	a := &Attempt{t: t}
	for _, k := range t.keys(account, client) {
		refused := false
		var until time.Time
		_, err := t.Store.UpdateLoginBudget(ctx, k.key, func(b store.LoginBudget) store.LoginBudget {
			if now.Before(b.Until) {
				refused, until = true, b.Until
				return b
			}
			if now.Sub(b.LastAt) >= k.rule.Quiet {
				b.Attempts = 0
			}
			b.Attempts++
			b.LastAt = now
			b.Until = now.Add(k.rule.delay(b.Attempts))
			return b
		})
		if err == nil && refused {
			err = &ThrottledError{Until: until}
		}
		if err != nil {
			a.refund(ctx)
			return nil, err
		}
		a.keys = append(a.keys, k)
	}
	return a, nil
}

// Succeeded refunds the attempt after a right password, so signing in often
// never slows anyone down, and forgets the account's failures from this client.
func (a *Attempt) Succeeded(ctx context.Context) error {
	if len(a.keys) > 0 {
		if err := a.t.Store.DeleteLoginBudgets(ctx, a.keys[0].key); err != nil {
			return err
		}
		a.keys = a.keys[1:]
	}
	return a.refund(ctx)
}

func (a *Attempt) refund(ctx context.Context) error {
	for _, k := range a.keys {
		_, err := a.t.Store.UpdateLoginBudget(ctx, k.key, func(b store.LoginBudget) store.LoginBudget {
			if b.Attempts > 0 {
				b.Attempts--
				b.Until = b.LastAt.Add(k.rule.delay(b.Attempts))
			}
			return b
		})
		if err != nil {
			return err
		}
	}
	a.keys = nil
	return nil
}

// Forget removes budgets idle for longer than every rule's Quiet (the periodic job).
func (t *Throttle) Forget(ctx context.Context, now time.Time) (int64, error) {
	quiet := max(t.Client.Quiet, t.AccountClient.Quiet, t.Account.Quiet)
	return t.Store.DeleteStaleLoginBudgets(ctx, now.Add(-quiet))
}

// ClientKey is what a client is throttled as: an IPv4 address, or the /64
// network of an IPv6 address (one host usually holds a whole /64). Anything
// unparsable is used as it is.
func ClientKey(addr string) string {
	ip, err := netip.ParseAddr(strings.Trim(addr, "[]"))
	if err != nil {
		return addr
	}
	ip = ip.Unmap().WithZone("")
	if ip.Is4() {
		return ip.String()
	}
	p, _ := ip.Prefix(64)
	return p.String()
}
