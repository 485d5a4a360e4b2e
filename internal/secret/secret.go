// Package secret encrypts tokens and other secrets at rest. A Keyring holds
// one or more 32-byte keys, each with an id; sealed values carry the id of the
// key that sealed them, so keys can be rotated: new values use the newest key
// and old values still open until they are re-sealed.
package secret

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/crypto/chacha20poly1305"
)

// ErrDecrypt is returned when a value cannot be opened (wrong key, tampered data).
var ErrDecrypt = errors.New("secret: cannot decrypt value")

// Keyring seals and opens values with XChaCha20-Poly1305.
type Keyring struct {
	current string
	keys    map[string][]byte
}

// keyFile is the on-disk form: {"current":"k2","keys":{"k1":"base64…","k2":"base64…"}}.
type keyFile struct {
	Current string            `json:"current"`
	Keys    map[string]string `json:"keys"`
}

// New builds a keyring from ids and raw keys; current names the sealing key.
func New(current string, keys map[string][]byte) (*Keyring, error) {
	if _, ok := keys[current]; !ok {
		return nil, fmt.Errorf("secret: current key %q is not in the keyring", current)
	}
	for id, k := range keys {
		if len(k) != chacha20poly1305.KeySize {
			return nil, fmt.Errorf("secret: key %q has %d bytes, want %d", id, len(k), chacha20poly1305.KeySize)
		}
		if id == "" || strings.ContainsAny(id, ":") {
			return nil, fmt.Errorf("secret: key id %q must be non-empty and contain no ':'", id)
		}
	}
	return &Keyring{current: current, keys: keys}, nil
}

// LoadOrCreate reads the key file at path, creating it with a fresh random key
// (mode 0600) when it does not exist.
func LoadOrCreate(path string) (*Keyring, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		key := make([]byte, chacha20poly1305.KeySize)
		if _, err := rand.Read(key); err != nil {
			return nil, err
		}
		kf := keyFile{Current: "k1", Keys: map[string]string{"k1": base64.StdEncoding.EncodeToString(key)}}
		out, _ := json.MarshalIndent(kf, "", "  ")
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, fmt.Errorf("secret: %w", err)
		}
		// O_EXCL: two processes starting at once must not overwrite each other's key.
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, os.ErrExist) {
			return LoadOrCreate(path)
		}
		if err != nil {
			return nil, fmt.Errorf("secret: create key file: %w", err)
		}
		if _, err := f.Write(out); err != nil {
			f.Close()
			return nil, fmt.Errorf("secret: write key file: %w", err)
		}
		if err := f.Close(); err != nil {
			return nil, err
		}
		return New("k1", map[string][]byte{"k1": key})
	}
	if err != nil {
		return nil, fmt.Errorf("secret: read key file: %w", err)
	}
	var kf keyFile
	if err := json.Unmarshal(b, &kf); err != nil {
		return nil, fmt.Errorf("secret: key file %s is not valid JSON: %w", path, err)
	}
	keys := map[string][]byte{}
	for id, s := range kf.Keys {
		k, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			return nil, fmt.Errorf("secret: key %q is not base64: %w", id, err)
		}
		keys[id] = k
	}
	return New(kf.Current, keys)
}

// Rotate adds a new random key to the key file at path and makes it current.
func Rotate(path string) (string, error) {
	kr, err := LoadOrCreate(path)
	if err != nil {
		return "", err
	}
	ids := kr.IDs()
	id := fmt.Sprintf("k%d", len(ids)+1)
	for kr.keys[id] != nil {
		id += "x"
	}
	key := make([]byte, chacha20poly1305.KeySize)
	if _, err := rand.Read(key); err != nil {
		return "", err
	}
	kf := keyFile{Current: id, Keys: map[string]string{id: base64.StdEncoding.EncodeToString(key)}}
	for k, v := range kr.keys {
		kf.Keys[k] = base64.StdEncoding.EncodeToString(v)
	}
	out, _ := json.MarshalIndent(kf, "", "  ")
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, out, 0o600); err != nil {
		return "", err
	}
	return id, os.Rename(tmp, path)
}

// IDs lists the key ids, sorted.
func (k *Keyring) IDs() []string {
	ids := make([]string, 0, len(k.keys))
	for id := range k.keys {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// Seal encrypts plaintext with the current key; aad binds it to its context
// (e.g. "channel:42"), so a sealed value cannot be moved to another row.
func (k *Keyring) Seal(plaintext, aad []byte) ([]byte, error) {
	aead, err := chacha20poly1305.NewX(k.keys[k.current])
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	out := append([]byte(k.current+":"), nonce...)
	return aead.Seal(out, nonce, plaintext, aad), nil
}

// Open decrypts a value sealed by Seal with any key of the ring.
func (k *Keyring) Open(sealed, aad []byte) ([]byte, error) {
	i := strings.IndexByte(string(sealed[:min(len(sealed), 64)]), ':')
	if i <= 0 {
		return nil, ErrDecrypt
	}
	key, ok := k.keys[string(sealed[:i])]
	if !ok {
		return nil, fmt.Errorf("%w: unknown key id %q", ErrDecrypt, sealed[:i])
	}
	aead, err := chacha20poly1305.NewX(key)
	if err != nil {
		return nil, err
	}
	rest := sealed[i+1:]
	if len(rest) < aead.NonceSize()+aead.Overhead() {
		return nil, ErrDecrypt
	}
	pt, err := aead.Open(nil, rest[:aead.NonceSize()], rest[aead.NonceSize():], aad)
	if err != nil {
		return nil, ErrDecrypt
	}
	return pt, nil
}

// NeedsReseal reports whether a sealed value uses an older key than the current one.
func (k *Keyring) NeedsReseal(sealed []byte) bool {
	return !strings.HasPrefix(string(sealed), k.current+":")
}

// SealJSON seals a JSON encoding of v.
func (k *Keyring) SealJSON(v any, aad []byte) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return k.Seal(b, aad)
}

// OpenJSON opens a value sealed by SealJSON into v.
func (k *Keyring) OpenJSON(sealed, aad []byte, v any) error {
	b, err := k.Open(sealed, aad)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

// Derive returns a 32-byte key for one purpose (e.g. "media-urls"), derived
// from the current key, so every instance sharing the key file derives the same.
func (k *Keyring) Derive(purpose string) []byte {
	m := hmac.New(sha256.New, k.keys[k.current])
	m.Write([]byte("relais/derive/" + purpose))
	return m.Sum(nil)
}
