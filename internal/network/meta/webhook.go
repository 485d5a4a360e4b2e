package meta

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/relais/relais/internal/network"
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

// Kind is the network a change belongs to (its delivery's object).
func (c Change) Kind() network.Kind {
	switch c.Object {
	case "page":
		return network.Facebook
	case "instagram":
		return network.Instagram
	case "threads":
		return network.Threads
	}
	return ""
}

// WebhookHandler receives Meta's webhook deliveries at one public URL: it
// answers the subscription's verify-token challenge (GET) and takes signed
// deliveries (POST), refusing any whose X-Hub-Signature-256 matches none of
// the app secrets (Facebook Login, Instagram Login and Threads each sign with
// their own). Each change of a verified delivery goes to OnChange.
type WebhookHandler struct {
	// VerifyToken is the token typed into the app dashboard's webhook settings.
	VerifyToken string
	// Secrets are the app secrets a delivery may be signed with.
	Secrets []string
	// OnChange receives each change; it must return quickly (Meta retries
	// deliveries not answered within seconds).
	OnChange func(ctx context.Context, c Change)
}

// maxDelivery bounds a delivery's body.
const maxDelivery = 1 << 20

func (h WebhookHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet:
		c, err := Challenge(r.URL.Query(), h.VerifyToken)
		if err != nil {
			http.Error(w, "verification refused", http.StatusForbidden)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = io.WriteString(w, c)
	case http.MethodPost:
		body, err := io.ReadAll(io.LimitReader(r.Body, maxDelivery+1))
		if err != nil || len(body) > maxDelivery {
			http.Error(w, "delivery too large", http.StatusRequestEntityTooLarge)
			return
		}
		signed := false
		for _, s := range h.Secrets {
			if s != "" && VerifySignature(s, body, r.Header.Get("X-Hub-Signature-256")) == nil {
				signed = true
				break
			}
		}
		if !signed {
			http.Error(w, "bad signature", http.StatusForbidden)
			return
		}
		changes, err := ParseDelivery(body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if h.OnChange != nil {
			for _, c := range changes {
				h.OnChange(r.Context(), c)
			}
		}
		w.WriteHeader(http.StatusOK)
	default:
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	}
}
