package network

import (
	"errors"
	"fmt"
	"time"
)

// Class is the kind of failure a connector reports; the publishing engine
// decides what to do from it alone.
type Class string

// The failure classes.
const (
	// Retryable failures (5xx, timeouts, 429) are retried with backoff, after RetryAfter when set.
	Retryable Class = "retryable"
	// AuthRefresh failures ask for a token refresh and one more try.
	AuthRefresh Class = "auth_refresh"
	// AuthReconnect failures mark the channel "needs reconnect" and hold its queue.
	AuthReconnect Class = "auth_reconnect"
	// InvalidContent failures are never retried; the network's message is shown.
	InvalidContent Class = "invalid_content"
	// Permanent failures are never retried.
	Permanent Class = "permanent"
	// Unknown means the call may or may not have taken effect (a dropped
	// connection after the request was sent); only an idempotent retry is safe.
	Unknown Class = "unknown"
)

// Sentinel errors for errors.Is checks.
var (
	ErrRateLimited    = errors.New("network: rate limited")
	ErrAuth           = errors.New("network: authentication failed")
	ErrInvalidContent = errors.New("network: invalid content")
	ErrNotFound       = errors.New("network: not found")
)

// Error is the typed error every connector returns for a failed remote call.
type Error struct {
	Class Class
	// Network is the kind that answered.
	Network Kind
	// Status is the HTTP status (0 when none, e.g. a timeout).
	Status int
	// Code is the network's error code ("ExpiredToken", "190").
	Code string
	// Message is the network's own message, shown to the user.
	Message string
	// RetryAfter is when a retry may happen (zero: use backoff).
	RetryAfter time.Time
	// TraceID is the vendor's trace id for support, when given.
	TraceID string
	// Err is the underlying error, if any.
	Err error
}

func (e *Error) Error() string {
	s := fmt.Sprintf("%s: %s", e.Network, e.Class)
	if e.Status != 0 {
		s += fmt.Sprintf(" (HTTP %d)", e.Status)
	}
	if e.Code != "" {
		s += " " + e.Code
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	if e.Err != nil && e.Message == "" {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// Is maps classes onto the sentinel errors.
func (e *Error) Is(target error) bool {
	switch target {
	case ErrRateLimited:
		return e.Class == Retryable && e.Status == 429
	case ErrAuth:
		return e.Class == AuthRefresh || e.Class == AuthReconnect
	case ErrInvalidContent:
		return e.Class == InvalidContent
	case ErrNotFound:
		return e.Status == 404
	}
	return false
}

// ClassOf returns the class of err: the Error's class, Unknown for anything else
// (a connector that returns an untyped error may have half-succeeded).
func ClassOf(err error) Class {
	var ne *Error
	if errors.As(err, &ne) {
		return ne.Class
	}
	return Unknown
}

// ClassForStatus is the default mapping of an HTTP status onto a class, for
// connectors whose network has no finer error codes.
func ClassForStatus(status int) Class {
	switch {
	case status == 429 || status == 408 || status >= 500:
		return Retryable
	case status == 401 || status == 403:
		return AuthReconnect
	case status == 400 || status == 413 || status == 422:
		return InvalidContent
	default:
		return Permanent
	}
}
