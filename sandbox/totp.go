package sandbox

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"strings"
	"time"
)

// TOTP as Cloudreve uses it (RFC 6238 defaults): HMAC-SHA1, 30-second
// steps, 6 digits, base32 secrets; one step of clock skew is accepted.
const (
	totpStep   = 30 * time.Second
	totpDigits = 6
)

var totpEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

func newTOTPSecret() string { return totpEncoding.EncodeToString(randomBytes(20)) }

// TOTPCode is the code of a base32 secret at time t, as an authenticator
// app would show it; tests use it to answer the sandbox's 2FA.
func TOTPCode(secret string, t time.Time) (string, error) {
	key, err := totpEncoding.DecodeString(strings.ToUpper(strings.TrimRight(secret, "=")))
	if err != nil {
		return "", fmt.Errorf("sandbox: bad TOTP secret: %w", err)
	}
	return hotp(key, uint64(t.Unix()/int64(totpStep/time.Second))), nil
}

// hotp is RFC 4226: HMAC of the big-endian counter, dynamically truncated.
func hotp(key []byte, counter uint64) string {
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], counter)
	m := hmac.New(sha1.New, key)
	m.Write(msg[:])
	sum := m.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	n := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	return fmt.Sprintf("%0*d", totpDigits, n%1_000_000)
}

// totpValid checks a code against the current step and its neighbours.
func totpValid(secret, code string, now time.Time) bool {
	for _, skew := range []time.Duration{0, -totpStep, totpStep} {
		want, err := TOTPCode(secret, now.Add(skew))
		if err == nil && subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return true
		}
	}
	return false
}
