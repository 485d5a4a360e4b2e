package auth

import (
	"bufio"
	_ "embed"
	"strings"

	"github.com/relais/relais/internal/valid"
)

//go:embed data/common-passwords.txt
var commonPasswordsFile string

// commonPasswords holds the shipped list, lower-cased.
var commonPasswords = func() map[string]struct{} {
	m := map[string]struct{}{}
	sc := bufio.NewScanner(strings.NewReader(commonPasswordsFile))
	for sc.Scan() {
		if line := sc.Text(); line != "" && !strings.HasPrefix(line, "#") {
			m[strings.ToLower(line)] = struct{}{}
		}
	}
	return m
}()

// CommonPasswordCount is the number of common passwords refused.
func CommonPasswordCount() int { return len(commonPasswords) }

// IsCommonPassword reports whether password (ignoring case and surrounding
// spaces) is on the shipped list of common passwords.
func IsCommonPassword(password string) bool {
	_, ok := commonPasswords[strings.ToLower(strings.TrimSpace(password))]
	return ok
}

// CheckPasswordPolicy validates a new password: its length, not only spaces,
// and not one of the most common passwords.
func CheckPasswordPolicy(password string) error {
	if n := len([]rune(password)); n < MinPasswordLength {
		return valid.Errorf("password", "too_short", "Password needs at least %d characters; it has %d", MinPasswordLength, n)
	}
	if len(password) > MaxPasswordLength {
		return valid.Errorf("password", "too_long", "Password allows at most %d bytes; it has %d", MaxPasswordLength, len(password))
	}
	if strings.TrimSpace(password) == "" {
		return valid.Errorf("password", "blank", "Password cannot be only spaces")
	}
	if IsCommonPassword(password) {
		return valid.Errorf("password", "common", "Password is on the list of the %d most common passwords, which are guessed first; choose another", CommonPasswordCount())
	}
	return nil
}
