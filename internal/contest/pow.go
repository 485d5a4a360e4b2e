package contest

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"math/bits"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Proof of work: a self-hosted hashcash challenge instead of a third-party
// captcha. The server issues "v1.<scope>.<expiry>.<bits>.<nonce>.<mac>"; the
// browser finds a counter such that SHA-256(challenge + ":" + counter) starts
// with <bits> zero bits; the server checks the MAC, the expiry, the work, and
// that the challenge was not used before. Nothing is stored at issue time.

// ErrPoW is returned for a missing, forged, expired, reused or unsolved challenge.
var ErrPoW = errors.New("contest: proof of work refused")

// PoW issues and verifies challenges.
type PoW struct {
	Key  []byte
	Bits int           // difficulty in leading zero bits (default 18: about 260,000 hashes)
	TTL  time.Duration // how long a challenge may be solved (default 10 minutes)
	Now  func() time.Time
	// Spent, when set, records used challenges where every instance sees
	// them (the database, until they expire); nil keeps them in this
	// process only.
	Spent Spender

	mu   sync.Mutex
	used map[string]time.Time // nonce → expiry, pruned as they expire
}

func (p *PoW) bits() int {
	if p.Bits <= 0 {
		return 18
	}
	return p.Bits
}

func (p *PoW) now() time.Time {
	if p.Now != nil {
		return p.Now()
	}
	return time.Now()
}

func (p *PoW) mac(body string) string {
	m := hmac.New(sha256.New, p.Key)
	m.Write([]byte("pow/" + body))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:16])
}

// Issue returns a fresh challenge bound to scope (e.g. the contest slug).
func (p *PoW) Issue(scope string) string {
	ttl := p.TTL
	if ttl <= 0 {
		ttl = 10 * time.Minute
	}
	var n [12]byte
	_, _ = rand.Read(n[:])
	body := fmt.Sprintf("v1.%s.%d.%d.%s", scope, p.now().Add(ttl).Unix(), p.bits(), hex.EncodeToString(n[:]))
	return body + "." + p.mac(body)
}

// Spender records a used challenge; false means it was used before.
type Spender interface {
	SpendChallenge(ctx context.Context, nonce string, expires time.Time) (bool, error)
}

// Verify checks a solution of a challenge issued for scope and uses it up.
func (p *PoW) Verify(scope, challenge, counter string) error {
	return p.VerifyContext(context.Background(), scope, challenge, counter)
}

// VerifyContext is Verify with the request's context (the shared record of
// used challenges is in the database).
func (p *PoW) VerifyContext(ctx context.Context, scope, challenge, counter string) error {
	parts := strings.Split(challenge, ".")
	if len(parts) != 6 || parts[0] != "v1" || parts[1] != scope || len(counter) == 0 || len(counter) > 20 {
		return ErrPoW
	}
	body := strings.Join(parts[:5], ".")
	if !hmac.Equal([]byte(p.mac(body)), []byte(parts[5])) {
		return ErrPoW
	}
	exp, err1 := strconv.ParseInt(parts[2], 10, 64)
	need, err2 := strconv.Atoi(parts[3])
	if err1 != nil || err2 != nil || need < p.bits() {
		return ErrPoW
	}
	now := p.now()
	if now.Unix() > exp {
		return fmt.Errorf("%w: challenge expired", ErrPoW)
	}
	if LeadingZeroBits(challenge, counter) < need {
		return fmt.Errorf("%w: not solved", ErrPoW)
	}
	if p.Spent != nil {
		fresh, err := p.Spent.SpendChallenge(ctx, parts[4], time.Unix(exp, 0))
		if err != nil {
			return err
		}
		if !fresh {
			return fmt.Errorf("%w: challenge already used", ErrPoW)
		}
		return nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.used == nil {
		p.used = map[string]time.Time{}
	}
	if _, ok := p.used[parts[4]]; ok {
		return fmt.Errorf("%w: challenge already used", ErrPoW)
	}
	if len(p.used) > 1024 {
		for k, e := range p.used {
			if now.After(e) {
				delete(p.used, k)
			}
		}
	}
	p.used[parts[4]] = time.Unix(exp, 0)
	return nil
}

// LeadingZeroBits counts the leading zero bits of SHA-256(challenge + ":" + counter).
func LeadingZeroBits(challenge, counter string) int {
	sum := sha256.Sum256([]byte(challenge + ":" + counter))
	n := 0
	for _, b := range sum {
		if b == 0 {
			n += 8
			continue
		}
		return n + bits.LeadingZeros8(b)
	}
	return n
}

// Solve finds a counter for a challenge (the CLI, tests and benchmarks; the
// browser runs the same loop in pow.js).
func Solve(challenge string) string {
	parts := strings.Split(challenge, ".")
	need := 0
	if len(parts) == 6 {
		need, _ = strconv.Atoi(parts[3])
	}
	for i := 0; ; i++ {
		c := strconv.Itoa(i)
		if LeadingZeroBits(challenge, c) >= need {
			return c
		}
	}
}
