// Package valid carries input validation failures from the core to the
// handlers: each names the field, says what is wrong in words a user
// understands, and maps to a 400 (API) or a form message (web).
package valid

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// Error is one invalid input.
type Error struct {
	// Field is the input's name ("slug", "variants[2].text").
	Field string
	// Code is a stable machine-readable reason ("required", "too_long", "taken").
	Code string
	// Message is the English explanation naming the field and the limit.
	Message string
	// Args fill the placeholders of the catalogue's translation of Code, in
	// order (the limit, the host...); nil when the translation has none.
	Args []any
}

func (e *Error) Error() string { return e.Message }

// Errorf builds an Error.
func Errorf(field, code, format string, args ...any) *Error {
	return &Error{Field: field, Code: code, Message: fmt.Sprintf(format, args...)}
}

// WithArgs returns e with the values the translations of its code show.
func (e *Error) WithArgs(args ...any) *Error {
	e.Args = args
	return e
}

// As returns the *Error inside err, if any.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// Text checks a required free-text input: trimmed, non-empty, at most max characters.
func Text(field, label, v string, max int) (string, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", Errorf(field, "required", "%s is required", label)
	}
	if strings.IndexByte(v, 0) >= 0 {
		return "", Errorf(field, "nul", "%s contains a NUL character (U+0000), which cannot be stored; remove it", label)
	}
	if n := utf8.RuneCountInString(v); n > max {
		return "", Errorf(field, "too_long", "%s allows at most %d characters; it has %d", label, max, n)
	}
	return v, nil
}

var slugRe = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$`)

// Slug checks a URL slug: 1 to 64 lowercase letters, digits and inner hyphens.
func Slug(field, v string) (string, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", Errorf(field, "required", "Slug is required")
	}
	if len(v) > 64 {
		return "", Errorf(field, "too_long", "Slug allows at most 64 characters; it has %d", len(v))
	}
	if !slugRe.MatchString(v) {
		return "", Errorf(field, "format", "Slug may contain only lowercase letters, digits and hyphens (not at the start or end)")
	}
	return v, nil
}

var emailRe = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)

// Email checks an e-mail address and returns it lowercased.
func Email(field, v string) (string, error) {
	v = strings.ToLower(strings.TrimSpace(v))
	if v == "" {
		return "", Errorf(field, "required", "E-mail is required")
	}
	if len(v) > 254 || !emailRe.MatchString(v) {
		return "", Errorf(field, "format", "E-mail %q is not a valid address (at most 254 characters, like name@example.com)", v)
	}
	return v, nil
}

// Slugify turns a name into a slug candidate.
func Slugify(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case strings.ContainsRune("àâä", r):
			b.WriteByte('a')
		case strings.ContainsRune("éèêë", r):
			b.WriteByte('e')
		case strings.ContainsRune("îï", r):
			b.WriteByte('i')
		case strings.ContainsRune("ôö", r):
			b.WriteByte('o')
		case strings.ContainsRune("ùûü", r):
			b.WriteByte('u')
		case r == 'ß':
			b.WriteString("ss")
		case r == 'ç':
			b.WriteByte('c')
		default:
			if !dash && b.Len() > 0 {
				b.WriteByte('-')
				dash = true
			}
		}
	}
	s := strings.Trim(b.String(), "-")
	if len(s) > 64 {
		s = strings.Trim(s[:64], "-")
	}
	return s
}

// NoNUL refuses a text containing the NUL character (U+0000): PostgreSQL
// cannot store it in a text column and SQLite would, so it is refused
// before it reaches either, the same way on both.
func NoNUL(field, v string) error {
	if strings.IndexByte(v, 0) >= 0 {
		return nulError(field)
	}
	return nil
}

func nulError(field string) *Error {
	return Errorf(field, "nul", "%s contains a NUL character (U+0000), which cannot be stored; remove it", field)
}

// NoNULIn walks a decoded JSON value (objects, arrays, strings) and refuses
// the first string or key containing NUL, naming it by its path:
// "variants[2].text". Object keys are visited in sorted order, so the same
// input always names the same field.
func NoNULIn(v any) error {
	if path, ok := findNUL(v, ""); ok {
		return nulError(path)
	}
	return nil
}

func findNUL(v any, path string) (string, bool) {
	switch x := v.(type) {
	case string:
		return path, strings.IndexByte(x, 0) >= 0
	case []any:
		for i, e := range x {
			if p, ok := findNUL(e, fmt.Sprintf("%s[%d]", path, i)); ok {
				return p, true
			}
		}
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			p := k
			if path != "" {
				p = path + "." + k
			}
			if strings.IndexByte(k, 0) >= 0 {
				return p, true
			}
			if p, ok := findNUL(x[k], p); ok {
				return p, true
			}
		}
	}
	return "", false
}

// HTTPURL checks an optional link (empty passes): an absolute http:// or
// https:// URL with a host, at most max bytes. Every other scheme
// (javascript:, data:, file:, …) is refused: links are shown to people as
// anchors and sent to networks as they are.
func HTTPURL(field, v string, max int) error {
	if v == "" {
		return nil
	}
	if len(v) > max {
		return Errorf(field, "too_long", "%s allows at most %d characters; it has %d", field, max, len(v))
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Opaque != "" {
		return Errorf(field, "format", "%s must be an http:// or https:// address, like https://example.com/page", field)
	}
	return nil
}
