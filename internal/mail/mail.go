// Package mail sends relais's optional e-mail (invitations) through an SMTP
// server. Mail is never required: every invitation is also a link shown in
// the UI and the API. Configure it with RELAIS_SMTP_URL
// (smtp://user:password@host:587, smtps://… for implicit TLS) and RELAIS_SMTP_FROM.
package mail

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"net/textproto"
	"net/url"
	"strings"
	"time"
)

// Sender sends mail through one SMTP server.
type Sender struct {
	host     string // host:port
	hostname string
	user     string
	password string
	implicit bool // smtps: TLS from the first byte
	from     mail.Address
	// Timeout bounds one delivery (default 30 s).
	Timeout time.Duration
}

// New parses an smtp:// or smtps:// URL and the From address. An empty URL
// returns nil, nil: mail is off.
func New(rawURL, from string) (*Sender, error) {
	if rawURL == "" {
		return nil, nil
	}
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Hostname() == "" {
		return nil, fmt.Errorf("mail: RELAIS_SMTP_URL must look like smtp://user:password@host:587 or smtps://…; got %q", redact(rawURL))
	}
	port := u.Port()
	if port == "" {
		port = map[string]string{"smtp": "587", "smtps": "465"}[u.Scheme]
	}
	addr, err := mail.ParseAddress(from)
	if err != nil {
		return nil, fmt.Errorf("mail: RELAIS_SMTP_FROM %q is not an address like \"relais <relais@example.com>\": %w", from, err)
	}
	s := &Sender{host: net.JoinHostPort(u.Hostname(), port), hostname: u.Hostname(), implicit: u.Scheme == "smtps", from: *addr}
	if u.User != nil {
		s.user = u.User.Username()
		s.password, _ = u.User.Password()
	}
	return s, nil
}

func redact(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return s
	}
	u.User = url.User(u.User.Username())
	return u.String()
}

// Message is one e-mail: plain text, with an HTML alternative and
// attachments when set.
type Message struct {
	To      string
	Subject string
	Body    string
	// HTML is the HTML alternative of Body ("" for plain text only).
	HTML        string
	Attachments []Attachment
}

// Attachment is a file sent with a message.
type Attachment struct {
	Filename    string
	ContentType string
	Data        []byte
}

// Send delivers m. It uses STARTTLS when the server offers it and
// authenticates (PLAIN) only over TLS or to a loopback server.
func (s *Sender) Send(ctx context.Context, m Message) error {
	to, err := mail.ParseAddress(m.To)
	if err != nil {
		return fmt.Errorf("mail: recipient %q: %w", m.To, err)
	}
	timeout := s.Timeout
	if timeout == 0 {
		timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	d := net.Dialer{}
	var conn net.Conn
	if s.implicit {
		conn, err = (&tls.Dialer{NetDialer: &d, Config: &tls.Config{ServerName: s.hostname}}).DialContext(ctx, "tcp", s.host)
	} else {
		conn, err = d.DialContext(ctx, "tcp", s.host)
	}
	if err != nil {
		return fmt.Errorf("mail: connect to %s: %w", s.host, err)
	}
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	c, err := smtp.NewClient(conn, s.hostname)
	if err != nil {
		conn.Close()
		return fmt.Errorf("mail: %w", err)
	}
	defer c.Close()
	if ok, _ := c.Extension("STARTTLS"); ok && !s.implicit {
		if err := c.StartTLS(&tls.Config{ServerName: s.hostname}); err != nil {
			return fmt.Errorf("mail: STARTTLS: %w", err)
		}
	}
	if s.user != "" {
		if ok, _ := c.Extension("AUTH"); !ok {
			return errors.New("mail: the server offers no AUTH but RELAIS_SMTP_URL has a user")
		}
		if err := c.Auth(smtp.PlainAuth("", s.user, s.password, s.hostname)); err != nil {
			return fmt.Errorf("mail: authenticate: %w", err)
		}
	}
	if err := c.Mail(s.from.Address); err != nil {
		return fmt.Errorf("mail: MAIL FROM: %w", err)
	}
	if err := c.Rcpt(to.Address); err != nil {
		return fmt.Errorf("mail: RCPT TO: %w", err)
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("mail: DATA: %w", err)
	}
	if _, err := w.Write(s.render(to, m)); err != nil {
		return fmt.Errorf("mail: write: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("mail: send: %w", err)
	}
	return c.Quit()
}

func (s *Sender) render(to *mail.Address, m Message) []byte {
	var b bytes.Buffer
	hdr := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, v) }
	hdr("From", s.from.String())
	hdr("To", to.String())
	hdr("Subject", mime.QEncoding.Encode("utf-8", strings.ReplaceAll(m.Subject, "\n", " ")))
	hdr("Date", time.Now().UTC().Format(time.RFC1123Z))
	hdr("Message-ID", fmt.Sprintf("<%d.relais@%s>", time.Now().UnixNano(), s.hostname))
	hdr("MIME-Version", "1.0")
	if m.HTML == "" && len(m.Attachments) == 0 {
		hdr("Content-Type", "text/plain; charset=utf-8")
		hdr("Content-Transfer-Encoding", "quoted-printable")
		b.WriteString("\r\n")
		writeQP(&b, m.Body)
		return b.Bytes()
	}
	// multipart/mixed holding multipart/alternative (text, HTML) and the attachments.
	mixed := multipart.NewWriter(&b)
	hdr("Content-Type", `multipart/mixed; boundary="`+mixed.Boundary()+`"`)
	b.WriteString("\r\n")
	var alt bytes.Buffer
	aw := multipart.NewWriter(&alt)
	for _, part := range []struct{ typ, body string }{{"text/plain", m.Body}, {"text/html", m.HTML}} {
		if part.body == "" && part.typ == "text/html" {
			continue
		}
		pw, _ := aw.CreatePart(textproto.MIMEHeader{"Content-Type": {part.typ + "; charset=utf-8"}, "Content-Transfer-Encoding": {"quoted-printable"}})
		writeQP(pw, part.body)
	}
	_ = aw.Close()
	pw, _ := mixed.CreatePart(textproto.MIMEHeader{"Content-Type": {`multipart/alternative; boundary="` + aw.Boundary() + `"`}})
	_, _ = pw.Write(alt.Bytes())
	for _, a := range m.Attachments {
		name := mime.QEncoding.Encode("utf-8", a.Filename)
		pw, _ := mixed.CreatePart(textproto.MIMEHeader{"Content-Type": {a.ContentType},
			"Content-Transfer-Encoding": {"base64"}, "Content-Disposition": {`attachment; filename="` + name + `"`}})
		enc := base64.StdEncoding.EncodeToString(a.Data)
		for len(enc) > 76 {
			_, _ = io.WriteString(pw, enc[:76]+"\r\n")
			enc = enc[76:]
		}
		_, _ = io.WriteString(pw, enc+"\r\n")
	}
	_ = mixed.Close()
	return b.Bytes()
}

func writeQP(w io.Writer, s string) {
	qp := quotedprintable.NewWriter(w)
	_, _ = qp.Write([]byte(strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\n", "\r\n")))
	_ = qp.Close()
}

// Invitation writes the invitation e-mail in the language (en, fr, de).
func Invitation(lang, to, workspace, inviter, role, link string) Message {
	t, ok := invitationText[lang]
	if !ok {
		t = invitationText["en"]
	}
	return Message{To: to, Subject: fmt.Sprintf(t[0], workspace), Body: fmt.Sprintf(t[1], inviter, workspace, role, link)}
}

var invitationText = map[string][2]string{
	"en": {"You are invited to %s on relais", "%s invites you to join the workspace %s on relais as %s.\n\nOpen this link to accept (it works for 7 days):\n%s\n\nIf you did not expect this, ignore this message.\n"},
	"fr": {"Invitation à rejoindre %s sur relais", "%s vous invite à rejoindre l'espace de travail %s sur relais en tant que %s.\n\nOuvrez ce lien pour accepter (valable 7 jours) :\n%s\n\nSi vous ne vous y attendiez pas, ignorez ce message.\n"},
	"de": {"Einladung zu %s auf relais", "%s lädt Sie ein, dem Arbeitsbereich %s auf relais als %s beizutreten.\n\nÖffnen Sie diesen Link, um anzunehmen (7 Tage gültig):\n%s\n\nFalls Sie das nicht erwartet haben, ignorieren Sie diese Nachricht.\n"},
}
