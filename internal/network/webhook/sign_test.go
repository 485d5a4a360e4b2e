package webhook

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestSignKnownVector(t *testing.T) {
	t.Parallel()
	// Computed with: printf '%s' '1700000000.{"event":"ping"}' | openssl dgst -sha256 -hmac 'whsec-test-secret-0123'
	got := Sign([]byte("whsec-test-secret-0123"), 1700000000, []byte(`{"event":"ping"}`))
	require.Equal(t, "sha256=32e21b1ea4ab006f0e8836666f9edb9ba9e5b17b27334eb755b0f46223c40703", got)
}

func signedHeader(secret []byte, ts int64, body []byte) http.Header {
	h := http.Header{}
	h.Set(HeaderTimestamp, strconv.FormatInt(ts, 10))
	h.Set(HeaderSignature, Sign(secret, ts, body))
	return h
}

func TestVerify(t *testing.T) {
	t.Parallel()
	secret := []byte("0123456789abcdef0123")
	body := []byte(`{"event":"post.published","post":{"text":"hi"}}`)
	now := time.Unix(1_800_000_000, 0)
	ts := now.Unix()
	tests := []struct {
		name   string
		header func() http.Header
		body   []byte
		secret []byte
		want   error
	}{
		{"valid", func() http.Header { return signedHeader(secret, ts, body) }, body, secret, nil},
		{"valid within tolerance", func() http.Header { return signedHeader(secret, ts-299, body) }, body, secret, nil},
		{"clock skew ahead", func() http.Header { return signedHeader(secret, ts+60, body) }, body, secret, nil},
		{"tampered body", func() http.Header { return signedHeader(secret, ts, body) }, []byte(`{"event":"post.published","post":{"text":"HI"}}`), secret, ErrBadSignature},
		{"wrong secret", func() http.Header { return signedHeader(secret, ts, body) }, body, []byte("another-secret-0000"), ErrBadSignature},
		{"old timestamp", func() http.Header { return signedHeader(secret, ts-301, body) }, body, secret, ErrTimestamp},
		{"future timestamp", func() http.Header { return signedHeader(secret, ts+3600, body) }, body, secret, ErrTimestamp},
		{"replayed with fresh timestamp", func() http.Header {
			h := signedHeader(secret, ts-3600, body)
			h.Set(HeaderTimestamp, strconv.FormatInt(ts, 10))
			return h
		}, body, secret, ErrBadSignature},
		{"no headers", func() http.Header { return http.Header{} }, body, secret, ErrNoSignature},
		{"no signature", func() http.Header {
			h := signedHeader(secret, ts, body)
			h.Del(HeaderSignature)
			return h
		}, body, secret, ErrNoSignature},
		{"malformed timestamp", func() http.Header {
			h := signedHeader(secret, ts, body)
			h.Set(HeaderTimestamp, "yesterday")
			return h
		}, body, secret, ErrTimestamp},
		{"malformed signature", func() http.Header {
			h := signedHeader(secret, ts, body)
			h.Set(HeaderSignature, "sha256=zz")
			return h
		}, body, secret, ErrBadSignature},
		{"other algorithm", func() http.Header {
			h := signedHeader(secret, ts, body)
			h.Set(HeaderSignature, "sha1="+h.Get(HeaderSignature)[len("sha256="):])
			return h
		}, body, secret, ErrBadSignature},
		{"rotation: one of two matches", func() http.Header {
			h := signedHeader(secret, ts, body)
			h.Set(HeaderSignature, Sign([]byte("old-secret-old-secret"), ts, body)+", "+h.Get(HeaderSignature))
			return h
		}, body, secret, nil},
		{"rotation: repeated headers", func() http.Header {
			h := signedHeader(secret, ts, body)
			h.Add(HeaderSignature, Sign([]byte("old-secret-old-secret"), ts, body))
			return h
		}, body, secret, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := Verify(tt.secret, tt.header(), tt.body, 5*time.Minute, now)
			if tt.want == nil {
				require.NoError(t, err)
			} else {
				require.ErrorIs(t, err, tt.want)
			}
		})
	}
}

func TestVerifyDefaultTolerance(t *testing.T) {
	t.Parallel()
	now := time.Unix(1_800_000_000, 0)
	body := []byte("{}")
	require.NoError(t, Verify([]byte("s"), signedHeader([]byte("s"), now.Add(-DefaultTolerance).Unix(), body), body, 0, now))
	require.ErrorIs(t, Verify([]byte("s"), signedHeader([]byte("s"), now.Add(-DefaultTolerance-time.Second).Unix(), body), body, 0, now), ErrTimestamp)
}

func FuzzSignVerify(f *testing.F) {
	f.Add([]byte("secret"), int64(1_800_000_000), []byte(`{"event":"ping"}`), uint(0))
	f.Add([]byte{}, int64(0), []byte{}, uint(3))
	f.Add([]byte("\x00\xff"), int64(-1), []byte("]]>\x00"), uint(7))
	f.Fuzz(func(t *testing.T, secret []byte, ts int64, body []byte, flip uint) {
		now := time.Unix(ts, 0)
		h := signedHeader(secret, ts, body)
		require.NoError(t, Verify(secret, h, body, time.Minute, now))
		if len(body) > 0 {
			tampered := append([]byte(nil), body...)
			tampered[flip%uint(len(tampered))] ^= 0x01
			require.ErrorIs(t, Verify(secret, h, tampered, time.Minute, now), ErrBadSignature)
		}
		// Arbitrary header values never panic.
		h2 := http.Header{}
		h2.Set(HeaderTimestamp, string(body))
		h2.Set(HeaderSignature, string(secret))
		_ = Verify(secret, h2, body, time.Minute, now)
	})
}
