package main

import (
	"bufio"
	"debug/buildinfo"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/cloudreve-connect/facade/sandbox"
)

// header describes a run, for the top of the report.
type header struct {
	date      time.Time
	goVersion string
	cpu       string
	upstream  string
	facade    string
	settings  string
	floor     string // what C is, for runs with unary or transfer scenarios
}

func newHeader(o *options, facadeBin string, built bool) header {
	order, floor := "ABBA order", "not measured (--floor=false)"
	if o.floor {
		order, floor = "order ABC, CBA", floorDescription
	}
	h := header{
		date:      time.Now(),
		goVersion: runtime.Version(),
		cpu:       fmt.Sprintf("%s, %d logical CPUs", cpuModel(), runtime.NumCPU()),
		upstream:  o.upstream,
		facade:    describeBinary(facadeBin, built),
		settings: fmt.Sprintf("%d rounds × %s per side (%s), warm-up %s, connections %s, facade --log-level %s",
			o.rounds, o.duration, order, o.warmup, joinInts(o.conns), o.facadeLog),
		floor: floor,
	}
	if len(unaryOnly(o.scenarios)) == 0 {
		if !transfersIn(o.scenarios) {
			h.floor = "" // no table of this run has C
		}
		h.settings = fmt.Sprintf("%d rounds × at least %s per side (%s) for transfers, facade --log-level %s", o.rounds, o.duration, order, o.facadeLog)
	}
	if h.upstream == "" {
		h.upstream = "sandbox (in-process, loopback), Cloudreve " + sandbox.Version
	}
	if o.skipSHA256 {
		h.settings += ", transfers with skip_sha256"
	}
	if o.floorSHA256 {
		h.settings += ", C hashes what it forwards (--floor-sha256)"
	}
	if len(o.facadeArgs) > 0 {
		h.settings += ", facade flags " + strings.Join(o.facadeArgs, " ")
	}
	return h
}

// describe is the upstream for the report's header.
func (u *upstream) describe() string {
	if u.version == "" {
		return u.label
	}
	return u.label + ", Cloudreve " + u.version
}

// report is everything one run writes.
type report struct {
	header       header
	descriptions []string
	rows         []row     // the unary table
	sections     []section // the stream scenarios' tables
	panels       []plotPanel
}

// problems lists every failed figure of the run.
func (r report) problems() []string {
	out := problems(r.rows)
	for _, s := range r.sections {
		for _, p := range s.problems {
			out = append(out, s.title+": "+p)
		}
	}
	return out
}

// allPanels are the plot's panels: the unary cases, then the streams'.
func (r report) allPanels() []plotPanel {
	return append(plotPanels(r.rows), r.panels...)
}

// cpuModel is the "model name" of /proc/cpuinfo, or "unknown CPU".
func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown CPU"
}

// describeBinary names the facade build: its path (unless it was a
// throw-away build), Go version and VCS revision from its build info.
func describeBinary(path string, built bool) string {
	what := path
	if built {
		what = "built from this checkout"
	}
	info, err := buildinfo.ReadFile(path)
	if err != nil {
		return what
	}
	var rev, modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				modified = " with uncommitted changes"
			}
		}
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if rev != "" {
		what += " at " + rev + modified
	}
	return what + " (" + info.GoVersion + ")"
}

// transfersIn is whether names include a transfer scenario, whose tables
// have C like the unary table.
func transfersIn(names []string) bool {
	return slices.ContainsFunc(names, func(name string) bool {
		switch lookupStream(name).(type) {
		case uploadScenario, downloadScenario:
			return true
		}
		return false
	})
}

// floorDescription says what C is, in the report's header.
const floorDescription = "B's REST calls through a bare net/http reverse proxy (httputil.ReverseProxy) " +
	"in front of the same upstream: what any Go proxy pays on this machine (a process of its own, its CPU read like the facade's)"

var tableHeader = []string{
	"scenario", "A protocol", "conns", "A req/s", "B req/s", "C req/s", "A÷B", "C÷B",
	"facade CPU µs/call", "floor CPU µs/call", "A CPU ÷ C CPU", "allocs/call",
	"p50 A", "p50 B", "p50 added", "p50 added C", "p99 A", "p99 B", "p99 added",
	"upstream conns /1k calls", "errors",
}

// tableCells are the report's table as text: a header line, then one line
// per row. Figures that cannot be computed read "n/a"; latency is only
// given at one connection, where it is not queueing.
func tableCells(rows []row) [][]string {
	out := [][]string{tableHeader}
	for _, r := range rows {
		cells := []string{r.scenario, r.protocol, fmt.Sprint(r.conns)}
		cells = append(cells,
			figure(r.rpsA())(0), figure(r.rpsB())(0), figure(r.rpsC())(0),
			ratioCell(r, r.ratio), ratioCell(r, r.floorRatio),
			figure(r.cpuPerCall())(1), figure(r.floorCPUPerCall())(1), figure(r.cpuOverFloor())(2),
			figure(r.allocsPerCall())(0))
		if r.conns == 1 && r.failed == "" {
			a, b := r.a.latency, r.b.latency
			addedC := "n/a"
			if r.floorLatencyKnown() {
				addedC = addedMicros(r.c.latency.p50, b.p50)
			}
			cells = append(cells, micros(a.p50), micros(b.p50), addedMicros(a.p50, b.p50), addedC,
				micros(a.p99), micros(b.p99), addedMicros(a.p99, b.p99))
		} else {
			cells = append(cells, "—", "—", "—", "—", "—", "—", "—")
		}
		cells = append(cells, figure(r.upstreamConnsPer1k())(1), errorsCell(r))
		out = append(out, cells)
	}
	return out
}

// figure formats an optional number with the given decimals.
func figure(v float64, ok bool) func(decimals int) string {
	return func(decimals int) string {
		if !ok {
			return "n/a"
		}
		return fmt.Sprintf("%.*f", decimals, v)
	}
}

// ratioCell is a headline figure, so a row with errors says FAILED there;
// a side not measured at all stays n/a.
func ratioCell(r row, ratio func() (float64, bool)) string {
	v, ok := ratio()
	if ok && !r.ok() {
		return "FAILED"
	}
	return figure(v, ok)(2)
}

func errorsCell(r row) string {
	if r.failed != "" {
		return "not run"
	}
	return fmt.Sprint(r.errors())
}

func micros(d time.Duration) string { return fmt.Sprintf("%d µs", d.Microseconds()) }

func addedMicros(a, b time.Duration) string { return fmt.Sprintf("%+d µs", (a - b).Microseconds()) }

// problems lists every row's errors in full, so none goes unseen.
func problems(rows []row) []string {
	var out []string
	for _, r := range rows {
		if r.ok() {
			continue
		}
		where := fmt.Sprintf("%s, %s, %d conns", r.scenario, r.protocol, r.conns)
		if r.failed != "" {
			out = append(out, where+": not measured: "+r.failed)
			continue
		}
		out = append(out, fmt.Sprintf("%s: %d errors in A, %d in B, %d in C; first: %s", where, r.a.errors, r.b.errors, r.c.errors, r.firstErr))
	}
	return out
}

// textTable aligns cells in columns for a terminal: text left, numbers right.
func textTable(cells [][]string) string {
	widths := columnWidths(cells)
	var b strings.Builder
	for i, line := range cells {
		for j, c := range line {
			if j > 0 {
				b.WriteString("  ")
			}
			pad := strings.Repeat(" ", widths[j]-runeLen(c))
			if j < 2 || i == 0 {
				b.WriteString(c + pad)
			} else {
				b.WriteString(pad + c)
			}
		}
		b.WriteString("\n")
		if i == 0 {
			for j, w := range widths {
				if j > 0 {
					b.WriteString("  ")
				}
				b.WriteString(strings.Repeat("-", w))
			}
			b.WriteString("\n")
		}
	}
	return strings.TrimRight(b.String(), " ")
}

// markdownTable renders cells as a GitHub table, numbers right-aligned.
func markdownTable(cells [][]string) string {
	var b strings.Builder
	for i, line := range cells {
		b.WriteString("| " + strings.Join(escapeCells(line), " | ") + " |\n")
		if i == 0 {
			for j := range line {
				if j < 2 {
					b.WriteString("|---")
				} else {
					b.WriteString("|--:")
				}
			}
			b.WriteString("|\n")
		}
	}
	return b.String()
}

func escapeCells(cells []string) []string {
	out := make([]string, len(cells))
	for i, c := range cells {
		out[i] = strings.ReplaceAll(c, "|", `\|`)
	}
	return out
}

func columnWidths(cells [][]string) []int {
	var widths []int
	for _, line := range cells {
		for j, c := range line {
			if j >= len(widths) {
				widths = append(widths, 0)
			}
			widths[j] = max(widths[j], runeLen(c))
		}
	}
	return widths
}

func runeLen(s string) int { return len([]rune(s)) }

func joinInts(ns []int) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = fmt.Sprint(n)
	}
	return strings.Join(s, ",")
}

// markdownReport is the whole report file.
func markdownReport(rep report, plotFile string) string {
	h, descriptions, rows := rep.header, rep.descriptions, rep.rows
	var b strings.Builder
	b.WriteString("# Facade benchmark: facade (A) against direct REST (B)\n\n")
	fmt.Fprintf(&b, "- Date: %s\n", h.date.Format("2006-01-02 15:04 MST"))
	fmt.Fprintf(&b, "- Go: %s\n", h.goVersion)
	fmt.Fprintf(&b, "- CPU: %s\n", h.cpu)
	fmt.Fprintf(&b, "- Upstream: %s\n", h.upstream)
	fmt.Fprintf(&b, "- Facade binary: %s\n", h.facade)
	fmt.Fprintf(&b, "- Settings: %s\n", h.settings)
	if h.floor != "" {
		fmt.Fprintf(&b, "- Floor (C): %s\n", h.floor)
	}
	b.WriteString("\nScenarios:\n\n")
	for _, d := range descriptions {
		b.WriteString("- " + d + "\n")
	}
	if len(rows) > 0 {
		b.WriteString("\n## Results\n\n")
		b.WriteString(markdownTable(tableCells(rows)))
		if ps := problems(rows); len(ps) > 0 {
			b.WriteString("\n## Problems\n\nThe rows marked FAILED are not to be trusted:\n\n")
			for _, p := range ps {
				b.WriteString("- " + p + "\n")
			}
		}
	}
	for _, s := range rep.sections {
		b.WriteString(sectionMarkdown(s))
	}
	if plotFile != "" && len(rep.allPanels()) > 0 {
		fmt.Fprintf(&b, "\n![throughput, facade against direct](%s)\n", plotFile)
	}
	if len(rows) > 0 {
		b.WriteString(readingGuide)
	}
	return b.String()
}

const readingGuide = `
## Reading the table

- A is the call through the facade, over the protocol named; B is the same
  work as a direct REST call to the upstream over keep-alive HTTP/1.1. A and
  B alternate in the same run, on the same machine, so compare them with
  each other, not with another run.
- A÷B is the facade's throughput as a share of the direct one; the facade
  adds a hop, so it is below 1. On a small machine the harness, the facade
  and the sandbox share the CPUs, which weighs on A more (three processes
  work per call instead of two).
- facade CPU µs/call and allocs/call are the facade process's CPU time
  (/proc/<pid>/stat) and Go heap allocations (go_memstats_mallocs_total,
  minus what reading /metrics allocates) over the A phases, per call.
- C, the floor, is B's REST call through a bare net/http reverse proxy
  (httputil.ReverseProxy, pooled keep-alive upstream connections, HTTP/1.1
  and h2c like the facade) in a process of its own, alternating with A and
  B (order ABC, CBA). C÷B, floor CPU µs/call (that process's CPU per call)
  and "p50 added C" (C minus B) are what any Go HTTP proxy pays here; A CPU
  ÷ C CPU is how many times that the facade spends. C's client speaks A's
  protocol to the proxy (HTTP/1.1, or h2c in the gRPC rows), which forwards
  over HTTP/1.1 like B. n/a with --floor=false.
- Latency is at one connection only; "added" is A minus B.
- upstream conns /1k calls counts TCP connections the facade opened to the
  upstream per 1,000 calls during A phases. Near 0 means it reuses keep-alive
  connections; n/a means it is not known (a real upstream, and a facade
  without facade_upstream_connections_opened_total).
`
