package main

import (
	"errors"
	"strings"
	"testing"
)

func TestSandboxServedOnlyWhenSafe(t *testing.T) {
	cases := []struct {
		args    []string
		sandbox bool
		errHas  string
	}{
		{nil, true, ""}, // go run ./cmd/facade: every listener on loopback
		{[]string{"--upstream", "http://cloudreve:5212"}, false, ""},
		{[]string{"--listen", "0.0.0.0:8080"}, false, "--listen is 0.0.0.0:8080"},
		{[]string{"--listen", ":8080"}, false, "--listen is :8080"},
		{[]string{"--metrics-listen", "10.0.0.5:9090"}, false, "--metrics-listen"},
		{[]string{"--nats-listen", "0.0.0.0:4222"}, false, "--nats-listen"},
		{[]string{"--nats-url", "nats://nats:4222", "--nats-listen", "0.0.0.0:4222"}, true, ""}, // no embedded server
		{[]string{"--listen", "0.0.0.0:8080", "--sandbox"}, true, ""},
		{[]string{"--upstream", "http://cloudreve:5212", "--sandbox"}, false, "exclude each other"},
		{[]string{"--listen", "[::1]:8080"}, true, ""},
	}
	for _, c := range cases {
		cfg, err := parseConfig(c.args)
		if err != nil {
			t.Fatalf("%v: %v", c.args, err)
		}
		got, err := cfg.servesSandbox()
		if got != c.sandbox || (err == nil) != (c.errHas == "") || (err != nil && !strings.Contains(err.Error(), c.errHas)) {
			t.Errorf("%v: sandbox %v, error %v", c.args, got, err)
		}
		if err != nil && c.errHas != "exclude each other" && (!errors.Is(err, errNoUpstream) || !strings.Contains(err.Error(), "CLOUDREVE_URL")) {
			t.Errorf("%v: the error does not name the missing setting: %v", c.args, err)
		}
	}
}
