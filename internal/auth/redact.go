package auth

import (
	"context"
	"log/slog"
	"net/url"
	"regexp"
	"strings"
)

// redacted replaces a secret in a logged path or URL.
const redacted = "[redacted]"

// secretAfter names the path segments whose next segment is a secret:
// invitation tokens (/invite/{token}), iCal feed keys (/ical/{key}.ics),
// website feed keys (/feeds/{key}/…).
var secretAfter = map[string]bool{"invite": true, "ical": true, "feeds": true}

// RedactURL returns a path or URL fit for a log: the secret segments of
// relais's own routes, any segment that looks like a token (one of relais's
// prefixes, or a long random string) and every query value are replaced.
func RedactURL(s string) string {
	rest, query, hasQuery := strings.Cut(s, "?")
	rest, _, hasFragment := strings.Cut(rest, "#")
	prefix := ""
	if i := strings.Index(rest, "://"); i >= 0 {
		// An absolute URL: keep the scheme and host, redact user info.
		hostEnd := strings.IndexByte(rest[i+3:], '/')
		if hostEnd < 0 {
			hostEnd = len(rest) - i - 3
		}
		host := rest[i+3 : i+3+hostEnd]
		if at := strings.LastIndexByte(host, '@'); at >= 0 {
			host = redacted + "@" + host[at+1:]
		}
		prefix, rest = rest[:i+3]+host, rest[i+3+hostEnd:]
	}
	segs := strings.Split(rest, "/")
	for i, seg := range segs {
		if (i > 0 && secretAfter[segs[i-1]] && seg != "") || looksLikeToken(seg) {
			segs[i] = redacted
		}
	}
	out := prefix + strings.Join(segs, "/")
	if hasFragment {
		out += "#" + redacted
	}
	if hasQuery {
		parts := strings.Split(query, "&")
		for i, p := range parts {
			if k, _, ok := strings.Cut(p, "="); ok {
				parts[i] = k + "=" + redacted
			}
		}
		out += "?" + strings.Join(parts, "&")
	}
	return out
}

// looksLikeToken reports a segment that carries a credential: relais's
// token prefixes, or 24 or more URL-safe characters mixing upper case, lower
// case and digits (slugs and ids never do).
func looksLikeToken(seg string) bool {
	if dec, err := url.PathUnescape(seg); err == nil {
		seg = dec
	}
	for _, p := range []string{"rl_", "rs_", "ri_"} {
		if strings.HasPrefix(seg, p) && len(seg) > len(p)+8 {
			return true
		}
	}
	if len(seg) < 24 {
		return false
	}
	var upper, lower, digit bool
	for _, r := range seg {
		switch {
		case r >= 'A' && r <= 'Z':
			upper = true
		case r >= 'a' && r <= 'z':
			lower = true
		case r >= '0' && r <= '9':
			digit = true
		case r == '-' || r == '_' || r == '.' || r == '=' || r == '+':
		default:
			return false
		}
	}
	return (upper && lower) || (digit && (upper || lower) && !strings.ContainsAny(seg, "-_."))
}

// RedactLogs wraps a log handler so that paths and URLs in every string or
// error attribute go through RedactURL, at every level.
func RedactLogs(h slog.Handler) slog.Handler {
	if _, ok := h.(redactingHandler); ok {
		return h
	}
	return redactingHandler{h}
}

type redactingHandler struct{ next slog.Handler }

func (h redactingHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.next.Enabled(ctx, l)
}

func (h redactingHandler) Handle(ctx context.Context, r slog.Record) error {
	out := slog.NewRecord(r.Time, r.Level, r.Message, r.PC)
	r.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(redactAttr(a))
		return true
	})
	return h.next.Handle(ctx, out)
}

func (h redactingHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	clean := make([]slog.Attr, len(attrs))
	for i, a := range attrs {
		clean[i] = redactAttr(a)
	}
	return redactingHandler{h.next.WithAttrs(clean)}
}

func (h redactingHandler) WithGroup(name string) slog.Handler {
	return redactingHandler{h.next.WithGroup(name)}
}

func redactAttr(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		if s := v.String(); s != RedactText(s) {
			return slog.String(a.Key, RedactText(s))
		}
	case slog.KindAny:
		// Errors and other values print URLs too (*url.Error holds the
		// request URL with its query).
		if err, ok := v.Any().(error); ok && err != nil {
			if s := err.Error(); s != RedactText(s) {
				return slog.String(a.Key, RedactText(s))
			}
		}
	case slog.KindGroup:
		group := v.Group()
		clean := make([]any, len(group))
		for i, g := range group {
			clean[i] = redactAttr(g)
		}
		return slog.Group(a.Key, clean...)
	}
	return a
}

// urlInText finds absolute URLs and relais's secret-carrying paths in free text.
var urlInText = regexp.MustCompile(`[a-zA-Z][a-zA-Z0-9+.-]*://[^\s"'<>]+|/(?:invite|ical|feeds)/[^\s"'<>]+`)

// RedactText redacts a path (text starting with "/") as a whole, and every
// URL or secret path found inside other text.
func RedactText(s string) string {
	if strings.HasPrefix(s, "/") && !strings.ContainsAny(s, " \t\n") {
		return RedactURL(s)
	}
	return urlInText.ReplaceAllStringFunc(s, RedactURL)
}
