package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nats-io/jwt/v2"
	"github.com/nats-io/nkeys"
)

// Passwords and tokens in --nats-url never reach a log line or an error.
func TestRedactNATSURL(t *testing.T) {
	for in, want := range map[string]string{
		"nats://127.0.0.1:4222":                         "nats://127.0.0.1:4222",
		"nats://facade:s3cret@nats:4222":                "nats://facade:redacted@nats:4222",
		"nats://t0ken@nats:4222":                        "nats://redacted@nats:4222",
		"nats://a:pw1@n1:4222,nats://a:pw1@n2:4222":     "nats://a:redacted@n1:4222,nats://a:redacted@n2:4222",
		"tls://facade:s3cret@nats:4222, nats://n2:4222": "tls://facade:redacted@nats:4222, nats://n2:4222",
	} {
		if got := redactNATSURL(in); got != want {
			t.Errorf("redactNATSURL(%q) = %q, want %q", in, got, want)
		}
	}
	if got := redactSecretsIn("dial nats://a:pw1@n1:4222 failed", "nats://a:pw1@n1:4222"); strings.Contains(got, "pw1") {
		t.Errorf("redactSecretsIn left the password: %q", got)
	}
}

func TestIsLoopbackAddress(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1:4222": true, "[::1]:4222": true, "localhost:4222": true,
		"0.0.0.0:4222": false, ":4222": false, "10.0.0.5:4222": false, "nats.example:4222": false,
	} {
		if got := isLoopbackAddress(addr); got != want {
			t.Errorf("isLoopbackAddress(%q) = %v", addr, got)
		}
	}
}

// A credentials file is checked at start: its JWT must be a user JWT and its
// seed that user's; errors name the problem but show nothing of the file.
func TestCheckCredsFile(t *testing.T) {
	account, _ := nkeys.CreateAccount()
	user, _ := nkeys.CreateUser()
	other, _ := nkeys.CreateUser()
	userPub, _ := user.PublicKey()
	claims := jwt.NewUserClaims(userPub)
	userJWT, err := claims.Encode(account)
	if err != nil {
		t.Fatal(err)
	}
	seed, _ := user.Seed()
	otherSeed, _ := other.Seed()
	good, _ := jwt.FormatUserConfig(userJWT, seed)
	mismatched, _ := jwt.FormatUserConfig(userJWT, otherSeed)
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, b, 0o600)
		return p
	}
	if err := checkCredsFile(write("good.creds", good)); err != nil {
		t.Errorf("a good credentials file: %v", err)
	}
	for name, content := range map[string][]byte{
		"garbage.creds":    []byte("not a credentials file"),
		"seed-only.creds":  seed,
		"mismatched.creds": mismatched,
	} {
		err := checkCredsFile(write(name, content))
		if err == nil {
			t.Errorf("%s accepted", name)
			continue
		}
		if strings.Contains(err.Error(), string(otherSeed)) || strings.Contains(err.Error(), string(seed)) {
			t.Errorf("%s: the error shows the seed", name)
		}
	}
	if err := checkCredsFile(filepath.Join(dir, "missing.creds")); err == nil {
		t.Error("a missing file accepted")
	}
}

// A generated token of the embedded server is kept in the state dir, the
// same across restarts; a loopback listener needs none unless one is set.
func TestEmbeddedToken(t *testing.T) {
	cfg := &config{NATSListen: "127.0.0.1:4222", StateDir: t.TempDir()}
	if tok, err := embeddedToken(cfg); err != nil || tok != "" {
		t.Errorf("loopback: %q %v", tok, err)
	}
	cfg.NATSListen = "0.0.0.0:4222"
	first, err := embeddedToken(cfg)
	if err != nil || len(first) < 32 {
		t.Fatalf("non-loopback: %q %v", first, err)
	}
	info, err := os.Stat(filepath.Join(cfg.StateDir, embeddedTokenFile))
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("token file: %v %v", info, err)
	}
	if again, _ := embeddedToken(cfg); again != first {
		t.Error("the generated token changed on the next start")
	}
	cfg.NATSEmbeddedToken = "given"
	if tok, _ := embeddedToken(cfg); tok != "given" {
		t.Errorf("--nats-embedded-token ignored: %q", tok)
	}
}

// Settings that cannot work together are refused at start, naming the flags.
func TestDeploymentSettingsThatDoNotGoTogether(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--tls-cert", "c.pem"}, "--tls-cert and --tls-key"},
		{[]string{"--client-ca", "ca.pem"}, "--client-ca needs --tls-cert"},
		{[]string{"--nats-url", "nats://n:4222", "--nats-cert", "c.pem"}, "--nats-cert and --nats-key"},
		{[]string{"--nats-url", "nats://n:4222", "--nats-creds", "a.creds", "--nats-nkey", "a.nk"}, "--nats-creds and --nats-nkey"},
		{[]string{"--nats-nkey", "a.nk"}, "set --nats-url too"},
		{[]string{"--nats-url", "nats://n:4222", "--nats-embedded-token", "x"}, "--nats-embedded-token is for the embedded server"},
		{[]string{"--drain-grace", "-1s"}, "--drain-grace"},
	} {
		_, err := parseConfig(c.args)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v, want an error naming %q", c.args, err, c.want)
		}
	}
}
