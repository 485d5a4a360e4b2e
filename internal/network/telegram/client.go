package telegram

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strings"

	"github.com/relais/relais/internal/network"
)

// DefaultAPIURL is the public Bot API; a self-hosted telegram-bot-api server replaces it.
const DefaultAPIURL = "https://api.telegram.org"

// api calls Bot API methods for one bot token.
type api struct {
	env   network.Env
	base  string
	token string
}

// upload is one file sent as multipart/form-data under field name.
type upload struct {
	field, name, mime string
	data              []byte
}

type envelope struct {
	OK          bool            `json:"ok"`
	Result      json.RawMessage `json:"result"`
	ErrorCode   int             `json:"error_code"`
	Description string          `json:"description"`
	Parameters  struct {
		RetryAfter int `json:"retry_after"`
	} `json:"parameters"`
}

// call invokes a method with a JSON body (no files) or a multipart body.
func (a api) call(ctx context.Context, method string, params map[string]any, files []upload, out any) error {
	var body bytes.Buffer
	contentType := "application/json"
	if len(files) == 0 {
		if err := json.NewEncoder(&body).Encode(params); err != nil {
			return fmt.Errorf("telegram: encode %s: %w", method, err)
		}
	} else {
		mw := multipart.NewWriter(&body)
		for k, v := range params {
			s, ok := v.(string)
			if !ok {
				b, err := json.Marshal(v)
				if err != nil {
					return fmt.Errorf("telegram: encode %s: %w", method, err)
				}
				s = string(b)
			}
			_ = mw.WriteField(k, s)
		}
		for _, f := range files {
			h := textproto.MIMEHeader{}
			h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="%s"; filename="%s"`, f.field, f.name))
			h.Set("Content-Type", f.mime)
			w, err := mw.CreatePart(h)
			if err != nil {
				return fmt.Errorf("telegram: encode %s: %w", method, err)
			}
			_, _ = w.Write(f.data)
		}
		if err := mw.Close(); err != nil {
			return fmt.Errorf("telegram: encode %s: %w", method, err)
		}
		contentType = mw.FormDataContentType()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.base+"/bot"+a.token+"/"+method, &body)
	if err != nil {
		// The URL holds the token: never let it into an error message.
		return fmt.Errorf("telegram: build %s request", method)
	}
	req.Header.Set("Content-Type", contentType)
	resp, err := a.env.Client().Do(req)
	if err != nil {
		return network.TransportError(network.Telegram, redact(err, a.token))
	}
	raw, err := network.ReadBody(resp)
	if err != nil {
		return network.TransportError(network.Telegram, redact(err, a.token))
	}
	var env envelope
	if err := json.Unmarshal(raw, &env); err != nil || (!env.OK && env.ErrorCode == 0) {
		env.ErrorCode, env.Description = resp.StatusCode, http.StatusText(resp.StatusCode)
		if resp.StatusCode < 300 {
			return &network.Error{Class: network.Unknown, Network: network.Telegram, Status: resp.StatusCode, Message: "unreadable answer from the Bot API"}
		}
	}
	if !env.OK {
		return apiError(env, a.env)
	}
	if out != nil {
		if err := json.Unmarshal(env.Result, out); err != nil {
			return &network.Error{Class: network.Unknown, Network: network.Telegram, Status: resp.StatusCode, Message: "unexpected " + method + " result", Err: err}
		}
	}
	return nil
}

// redact removes the bot token from transport errors (they quote the URL).
func redact(err error, token string) error {
	if token == "" || !strings.Contains(err.Error(), token) {
		return err
	}
	return redactedError{msg: strings.ReplaceAll(err.Error(), token, "<token>"), err: err}
}

type redactedError struct {
	msg string
	err error
}

func (e redactedError) Error() string { return e.msg }

// Unwrap keeps errors.Is/As working (timeouts, context cancellation, dial errors).
func (e redactedError) Unwrap() error {
	// The wrapped *url.Error carries the URL; its own cause has no token.
	type unwrapper interface{ Unwrap() error }
	if u, ok := e.err.(unwrapper); ok {
		return u.Unwrap()
	}
	return nil
}

// apiError maps a Bot API error onto the typed error (networks.md 1.4): 401,
// 403 and lost admin rights need a reconnect, 400 is invalid content, 429
// and 5xx are retryable after parameters.retry_after.
func apiError(env envelope, ne network.Env) *network.Error {
	e := &network.Error{Network: network.Telegram, Status: env.ErrorCode, Message: env.Description, Code: fmt.Sprint(env.ErrorCode)}
	d := strings.ToLower(env.Description)
	switch {
	case env.ErrorCode == http.StatusTooManyRequests || env.ErrorCode >= 500:
		e.Class = network.Retryable
		e.RetryAfter = network.RetryAfterSeconds(env.Parameters.RetryAfter, ne.Clock())
	case env.ErrorCode == http.StatusUnauthorized || env.ErrorCode == http.StatusForbidden:
		e.Class = network.AuthReconnect
	case env.ErrorCode == http.StatusNotFound:
		// The Bot API answers 404 to a malformed token.
		e.Class = network.AuthReconnect
	case strings.Contains(d, "chat not found") || strings.Contains(d, "need administrator rights") || strings.Contains(d, "not enough rights"):
		e.Class = network.AuthReconnect
	case strings.Contains(d, "message to edit not found") || strings.Contains(d, "message to delete not found") || strings.Contains(d, "message can't be"):
		e.Class = network.Permanent
	case env.ErrorCode == http.StatusBadRequest || env.ErrorCode == http.StatusRequestEntityTooLarge:
		e.Class = network.InvalidContent
	default:
		e.Class = network.Permanent
	}
	return e
}
