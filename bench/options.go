package main

import (
	"errors"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// options are the harness's flags.
type options struct {
	duration    time.Duration // one A or one B phase
	warmup      time.Duration // untimed A and B before the rounds of each case
	rounds      int
	conns       []int
	scenarios   []string
	out         string // Markdown; the SVG goes next to it
	facadeBin   string // empty: build ./cmd/facade from the current checkout
	facadeLog   string // the facade's --log-level
	upstream    string // empty: an in-process sandbox
	email       string
	password    string
	listOnly    bool
	callTimeout time.Duration
}

func parseOptions(args []string) (*options, error) {
	o := &options{}
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: go run ./bench [flags]\n\n"+
			"Measures the facade (A) against direct REST calls to the same upstream (B), side by side:\n"+
			"every case runs in rounds that alternate A and B, so drift on a noisy machine hits both.\n\n")
		fs.PrintDefaults()
	}
	conns := fs.String("conns", "1,16,64", "client connections (one load worker each), comma separated")
	scenarios := fs.String("scenarios", strings.Join(scenarioNames(), ","), "scenarios to run, comma separated (--list shows them)")
	fs.DurationVar(&o.duration, "duration", 3*time.Second, "length of one A or B phase")
	fs.DurationVar(&o.warmup, "warmup", 300*time.Millisecond, "untimed A and B before the rounds of each case (0 for none)")
	fs.IntVar(&o.rounds, "rounds", 3, "A/B rounds per case and connection count")
	fs.StringVar(&o.out, "out", "bench/results/unary.md", "Markdown report; the SVG plot is written next to it with the extension .svg")
	fs.StringVar(&o.facadeBin, "facade-bin", "", "facade binary to measure (default: build ./cmd/facade of this checkout into a temp dir)")
	fs.StringVar(&o.facadeLog, "facade-log-level", "info", "the facade's --log-level (info, its default, logs one line per RPC)")
	fs.StringVar(&o.upstream, "upstream", "", "Cloudreve base URL, e.g. http://127.0.0.1:5212 (default: an in-process sandbox)")
	fs.StringVar(&o.email, "email", "", "account on --upstream (for scenarios that need a token)")
	fs.StringVar(&o.password, "password", "", "password of --email")
	fs.DurationVar(&o.callTimeout, "call-timeout", 10*time.Second, "longest one call may take before it counts as an error")
	fs.BoolVar(&o.listOnly, "list", false, "list the scenarios and exit")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	var err error
	if o.conns, err = parseConns(*conns); err != nil {
		return nil, fmt.Errorf("--conns: %w", err)
	}
	if o.scenarios, err = parseScenarios(*scenarios); err != nil {
		return nil, fmt.Errorf("--scenarios: %w", err)
	}
	switch {
	case o.duration <= 0:
		return nil, errors.New("--duration must be positive")
	case o.warmup < 0:
		return nil, errors.New("--warmup must not be negative")
	case o.rounds < 1:
		return nil, errors.New("--rounds must be at least 1")
	case o.upstream != "" && (o.email == "" || o.password == ""):
		return nil, errors.New("--upstream needs --email and --password (the account the scenarios sign in with)")
	case o.upstream == "" && (o.email != "" || o.password != ""):
		return nil, errors.New("--email and --password are for --upstream; the sandbox creates its own account")
	}
	o.upstream = strings.TrimRight(o.upstream, "/")
	return o, nil
}

// parseConns reads "1,16,64": positive, without repeats, in the order given.
func parseConns(s string) ([]int, error) {
	var out []int
	seen := map[int]bool{}
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		n, err := strconv.Atoi(f)
		if err != nil || n < 1 {
			return nil, fmt.Errorf("%q is not a positive number", f)
		}
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out, nil
}

func parseScenarios(s string) ([]string, error) {
	var out []string
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if lookupScenario(f) == nil {
			return nil, fmt.Errorf("unknown scenario %q (known: %s)", f, strings.Join(scenarioNames(), ", "))
		}
		out = append(out, f)
	}
	if len(out) == 0 {
		return nil, errors.New("no scenario given")
	}
	return out, nil
}
