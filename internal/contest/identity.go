package contest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/mail"
	"net/netip"
	"strings"
)

// NormalizeEmail lowercases an address, drops a "+tag" and, for Gmail, the
// dots of the local part, so one mailbox is one identity.
func NormalizeEmail(addr string) (string, bool) {
	a, err := mail.ParseAddress(strings.TrimSpace(addr))
	if err != nil || a.Name != "" {
		return "", false
	}
	at := strings.LastIndexByte(a.Address, '@')
	if at <= 0 || at == len(a.Address)-1 {
		return "", false
	}
	local, domain := strings.ToLower(a.Address[:at]), strings.ToLower(a.Address[at+1:])
	if !strings.Contains(domain, ".") {
		return "", false
	}
	if i := strings.IndexByte(local, '+'); i > 0 {
		local = local[:i]
	}
	if domain == "googlemail.com" {
		domain = "gmail.com"
	}
	if domain == "gmail.com" {
		local = strings.ReplaceAll(local, ".", "")
	}
	return local + "@" + domain, true
}

// disposable lists common throw-away mail domains (a small built-in list;
// votes from them are flagged, not refused).
var disposable = map[string]bool{
	"mailinator.com": true, "guerrillamail.com": true, "10minutemail.com": true, "yopmail.com": true, "trashmail.com": true,
	"tempmail.com": true, "temp-mail.org": true, "sharklasers.com": true, "getnada.com": true, "dispostable.com": true,
	"maildrop.cc": true, "throwawaymail.com": true, "fakeinbox.com": true, "mailnesia.com": true, "spamgourmet.com": true,
}

// Disposable reports whether a normalised address is at a throw-away domain.
func Disposable(normalized string) bool {
	return disposable[normalized[strings.LastIndexByte(normalized, '@')+1:]]
}

// Identity is the keyed hash a normalised address is stored as in votes.
func Identity(key []byte, normalized string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("identity/" + normalized))
	return hex.EncodeToString(m.Sum(nil)[:16])
}

// NetBlock is an address's network block: the /24 of an IPv4 address, the
// /64 of an IPv6 address (anything unparsable as it is).
func NetBlock(addr string) string {
	ip, err := netip.ParseAddr(strings.Trim(addr, "[]"))
	if err != nil {
		return addr
	}
	ip = ip.Unmap().WithZone("")
	bits := 64
	if ip.Is4() {
		bits = 24
	}
	p, _ := ip.Prefix(bits)
	return p.String()
}

// Device is a short hash of a User-Agent.
func Device(userAgent string) string {
	s := sha256.Sum256([]byte(userAgent))
	return hex.EncodeToString(s[:6])
}
