package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// config is every setting of the facade. Each flag has an environment
// variable of the same meaning; a flag given on the command line wins.
type config struct {
	Listen          string
	Upstream        string
	UpstreamTimeout time.Duration
	NATSURL         string
	NATSListen      string
	StateDir        string
	JetStreamDir    string
	SecretKey       string

	AccountEmail        string
	AccountPassword     string
	AccountRefreshToken string

	PollActive       time.Duration
	PollIdle         time.Duration
	ProgressInterval time.Duration

	SandboxListen   string
	SandboxTick     time.Duration
	SandboxEmail    string
	SandboxPassword string

	LogFormat string
	LogLevel  string
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
		{"listen", "FACADE_LISTEN", "address of the Connect/gRPC/gRPC-Web server (h2c)", &c.Listen, "127.0.0.1:8080"},
		{"upstream", "CLOUDREVE_URL", "base URL of the Cloudreve server, e.g. http://127.0.0.1:5212; empty starts the in-process sandbox", &c.Upstream, ""},
		{"upstream-timeout", "FACADE_UPSTREAM_TIMEOUT", "timeout of one upstream REST call", &c.UpstreamTimeout, "30s"},
		{"nats-url", "NATS_URL", "NATS server or cluster to publish to; empty starts an embedded server", &c.NATSURL, ""},
		{"nats-listen", "FACADE_NATS_LISTEN", "client address of the embedded NATS server", &c.NATSListen, "127.0.0.1:4222"},
		{"state-dir", "FACADE_STATE_DIR", "directory for the facade's own state (secret key, JetStream files)", &c.StateDir, defaultStateDir()},
		{"jetstream-dir", "FACADE_JETSTREAM_DIR", "JetStream store of the embedded NATS server (default <state-dir>/jetstream)", &c.JetStreamDir, ""},
		{"secret-key", "FACADE_SECRET_KEY", "base64 32-byte key that seals credentials kept in NATS (default: <state-dir>/secret.key, created on first start)", &c.SecretKey, ""},
		{"account-email", "CLOUDREVE_ACCOUNT_EMAIL", "service account e-mail (with --account-password)", &c.AccountEmail, ""},
		{"account-password", "CLOUDREVE_ACCOUNT_PASSWORD", "service account password", &c.AccountPassword, ""},
		{"account-refresh-token", "CLOUDREVE_ACCOUNT_REFRESH_TOKEN", "service account refresh token (instead of a password)", &c.AccountRefreshToken, ""},
		{"poll-active", "FACADE_POLL_ACTIVE", "task poll interval while tasks are watched", &c.PollActive, "1s"},
		{"poll-idle", "FACADE_POLL_IDLE", "discovery poll interval when nothing is watched", &c.PollIdle, "15s"},
		{"progress-interval", "FACADE_PROGRESS_INTERVAL", "least time between two progress-only events of a task", &c.ProgressInterval, "1s"},
		{"sandbox-listen", "FACADE_SANDBOX_LISTEN", "address of the in-process sandbox Cloudreve (without --upstream)", &c.SandboxListen, "127.0.0.1:5212"},
		{"sandbox-tick", "FACADE_SANDBOX_TICK", "the sandbox task queue's period (the real server's is 10s)", &c.SandboxTick, "1s"},
		{"sandbox-email", "FACADE_SANDBOX_EMAIL", "demo account created in the sandbox", &c.SandboxEmail, "demo@example.com"},
		{"sandbox-password", "FACADE_SANDBOX_PASSWORD", "password of the sandbox demo account", &c.SandboxPassword, "demo-password"},
		{"log-format", "FACADE_LOG_FORMAT", "text or json", &c.LogFormat, "text"},
		{"log-level", "FACADE_LOG_LEVEL", "debug, info, warn or error", &c.LogLevel, "info"},
	}
}

// parseConfig reads flags, then fills what they left unset from the
// environment, then from the defaults.
func parseConfig(args []string) (*config, error) {
	c := &config{}
	fs := flag.NewFlagSet("facade", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: facade [flags]\n\nServes typed Connect/gRPC contracts in front of a Cloudreve v4 server and publishes task events on NATS.\nEvery flag can also be set by the environment variable shown.\n\n")
		for _, s := range c.settings() {
			def := s.def
			if s.name == "account-password" || s.name == "secret-key" || s.name == "account-refresh-token" {
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
		raw[s.name] = fs.String(s.name, "", s.usage)
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	for _, s := range c.settings() {
		value := s.def
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
	if (c.AccountEmail == "") != (c.AccountPassword == "") {
		return nil, fmt.Errorf("--account-email and --account-password go together")
	}
	return c, nil
}
