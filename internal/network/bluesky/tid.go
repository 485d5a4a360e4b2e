package bluesky

import (
	"hash/fnv"
	"strings"
	"time"
)

// tidAlphabet is atproto's sortable base32 ("base32-sortable").
const tidAlphabet = "234567abcdefghijklmnopqrstuvwxyz"

// TID encodes a timestamp identifier: 53 bits of microseconds since the Unix
// epoch followed by a 10-bit clock id, as 13 sortable base32 characters.
func TID(micros int64, clockID uint16) string {
	v := uint64(micros)&(1<<53-1)<<10 | uint64(clockID&0x3ff)
	var b [13]byte
	for i := 12; i >= 0; i-- {
		b[i] = tidAlphabet[v&31]
		v >>= 5
	}
	return string(b[:])
}

// validTID reports whether s has the TID syntax the PDS checks record keys against.
func validTID(s string) bool {
	if len(s) != 13 || !strings.ContainsRune("234567abcdefghij", rune(s[0])) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !strings.ContainsRune(tidAlphabet, rune(s[i])) {
			return false
		}
	}
	return true
}

// recordKey derives the record key of part index of a publication. It depends
// only on what stays the same across retries (the creation time and the
// idempotency key), so a retry writes to the same key and cannot duplicate.
// Parts are one microsecond apart, which keeps a thread's keys in order.
func recordKey(createdAt time.Time, idempotencyKey string, index int) string {
	h := fnv.New32a()
	_, _ = h.Write([]byte(idempotencyKey))
	return TID(createdAt.UnixMicro()+int64(index), uint16(h.Sum32()&0x3ff))
}
