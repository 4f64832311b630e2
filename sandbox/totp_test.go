package sandbox

import (
	"encoding/base32"
	"testing"
	"time"
)

// The RFC 6238 appendix B vectors for SHA-1 (8 digits there; the last six
// are what a 6-digit code shows).
func TestTOTPMatchesRFC6238(t *testing.T) {
	secret := base32.StdEncoding.EncodeToString([]byte("12345678901234567890"))
	for unix, want := range map[int64]string{59: "287082", 1111111109: "081804", 1234567890: "005924", 2000000000: "279037"} {
		got, err := TOTPCode(secret, time.Unix(unix, 0))
		if err != nil || got != want {
			t.Errorf("T=%d: %q %v, want %q", unix, got, err, want)
		}
	}
	now := time.Now()
	code, _ := TOTPCode(secret, now.Add(-totpStep))
	if !totpValid(secret, code, now) {
		t.Error("a code of the previous step is refused")
	}
	old, _ := TOTPCode(secret, now.Add(-3*totpStep))
	if totpValid(secret, old, now) && old != code {
		t.Error("a code three steps old is accepted")
	}
}
