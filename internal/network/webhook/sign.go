package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Headers of every delivery.
const (
	// HeaderEvent names the event ("post.published", "post.deleted", "ping").
	HeaderEvent = "X-Relais-Event"
	// HeaderDelivery is the delivery id, the same on every retry of one delivery.
	HeaderDelivery = "X-Relais-Delivery"
	// HeaderTimestamp is when this attempt was signed, in unix seconds.
	HeaderTimestamp = "X-Relais-Timestamp"
	// HeaderSignature is "sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">".
	HeaderSignature = "X-Relais-Signature"
)

// DefaultTolerance is how far a timestamp may be from the receiver's clock
// when Verify is given no tolerance.
const DefaultTolerance = 5 * time.Minute

// Verification errors, for errors.Is.
var (
	ErrNoSignature  = errors.New("webhook: missing signature or timestamp header")
	ErrBadSignature = errors.New("webhook: signature does not match the body")
	ErrTimestamp    = errors.New("webhook: timestamp outside the tolerance")
)

// Sign returns the X-Relais-Signature value for body sent at unix time ts.
// The timestamp is signed with the body so a captured delivery cannot be
// replayed later with a fresh timestamp.
func Sign(secret []byte, ts int64, body []byte) string {
	return "sha256=" + hex.EncodeToString(mac(secret, ts, body))
}

func mac(secret []byte, ts int64, body []byte) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write(strconv.AppendInt(nil, ts, 10))
	m.Write([]byte{'.'})
	m.Write(body)
	return m.Sum(nil)
}

// Verify checks a delivery's signature and timestamp: the timestamp must be
// within tolerance of now (DefaultTolerance when tolerance ≤ 0) and one of the
// signatures (comma-separated or repeated headers, so secrets can rotate)
// must match, compared in constant time.
func Verify(secret []byte, header http.Header, body []byte, tolerance time.Duration, now time.Time) error {
	tsv := strings.TrimSpace(header.Get(HeaderTimestamp))
	sigs := header.Values(HeaderSignature)
	if tsv == "" || len(sigs) == 0 {
		return ErrNoSignature
	}
	ts, err := strconv.ParseInt(tsv, 10, 64)
	if err != nil {
		return fmt.Errorf("%w: %s %q is not unix seconds", ErrTimestamp, HeaderTimestamp, tsv)
	}
	if tolerance <= 0 {
		tolerance = DefaultTolerance
	}
	if age := now.Sub(time.Unix(ts, 0)); age > tolerance {
		return fmt.Errorf("%w: signed %s ago, tolerance %s", ErrTimestamp, age.Round(time.Second), tolerance)
	} else if age < -tolerance {
		return fmt.Errorf("%w: signed %s in the future, tolerance %s", ErrTimestamp, (-age).Round(time.Second), tolerance)
	}
	want := mac(secret, ts, body)
	for _, h := range sigs {
		for v := range strings.SplitSeq(h, ",") {
			hexSig, ok := strings.CutPrefix(strings.TrimSpace(v), "sha256=")
			if !ok {
				continue
			}
			got, err := hex.DecodeString(hexSig)
			if err == nil && hmac.Equal(got, want) {
				return nil
			}
		}
	}
	return ErrBadSignature
}
