// Package mailtest is a minimal SMTP server on loopback for tests: it
// accepts every message and records it.
package mailtest

import (
	"bufio"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/textproto"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// Server records the messages it receives.
type Server struct {
	ln   net.Listener
	mu   sync.Mutex
	msgs []Message
}

// Message is one received message.
type Message struct {
	From, To, Data string
}

// Body returns the decoded (quoted-printable) body.
func (m Message) Body() string {
	i := strings.Index(m.Data, "\r\n\r\n")
	if i < 0 {
		return ""
	}
	b, _ := io.ReadAll(quotedprintable.NewReader(strings.NewReader(m.Data[i+4:])))
	return string(b)
}

// Part is one leaf part of a multipart message, decoded.
type Part struct {
	ContentType string
	// Filename is set for an attachment.
	Filename string
	Data     []byte
}

// Parts parses the message as MIME and returns its leaf parts (text, HTML,
// attachments) decoded from quoted-printable or base64; a single-part
// message gives one part.
func (m Message) Parts() ([]Part, error) {
	msg, err := mail.ReadMessage(strings.NewReader(m.Data))
	if err != nil {
		return nil, err
	}
	return parts(textproto.MIMEHeader(msg.Header), msg.Body)
}

func parts(h textproto.MIMEHeader, body io.Reader) ([]Part, error) {
	mt, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil {
		return nil, err
	}
	if strings.HasPrefix(mt, "multipart/") {
		var out []Part
		r := multipart.NewReader(body, params["boundary"])
		for {
			p, err := r.NextRawPart()
			if err == io.EOF {
				return out, nil
			}
			if err != nil {
				return nil, err
			}
			sub, err := parts(p.Header, p)
			if err != nil {
				return nil, err
			}
			out = append(out, sub...)
		}
	}
	switch strings.ToLower(h.Get("Content-Transfer-Encoding")) {
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, body)
	}
	data, err := io.ReadAll(body)
	if err != nil {
		return nil, err
	}
	p := Part{ContentType: mt, Data: data}
	if _, dp, err := mime.ParseMediaType(h.Get("Content-Disposition")); err == nil {
		p.Filename, _ = new(mime.WordDecoder).DecodeHeader(dp["filename"])
	}
	return []Part{p}, nil
}

// NewServer starts a server closed when the test ends.
func NewServer(t testing.TB) *Server {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	s := &Server{ln: ln}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go s.session(c)
		}
	}()
	return s
}

// Addr is the server's host:port.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Messages returns what was received so far.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.msgs...)
}

func (s *Server) session(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	say := func(line string) { _, _ = io.WriteString(c, line+"\r\n") }
	say("220 test ESMTP")
	var m Message
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.ToUpper(strings.TrimSpace(line))
		switch {
		case strings.HasPrefix(cmd, "EHLO"), strings.HasPrefix(cmd, "HELO"):
			say("250-test")
			say("250 AUTH PLAIN")
		case strings.HasPrefix(cmd, "AUTH PLAIN"):
			say("235 ok")
		case strings.HasPrefix(cmd, "MAIL FROM:"):
			m.From = strings.TrimSpace(line[len("MAIL FROM:"):])
			say("250 ok")
		case strings.HasPrefix(cmd, "RCPT TO:"):
			m.To = strings.TrimSpace(line[len("RCPT TO:"):])
			say("250 ok")
		case cmd == "DATA":
			say("354 go")
			var b strings.Builder
			for {
				l, err := r.ReadString('\n')
				if err != nil || l == ".\r\n" {
					break
				}
				// RFC 5321 §4.5.2: the client doubled a leading dot.
				b.WriteString(strings.TrimPrefix(l, "."))
			}
			m.Data = b.String()
			s.mu.Lock()
			s.msgs = append(s.msgs, m)
			s.mu.Unlock()
			say("250 queued")
		case cmd == "QUIT":
			say("221 bye")
			return
		default:
			say("250 ok")
		}
	}
}
