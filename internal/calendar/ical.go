package calendar

import (
	"bufio"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"
)

// ICalendar is one workspace's calendar as an iCalendar feed.
type ICalendar struct {
	// Name is the calendar's display name (X-WR-CALNAME and NAME).
	Name string
	// Stamp is when the feed was generated (DTSTAMP); zero means now.
	Stamp time.Time
	// Events are the scheduled and published posts.
	Events []Event
}

// Event is one post on the calendar.
type Event struct {
	// UID is globally unique and stable across feed refreshes (e.g. "post-42@relais.example").
	UID string
	// Start is when the post goes out; written in UTC.
	Start time.Time
	// End is optional; without it the event is an instant, as a post is.
	End time.Time
	// Summary, Description and URL are shown by calendar applications.
	Summary     string
	Description string
	URL         string
}

// maxLineOctets is RFC 5545's line length limit, excluding the CRLF.
const maxLineOctets = 75

// WriteICal writes cal as an RFC 5545 VCALENDAR: CRLF line ends, lines
// folded at 75 octets without splitting a UTF-8 sequence, TEXT values
// escaped (backslash, semicolon, comma, new lines) and times in UTC.
func WriteICal(w io.Writer, cal ICalendar) error {
	bw := bufio.NewWriter(w)
	stamp := cal.Stamp
	if stamp.IsZero() {
		stamp = time.Now()
	}
	lines := []string{
		"BEGIN:VCALENDAR",
		"VERSION:2.0",
		"PRODID:-//relais//relais calendar//EN",
		"CALSCALE:GREGORIAN",
		"METHOD:PUBLISH",
		// Subscribers poll the feed; ask for an hourly refresh (RFC 7986 and
		// the older Microsoft property) so rescheduled posts show up.
		"REFRESH-INTERVAL;VALUE=DURATION:PT1H",
		"X-PUBLISHED-TTL:PT1H",
	}
	if cal.Name != "" {
		lines = append(lines, "NAME:"+escapeText(cal.Name), "X-WR-CALNAME:"+escapeText(cal.Name))
	}
	for _, line := range lines {
		writeFolded(bw, line)
	}
	for _, e := range cal.Events {
		if e.UID == "" {
			return fmt.Errorf("calendar: event at %s has no UID", e.Start.UTC().Format(time.RFC3339))
		}
		if e.Start.IsZero() {
			return fmt.Errorf("calendar: event %q has no start time", e.UID)
		}
		writeFolded(bw, "BEGIN:VEVENT")
		writeFolded(bw, "UID:"+escapeText(e.UID))
		writeFolded(bw, "DTSTAMP:"+icalTime(stamp))
		writeFolded(bw, "DTSTART:"+icalTime(e.Start))
		if !e.End.IsZero() {
			writeFolded(bw, "DTEND:"+icalTime(e.End))
		}
		if e.Summary != "" {
			writeFolded(bw, "SUMMARY:"+escapeText(e.Summary))
		}
		if e.Description != "" {
			writeFolded(bw, "DESCRIPTION:"+escapeText(e.Description))
		}
		if e.URL != "" {
			// URL is a URI value, not TEXT: no backslash escaping, but no
			// control characters either.
			writeFolded(bw, "URL:"+stripControls(e.URL))
		}
		writeFolded(bw, "END:VEVENT")
	}
	writeFolded(bw, "END:VCALENDAR")
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("calendar: write iCal feed: %w", err)
	}
	return nil
}

func icalTime(t time.Time) string {
	return t.UTC().Format("20060102T150405Z")
}

// escapeText escapes a TEXT value (RFC 5545 section 3.3.11); CRLF and lone
// CR become \n and other control characters are dropped.
func escapeText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\':
			b.WriteString(`\\`)
		case ';':
			b.WriteString(`\;`)
		case ',':
			b.WriteString(`\,`)
		case '\n', '\r':
			b.WriteString(`\n`)
		default:
			if r == '\t' || !isControl(r) {
				b.WriteRune(r)
			}
		}
	}
	return b.String()
}

func stripControls(s string) string {
	return strings.Map(func(r rune) rune {
		if isControl(r) {
			return -1
		}
		return r
	}, s)
}

func isControl(r rune) bool {
	return r < 0x20 || r == 0x7f || r == utf8.RuneError
}

// writeFolded writes one content line, folding it so that no physical line
// exceeds 75 octets; continuation lines start with a space, which counts
// toward their 75 octets.
func writeFolded(w *bufio.Writer, line string) {
	limit := maxLineOctets
	for len(line) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(line[cut]) {
			cut--
		}
		w.WriteString(line[:cut])
		w.WriteString("\r\n ")
		line = line[cut:]
		limit = maxLineOctets - 1
	}
	w.WriteString(line)
	w.WriteString("\r\n")
}

// NewFeedSecret makes the secret for a workspace's feed URL
// (/ical/<token>.ics): a random token to show the user once, and the hash
// to store and look the workspace up by, so a leaked database does not
// leak the feeds.
func NewFeedSecret() (token, hash string, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", "", fmt.Errorf("calendar: make feed secret: %w", err)
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, FeedSecretHash(token), nil
}

// FeedSecretHash is the stored form of a feed token (hex SHA-256).
func FeedSecretHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
