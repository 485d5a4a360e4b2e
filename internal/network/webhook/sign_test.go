package webhook

import (
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"
	"github.com/stretchr/testify/require"
)

func TestSignSpecVector(t *testing.T) {
	t.Parallel()
	// The example of the Standard Webhooks specification and its libraries.
	got := Sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, []byte(`{"test": 2432232314}`))
	require.Equal(t, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", got)
}

func TestLegacySignKnownVector(t *testing.T) {
	t.Parallel()
	// The former X-Relais-Signature, unchanged for secrets stored before:
	// printf '%s' '1700000000.{"event":"ping"}' | openssl dgst -sha256 -hmac 'whsec-test-secret-0123'
	got := legacySign("whsec-test-secret-0123", 1700000000, []byte(`{"event":"ping"}`))
	require.Equal(t, "sha256=32e21b1ea4ab006f0e8836666f9edb9ba9e5b17b27334eb755b0f46223c40703", got)
	// The same key in the whsec_ form signs the same.
	require.Equal(t, got, legacySign(StandardSecret("whsec-test-secret-0123"), 1700000000, []byte(`{"event":"ping"}`)))
}

func TestSecretForms(t *testing.T) {
	t.Parallel()
	hexSecret := strings.Repeat("ab", 32)
	tests := []struct {
		name     string
		secret   string
		key      []byte
		standard string
	}{
		{"whsec", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", mustB64(t, "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"},
		{"former generated hex secret", hexSecret, []byte(hexSecret), "whsec_" + base64.StdEncoding.EncodeToString([]byte(hexSecret))},
		{"typed secret", "test-secret-0123456789", []byte("test-secret-0123456789"), "whsec_dGVzdC1zZWNyZXQtMDEyMzQ1Njc4OQ=="},
		{"whsec_ prefix without base64 is a typed secret", "whsec_not base64!", []byte("whsec_not base64!"), "whsec_" + base64.StdEncoding.EncodeToString([]byte("whsec_not base64!"))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tt.key, SigningKey(tt.secret))
			require.Equal(t, tt.standard, StandardSecret(tt.secret))
			require.Equal(t, tt.key, SigningKey(StandardSecret(tt.secret)), "the whsec_ form is the same key")
		})
	}
}

func TestCheckSecret(t *testing.T) {
	t.Parallel()
	tests := []struct {
		secret string
		want   string
	}{
		{"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", ""},
		{"whsec_" + base64.StdEncoding.EncodeToString(make([]byte, 16)), "Signing secret: a whsec_ secret needs 24 to 64 bytes of key; this one has 16"},
		{"whsec_%%%", "Signing secret: a secret starting with whsec_ must continue with base64; this one does not"},
		{"short", "Signing secret needs 16 to 512 characters; this one has 5"},
		{"sixteen-chars-ok", ""},
	}
	for _, tt := range tests {
		t.Run(tt.secret, func(t *testing.T) {
			t.Parallel()
			err := CheckSecret(tt.secret, 16, 512)
			if tt.want == "" {
				require.NoError(t, err)
			} else {
				require.EqualError(t, err, tt.want)
			}
		})
	}
}

func TestNewSecret(t *testing.T) {
	t.Parallel()
	s, err := NewSecret()
	require.NoError(t, err)
	require.Regexp(t, `^whsec_[A-Za-z0-9+/]{43}=$`, s)
	require.Len(t, SigningKey(s), 32)
	require.NoError(t, CheckSecret(s, 16, 512))
	other, err := NewSecret()
	require.NoError(t, err)
	require.NotEqual(t, s, other)
}

func mustB64(t *testing.T, s string) []byte {
	b, err := base64.StdEncoding.DecodeString(s)
	require.NoError(t, err)
	return b
}

func signedHeader(secret, id string, ts int64, body []byte) http.Header {
	h := http.Header{}
	setSignature(h, secret, id, ts, body)
	return h
}

func TestVerify(t *testing.T) {
	t.Parallel()
	secret := "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	id := "3f0c5b1e-8d2a-8c41-9a7e-2b6d0f4c1a95"
	body := []byte(`{"event":"post.published","post":{"text":"hi"}}`)
	now := time.Unix(1_800_000_000, 0)
	ts := now.Unix()
	other := "whsec_" + base64.StdEncoding.EncodeToString([]byte("another-secret-another-secret"))
	tests := []struct {
		name   string
		header func() http.Header
		body   []byte
		secret string
		want   error
	}{
		{"valid", func() http.Header { return signedHeader(secret, id, ts, body) }, body, secret, nil},
		{"valid within tolerance", func() http.Header { return signedHeader(secret, id, ts-299, body) }, body, secret, nil},
		{"clock skew ahead", func() http.Header { return signedHeader(secret, id, ts+60, body) }, body, secret, nil},
		{"former secret, wrapped", func() http.Header { return signedHeader(strings.Repeat("ab", 32), id, ts, body) }, body, StandardSecret(strings.Repeat("ab", 32)), nil},
		{"tampered body", func() http.Header { return signedHeader(secret, id, ts, body) }, []byte(`{"event":"post.published","post":{"text":"HI"}}`), secret, ErrBadSignature},
		{"wrong secret", func() http.Header { return signedHeader(secret, id, ts, body) }, body, other, ErrBadSignature},
		{"old timestamp", func() http.Header { return signedHeader(secret, id, ts-301, body) }, body, secret, ErrTimestamp},
		{"future timestamp", func() http.Header { return signedHeader(secret, id, ts+3600, body) }, body, secret, ErrTimestamp},
		{"replayed with fresh timestamp", func() http.Header {
			h := signedHeader(secret, id, ts-3600, body)
			h.Set(HeaderTimestamp, strconv.FormatInt(ts, 10))
			return h
		}, body, secret, ErrBadSignature},
		{"replayed as another delivery id", func() http.Header {
			h := signedHeader(secret, id, ts, body)
			h.Set(HeaderID, "another-id")
			return h
		}, body, secret, ErrBadSignature},
		{"no headers", func() http.Header { return http.Header{} }, body, secret, ErrNoSignature},
		{"no id", func() http.Header {
			h := signedHeader(secret, id, ts, body)
			h.Del(HeaderID)
			return h
		}, body, secret, ErrNoSignature},
		{"no signature", func() http.Header {
			h := signedHeader(secret, id, ts, body)
			h.Del(HeaderSignature)
			return h
		}, body, secret, ErrNoSignature},
		{"malformed timestamp", func() http.Header {
			h := signedHeader(secret, id, ts, body)
			h.Set(HeaderTimestamp, "yesterday")
			return h
		}, body, secret, ErrTimestamp},
		{"malformed signature", func() http.Header {
			h := signedHeader(secret, id, ts, body)
			h.Set(HeaderSignature, "v1,zz")
			return h
		}, body, secret, ErrBadSignature},
		{"other version", func() http.Header {
			h := signedHeader(secret, id, ts, body)
			h.Set(HeaderSignature, strings.Replace(h.Get(HeaderSignature), "v1,", "v1a,", 1))
			return h
		}, body, secret, ErrBadSignature},
		{"rotation: one of two matches", func() http.Header {
			h := signedHeader(secret, id, ts, body)
			h.Set(HeaderSignature, Sign(other, id, ts, body)+" "+h.Get(HeaderSignature))
			return h
		}, body, secret, nil},
		{"rotation: repeated headers", func() http.Header {
			h := signedHeader(secret, id, ts, body)
			h.Add(HeaderSignature, Sign(other, id, ts, body))
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
	require.NoError(t, Verify("s", signedHeader("s", "id", now.Add(-DefaultTolerance).Unix(), body), body, 0, now))
	require.ErrorIs(t, Verify("s", signedHeader("s", "id", now.Add(-DefaultTolerance-time.Second).Unix(), body), body, 0, now), ErrTimestamp)
}

// TestStandardWebhooksReferenceVerifies checks the signing headers with the
// specification's reference Go library, written independently of relais.
func TestStandardWebhooksReferenceVerifies(t *testing.T) {
	t.Parallel()
	generated, err := NewSecret()
	require.NoError(t, err)
	body := []byte(`{"event":"post.published","id":"3f0c5b1e"}`)
	for _, secret := range []string{generated, strings.Repeat("0f", 32), "a secret someone typed"} {
		t.Run(secret, func(t *testing.T) {
			t.Parallel()
			h := signedHeader(secret, "3f0c5b1e", time.Now().Unix(), body)
			wh, err := standardwebhooks.NewWebhook(StandardSecret(secret))
			require.NoError(t, err)
			require.NoError(t, wh.Verify(body, h))
			require.Error(t, wh.Verify([]byte(`{"event":"post.published","id":"3f0c5b1f"}`), h))
			h.Set(HeaderID, "another")
			require.Error(t, wh.Verify(body, h), "the delivery id is signed")
		})
	}
}

func FuzzSignVerify(f *testing.F) {
	f.Add("secret", "id", int64(1_800_000_000), []byte(`{"event":"ping"}`), uint(0))
	f.Add("", "", int64(0), []byte{}, uint(3))
	f.Add("\x00\xff", "whsec_", int64(-1), []byte("]]>\x00"), uint(7))
	f.Fuzz(func(t *testing.T, secret, id string, ts int64, body []byte, flip uint) {
		if strings.TrimSpace(id) == "" || strings.ContainsAny(id, "\r\n") {
			id = "id"
		}
		now := time.Unix(ts, 0)
		h := signedHeader(secret, id, ts, body)
		require.NoError(t, Verify(secret, h, body, time.Minute, now))
		if secret != "" {
			require.NoError(t, Verify(StandardSecret(secret), h, body, time.Minute, now))
		}
		if len(body) > 0 {
			tampered := append([]byte(nil), body...)
			tampered[flip%uint(len(tampered))] ^= 0x01
			require.ErrorIs(t, Verify(secret, h, tampered, time.Minute, now), ErrBadSignature)
		}
		// Arbitrary header values never panic.
		h2 := http.Header{}
		h2.Set(HeaderID, secret)
		h2.Set(HeaderTimestamp, string(body))
		h2.Set(HeaderSignature, secret)
		_ = Verify(secret, h2, body, time.Minute, now)
	})
}
