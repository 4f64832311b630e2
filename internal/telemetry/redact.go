package telemetry

import (
	"log/slog"
	"strings"
)

// secretWords mark log attributes whose values are never written. The
// facade's own code does not log secrets; this is the second line, for a
// careless attribute added later.
var secretWords = []string{"password", "secret", "token", "authorization", "cookie", "credential"}

// RedactSecrets is a slog ReplaceAttr function that replaces the value of
// any attribute whose key names a secret ("password", "refresh_token", …).
func RedactSecrets(_ []string, a slog.Attr) slog.Attr {
	key := strings.ToLower(a.Key)
	for _, w := range secretWords {
		if strings.Contains(key, w) {
			return slog.String(a.Key, "[redacted]")
		}
	}
	return a
}
