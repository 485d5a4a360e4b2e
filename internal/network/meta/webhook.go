package meta

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/url"
	"strings"
)

// Webhook errors.
var (
	ErrBadSignature = errors.New("meta: webhook signature does not match")
	ErrBadChallenge = errors.New("meta: webhook verification request is not valid")
)

// VerifySignature checks X-Hub-Signature-256 ("sha256=<hex>"): the HMAC-SHA256
// of the raw body with the app secret.
// https://developers.facebook.com/docs/graph-api/webhooks/getting-started#event-notifications
func VerifySignature(appSecret string, body []byte, header string) error {
	hexSum, ok := strings.CutPrefix(strings.TrimSpace(header), "sha256=")
	if !ok || appSecret == "" {
		return ErrBadSignature
	}
	got, err := hex.DecodeString(hexSum)
	if err != nil {
		return ErrBadSignature
	}
	mac := hmac.New(sha256.New, []byte(appSecret))
	mac.Write(body)
	if subtle.ConstantTimeCompare(mac.Sum(nil), got) != 1 {
		return ErrBadSignature
	}
	return nil
}

// Challenge answers the verification request Meta sends when a webhook is
// subscribed (hub.mode=subscribe, hub.verify_token, hub.challenge): it
// returns hub.challenge when the verify token matches.
func Challenge(q url.Values, verifyToken string) (string, error) {
	if q.Get("hub.mode") != "subscribe" || verifyToken == "" ||
		subtle.ConstantTimeCompare([]byte(q.Get("hub.verify_token")), []byte(verifyToken)) != 1 || q.Get("hub.challenge") == "" {
		return "", ErrBadChallenge
	}
	return q.Get("hub.challenge"), nil
}

// Change is one change of a webhook delivery.
type Change struct {
	// Object is "page", "instagram" or "threads".
	Object string
	// AccountID is the entry's id (the Page, Instagram or Threads user).
	AccountID string
	// Field is the subscribed field ("feed", "comments", "mentions", "replies").
	Field string
	// Value is the change's payload as sent.
	Value json.RawMessage
}

// ParseDelivery reads a webhook body into its changes.
func ParseDelivery(body []byte) ([]Change, error) {
	var d struct {
		Object string `json:"object"`
		Entry  []struct {
			ID      string `json:"id"`
			Changes []struct {
				Field string          `json:"field"`
				Value json.RawMessage `json:"value"`
			} `json:"changes"`
		} `json:"entry"`
	}
	if err := json.Unmarshal(body, &d); err != nil {
		return nil, errors.New("meta: webhook body is not a Graph delivery")
	}
	var out []Change
	for _, e := range d.Entry {
		for _, c := range e.Changes {
			out = append(out, Change{Object: d.Object, AccountID: e.ID, Field: c.Field, Value: c.Value})
		}
	}
	return out, nil
}
