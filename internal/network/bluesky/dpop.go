package bluesky

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

var b64 = base64.RawURLEncoding

// newES256Key makes a P-256 key for DPoP proofs or client assertions.
func newES256Key() (*ecdsa.PrivateKey, error) {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("bluesky: generate key: %w", err)
	}
	return k, nil
}

// encodeKey and decodeKey store a P-256 private key as its raw scalar, base64url.
func encodeKey(k *ecdsa.PrivateKey) (string, error) {
	b, err := k.Bytes()
	if err != nil {
		return "", fmt.Errorf("bluesky: encode key: %w", err)
	}
	return b64.EncodeToString(b), nil
}

func decodeKey(s string) (*ecdsa.PrivateKey, error) {
	b, err := b64.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("bluesky: decode key: %w", err)
	}
	k, err := ecdsa.ParseRawPrivateKey(elliptic.P256(), b)
	if err != nil {
		return nil, fmt.Errorf("bluesky: decode key: %w", err)
	}
	return k, nil
}

// PublicJWK returns the public half of a P-256 key as a JWK (kid set when given),
// for the jwks of the OAuth client metadata.
func PublicJWK(k *ecdsa.PrivateKey, kid string) (map[string]string, error) {
	pt, err := k.PublicKey.Bytes() // 0x04 || X || Y
	if err != nil || len(pt) != 65 {
		return nil, fmt.Errorf("bluesky: public key: %v", err)
	}
	jwk := map[string]string{"kty": "EC", "crv": "P-256", "x": b64.EncodeToString(pt[1:33]), "y": b64.EncodeToString(pt[33:])}
	if kid != "" {
		jwk["kid"], jwk["alg"], jwk["use"] = kid, "ES256", "sig"
	}
	return jwk, nil
}

// signES256 makes a compact JWS with the given header and claims.
func signES256(k *ecdsa.PrivateKey, header, claims map[string]any) (string, error) {
	h, err := json.Marshal(header)
	if err != nil {
		return "", err
	}
	c, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	input := b64.EncodeToString(h) + "." + b64.EncodeToString(c)
	sum := sha256.Sum256([]byte(input))
	r, s, err := ecdsa.Sign(rand.Reader, k, sum[:])
	if err != nil {
		return "", fmt.Errorf("bluesky: sign: %w", err)
	}
	sig := make([]byte, 64)
	r.FillBytes(sig[:32])
	s.FillBytes(sig[32:])
	return input + "." + b64.EncodeToString(sig), nil
}

func randomID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return b64.EncodeToString(b)
}

// dpop makes DPoP proofs (RFC 9449) with one key and remembers the nonce each
// server last asked for, so most requests need no nonce round trip.
type dpop struct {
	key *ecdsa.PrivateKey
	jwk map[string]string

	mu     sync.Mutex
	nonces map[string]string // origin → nonce
}

func newDPoP(key *ecdsa.PrivateKey) (*dpop, error) {
	jwk, err := PublicJWK(key, "")
	if err != nil {
		return nil, err
	}
	return &dpop{key: key, jwk: jwk, nonces: map[string]string{}}, nil
}

// proof returns the DPoP header for a request; accessToken, when set, is bound with ath.
func (d *dpop) proof(method, target, accessToken string, now time.Time) (string, error) {
	u, err := url.Parse(target)
	if err != nil {
		return "", fmt.Errorf("bluesky: DPoP target: %w", err)
	}
	htu := u.Scheme + "://" + u.Host + u.Path // without query and fragment, as RFC 9449 says
	claims := map[string]any{"jti": randomID(), "htm": method, "htu": htu, "iat": now.Unix()}
	if n := d.nonce(u); n != "" {
		claims["nonce"] = n
	}
	if accessToken != "" {
		sum := sha256.Sum256([]byte(accessToken))
		claims["ath"] = b64.EncodeToString(sum[:])
	}
	jwk := map[string]any{}
	for k, v := range d.jwk {
		jwk[k] = v
	}
	return signES256(d.key, map[string]any{"typ": "dpop+jwt", "alg": "ES256", "jwk": jwk}, claims)
}

func (d *dpop) nonce(u *url.URL) string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.nonces[u.Scheme+"://"+u.Host]
}

// remember keeps the nonce a server sent; it reports whether it changed.
func (d *dpop) remember(target string, h http.Header) bool {
	n := h.Get("DPoP-Nonce")
	if n == "" {
		return false
	}
	u, err := url.Parse(target)
	if err != nil {
		return false
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	origin := u.Scheme + "://" + u.Host
	changed := d.nonces[origin] != n
	d.nonces[origin] = n
	return changed
}

// wantsNonce reports whether an answer asks for a (new) DPoP nonce: resource
// servers say so in WWW-Authenticate on a 401, authorization servers in a 400 body.
func wantsNonce(status int, h http.Header, body []byte) bool {
	if status == http.StatusUnauthorized && strings.Contains(h.Get("WWW-Authenticate"), "use_dpop_nonce") {
		return true
	}
	if status == http.StatusBadRequest {
		var e struct {
			Error string `json:"error"`
		}
		return json.Unmarshal(body, &e) == nil && e.Error == "use_dpop_nonce"
	}
	return false
}
