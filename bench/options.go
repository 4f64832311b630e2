package main

import (
	"errors"
	"flag"
	"fmt"
	"slices"
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
	facadeArgs  []string // extra facade flags, for experiments
	floor       bool     // unary and transfer scenarios: measure C, the bare proxy

	// Stream scenarios (streams.go).
	transferSizes  []int64
	uploadMessage  int64  // content bytes per UploadFile message
	skipSHA256     bool   // A waives the facade's SHA-256 of transfers
	floorSHA256    bool   // C's proxy hashes the bodies it forwards
	profileDir     string // CPU profiles of the facade during transfers
	watchTasks     int
	watchStreams   int
	watchTick      time.Duration
	watchRun       time.Duration
	watchersUsers  int
	watchersTasks  int // per user
	watchersTick   time.Duration
	watchersRounds int
	replicaCounts  []int // replicas: facade replicas per set
	replicasRounds int
	filesUsers     int
	filesChanges   int // per user and round
	filesRounds    int
	filesDebounce  time.Duration
}

func parseOptions(args []string) (*options, error) {
	o := &options{}
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: go run ./bench [flags]\n\n"+
			"Measures the facade (A) against direct REST calls to the same upstream (B), side by side:\n"+
			"every case runs in rounds that alternate A and B, so drift on a noisy machine hits both.\n"+
			"Unary and transfer scenarios add C, the REST calls through a bare net/http reverse proxy (--floor).\n\n")
		fs.PrintDefaults()
	}
	conns := fs.String("conns", "1,16,64", "client connections (one load worker each), comma separated")
	scenarios := fs.String("scenarios", strings.Join(scenarioNames(), ","), "scenarios to run, comma separated (--list shows them; the stream scenarios "+strings.Join(streamNames(), ", ")+" only when named)")
	fs.DurationVar(&o.duration, "duration", 3*time.Second, "length of one A or B phase")
	fs.DurationVar(&o.warmup, "warmup", 300*time.Millisecond, "untimed A and B before the rounds of each case (0 for none)")
	fs.IntVar(&o.rounds, "rounds", 3, "A/B rounds per case and connection count")
	fs.StringVar(&o.out, "out", "", "Markdown report; the SVG plot is written next to it with the extension .svg (default bench/results/unary.md, or bench/results/streams.md when only stream scenarios run)")
	fs.StringVar(&o.facadeBin, "facade-bin", "", "facade binary to measure (default: build ./cmd/facade of this checkout into a temp dir)")
	fs.StringVar(&o.facadeLog, "facade-log-level", "info", "the facade's --log-level (info, its default, logs one line per RPC)")
	fs.StringVar(&o.upstream, "upstream", "", "Cloudreve base URL, e.g. http://127.0.0.1:5212 (default: an in-process sandbox)")
	fs.StringVar(&o.email, "email", "", "account on --upstream (for scenarios that need a token)")
	fs.StringVar(&o.password, "password", "", "password of --email")
	fs.DurationVar(&o.callTimeout, "call-timeout", 10*time.Second, "longest one call may take before it counts as an error")
	fs.BoolVar(&o.listOnly, "list", false, "list the scenarios and exit")
	fs.BoolVar(&o.floor, "floor", true, "unary and transfer scenarios: also measure C, B's REST calls through a bare net/http reverse proxy in its own process (the floor any Go proxy pays); false for shorter runs")
	facadeArgs := fs.String("facade-args", "", "extra flags for the facade, space separated (e.g. \"--upstream-h2c\")")
	sizes := fs.String("transfer-sizes", "64MiB,1GiB", "file sizes of upload and download, comma separated (KiB, MiB, GiB)")
	message := fs.String("upload-message", "1MiB", "content bytes per UploadFile message sent to the facade")
	fs.BoolVar(&o.skipSHA256, "skip-sha256", false, "upload and download: A sets skip_sha256, so the facade does not hash the content (B never hashes)")
	fs.BoolVar(&o.floorSHA256, "floor-sha256", false, "upload and download: C's proxy also hashes every body it forwards (SHA-256, as it copies), the floor of a proxy that checksums the content as the facade does by default")
	fs.StringVar(&o.profileDir, "profile-dir", "", "save a CPU profile of the facade (--pprof) during extra A transfers of every upload and download case here")
	fs.IntVar(&o.watchTasks, "watch-tasks", 100, "watch: tasks the streams watch")
	fs.IntVar(&o.watchStreams, "watch-streams", 1000, "watch: WatchTask streams open at once, spread evenly over the tasks")
	fs.DurationVar(&o.watchTick, "watch-tick", 100*time.Millisecond, "watch: the sandbox task queue's tick")
	fs.DurationVar(&o.watchRun, "watch-run", 10*time.Second, "watch: how long the streams receive before the tasks are canceled")
	fs.IntVar(&o.watchersUsers, "watchers-users", 1000, "watchers: users with watched tasks")
	fs.IntVar(&o.watchersTasks, "watchers-tasks", 10, "watchers: watched tasks per user")
	fs.DurationVar(&o.watchersTick, "watchers-tick", 3*time.Minute, "watchers: the sandbox task queue's tick; tasks are queued until the first one, processing after it")
	fs.IntVar(&o.watchersRounds, "watchers-rounds", 5, "watchers: poll rounds measured per task state")
	fs.IntVar(&o.filesUsers, "files-users", 100, "fileevents: accounts, each with a durable watch of its own folder")
	fs.IntVar(&o.filesChanges, "files-changes", 10, "fileevents: files each account creates per round (Cloudreve drops changes beyond 16 between two sends)")
	fs.IntVar(&o.filesRounds, "files-rounds", 3, "fileevents: rounds")
	fs.DurationVar(&o.filesDebounce, "files-debounce", time.Second, "fileevents: the sandbox's file event debounce (Cloudreve's default is 5s)")
	replicaCounts := fs.String("replicas", "1,2,3", "replicas: how many facade replicas share the watches, comma separated (--watchers-users × --watchers-tasks tasks)")
	fs.IntVar(&o.replicasRounds, "replicas-rounds", 3, "replicas: poll rounds measured per replica and set")
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
	if o.replicaCounts, err = parseConns(*replicaCounts); err != nil {
		return nil, fmt.Errorf("--replicas: %w", err)
	}
	if o.scenarios, err = parseScenarios(*scenarios); err != nil {
		return nil, fmt.Errorf("--scenarios: %w", err)
	}
	if o.transferSizes, err = parseSizes(*sizes); err != nil {
		return nil, fmt.Errorf("--transfer-sizes: %w", err)
	}
	if o.uploadMessage, err = parseSize(*message); err != nil || o.uploadMessage < 1 {
		return nil, fmt.Errorf("--upload-message: %q is not a positive size", *message)
	}
	o.facadeArgs = strings.Fields(*facadeArgs)
	if o.out == "" {
		o.out = "bench/results/unary.md"
		if len(unaryOnly(o.scenarios)) == 0 {
			o.out = "bench/results/streams.md"
		}
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
	case o.watchTasks < 1 || o.watchStreams < o.watchTasks || o.watchTick <= 0 || o.watchRun <= 0:
		return nil, errors.New("--watch-tasks, --watch-tick and --watch-run must be positive, --watch-streams at least --watch-tasks")
	case o.filesUsers < 1 || o.filesChanges < 1 || o.filesRounds < 1 || o.filesDebounce <= 0:
		return nil, errors.New("--files-users, --files-changes, --files-rounds and --files-debounce must be positive")
	case o.replicasRounds < 1:
		return nil, errors.New("--replicas-rounds must be positive")
	case o.watchersUsers < 1 || o.watchersTasks < 1 || o.watchersTick <= 0 || o.watchersRounds < 1:
		return nil, errors.New("--watchers-users, --watchers-tasks, --watchers-tick and --watchers-rounds must be positive")
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
		if lookupScenario(f) == nil && lookupStream(f) == nil {
			return nil, fmt.Errorf("unknown scenario %q (known: %s)", f, strings.Join(append(scenarioNames(), streamNames()...), ", "))
		}
		out = append(out, f)
	}
	if len(out) == 0 {
		return nil, errors.New("no scenario given")
	}
	return out, nil
}

// parseSizes reads "64MiB,1GiB": positive sizes, in the order given.
func parseSizes(s string) ([]int64, error) {
	var out []int64
	for _, f := range strings.Split(s, ",") {
		n, err := parseSize(f)
		if err != nil {
			return nil, err
		}
		if n < 1 {
			return nil, fmt.Errorf("%q is not a positive size", f)
		}
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out, nil
}

// parseSize reads a byte count with an optional binary unit: 512, 64KiB,
// 64MiB, 1GiB (KB, MB and GB are taken as the same binary units).
func parseSize(s string) (int64, error) {
	s = strings.TrimSpace(s)
	units := []struct {
		suffix string
		shift  uint
	}{{"KiB", 10}, {"MiB", 20}, {"GiB", 30}, {"KB", 10}, {"MB", 20}, {"GB", 30}, {"K", 10}, {"M", 20}, {"G", 30}, {"B", 0}}
	shift := uint(0)
	for _, u := range units {
		if num, ok := strings.CutSuffix(s, u.suffix); ok {
			s, shift = strings.TrimSpace(num), u.shift
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 || n > (1<<62)>>shift {
		return 0, fmt.Errorf("%q is not a size", s)
	}
	return n << shift, nil
}

// formatSize writes a byte count the way parseSize reads it, in the largest
// binary unit that divides it.
func formatSize(n int64) string {
	for _, u := range []struct {
		suffix string
		shift  uint
	}{{"GiB", 30}, {"MiB", 20}, {"KiB", 10}} {
		if n >= 1<<u.shift && n%(1<<u.shift) == 0 {
			return fmt.Sprintf("%d %s", n>>u.shift, u.suffix)
		}
	}
	return fmt.Sprintf("%d B", n)
}

// unaryOnly keeps the names of unary scenarios.
func unaryOnly(names []string) []string {
	var out []string
	for _, n := range names {
		if lookupScenario(n) != nil {
			out = append(out, n)
		}
	}
	return out
}
