package webhook_test

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/relais/relais/internal/network/webhook"
)

// A receiver checks a delivery with Verify before trusting its body.
func ExampleVerify() {
	secret := "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	id := "3f0c5b1e-8d2a-8c41-9a7e-2b6d0f4c1a95"
	body := []byte(`{"event":"ping"}`)
	sent := time.Unix(1_700_000_000, 0)

	h := http.Header{}
	h.Set(webhook.HeaderID, id)
	h.Set(webhook.HeaderTimestamp, strconv.FormatInt(sent.Unix(), 10))
	h.Set(webhook.HeaderSignature, webhook.Sign(secret, id, sent.Unix(), body))

	fmt.Println(webhook.Verify(secret, h, body, 5*time.Minute, sent.Add(time.Minute)))
	fmt.Println(webhook.Verify(secret, h, []byte(`{"event":"pong"}`), 5*time.Minute, sent.Add(time.Minute)))
	fmt.Println(webhook.Verify(secret, h, body, 5*time.Minute, sent.Add(time.Hour)))
	// Output:
	// <nil>
	// webhook: signature does not match the body
	// webhook: timestamp outside the tolerance: signed 1h0m0s ago, tolerance 5m0s
}
