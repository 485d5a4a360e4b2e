package auth_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/store/storetest"
	"github.com/stretchr/testify/require"
)

const rightPassword = "a long enough password"

// throttleSetup is a service on a real store with a stopped clock and one account.
func throttleSetup(t *testing.T, st store.Store) (*auth.Service, *time.Time) {
	t.Helper()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	svc := auth.NewService(st)
	svc.Now = func() time.Time { return now }
	require.NoError(t, st.CreateUser(ctx, &store.User{Email: "owner@example.com", PasswordHash: auth.CheapHash(rightPassword)}))
	return svc, &now
}

// outcome classifies a login's error: ok, 401, 429, busy.
func outcome(err error) string {
	var te *auth.ThrottledError
	switch {
	case err == nil:
		return "ok"
	case errors.Is(err, auth.ErrInvalidCredentials):
		return "401"
	case errors.As(err, &te):
		return "429"
	case errors.Is(err, auth.ErrBusy):
		return "busy"
	}
	return err.Error()
}

func parallelLogins(svc *auth.Service, n int, email func(i int) string, client func(i int) string) map[string]int {
	var mu sync.Mutex
	var wg sync.WaitGroup
	got := map[string]int{}
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _, err := svc.Login(ctx, email(i), "wrong password", client(i), "")
			mu.Lock()
			got[outcome(err)]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	return got
}

// TestLoginReservesBeforeHashing: 40 parallel guesses for one account from
// one client reach the password check only as often as the budget allows,
// on both databases.
func TestLoginReservesBeforeHashing(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			svc, _ := throttleSetup(t, storetest.Open(t, d))
			got := parallelLogins(svc, 40, func(int) string { return "owner@example.com" }, func(int) string { return "203.0.113.7" })
			require.Equal(t, map[string]int{"401": auth.AccountClientRule.Free, "429": 40 - auth.AccountClientRule.Free}, got)
		})
	}
}

// TestHashGateBoundsConcurrency: parallel sign-ins that each need a hash
// (distinct clients and accounts, so no throttle stops them) never run more
// hashes at once than the gate has slots.
func TestHashGateBoundsConcurrency(t *testing.T) {
	t.Parallel()
	svc, _ := throttleSetup(t, storetest.OpenSQLite(t))
	svc.Hashing = auth.NewHashGate(2, time.Minute)
	got := parallelLogins(svc, 8, func(i int) string { return fmt.Sprintf("n%d@example.com", i) }, func(i int) string { return fmt.Sprintf("198.51.100.%d", i) })
	require.Equal(t, map[string]int{"401": 8}, got)
	require.Equal(t, 8, svc.Hashing.Served())
	require.LessOrEqual(t, svc.Hashing.Peak(), 2)
}

// TestHashGateBusy: when no slot frees up within the wait the sign-in is
// refused as busy, and that refusal does not use up the caller's budget.
func TestHashGateBusy(t *testing.T) {
	t.Parallel()
	svc, _ := throttleSetup(t, storetest.OpenSQLite(t))
	svc.Hashing = auth.NewHashGate(1, time.Millisecond)
	held, release := make(chan struct{}), make(chan struct{})
	go func() {
		_ = svc.Hashing.Do(ctx, func() { close(held); <-release })
	}()
	<-held
	for range auth.AccountClientRule.Free + 1 {
		_, _, err := svc.Login(ctx, "owner@example.com", rightPassword, "192.0.2.1", "")
		require.ErrorIs(t, err, auth.ErrBusy)
	}
	close(release)
	svc.Hashing = auth.NewHashGate(1, time.Minute)
	_, _, err := svc.Login(ctx, "owner@example.com", rightPassword, "192.0.2.1", "")
	require.NoError(t, err)
}

// TestThrottleRules walks the growing waits with a stopped clock.
func TestThrottleRules(t *testing.T) {
	t.Parallel()
	st := storetest.OpenSQLite(t)
	svc, now := throttleSetup(t, st)
	login := func(client, password string) string {
		_, _, err := svc.Login(ctx, "owner@example.com", password, client, "")
		return outcome(err)
	}
	wait := func(client string) time.Duration {
		_, _, err := svc.Login(ctx, "owner@example.com", "wrong password", client, "")
		var te *auth.ThrottledError
		require.ErrorAs(t, err, &te)
		return te.Until.Sub(*now)
	}

	// One client: five free guesses, then waits of 1 s, 2 s, 4 s …
	for range auth.AccountClientRule.Free {
		require.Equal(t, "401", login("203.0.113.1", "wrong password"))
	}
	require.Equal(t, time.Second, wait("203.0.113.1"))
	*now = now.Add(time.Second)
	require.Equal(t, "401", login("203.0.113.1", "wrong password"))
	require.Equal(t, 2*time.Second, wait("203.0.113.1"))

	// The owner on another client still signs in at once.
	require.Equal(t, "ok", login("198.51.100.9", rightPassword))

	// Guesses spread over many clients slow the account by at most a minute.
	for i := range 20 {
		*now = now.Add(2 * time.Minute)
		require.Equal(t, "401", login(fmt.Sprintf("192.0.2.%d", i), "wrong password"))
	}
	require.LessOrEqual(t, wait("198.51.100.9"), auth.AccountRule.Max)
	*now = now.Add(auth.AccountRule.Max)
	require.Equal(t, "ok", login("198.51.100.9", rightPassword))

	// Right passwords are refunded: signing in often never slows down.
	for range auth.ClientRule.Free + 5 {
		*now = now.Add(auth.AccountRule.Max)
		require.Equal(t, "ok", login("198.51.100.10", rightPassword))
	}

	// An IPv6 client is its /64: changing the interface id does not reset it.
	*now = now.Add(auth.AccountRule.Quiet)
	for i := range auth.AccountClientRule.Free {
		require.Equal(t, "401", login(fmt.Sprintf("2001:db8:1:2::%x", i+1), "wrong password"))
	}
	require.Equal(t, "429", login("2001:db8:1:2:ffff::1", "wrong password"))
}

// TestThrottleSharedByInstances: two services over one database (two relais
// instances) share one budget.
func TestThrottleSharedByInstances(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			st := storetest.Open(t, d)
			a, now := throttleSetup(t, st)
			b := auth.NewService(st)
			b.Now = a.Now
			for i := range auth.AccountClientRule.Free {
				svc := []*auth.Service{a, b}[i%2]
				_, _, err := svc.Login(ctx, "owner@example.com", "wrong password", "203.0.113.5", "")
				require.ErrorIs(t, err, auth.ErrInvalidCredentials)
			}
			for _, svc := range []*auth.Service{a, b} {
				_, _, err := svc.Login(ctx, "owner@example.com", rightPassword, "203.0.113.5", "")
				require.Equal(t, "429", outcome(err))
			}
			*now = now.Add(time.Second)
			_, _, err := b.Login(ctx, "owner@example.com", rightPassword, "203.0.113.5", "")
			require.NoError(t, err)
		})
	}
}

func TestClientKey(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"203.0.113.7", "203.0.113.7"},
		{"::ffff:203.0.113.7", "203.0.113.7"},
		{"2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"},
		{"[2001:db8:1:2::1]", "2001:db8:1:2::/64"},
		{"2001:db8:1:3::1", "2001:db8:1:3::/64"},
		{"fe80::1%eth0", "fe80::/64"},
		{"not an ip", "not an ip"},
		{"", ""},
	} {
		require.Equal(t, tc.want, auth.ClientKey(tc.in), tc.in)
	}
}
