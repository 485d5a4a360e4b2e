package webhook

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"github.com/relais/relais/internal/valid"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Headers of every delivery. The first three are those of the Standard
// Webhooks specification (https://www.standardwebhooks.com), so its libraries
// (Svix, the standardwebhooks packages) verify relais's deliveries as they are.
const (
	// HeaderID is the delivery id, the same on every retry of one delivery.
	// It is signed, so a receiver can dedupe on it safely.
	HeaderID = "webhook-id"
	// HeaderTimestamp is when this attempt was signed, in unix seconds.
	HeaderTimestamp = "webhook-timestamp"
	// HeaderSignature is "v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">";
	// several signatures are separated by spaces.
	HeaderSignature = "webhook-signature"
	// HeaderEvent names the event ("post.published", "post.deleted", "ping", …).
	HeaderEvent = "X-Relais-Event"
)

// Headers of relais's former signing scheme, still sent beside the standard
// ones so that receivers written for it keep working (see docs/webhooks.md).
const (
	// HeaderLegacyDelivery carries the delivery id, like HeaderID.
	HeaderLegacyDelivery = "X-Relais-Delivery"
	// HeaderLegacyTimestamp carries the timestamp, like HeaderTimestamp.
	HeaderLegacyTimestamp = "X-Relais-Timestamp"
	// HeaderLegacySignature is "sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">".
	HeaderLegacySignature = "X-Relais-Signature"
)

// SecretPrefix starts a secret in the Standard Webhooks form: "whsec_"
// followed by the base64 of the key bytes.
const SecretPrefix = "whsec_"

// Key sizes of a Standard Webhooks secret, in bytes, as the specification recommends.
const (
	MinKeyBytes = 24
	MaxKeyBytes = 64
)

// DefaultTolerance is how far a timestamp may be from the receiver's clock
// when Verify is given no tolerance.
const DefaultTolerance = 5 * time.Minute

// Verification errors, for errors.Is.
var (
	ErrNoSignature  = errors.New("webhook: missing webhook-id, webhook-timestamp or webhook-signature header")
	ErrBadSignature = errors.New("webhook: signature does not match the body")
	ErrTimestamp    = errors.New("webhook: timestamp outside the tolerance")
)

// NewSecret draws a signing secret: 32 random bytes in the whsec_ form.
func NewSecret() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("webhook: generate secret: %w", err)
	}
	return SecretPrefix + base64.StdEncoding.EncodeToString(b), nil
}

// SigningKey returns the HMAC key of a stored secret: the decoded bytes of a
// whsec_ secret, else the secret's own UTF-8 bytes. Secrets stored before
// relais followed Standard Webhooks (64 hex characters, or what the user
// typed) are wrapped this way and sign exactly as they did.
func SigningKey(secret string) []byte {
	if rest, ok := strings.CutPrefix(secret, SecretPrefix); ok {
		if key, err := base64.StdEncoding.DecodeString(rest); err == nil && len(key) > 0 {
			return key
		}
	}
	return []byte(secret)
}

// StandardSecret returns a secret in the whsec_ form that Standard Webhooks
// libraries take: a whsec_ secret as it is, any other secret wrapped as
// "whsec_" + base64 of its bytes (the same key).
func StandardSecret(secret string) string {
	return SecretPrefix + base64.StdEncoding.EncodeToString(SigningKey(secret))
}

// CheckSecret validates a secret a person typed: a whsec_ secret must be
// base64 of MinKeyBytes to MaxKeyBytes bytes; any other secret needs min to
// max characters.
func CheckSecret(secret string, min, max int) error {
	if rest, ok := strings.CutPrefix(secret, SecretPrefix); ok {
		key, err := base64.StdEncoding.DecodeString(rest)
		if err != nil {
			return valid.Errorf(FieldSecret, "format", "Signing secret: a secret starting with %s must continue with base64; this one does not", SecretPrefix)
		}
		if len(key) < MinKeyBytes || len(key) > MaxKeyBytes {
			return valid.Errorf(FieldSecret, "length", "Signing secret: a %s secret needs %d to %d bytes of key; this one has %d", SecretPrefix, MinKeyBytes, MaxKeyBytes, len(key))
		}
		return nil
	}
	if n := len([]rune(secret)); n < min || n > max {
		return valid.Errorf(FieldSecret, "length", "Signing secret needs %d to %d characters; this one has %d", min, max, n).WithArgs(min, max, n)
	}
	return nil
}

// Sign returns the webhook-signature value for the delivery id and body sent
// at unix time ts. The id and timestamp are signed with the body, so a
// captured delivery can be neither replayed later nor passed off as another.
func Sign(secret, id string, ts int64, body []byte) string {
	return "v1," + base64.StdEncoding.EncodeToString(mac(SigningKey(secret), id, ts, body))
}

func mac(key []byte, id string, ts int64, body []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(id))
	m.Write([]byte{'.'})
	m.Write(strconv.AppendInt(nil, ts, 10))
	m.Write([]byte{'.'})
	m.Write(body)
	return m.Sum(nil)
}

// legacySign is the X-Relais-Signature value of the former scheme.
func legacySign(secret string, ts int64, body []byte) string {
	m := hmac.New(sha256.New, SigningKey(secret))
	m.Write(strconv.AppendInt(nil, ts, 10))
	m.Write([]byte{'.'})
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// setSignature sets the standard and the legacy signing headers of one attempt.
func setSignature(h http.Header, secret, id string, ts int64, body []byte) {
	tsv := strconv.FormatInt(ts, 10)
	h.Set(HeaderID, id)
	h.Set(HeaderTimestamp, tsv)
	h.Set(HeaderSignature, Sign(secret, id, ts, body))
	h.Set(HeaderLegacyDelivery, id)
	h.Set(HeaderLegacyTimestamp, tsv)
	h.Set(HeaderLegacySignature, legacySign(secret, ts, body))
}

// Verify checks a delivery the way the Standard Webhooks specification says:
// the timestamp must be within tolerance of now (DefaultTolerance when
// tolerance ≤ 0) and one of the v1 signatures (space-separated, or repeated
// headers, so secrets can rotate) must match the id, timestamp and body,
// compared in constant time.
func Verify(secret string, header http.Header, body []byte, tolerance time.Duration, now time.Time) error {
	id := header.Get(HeaderID)
	tsv := strings.TrimSpace(header.Get(HeaderTimestamp))
	sigs := header.Values(HeaderSignature)
	if id == "" || tsv == "" || len(sigs) == 0 {
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
	want := mac(SigningKey(secret), id, ts, body)
	for _, h := range sigs {
		for _, v := range strings.Fields(h) {
			b64, ok := strings.CutPrefix(v, "v1,")
			if !ok {
				continue
			}
			got, err := base64.StdEncoding.DecodeString(b64)
			if err == nil && hmac.Equal(got, want) {
				return nil
			}
		}
	}
	return ErrBadSignature
}
