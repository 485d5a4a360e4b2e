package snapchat

import (
	"bytes"
	"net/http"
	"testing"
	"time"
)

// FuzzAPIError: any error body maps onto a class and keeps the status.
func FuzzAPIError(f *testing.F) {
	f.Add(403, `{"request_status":"ERROR","request_id":"r1","debug_message":"not allowlisted","display_message":"","error_code":"E3002"}`)
	f.Add(429, ``)
	f.Add(500, `<html>`)
	f.Fuzz(func(t *testing.T, status int, body string) {
		if status < 100 || status > 599 {
			return
		}
		e := apiError(status, http.Header{}, []byte(body), time.Unix(1_700_000_000, 0))
		if e.Status != status || e.Class == "" || e.Message == "" || e.Network != Kind {
			t.Fatalf("apiError(%d, %q) = %+v", status, body, e)
		}
	})
}

// FuzzDecrypt: Decrypt never panics and undoes Encrypt.
func FuzzDecrypt(f *testing.F) {
	f.Add([]byte("hello"), []byte("0123456789abcdef0123456789abcdef"))
	f.Fuzz(func(t *testing.T, data, junk []byte) {
		key, iv := bytes.Repeat([]byte{3}, 32), bytes.Repeat([]byte{4}, 16)
		_, _ = Decrypt(junk, key, iv)
		enc, err := Encrypt(data, key, iv)
		if err != nil {
			t.Fatal(err)
		}
		dec, err := Decrypt(enc, key, iv)
		if err != nil || !bytes.Equal(dec, data) {
			t.Fatalf("round trip of %x: %x %v", data, dec, err)
		}
	})
}
