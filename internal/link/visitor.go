package link

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"sync"
	"time"
)

// Visitors turns an IP address and User-Agent into a visitor hash that
// counts unique visitors within one UTC day and cannot be turned back into
// the address: the salt is random, drawn for each UTC day, held only in
// memory and forgotten when the day ends. The same person gets another hash
// the next day, so uniqueness never spans days.
type Visitors struct {
	mu   sync.Mutex
	day  string
	salt [32]byte
}

// Hash returns the visitor hash of ip and userAgent at time now.
func (v *Visitors) Hash(ip, userAgent string, now time.Time) string {
	day := now.UTC().Format("2006-01-02")
	v.mu.Lock()
	if day != v.day {
		_, _ = rand.Read(v.salt[:])
		v.day = day
	}
	salt := v.salt
	v.mu.Unlock()
	h := sha256.New()
	h.Write(salt[:])
	h.Write([]byte(ip))
	h.Write([]byte{0})
	h.Write([]byte(userAgent))
	sum := h.Sum(nil)
	return hex.EncodeToString(sum[:12])
}
