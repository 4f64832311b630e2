package main

import (
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/nats-io/jwt/v2"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nkeys"

	"github.com/cloudreve-connect/facade/internal/natsembed"
)

// connectNATS connects to the NATS server of --nats-url with the configured
// credentials and TLS, or starts the embedded server (with its token) and
// connects to it in-process. The returned function closes both.
func connectNATS(cfg *config, log *slog.Logger) (*nats.Conn, func(), error) {
	if cfg.NATSURL != "" {
		return connectExternalNATS(cfg, log)
	}
	token, err := embeddedToken(cfg)
	if err != nil {
		return nil, nil, err
	}
	ns, err := natsembed.Start(natsembed.Options{Listen: cfg.NATSListen, StoreDir: cfg.JetStreamDir, Token: token})
	if err != nil {
		return nil, nil, err
	}
	nc, err := ns.Connect("cloudreve-facade")
	if err != nil {
		ns.Shutdown()
		return nil, nil, err
	}
	log.Info("started the embedded NATS server with JetStream", "client_url", ns.ClientURL(), "store_dir", cfg.JetStreamDir,
		"authorization", authorizationNote(cfg, token))
	return nc, func() { nc.Drain(); ns.Shutdown() }, nil
}

func connectExternalNATS(cfg *config, log *slog.Logger) (*nats.Conn, func(), error) {
	shown := redactNATSURL(cfg.NATSURL)
	opts := []nats.Option{nats.Name("cloudreve-facade"), nats.MaxReconnects(-1)}
	auth := "the URL's user, password or token, if any"
	switch {
	case cfg.NATSCreds != "":
		if err := checkCredsFile(cfg.NATSCreds); err != nil {
			return nil, nil, fmt.Errorf("--nats-creds %s: %w", cfg.NATSCreds, err)
		}
		opts = append(opts, nats.UserCredentials(cfg.NATSCreds))
		auth = "--nats-creds " + cfg.NATSCreds
	case cfg.NATSNKey != "":
		opt, err := nats.NkeyOptionFromSeed(cfg.NATSNKey)
		if err != nil {
			return nil, nil, fmt.Errorf("--nats-nkey %s: %w", cfg.NATSNKey, err)
		}
		opts = append(opts, opt)
		auth = "--nats-nkey " + cfg.NATSNKey
	}
	if cfg.NATSCA != "" || cfg.NATSCert != "" {
		tlsConfig, err := natsTLSConfig(cfg)
		if err != nil {
			return nil, nil, err
		}
		opts = append(opts, nats.Secure(tlsConfig))
	}
	nc, err := nats.Connect(cfg.NATSURL, opts...)
	if err != nil {
		if errors.Is(err, nats.ErrAuthorization) || errors.Is(err, nats.ErrAuthExpired) || errors.Is(err, nats.ErrAuthRevoked) {
			return nil, nil, fmt.Errorf("nats %s refused the facade's credentials (%s): %w", shown, auth, err)
		}
		msg := redactSecretsIn(err.Error(), cfg.NATSURL)
		if strings.Contains(msg, "tls") || strings.Contains(msg, "x509") {
			msg += " (TLS to NATS is set by --nats-ca, --nats-cert and --nats-key)"
		}
		return nil, nil, errors.New("nats " + shown + ": " + msg)
	}
	log.Info("using the NATS server", "url", shown, "authenticated_by", auth, "tls", cfg.NATSCA != "" || cfg.NATSCert != "")
	return nc, func() { nc.Drain() }, nil
}

// checkCredsFile reads a credentials file as nats.UserCredentials will, so
// that a wrong file fails at start naming the flag instead of as an
// authorization violation (or not at all: a file without the decoration is
// taken whole as the JWT). Nothing of the file goes into the error.
func checkCredsFile(path string) error {
	contents, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	defer clear(contents)
	userJWT, err := nkeys.ParseDecoratedJWT(contents)
	if err != nil {
		return errors.New("no user JWT in it")
	}
	claims, err := jwt.DecodeUserClaims(userJWT)
	if err != nil {
		return errors.New("not a NATS credentials file: its JWT is not a user JWT")
	}
	kp, err := nkeys.ParseDecoratedUserNKey(contents)
	if err != nil {
		return errors.New("not a NATS credentials file: no user NKey seed in it")
	}
	defer kp.Wipe()
	pub, err := kp.PublicKey()
	if err != nil {
		return errors.New("its NKey seed is invalid")
	}
	if pub != claims.Subject {
		return errors.New("its NKey seed does not belong to its user JWT")
	}
	return nil
}

// natsTLSConfig is TLS to the NATS server: its certificate checked against
// --nats-ca (the system roots without it), and --nats-cert for servers that
// verify clients. nats.go fills in the server name per server it dials.
func natsTLSConfig(cfg *config) (*tls.Config, error) {
	conf := &tls.Config{MinVersion: tls.VersionTLS12}
	if cfg.NATSCA != "" {
		pool, err := loadCAPool(cfg.NATSCA)
		if err != nil {
			return nil, fmt.Errorf("--nats-ca: %w", err)
		}
		conf.RootCAs = pool
	}
	if cfg.NATSCert != "" {
		pair, err := tls.LoadX509KeyPair(cfg.NATSCert, cfg.NATSKey)
		if err != nil {
			return nil, fmt.Errorf("--nats-cert/--nats-key: %w", err)
		}
		conf.Certificates = []tls.Certificate{pair}
	}
	return conf, nil
}

// redactNATSURL shows a --nats-url (one URL or a comma-separated list)
// without the password or token in it; the user name stays.
func redactNATSURL(urls string) string {
	parts := strings.Split(urls, ",")
	for i, raw := range parts {
		u, err := url.Parse(strings.TrimSpace(raw))
		if err != nil || u.User == nil {
			if err != nil && strings.Contains(raw, "@") {
				parts[i] = "[unparsable URL redacted]"
			}
			continue
		}
		if _, hasPassword := u.User.Password(); hasPassword {
			u.User = url.UserPassword(u.User.Username(), "redacted")
		} else {
			u.User = url.User("redacted") // a lone user part is a token
		}
		parts[i] = u.String()
	}
	return strings.Join(parts, ",")
}

// redactSecretsIn removes the secrets of the URLs from an error text, in
// case a library quoted a URL.
func redactSecretsIn(text, urls string) string {
	for _, raw := range strings.Split(urls, ",") {
		u, err := url.Parse(strings.TrimSpace(raw))
		if err != nil || u.User == nil {
			continue
		}
		if p, ok := u.User.Password(); ok && p != "" {
			text = strings.ReplaceAll(text, p, "redacted")
		} else if name := u.User.Username(); name != "" {
			text = strings.ReplaceAll(text, name, "redacted")
		}
	}
	return text
}

// embeddedTokenFile is where a generated token of the embedded server is
// kept, so that it stays the same across restarts and local consumers can
// read it (with the facade's file permissions).
const embeddedTokenFile = "nats.token"

// embeddedToken is the token of the embedded server: --nats-embedded-token;
// else, when the server listens beyond loopback, one generated into the
// state dir (an open JetStream on the network would let anyone publish
// events or read the sealed credentials' KV); else none.
func embeddedToken(cfg *config) (string, error) {
	if cfg.NATSEmbeddedToken != "" || cfg.NATSListen == "" || isLoopbackAddress(cfg.NATSListen) {
		return cfg.NATSEmbeddedToken, nil
	}
	path := filepath.Join(cfg.StateDir, embeddedTokenFile)
	if b, err := os.ReadFile(path); err == nil {
		if token := strings.TrimSpace(string(b)); token != "" {
			return token, nil
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return "", fmt.Errorf("embedded NATS token %s: %w", path, err)
	}
	secret := make([]byte, 24)
	if _, err := rand.Read(secret); err != nil {
		return "", err
	}
	token := hex.EncodeToString(secret)
	if err := os.MkdirAll(cfg.StateDir, 0o700); err != nil {
		return "", fmt.Errorf("--state-dir: %w", err)
	}
	if err := os.WriteFile(path, []byte(token+"\n"), 0o600); err != nil {
		return "", fmt.Errorf("embedded NATS token %s: %w", path, err)
	}
	return token, nil
}

// authorizationNote says how the embedded server is protected, never the
// token itself.
func authorizationNote(cfg *config, token string) string {
	switch {
	case cfg.NATSListen == "":
		return "in-process only"
	case token == "":
		return "none (loopback only; set --nats-embedded-token to require one)"
	case cfg.NATSEmbeddedToken != "":
		return "token from --nats-embedded-token"
	default:
		return "token in " + filepath.Join(cfg.StateDir, embeddedTokenFile)
	}
}

// isLoopbackAddress reports whether host:port only accepts connections from
// this machine. An empty host or 0.0.0.0 listens everywhere.
func isLoopbackAddress(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
