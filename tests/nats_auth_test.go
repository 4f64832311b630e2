package tests

import (
	"context"
	"crypto/tls"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/jwt/v2"
	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nkeys"

	"github.com/cloudreve-connect/facade/sandbox"
)

// A NATS server of the operator's own, as a deployment across machines has
// one: JetStream on, and clients must authenticate.
func startSecuredNATS(t *testing.T, configure func(*server.Options)) *server.Server {
	t.Helper()
	opts := &server.Options{
		Host: "127.0.0.1", Port: server.RANDOM_PORT, JetStream: true, StoreDir: t.TempDir(),
		NoSigs: true, NoLog: true, DisableShortFirstPing: true,
	}
	configure(opts)
	ns, err := server.NewServer(opts)
	if err != nil {
		t.Fatal(err)
	}
	go ns.Start()
	if !ns.ReadyForConnections(10 * time.Second) {
		t.Fatal("NATS server not ready")
	}
	t.Cleanup(func() { ns.Shutdown(); ns.WaitForShutdown() })
	return ns
}

func writeTemp(t *testing.T, name string, content []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, content, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// facadeFailsAtStart runs the facade, expects it to exit with an error on
// its own, and returns what it printed.
func facadeFailsAtStart(t *testing.T, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, facadeBin, append(args, "--listen", freePort(t), "--state-dir", t.TempDir())...)
	cmd.Env = append(os.Environ(), "FACADE_LOG_LEVEL=debug")
	out, err := cmd.CombinedOutput()
	if err == nil || ctx.Err() != nil {
		t.Fatalf("the facade did not fail at start (%v):\n%s", err, out)
	}
	return string(out)
}

// assertNotShown fails when the output holds any of the secrets.
func assertNotShown(t *testing.T, out string, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		if strings.Contains(out, s) {
			t.Errorf("the output shows a secret:\n%s", out)
		}
	}
}

// The facade authenticates to NATS with an NKey seed file, a user and
// password in the URL, or a token in the URL; wrong ones fail at start
// with a message that names the setting and never shows the secret.
func TestNATSAuthentication(t *testing.T) {
	up := startSandbox(t, sandbox.Options{})
	nkey, _ := nkeys.CreateUser()
	nkeyPub, _ := nkey.PublicKey()
	seed, _ := nkey.Seed()
	seedFile := writeTemp(t, "facade.nk", seed)
	const password = "pw-4f1d9c"
	users := startSecuredNATS(t, func(o *server.Options) {
		o.Nkeys = []*server.NkeyUser{{Nkey: nkeyPub}}
		o.Users = []*server.User{{Username: "facade", Password: password}}
	})
	usersAddr := strings.TrimPrefix(users.ClientURL(), "nats://")
	const token = "tok-8a7e2b"
	tokens := startSecuredNATS(t, func(o *server.Options) { o.Authorization = token })
	tokenAddr := strings.TrimPrefix(tokens.ClientURL(), "nats://")

	t.Run("nkey seed", func(t *testing.T) {
		f := startFacade(t, "--upstream", up.URL, "--nats-url", users.ClientURL(), "--nats-nkey", seedFile)
		f.stop(t)
		assertNotShown(t, f.logs.String(), string(seed))
	})
	t.Run("user and password", func(t *testing.T) {
		f := startFacade(t, "--upstream", up.URL, "--nats-url", "nats://facade:"+password+"@"+usersAddr)
		f.stop(t)
		assertNotShown(t, f.logs.String(), password)
	})
	t.Run("token", func(t *testing.T) {
		f := startFacade(t, "--upstream", up.URL, "--nats-url", "nats://"+token+"@"+tokenAddr)
		f.stop(t)
		assertNotShown(t, f.logs.String(), token)
	})
	t.Run("wrong password", func(t *testing.T) {
		out := facadeFailsAtStart(t, "--upstream", up.URL, "--nats-url", "nats://facade:wrong-"+password+"@"+usersAddr)
		if !strings.Contains(out, "refused the facade's credentials") || !strings.Contains(out, "facade:redacted@") {
			t.Errorf("unclear failure:\n%s", out)
		}
		assertNotShown(t, out, password)
	})
	t.Run("wrong token", func(t *testing.T) {
		out := facadeFailsAtStart(t, "--upstream", up.URL, "--nats-url", "nats://wrong-"+token+"@"+tokenAddr)
		if !strings.Contains(out, "refused the facade's credentials") {
			t.Errorf("unclear failure:\n%s", out)
		}
		assertNotShown(t, out, token)
	})
	t.Run("wrong nkey seed", func(t *testing.T) {
		other, _ := nkeys.CreateUser()
		otherSeed, _ := other.Seed()
		out := facadeFailsAtStart(t, "--upstream", up.URL, "--nats-url", users.ClientURL(), "--nats-nkey", writeTemp(t, "other.nk", otherSeed))
		if !strings.Contains(out, "refused the facade's credentials (--nats-nkey ") {
			t.Errorf("unclear failure:\n%s", out)
		}
		assertNotShown(t, out, string(otherSeed))
		out = facadeFailsAtStart(t, "--upstream", up.URL, "--nats-url", users.ClientURL(), "--nats-nkey", writeTemp(t, "garbage.nk", []byte("garbage")))
		if !strings.Contains(out, "--nats-nkey ") {
			t.Errorf("unclear failure:\n%s", out)
		}
	})
}

// natsOperator is a decentralised-auth NATS setup: an operator, a system
// account, and an account with JetStream whose user the facade is.
type natsOperator struct {
	claims     *jwt.OperatorClaims
	sysPub     string
	resolver   *server.MemAccResolver
	account    nkeys.KeyPair
	accountPub string
}

func newNATSOperator(t *testing.T) *natsOperator {
	t.Helper()
	okp, _ := nkeys.CreateOperator()
	opub, _ := okp.PublicKey()
	op := &natsOperator{claims: jwt.NewOperatorClaims(opub), resolver: &server.MemAccResolver{}}
	if _, err := op.claims.Encode(okp); err != nil {
		t.Fatal(err)
	}
	sys, _ := nkeys.CreateAccount()
	op.sysPub, _ = sys.PublicKey()
	sysJWT, err := jwt.NewAccountClaims(op.sysPub).Encode(okp)
	if err != nil {
		t.Fatal(err)
	}
	op.resolver.Store(op.sysPub, sysJWT)
	op.account, _ = nkeys.CreateAccount()
	op.accountPub, _ = op.account.PublicKey()
	ac := jwt.NewAccountClaims(op.accountPub)
	ac.Limits.JetStreamLimits = jwt.JetStreamLimits{MemoryStorage: -1, DiskStorage: -1, Streams: -1, Consumer: -1}
	accountJWT, err := ac.Encode(okp)
	if err != nil {
		t.Fatal(err)
	}
	op.resolver.Store(op.accountPub, accountJWT)
	return op
}

func (op *natsOperator) configure(o *server.Options) {
	o.TrustedOperators = []*jwt.OperatorClaims{op.claims}
	o.SystemAccount = op.sysPub
	o.AccountResolver = op.resolver
}

// userCreds is a credentials file of a new user of the account.
func (op *natsOperator) userCreds(t *testing.T) ([]byte, string) {
	t.Helper()
	user, _ := nkeys.CreateUser()
	pub, _ := user.PublicKey()
	userJWT, err := jwt.NewUserClaims(pub).Encode(op.account)
	if err != nil {
		t.Fatal(err)
	}
	seed, _ := user.Seed()
	creds, err := jwt.FormatUserConfig(userJWT, seed)
	if err != nil {
		t.Fatal(err)
	}
	return creds, writeTemp(t, "facade.creds", creds)
}

// A credentials file (user JWT + NKey seed) of a JWT-secured NATS works;
// a malformed one, or one the server does not trust, fails at start naming
// --nats-creds, without showing the seed.
func TestNATSCredentialsFile(t *testing.T) {
	up := startSandbox(t, sandbox.Options{})
	op := newNATSOperator(t)
	ns := startSecuredNATS(t, op.configure)
	creds, credsFile := op.userCreds(t)

	f := startFacade(t, "--upstream", up.URL, "--nats-url", ns.ClientURL(), "--nats-creds", credsFile)
	// The facade created its stream in that account: a client with the same
	// account's credentials sees it.
	nc, err := nats.Connect(ns.ClientURL(), nats.UserCredentials(credsFile))
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, _ := nc.JetStream()
	if _, err := js.StreamInfo("CLOUDREVE_TASKS"); err != nil {
		t.Errorf("the facade's stream in the account: %v", err)
	}
	f.stop(t)
	seed, _ := nkeys.ParseDecoratedNKey(creds)
	seedBytes, _ := seed.Seed()
	assertNotShown(t, f.logs.String(), string(seedBytes))

	out := facadeFailsAtStart(t, "--upstream", up.URL, "--nats-url", ns.ClientURL(), "--nats-creds", writeTemp(t, "broken.creds", []byte("-----BEGIN NATS USER JWT-----\nnot a jwt\n------END NATS USER JWT------\n")))
	if !strings.Contains(out, "--nats-creds ") || !strings.Contains(out, "not a NATS credentials file") {
		t.Errorf("unclear failure for a malformed file:\n%s", out)
	}
	// Well-formed, but of an account the operator never signed.
	stranger := newNATSOperator(t)
	strangerCreds, strangerFile := stranger.userCreds(t)
	out = facadeFailsAtStart(t, "--upstream", up.URL, "--nats-url", ns.ClientURL(), "--nats-creds", strangerFile)
	if !strings.Contains(out, "refused the facade's credentials (--nats-creds ") {
		t.Errorf("unclear failure for untrusted credentials:\n%s", out)
	}
	strangerSeed, _ := nkeys.ParseDecoratedNKey(strangerCreds)
	strangerSeedBytes, _ := strangerSeed.Seed()
	assertNotShown(t, out, string(strangerSeedBytes))
}

// With a token the embedded server refuses other clients: they can neither
// subscribe to the facade's subjects nor read its KV; the facade itself and
// clients with the token work. Beyond loopback the facade generates the
// token into the state dir.
func TestEmbeddedNATSToken(t *testing.T) {
	up := startSandbox(t, sandbox.Options{})
	assertRefused := func(t *testing.T, url string) {
		t.Helper()
		nc, err := nats.Connect(url)
		if err == nil {
			defer nc.Close()
			if _, err = nc.SubscribeSync("cloudreve.>"); err == nil {
				err = nc.Flush()
			}
		}
		if err == nil || !strings.Contains(strings.ToLower(err.Error()), "authorization") {
			t.Errorf("a client without the token: %v", err)
		}
	}
	assertServed := func(t *testing.T, url, token string) {
		t.Helper()
		nc, err := nats.Connect(url, nats.Token(token))
		if err != nil {
			t.Fatal(err)
		}
		defer nc.Close()
		js, _ := nc.JetStream()
		if _, err := js.StreamInfo("CLOUDREVE_TASKS"); err != nil {
			t.Errorf("with the token: %v", err)
		}
	}
	t.Run("given", func(t *testing.T) {
		const token = "embedded-3c9e1f"
		natsAddr := freePort(t)
		f := startFacade(t, "--upstream", up.URL, "--nats-listen", natsAddr, "--nats-embedded-token", token)
		assertRefused(t, "nats://"+natsAddr)
		assertRefused(t, "nats://wrong@"+natsAddr)
		assertServed(t, "nats://"+natsAddr, token)
		f.stop(t)
		assertNotShown(t, f.logs.String(), token)
	})
	t.Run("generated beyond loopback", func(t *testing.T) {
		port := strings.Split(freePort(t), ":")[1]
		stateDir := t.TempDir()
		f := startFacade(t, "--upstream", up.URL, "--nats-listen", "0.0.0.0:"+port, "--state-dir", stateDir)
		b, err := os.ReadFile(filepath.Join(stateDir, "nats.token"))
		if err != nil {
			t.Fatal(err)
		}
		token := strings.TrimSpace(string(b))
		assertRefused(t, "nats://127.0.0.1:"+port)
		assertServed(t, "nats://127.0.0.1:"+port, token)
		f.stop(t)
		assertNotShown(t, f.logs.String(), token)
	})
}

// TLS to NATS: the server's certificate is checked against --nats-ca, and a
// server that verifies clients gets --nats-cert; without it the start fails.
func TestNATSOverTLS(t *testing.T) {
	up := startSandbox(t, sandbox.Options{})
	ca := newTestCA(t, "NATS test CA")
	serverCert := ca.issue(t, "nats", true)
	clientCert := ca.issue(t, "facade", false)
	ns := startSecuredNATS(t, func(o *server.Options) {
		o.TLS, o.TLSVerify = true, true
		o.TLSConfig = &tls.Config{Certificates: []tls.Certificate{serverCert.Pair}, ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: ca.pool(), MinVersion: tls.VersionTLS12}
	})
	f := startFacade(t, "--upstream", up.URL, "--nats-url", ns.ClientURL(), "--nats-ca", ca.CAFile, "--nats-cert", clientCert.CertFile, "--nats-key", clientCert.KeyFile)
	if !strings.Contains(f.logs.String(), "tls=true") {
		t.Errorf("the log does not say NATS is reached over TLS")
	}
	out := facadeFailsAtStart(t, "--upstream", up.URL, "--nats-url", ns.ClientURL(), "--nats-ca", ca.CAFile)
	t.Logf("without a client certificate: %s", out)
	if !strings.Contains(out, "nats "+ns.ClientURL()) || !strings.Contains(out, "--nats-cert") {
		t.Errorf("unclear failure without a client certificate:\n%s", out)
	}
	out = facadeFailsAtStart(t, "--upstream", up.URL, "--nats-url", ns.ClientURL(), "--nats-ca", writeTemp(t, "empty.pem", []byte("nothing")))
	if !strings.Contains(out, "--nats-ca") {
		t.Errorf("unclear failure for a CA file without certificates:\n%s", out)
	}
}
