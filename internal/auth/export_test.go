package auth

import (
	"encoding/base64"
	"fmt"

	"golang.org/x/crypto/argon2"
)

// CheapHash is an argon2id hash with tiny parameters, so tests that sign in
// many times do not spend 64 MiB and a CPU slice on each check.
func CheapHash(password string) string {
	salt := []byte("0123456789abcdef")
	key := argon2.IDKey([]byte(password), salt, 1, 8, 1, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=8,t=1,p=1$%s$%s", argon2.Version, b64.EncodeToString(salt), b64.EncodeToString(key))
}
