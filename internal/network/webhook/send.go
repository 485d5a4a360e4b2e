package webhook

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/relais/relais/internal/network"
)

// maxAnswer bounds how much of a receiver's answer is read: enough for an id
// or an error message, never a memory risk.
const maxAnswer = 64 << 10

// maxMessage is how much of a receiver's error message is shown to the user.
const maxMessage = 500

// answer is the body of a receiver's 2xx response.
type answer struct {
	body []byte
}

// remotePost takes the receiver's JSON "id" or "url" as the remote id, and
// falls back to the delivery id, which is stable anyway.
func (a answer) remotePost(delivery string) network.RemotePost {
	rp := network.RemotePost{ID: delivery}
	var m map[string]any
	d := json.NewDecoder(bytes.NewReader(a.body))
	d.UseNumber()
	if d.Decode(&m) != nil {
		return rp
	}
	u, _ := m["url"].(string)
	if strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://") {
		rp.URL = u
	}
	switch id := m["id"].(type) {
	case string:
		if id != "" {
			rp.ID = id
			return rp
		}
	case json.Number:
		rp.ID = id.String()
		return rp
	}
	if rp.URL != "" {
		rp.ID = rp.URL
	}
	return rp
}

// withoutRedirects stops the client from following redirects: a 301 or 302
// would turn the POST into a GET and lose the payload silently.
func withoutRedirects(c *http.Client) *http.Client {
	cc := *c
	cc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &cc
}

// send makes one signed POST and classifies the outcome into a *network.Error.
func send(ctx context.Context, client *http.Client, url string, secret string, event, delivery string, body []byte, clock func() time.Time) (answer, error) {
	ts := clock().Unix()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return answer{}, &network.Error{Class: network.Permanent, Network: network.Webhook, Err: fmt.Errorf("webhook: build request: %w", err)}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", network.UserAgent)
	req.Header.Set(HeaderEvent, event)
	setSignature(req.Header, secret, delivery, ts, body)
	resp, err := client.Do(req)
	if err != nil {
		return answer{}, network.TransportError(network.Webhook, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil && resp.StatusCode/100 != 2 {
		return answer{}, network.TransportError(network.Webhook, err)
	}
	if resp.StatusCode/100 == 2 {
		// The receiver accepted; an unreadable body only loses its id.
		return answer{body: b}, nil
	}
	return answer{}, classify(resp.StatusCode, resp.Header, b, clock())
}

// classify maps a receiver's non-2xx answer onto the network error classes.
func classify(status int, h http.Header, body []byte, now time.Time) *network.Error {
	e := &network.Error{Network: network.Webhook, Status: status, Message: receiverMessage(body)}
	switch {
	case status == http.StatusRequestTimeout || status == http.StatusTooEarly || status == http.StatusTooManyRequests || status >= 500:
		e.Class = network.Retryable
		e.RetryAfter = network.ParseRetryAfter(h.Get("Retry-After"), now)
		if status == http.StatusTooManyRequests {
			if rl := network.ParseRateLimit(h, now); rl.Reset.After(e.RetryAfter) {
				e.RetryAfter = rl.Reset
			}
		}
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		e.Class = network.AuthReconnect
		if e.Message == "" {
			e.Message = "the receiver refused the delivery; check its credentials and signing secret"
		}
	case status == http.StatusBadRequest || status == http.StatusUnprocessableEntity || status == http.StatusRequestEntityTooLarge:
		e.Class = network.InvalidContent
	case status == http.StatusGone:
		e.Class = network.Permanent
		e.Message = firstNonEmpty(e.Message, "the receiver says this webhook is gone; connect a new url")
	case status >= 300 && status < 400:
		e.Class = network.Permanent
		e.Message = fmt.Sprintf("the receiver redirects to %q; set the webhook url to the final address", h.Get("Location"))
	default:
		e.Class = network.Permanent
	}
	return e
}

// receiverMessage takes "message", "error" or "detail" from a JSON answer, or
// the raw text, cut to maxMessage bytes on a character boundary.
func receiverMessage(body []byte) string {
	msg := string(body)
	var m map[string]any
	if json.Unmarshal(body, &m) == nil {
		for _, k := range []string{"message", "error", "detail", "title"} {
			if s, ok := m[k].(string); ok && s != "" {
				msg = s
				break
			}
		}
	}
	msg = strings.TrimSpace(strings.ToValidUTF8(msg, "\uFFFD"))
	if len(msg) > maxMessage {
		cut := maxMessage
		for cut > 0 && !utf8.RuneStart(msg[cut]) {
			cut--
		}
		msg = msg[:cut]
	}
	return msg
}

// maxRetryWait caps how long Deliver honours a Retry-After; longer waits
// belong to a job queue, not a blocked goroutine.
const maxRetryWait = 10 * time.Minute

// Deliver POSTs payload (marshalled as the body, as is) as a signed event to
// url, retrying retryable failures up to attempts times in all with backoff(i)
// before retry i+1 (default: 1 s doubling to 30 s), or the receiver's
// Retry-After when longer. Every attempt carries the same delivery id: id, or
// a random one when id is empty (give the id the payload carries, so that
// receivers can dedupe on the header or the body alike). It is for relais's
// own notification webhooks; publishing retries in the engine.
func Deliver(ctx context.Context, client *http.Client, url string, secret string, event, id string, payload any, attempts int, backoff func(int) time.Duration) error {
	if _, err := parseURL(url); err != nil {
		return err
	}
	body, err := json.Marshal(payload)
	if err != nil {
		return fmt.Errorf("webhook: encode payload: %w", err)
	}
	if client == nil {
		client = network.NewHTTPClient(network.HTTPOptions{})
	}
	if backoff == nil {
		backoff = defaultBackoff
	}
	client = withoutRedirects(client)
	attempts = max(attempts, 1)
	delivery := id
	if delivery == "" {
		delivery = randomID()
	}
	for i := 0; ; i++ {
		_, err = send(ctx, client, url, secret, event, delivery, body, time.Now)
		if err == nil {
			return nil
		}
		cls := network.ClassOf(err)
		if i+1 >= attempts || (cls != network.Retryable && cls != network.Unknown) || ctx.Err() != nil {
			return fmt.Errorf("webhook: delivery %s gave up after %d attempts: %w", delivery, i+1, err)
		}
		wait := backoff(i)
		var ne *network.Error
		if errors.As(err, &ne) && !ne.RetryAfter.IsZero() {
			wait = max(wait, min(time.Until(ne.RetryAfter), maxRetryWait))
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("webhook: delivery %s stopped after %d attempts: %w", delivery, i+1, errors.Join(ctx.Err(), err))
		case <-t.C:
		}
	}
}

func defaultBackoff(i int) time.Duration {
	return min(time.Second<<min(i, 5), 30*time.Second)
}
