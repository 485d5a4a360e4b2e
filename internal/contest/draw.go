package contest

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strconv"
	"strings"
)

// The verifiable draw (commit-reveal), documented in docs/contests.md:
//
//  1. When entry closes, relais draws a 32-byte random seed and publishes
//     SeedHash = hex(SHA-256(seed hex)) and EntriesHash =
//     hex(SHA-256("1,5,9")) of the approved entry ids sorted ascending.
//  2. At the draw it reveals the seed. For i = 0, 1, … it computes
//     h_i = SHA-256(seed hex + ":" + i) and takes index = h_i as a big-endian
//     integer mod the number of entries left, removing that entry (a draw
//     without replacement) until the number of winners is reached.
//  3. Anyone can check: SHA-256(seed) equals the committed hash, the entry ids
//     hash to EntriesHash, and the same steps give the same winners
//     (`relais contest verify`).

// NewSeed returns a fresh random seed (64 hex characters) and its hash.
func NewSeed() (seed, hash string) {
	var b [32]byte
	_, _ = rand.Read(b[:])
	seed = hex.EncodeToString(b[:])
	return seed, SeedHash(seed)
}

// SeedHash is hex(SHA-256(seed)).
func SeedHash(seed string) string {
	s := sha256.Sum256([]byte(seed))
	return hex.EncodeToString(s[:])
}

// EntriesHash is hex(SHA-256) of the ids sorted ascending and joined by commas.
func EntriesHash(ids []int64) string {
	s := sha256.Sum256([]byte(joinIDs(sortedIDs(ids))))
	return hex.EncodeToString(s[:])
}

func sortedIDs(ids []int64) []int64 {
	s := slices.Clone(ids)
	slices.Sort(s)
	return s
}

func joinIDs(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(parts, ",")
}

// Draw picks n winners among ids from the seed; it is deterministic.
func Draw(seed string, ids []int64, n int) []int64 {
	left := sortedIDs(ids)
	var out []int64
	for i := 0; len(out) < n && len(left) > 0; i++ {
		h := sha256.Sum256([]byte(seed + ":" + strconv.Itoa(i)))
		idx := new(big.Int).Mod(new(big.Int).SetBytes(h[:]), big.NewInt(int64(len(left)))).Int64()
		out = append(out, left[idx])
		left = slices.Delete(left, int(idx), int(idx)+1)
	}
	return out
}

// ErrVerify is returned when a draw does not check out.
var ErrVerify = errors.New("contest: the draw does not verify")

// Verify checks a published draw: the seed against its committed hash, the
// entries against theirs, and the winners against a fresh draw.
func Verify(seed, seedHash string, ids []int64, entriesHash string, winners []int64) error {
	if SeedHash(seed) != strings.ToLower(seedHash) {
		return fmt.Errorf("%w: SHA-256 of the seed is %s, the committed hash is %s", ErrVerify, SeedHash(seed), seedHash)
	}
	if entriesHash != "" && EntriesHash(ids) != strings.ToLower(entriesHash) {
		return fmt.Errorf("%w: the entry ids hash to %s, the committed hash is %s", ErrVerify, EntriesHash(ids), entriesHash)
	}
	if got := Draw(seed, ids, len(winners)); !slices.Equal(got, winners) {
		return fmt.Errorf("%w: the seed draws %v, the published winners are %v", ErrVerify, got, winners)
	}
	return nil
}

// VerifyRanked checks a quiz's draw: the seed and entries as Verify does,
// and the winners against the ranking by score with ties broken by the seed.
func VerifyRanked(seed, seedHash string, ids []int64, entriesHash string, scores map[int64]int, winners []int64) error {
	if err := Verify(seed, seedHash, ids, entriesHash, nil); err != nil {
		return err
	}
	if got := RankedDraw(seed, ids, scores, len(winners)); !slices.Equal(got, winners) {
		return fmt.Errorf("%w: the seed and scores rank %v, the published winners are %v", ErrVerify, got, winners)
	}
	return nil
}
