package main

import (
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// A flag beats the environment, which beats the config file, which beats
// the default.
func TestConfigPrecedence(t *testing.T) {
	file := writeFile(t, "facade.yaml", "listen: 127.0.0.1:1111\nmax-streams: 7\nidle-timeout: 5m\nlog-format: json\n")
	t.Setenv("FACADE_CONFIG", file)
	t.Setenv("FACADE_MAX_STREAMS", "8")
	t.Setenv("FACADE_LOG_FORMAT", "text")
	c, err := parseConfig([]string{"--log-format", "json"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Listen != "127.0.0.1:1111" || c.MaxStreams != 8 || c.IdleTimeout != 5*time.Minute || c.LogFormat != "json" {
		t.Errorf("got listen %q, max-streams %d, idle-timeout %v, log-format %q", c.Listen, c.MaxStreams, c.IdleTimeout, c.LogFormat)
	}
	if c.ReadHeaderTimeout != 10*time.Second || c.MaxMessageBytes != 4<<20 || c.UpstreamTimeout != 30*time.Second {
		t.Errorf("defaults: %v %d %v", c.ReadHeaderTimeout, c.MaxMessageBytes, c.UpstreamTimeout)
	}
}

func TestConfigFileJSONAndErrors(t *testing.T) {
	file := writeFile(t, "facade.json", `{"upstream": "http://cloudreve:5212", "max-message-bytes": 1048576, "metrics-listen": ":9090"}`)
	c, err := parseConfig([]string{"--config", file})
	if err != nil {
		t.Fatal(err)
	}
	if c.Upstream != "http://cloudreve:5212" || c.MaxMessageBytes != 1<<20 || c.MetricsListen != ":9090" {
		t.Errorf("got %+v", c)
	}
	for name, content := range map[string]string{
		"typo":   "listn: 127.0.0.1:1\n",
		"nested": "listen: {host: x}\n",
		"self":   "config: other.yaml\n",
		"syntax": "listen: [\n",
	} {
		if _, err := parseConfig([]string{"--config", writeFile(t, name+".yaml", content)}); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := parseConfig([]string{"--config", filepath.Join(t.TempDir(), "missing.yaml")}); err == nil {
		t.Error("a missing config file was accepted")
	}
}

// The example shipped in deploy/ is a valid config file.
func TestExampleConfigFile(t *testing.T) {
	c, err := parseConfig([]string{"--config", "../../deploy/facade.example.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Listen != "0.0.0.0:8080" || c.MetricsListen != "127.0.0.1:9090" || c.IdleTimeout != 2*time.Minute {
		t.Errorf("got %+v", c)
	}
}

// `facade --help` lists every setting with its environment variable.
func TestHelpListsEverySetting(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr := os.Stderr
	os.Stderr = w
	_, err = parseConfig([]string{"--help"})
	os.Stderr = stderr
	w.Close()
	help, _ := io.ReadAll(r)
	if !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("--help: %v", err)
	}
	for _, s := range (&config{}).settings() {
		if !strings.Contains(string(help), "--"+s.name+" ("+s.env+")") {
			t.Errorf("--help does not list --%s (%s)", s.name, s.env)
		}
	}
	if strings.Contains(string(help), "demo-password") == false {
		t.Error("--help shows no defaults")
	}
}

// README.md documents every setting: its flag, environment variable and
// default, in one table row. Add a row there when adding a setting.
func TestReadmeDocumentsEverySetting(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]string{}
	for _, line := range strings.Split(string(readme), "\n") {
		if strings.HasPrefix(line, "| `--") {
			name := strings.TrimPrefix(strings.SplitN(line, "`", 3)[1], "--")
			rows[name] = line
		}
	}
	for _, s := range (&config{}).settings() {
		row, ok := rows[s.name]
		switch {
		case !ok:
			t.Errorf("README.md has no row | `--%s` | `%s` | default | meaning |", s.name, s.env)
		case !strings.Contains(row, "`"+s.env+"`"):
			t.Errorf("README.md row of --%s lacks `%s`", s.name, s.env)
		case s.name != "state-dir" && s.def != "" && !strings.Contains(row, "`"+s.def+"`"):
			t.Errorf("README.md row of --%s lacks its default `%s`", s.name, s.def)
		}
	}
}

// The HTTP/2 receive windows default to 8 MiB per stream and 32 MiB per
// connection; the connection window is never below the stream window.
func TestHTTP2Windows(t *testing.T) {
	c, err := parseConfig(nil)
	if err != nil {
		t.Fatal(err)
	}
	h := http2Config(c)
	if h.MaxReceiveBufferPerStream != 8<<20 || h.MaxReceiveBufferPerConnection != 32<<20 || h.MaxConcurrentStreams != 250 {
		t.Errorf("defaults: %+v", h)
	}
	c, err = parseConfig([]string{"--http2-stream-window", "16777216", "--http2-conn-window", "1"})
	if err != nil {
		t.Fatal(err)
	}
	if h := http2Config(c); h.MaxReceiveBufferPerStream != 16<<20 || h.MaxReceiveBufferPerConnection != 16<<20 {
		t.Errorf("conn window below the stream window: %+v", h)
	}
}
