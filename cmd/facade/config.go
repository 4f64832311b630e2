package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/cloudreve-connect/facade/internal/fileevents"
)

// config is every setting of the facade. Each flag has an environment
// variable of the same meaning, and a key of the same name in the optional
// config file; a flag given on the command line wins, then the environment,
// then the file, then the default.
type config struct {
	Listen          string
	Upstream        string
	UpstreamTimeout time.Duration
	// UpstreamMaxConns bounds the connections to one upstream host (and the
	// idle pool kept for it); UpstreamH2C speaks HTTP/2 without TLS.
	UpstreamMaxConns int
	UpstreamH2C      bool
	// Pprof serves net/http/pprof beside /metrics.
	Pprof      bool
	NATSURL    string
	NATSListen string
	// How the facade proves itself to a NATS server of its own (--nats-url):
	// a credentials file (user JWT + NKey seed) or an NKey seed file, and TLS
	// with a CA and optionally a client certificate.
	NATSCreds string
	NATSNKey  string
	NATSCA    string
	NATSCert  string
	NATSKey   string
	// NATSEmbeddedToken is the authorization token of the embedded server.
	NATSEmbeddedToken string
	// NATSReplicas of the event stream and every KV bucket (cluster).
	NATSReplicas int
	// ReplicaID names this facade among replicas; LeaseTTL bounds how long
	// a dead replica's watches wait for another.
	ReplicaID    string
	LeaseTTL     time.Duration
	StateDir     string
	JetStreamDir string
	SecretKey    string

	AccountEmail        string
	AccountPassword     string
	AccountRefreshToken string
	AccountSignOut      bool

	PollActive       time.Duration
	PollIdle         time.Duration
	ProgressInterval time.Duration
	// AdminTaskListing lets the watcher read all users' tasks with the
	// admin task listing when the service account is an administrator.
	AdminTaskListing bool
	// WatchFolders are the service account's durable folder watches,
	// comma-separated; watchFolders holds them canonical.
	WatchFolders string
	watchFolders []string

	// Sandbox serves the in-process stand-in Cloudreve on purpose (see
	// servesSandbox for when it is served without being asked).
	Sandbox         bool
	SandboxListen   string
	SandboxTick     time.Duration
	SandboxEmail    string
	SandboxPassword string

	LogFormat string
	LogLevel  string

	// Operations: telemetry, limits, the optional config file.
	ConfigFile           string
	MetricsListen        string
	OTLPEndpoint         string
	MaxMessageBytes      int
	MaxStreams           int
	MaxConcurrentStreams int
	// HTTP/2 receive windows: how much a client may send ahead of what a
	// handler read, per stream and per connection (all its streams).
	HTTP2StreamWindow int
	HTTP2ConnWindow   int
	ReadHeaderTimeout time.Duration
	IdleTimeout       time.Duration

	// The listener across machines: TLS (reloaded when the files change),
	// mutual TLS with ClientCA, and the drain before shutting down.
	TLSCert    string
	TLSKey     string
	ClientCA   string
	DrainGrace time.Duration
}

type setting struct {
	name, env, usage string
	target           any
	def              string
}

func defaultStateDir() string {
	if dir := os.Getenv("XDG_STATE_HOME"); dir != "" {
		return filepath.Join(dir, "cloudreve-facade")
	}
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, ".local", "state", "cloudreve-facade")
	}
	return filepath.Join(os.TempDir(), "cloudreve-facade")
}

func (c *config) settings() []setting {
	return []setting{
		{"listen", "FACADE_LISTEN", "address of the Connect/gRPC/gRPC-Web server (h2c, or TLS with --tls-cert)", &c.Listen, "127.0.0.1:8080"},
		{"tls-cert", "FACADE_TLS_CERT", "PEM certificate (chain) of the listener; with --tls-key it serves TLS with HTTP/2 by ALPN instead of h2c, and is read again when the file changes", &c.TLSCert, ""},
		{"tls-key", "FACADE_TLS_KEY", "PEM private key of --tls-cert", &c.TLSKey, ""},
		{"client-ca", "FACADE_CLIENT_CA", "PEM CA bundle: callers must present a certificate signed by it (mutual TLS; needs --tls-cert)", &c.ClientCA, ""},
		{"drain-grace", "FACADE_DRAIN_GRACE", "on SIGTERM, how long health reports NOT_SERVING (calls still served) before open streams end with Unavailable and the server stops", &c.DrainGrace, "3s"},
		{"upstream", "CLOUDREVE_URL", "base URL of the Cloudreve server, e.g. http://127.0.0.1:5212; empty starts the in-process sandbox", &c.Upstream, ""},
		{"upstream-timeout", "FACADE_UPSTREAM_TIMEOUT", "longest time one upstream REST call may take, body included; shorter when the caller's deadline is nearer", &c.UpstreamTimeout, "30s"},
		{"upstream-max-conns", "FACADE_UPSTREAM_MAX_CONNS", "connections to one upstream host at most, all kept idle for reuse; calls beyond it wait for a free one", &c.UpstreamMaxConns, "256"},
		{"upstream-h2c", "FACADE_UPSTREAM_H2C", "speak HTTP/2 without TLS (prior knowledge) to an http:// upstream that accepts it; https:// negotiates HTTP/2 by itself", &c.UpstreamH2C, "false"},
		{"nats-url", "NATS_URL", "NATS server or cluster to publish to; empty starts an embedded server", &c.NATSURL, ""},
		{"nats-listen", "FACADE_NATS_LISTEN", "client address of the embedded NATS server", &c.NATSListen, "127.0.0.1:4222"},
		{"nats-embedded-token", "FACADE_NATS_EMBEDDED_TOKEN", "authorization token of the embedded NATS server (default: none on a loopback --nats-listen, else one generated into <state-dir>/nats.token)", &c.NATSEmbeddedToken, ""},
		{"nats-creds", "NATS_CREDS", "NATS credentials file (user JWT and NKey seed) for --nats-url", &c.NATSCreds, ""},
		{"nats-nkey", "NATS_NKEY", "NATS NKey seed file for --nats-url", &c.NATSNKey, ""},
		{"nats-ca", "NATS_CA", "PEM CA bundle that signs the NATS server's certificate; setting it (or --nats-cert) requires TLS to NATS", &c.NATSCA, ""},
		{"nats-cert", "NATS_CERT", "PEM client certificate for TLS to NATS (with --nats-key)", &c.NATSCert, ""},
		{"nats-key", "NATS_KEY", "PEM private key of --nats-cert", &c.NATSKey, ""},
		{"nats-replicas", "FACADE_NATS_REPLICAS", "replicas of the event stream and of every KV bucket the facade creates (3 on a three-node cluster)", &c.NATSReplicas, "1"},
		{"replica-id", "FACADE_REPLICA_ID", "name of this facade among replicas sharing the watches; empty: host name and a random suffix", &c.ReplicaID, ""},
		{"lease-ttl", "FACADE_LEASE_TTL", "how long a replica's hold on a shard of the watches lasts unless renewed (every third of it); a dead replica's watches move after it", &c.LeaseTTL, "6s"},
		{"state-dir", "FACADE_STATE_DIR", "directory for the facade's own state (secret key, JetStream files)", &c.StateDir, defaultStateDir()},
		{"jetstream-dir", "FACADE_JETSTREAM_DIR", "JetStream store of the embedded NATS server (default <state-dir>/jetstream)", &c.JetStreamDir, ""},
		{"secret-key", "FACADE_SECRET_KEY", "base64 32-byte key that seals credentials kept in NATS (default: <state-dir>/secret.key, created on first start)", &c.SecretKey, ""},
		{"account-email", "CLOUDREVE_ACCOUNT_EMAIL", "service account e-mail (with --account-password)", &c.AccountEmail, ""},
		{"account-password", "CLOUDREVE_ACCOUNT_PASSWORD", "service account password", &c.AccountPassword, ""},
		{"account-refresh-token", "CLOUDREVE_ACCOUNT_REFRESH_TOKEN", "service account refresh token (instead of a password)", &c.AccountRefreshToken, ""},
		{"account-sign-out", "CLOUDREVE_ACCOUNT_SIGN_OUT", "sign the service account out on shutdown (the next start signs in again)", &c.AccountSignOut, "false"},
		{"poll-active", "FACADE_POLL_ACTIVE", "task poll interval while tasks are watched", &c.PollActive, "1s"},
		{"poll-idle", "FACADE_POLL_IDLE", "discovery poll interval when nothing is watched", &c.PollIdle, "15s"},
		{"progress-interval", "FACADE_PROGRESS_INTERVAL", "least time between two progress-only events of a task", &c.ProgressInterval, "1s"},
		{"admin-task-listing", "FACADE_ADMIN_TASK_LISTING", "when the service account is a Cloudreve administrator, poll all watched users' tasks with the admin task listing (a few requests a round) instead of one listing per user", &c.AdminTaskListing, "true"},
		{"watch-folders", "FACADE_WATCH_FOLDERS", "folders of the service account to watch durably, comma-separated cloudreve://my/... URIs: their file events are published on NATS (stream CLOUDREVE_FILES)", &c.WatchFolders, ""},
		{"sandbox", "FACADE_SANDBOX", "serve the in-process sandbox Cloudreve (fake data, a demo account) instead of a real server; without --upstream it is served anyway when every listener is on loopback", &c.Sandbox, "false"},
		{"sandbox-listen", "FACADE_SANDBOX_LISTEN", "address of the in-process sandbox Cloudreve (without --upstream)", &c.SandboxListen, "127.0.0.1:5212"},
		{"sandbox-tick", "FACADE_SANDBOX_TICK", "the sandbox task queue's period (the real server's is 10s)", &c.SandboxTick, "1s"},
		{"sandbox-email", "FACADE_SANDBOX_EMAIL", "demo account created in the sandbox", &c.SandboxEmail, "demo@example.com"},
		{"sandbox-password", "FACADE_SANDBOX_PASSWORD", "password of the sandbox demo account", &c.SandboxPassword, "demo-password"},
		{"log-format", "FACADE_LOG_FORMAT", "text or json", &c.LogFormat, "text"},
		{"log-level", "FACADE_LOG_LEVEL", "debug, info, warn or error", &c.LogLevel, "info"},
		{"config", "FACADE_CONFIG", "YAML or JSON file of settings keyed by flag name (flags and environment win over it)", &c.ConfigFile, ""},
		{"metrics-listen", "FACADE_METRICS_LISTEN", "separate address for Prometheus /metrics; empty serves /metrics on --listen", &c.MetricsListen, ""},
		{"pprof", "FACADE_PPROF", "serve Go profiles (net/http/pprof) at /debug/pprof/ beside /metrics; off by default", &c.Pprof, "false"},
		{"otlp-endpoint", "OTEL_EXPORTER_OTLP_ENDPOINT", "OTLP/HTTP collector that receives traces, e.g. http://127.0.0.1:4318; empty exports none", &c.OTLPEndpoint, ""},
		{"max-message-bytes", "FACADE_MAX_MESSAGE_BYTES", "largest request or response message, in bytes", &c.MaxMessageBytes, "4194304"},
		{"max-streams", "FACADE_MAX_STREAMS", "streaming RPCs open at once, all callers together; more are refused with ResourceExhausted", &c.MaxStreams, "1000"},
		{"max-concurrent-streams", "FACADE_MAX_CONCURRENT_STREAMS", "HTTP/2 streams a client connection may have open at once", &c.MaxConcurrentStreams, "250"},
		{"http2-stream-window", "FACADE_HTTP2_STREAM_WINDOW", "HTTP/2 receive window per stream, in bytes: how much of an upload a gRPC client may send ahead of the facade (Go's default, 1 MiB, caps an upload at one window per round trip)", &c.HTTP2StreamWindow, "8388608"},
		{"http2-conn-window", "FACADE_HTTP2_CONN_WINDOW", "HTTP/2 receive window per client connection, all its streams together, in bytes: the most one connection can make the facade buffer", &c.HTTP2ConnWindow, "33554432"},
		{"read-header-timeout", "FACADE_READ_HEADER_TIMEOUT", "time a client has to send the request headers", &c.ReadHeaderTimeout, "10s"},
		{"idle-timeout", "FACADE_IDLE_TIMEOUT", "how long an idle client connection is kept open", &c.IdleTimeout, "2m"},
	}
}

// parseConfig reads flags, then fills what they left unset from the
// environment, then from the --config file, then from the defaults.
func parseConfig(args []string) (*config, error) {
	c := &config{}
	fs := flag.NewFlagSet("facade", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: facade [flags]\n\nServes typed Connect/gRPC contracts in front of a Cloudreve v4 server and publishes task events on NATS.\nEvery flag can also be set by the environment variable shown, or in the --config file (YAML or JSON, keys are flag names).\n\n")
		for _, s := range c.settings() {
			def := s.def
			if s.name == "account-password" || s.name == "secret-key" || s.name == "account-refresh-token" || s.name == "nats-embedded-token" {
				def = ""
			}
			fmt.Fprintf(fs.Output(), "  --%s (%s)\n\t%s", s.name, s.env, s.usage)
			if def != "" {
				fmt.Fprintf(fs.Output(), " (default %q)", def)
			}
			fmt.Fprintln(fs.Output())
		}
	}
	raw := map[string]*string{}
	for _, s := range c.settings() {
		raw[s.name] = new(string)
		if _, isBool := s.target.(*bool); isBool {
			fs.Var(boolFlag{raw[s.name]}, s.name, s.usage) // --flag alone means true
		} else {
			fs.StringVar(raw[s.name], s.name, "", s.usage)
		}
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	file, err := readConfigFile(set, raw, c.settings())
	if err != nil {
		return nil, err
	}
	for _, s := range c.settings() {
		value := s.def
		if v, ok := file[s.name]; ok {
			value = v
		}
		if v, ok := os.LookupEnv(s.env); ok {
			value = v
		}
		if set[s.name] {
			value = *raw[s.name]
		}
		switch t := s.target.(type) {
		case *string:
			*t = value
		case *time.Duration:
			d, err := time.ParseDuration(value)
			if err != nil {
				return nil, fmt.Errorf("--%s: %w", s.name, err)
			}
			*t = d
		case *bool:
			b, err := strconv.ParseBool(value)
			if err != nil {
				return nil, fmt.Errorf("--%s: %w", s.name, err)
			}
			*t = b
		case *int:
			n, err := strconv.Atoi(value)
			if err != nil {
				return nil, fmt.Errorf("--%s: %w", s.name, err)
			}
			*t = n
		}
	}
	if c.JetStreamDir == "" {
		c.JetStreamDir = filepath.Join(c.StateDir, "jetstream")
	}
	if c.NATSReplicas < 1 || c.NATSReplicas > 5 {
		return nil, fmt.Errorf("--nats-replicas: %d, want 1 to 5", c.NATSReplicas)
	}
	if c.LeaseTTL < 300*time.Millisecond {
		return nil, fmt.Errorf("--lease-ttl: %v is too short to renew in time", c.LeaseTTL)
	}
	if (c.AccountEmail == "") != (c.AccountPassword == "") {
		return nil, fmt.Errorf("--account-email and --account-password go together")
	}
	if c.watchFolders, err = parseWatchFolders(c.WatchFolders); err != nil {
		return nil, err
	}
	if len(c.watchFolders) > 0 && c.AccountEmail == "" && c.AccountRefreshToken == "" {
		return nil, fmt.Errorf("--watch-folders watches the service account's folders: set --account-email and --account-password, or --account-refresh-token")
	}
	if err := c.checkDeployment(); err != nil {
		return nil, err
	}
	return c, nil
}

// boolFlag is a string setting that may be given without a value.
type boolFlag struct{ s *string }

func (b boolFlag) String() string {
	if b.s == nil {
		return ""
	}
	return *b.s
}
func (b boolFlag) Set(v string) error { *b.s = v; return nil }
func (b boolFlag) IsBoolFlag() bool   { return true }

// checkDeployment refuses combinations of the NATS and listener settings
// that cannot mean what the operator intended, naming the flags.
func (c *config) checkDeployment() error {
	switch {
	case (c.TLSCert == "") != (c.TLSKey == ""):
		return fmt.Errorf("--tls-cert and --tls-key go together")
	case c.ClientCA != "" && c.TLSCert == "":
		return fmt.Errorf("--client-ca needs --tls-cert and --tls-key (mutual TLS is TLS)")
	case (c.NATSCert == "") != (c.NATSKey == ""):
		return fmt.Errorf("--nats-cert and --nats-key go together")
	case c.NATSCreds != "" && c.NATSNKey != "":
		return fmt.Errorf("--nats-creds and --nats-nkey exclude each other (a credentials file carries its own NKey seed)")
	case c.NATSURL == "" && (c.NATSCreds != "" || c.NATSNKey != "" || c.NATSCA != "" || c.NATSCert != ""):
		return fmt.Errorf("--nats-creds, --nats-nkey, --nats-ca and --nats-cert are for a NATS server of your own: set --nats-url too")
	case c.DrainGrace < 0:
		return fmt.Errorf("--drain-grace must not be negative")
	case c.NATSURL != "" && c.NATSEmbeddedToken != "":
		return fmt.Errorf("--nats-embedded-token is for the embedded server; with --nats-url put a token in the URL (nats://TOKEN@host:4222)")
	}
	return nil
}

// parseWatchFolders reads --watch-folders: folders of the own drive,
// canonical, each once.
func parseWatchFolders(list string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	for _, raw := range strings.Split(list, ",") {
		raw = strings.TrimSpace(raw)
		if raw == "" {
			continue
		}
		folder, err := fileevents.CanonicalFolder(raw)
		if err != nil || (folder != "cloudreve://my" && !strings.HasPrefix(folder, "cloudreve://my/")) {
			return nil, fmt.Errorf("--watch-folders: %q is not a folder URI of the service account's drive (cloudreve://my/...)", raw)
		}
		if !seen[folder] {
			seen[folder] = true
			out = append(out, folder)
		}
	}
	return out, nil
}
