package mastodon

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"strings"

	"github.com/relais/relais/internal/network"
)

// api is a minimal Mastodon client-API caller bound to one instance and token.
type api struct {
	env      network.Env
	instance string
	token    string
	// rate, when set, keeps the latest rate-limit headers (see ratelimit.go).
	rate *rateState
}

// call sends a request with an optional url-encoded form and decodes a JSON answer into out.
func (a api) call(ctx context.Context, method, path string, query, form url.Values, header http.Header, out any) (int, http.Header, error) {
	u := a.instance + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return 0, nil, fmt.Errorf("mastodon: build request: %w", err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range header {
		req.Header[k] = v
	}
	return a.send(req, out)
}

// upload sends one file as multipart/form-data to POST /api/v2/media.
func (a api) upload(ctx context.Context, m network.Media, out any) (int, http.Header, error) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename="%s"`, fileName(m.MIME)))
	h.Set("Content-Type", m.MIME)
	fw, err := mw.CreatePart(h)
	if err != nil {
		return 0, nil, fmt.Errorf("mastodon: build upload: %w", err)
	}
	_, _ = fw.Write(m.Data)
	if m.AltText != "" {
		_ = mw.WriteField("description", m.AltText)
	}
	if err := mw.Close(); err != nil {
		return 0, nil, fmt.Errorf("mastodon: build upload: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.instance+"/api/v2/media", &buf)
	if err != nil {
		return 0, nil, fmt.Errorf("mastodon: build upload: %w", err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return a.send(req, out)
}

func fileName(mime string) string {
	ext := map[string]string{
		"image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif", "image/webp": ".webp",
		"video/mp4": ".mp4", "video/quicktime": ".mov", "audio/mpeg": ".mp3",
	}[mime]
	return "upload" + ext
}

func (a api) send(req *http.Request, out any) (int, http.Header, error) {
	req.Header.Set("Accept", "application/json")
	if a.token != "" {
		req.Header.Set("Authorization", "Bearer "+a.token)
	}
	resp, err := a.env.Client().Do(req)
	if err != nil {
		return 0, nil, network.TransportError(network.Mastodon, err)
	}
	a.rate.record(resp.Header, a.env.Clock())
	body, err := network.ReadBody(resp)
	if err != nil {
		return resp.StatusCode, resp.Header, network.TransportError(network.Mastodon, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp.StatusCode, resp.Header, apiError(resp.StatusCode, resp.Header, body, a.env)
	}
	if out != nil && len(body) > 0 {
		if err := json.Unmarshal(body, out); err != nil {
			return resp.StatusCode, resp.Header, &network.Error{Class: network.Retryable, Network: network.Mastodon, Status: resp.StatusCode, Message: "unexpected response from the instance", Err: err}
		}
	}
	return resp.StatusCode, resp.Header, nil
}

// apiError maps a Mastodon error answer onto the typed error (networks.md 1.4):
// 401/403 reconnect, 400/422 invalid content, 429 and 5xx retryable with the
// reset from X-RateLimit-Reset, anything else permanent.
func apiError(status int, h http.Header, body []byte, env network.Env) *network.Error {
	var e struct {
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}
	_ = json.Unmarshal(body, &e)
	msg := e.Error
	if e.Description != "" && e.Description != e.Error {
		if msg != "" {
			msg += ": "
		}
		msg += e.Description
	}
	if msg == "" {
		msg = http.StatusText(status)
	}
	ne := &network.Error{Class: network.ClassForStatus(status), Network: network.Mastodon, Status: status, Message: msg}
	if status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable {
		ne.RetryAfter = network.ParseRateLimit(h, env.Clock()).Reset
	}
	return ne
}
