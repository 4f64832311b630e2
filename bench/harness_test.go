package main

import (
	"encoding/xml"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
	"time"
)

// Quick checks of the harness's pure functions; they run with go test ./...

func TestPercentile(t *testing.T) {
	var samples []time.Duration
	for i := 1; i <= 200; i++ {
		samples = append(samples, time.Duration(i)*time.Microsecond)
	}
	for _, c := range []struct {
		p    float64
		want time.Duration
	}{{50, 100 * time.Microsecond}, {99, 198 * time.Microsecond}, {100, 200 * time.Microsecond}, {0.1, time.Microsecond}} {
		if got := percentile(samples, c.p); got != c.want {
			t.Errorf("p%v = %v, want %v", c.p, got, c.want)
		}
	}
	if got := percentile(nil, 50); got != 0 {
		t.Errorf("p50 of nothing = %v", got)
	}
	if got := summarize([]time.Duration{3, 1, 2}); got.p50 != 2 || got.p99 != 3 {
		t.Errorf("summarize = %+v", got)
	}
}

func TestParseStatCPU(t *testing.T) {
	// The command name may hold spaces and parentheses.
	line := "1234 (fa ce) de) S 1 1234 1234 0 -1 4194560 100 0 0 0 250 37 0 0 20 0 9 0 100 0 0"
	got, err := parseStatCPU(line)
	if err != nil || got != 2870*time.Millisecond {
		t.Fatalf("parseStatCPU = %v, %v; want 2.87s", got, err)
	}
	if _, err := parseStatCPU("garbage"); err == nil {
		t.Error("no error for a garbage line")
	}
}

func TestParseMetrics(t *testing.T) {
	text := `# HELP go_memstats_mallocs_total Total number of heap objects allocated.
# TYPE go_memstats_mallocs_total counter
go_memstats_mallocs_total 1.5e+06
facade_upstream_connections_opened_total{host="a b"} 3
facade_upstream_connections_opened_total{host="c"} 4 1700000000000
process_cpu_seconds_total 2.5
`
	got, err := parseMetrics(strings.NewReader(text), metricMallocs, metricUpstreamOpened, "absent_total")
	if err != nil {
		t.Fatal(err)
	}
	if got[metricMallocs] != 1.5e6 || got[metricUpstreamOpened] != 7 {
		t.Errorf("parseMetrics = %v", got)
	}
	if _, ok := got["absent_total"]; ok {
		t.Error("an absent metric is in the result")
	}
	if _, ok := got["process_cpu_seconds_total"]; ok {
		t.Error("a metric not asked for is in the result")
	}
}

func TestParseConns(t *testing.T) {
	got, err := parseConns("1, 16,64,16")
	if err != nil || !slices.Equal(got, []int{1, 16, 64}) {
		t.Errorf("parseConns = %v, %v", got, err)
	}
	for _, bad := range []string{"", "0", "-1", "x", "1,,2"} {
		if _, err := parseConns(bad); err == nil {
			t.Errorf("parseConns(%q) accepted", bad)
		}
	}
}

func sampleRows() []row {
	return []row{
		{scenario: "ping", protocol: "grpc h2c", conns: 1, a: callTally{calls: 1000, elapsed: time.Second, latency: latencySummary{p50: 900 * time.Microsecond, p99: 2 * time.Millisecond}}, b: callTally{calls: 4000, elapsed: time.Second, latency: latencySummary{p50: 100 * time.Microsecond, p99: time.Millisecond}},
			cpuA: 200 * time.Millisecond, mallocsA: 250000, upstreamOpenedA: 2, upstreamOpenedKnown: true},
		{scenario: "ping", protocol: "grpc h2c", conns: 16, a: callTally{calls: 3000, elapsed: time.Second, errors: 2}, b: callTally{calls: 12000, elapsed: time.Second}, firstErr: "A: boom"},
		{scenario: "ping", protocol: "grpc h2c", conns: 64, failed: "A: the facade exited"},
	}
}

func TestTableCells(t *testing.T) {
	cells := tableCells(sampleRows())
	if len(cells) != 4 {
		t.Fatalf("%d lines", len(cells))
	}
	col := func(name string) int { return slices.Index(tableHeader, name) }
	ok := cells[1]
	for name, want := range map[string]string{
		"A req/s": "1000", "B req/s": "4000", "A÷B": "0.25", "facade CPU µs/call": "200.0", "allocs/call": "250",
		"p50 added": "+800 µs", "p99 added": "+1000 µs", "upstream conns /1k calls": "2.0", "errors": "0",
	} {
		if got := ok[col(name)]; got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	withErrors := cells[2]
	if withErrors[col("A÷B")] != "FAILED" || withErrors[col("errors")] != "2" || withErrors[col("p50 A")] != "—" {
		t.Errorf("row with errors: %q", withErrors)
	}
	if withErrors[col("upstream conns /1k calls")] != "n/a" {
		t.Errorf("unknown connection count shows %q", withErrors[col("upstream conns /1k calls")])
	}
	if notRun := cells[3]; notRun[col("errors")] != "not run" || notRun[col("A req/s")] != "n/a" {
		t.Errorf("row not measured: %q", notRun)
	}
	if ps := problems(sampleRows()); len(ps) != 2 || !strings.Contains(ps[0], "boom") || !strings.Contains(ps[1], "exited") {
		t.Errorf("problems = %q", ps)
	}
}

func TestTables(t *testing.T) {
	cells := tableCells(sampleRows())
	md := markdownTable(cells)
	lines := strings.Split(strings.TrimSpace(md), "\n")
	if len(lines) != 5 || !strings.HasPrefix(lines[1], "|---|---|--:") {
		t.Errorf("markdown:\n%s", md)
	}
	for _, l := range lines {
		if strings.Count(l, "|") != len(tableHeader)+1 {
			t.Errorf("markdown line with a wrong number of cells: %s", l)
		}
	}
	text := strings.Split(strings.TrimRight(textTable(cells), "\n"), "\n")
	if len(text) != 5 {
		t.Fatalf("text table:\n%s", strings.Join(text, "\n"))
	}
	for _, l := range text[1:] {
		if runeLen(l) != runeLen(text[0]) && runeLen(strings.TrimRight(l, " ")) > runeLen(text[0]) {
			t.Errorf("text table line wider than the header: %q", l)
		}
	}
}

func TestThroughputSVG(t *testing.T) {
	rows := append(sampleRows(),
		row{scenario: "listtasks", protocol: "connect+json http/1.1", conns: 1, a: callTally{calls: 10, elapsed: time.Second}, b: callTally{calls: 20, elapsed: time.Second}},
		row{scenario: "listtasks", protocol: "connect+json http/1.1", conns: 16, a: callTally{calls: 30, elapsed: time.Second}, b: callTally{calls: 60, elapsed: time.Second}})
	svg := throughputSVG(plotPanels(rows))
	dec := xml.NewDecoder(strings.NewReader(svg))
	for {
		_, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, svg)
		}
	}
	for _, want := range []string{"ping · grpc h2c", "listtasks · connect+json http/1.1", "facade (A)", "<polyline"} {
		if !strings.Contains(svg, want) {
			t.Errorf("SVG lacks %q", want)
		}
	}
	if strings.Contains(svg, "NaN") {
		t.Error("SVG has NaN coordinates")
	}
}

func TestNiceCeiling(t *testing.T) {
	for v, want := range map[float64]float64{0: 1, 7: 10, 1200: 2000, 2100: 2500, 2600: 5000, 30000: 50000, 50000: 50000} {
		if got := niceCeiling(v); got != want {
			t.Errorf("niceCeiling(%v) = %v, want %v", v, got, want)
		}
	}
}

// floorRows are C measured at one connection, C off, and C with errors.
func floorRows() []row {
	return []row{
		{scenario: "ping", protocol: "grpc h2c", conns: 1, floorMeasured: true,
			a: callTally{calls: 1000, elapsed: time.Second, latency: latencySummary{p50: 900 * time.Microsecond}}, b: callTally{calls: 4000, elapsed: time.Second, latency: latencySummary{p50: 100 * time.Microsecond}}, c: callTally{calls: 3000, elapsed: time.Second, latency: latencySummary{p50: 150 * time.Microsecond}},
			cpuA: 200 * time.Millisecond, cpuC: 150 * time.Millisecond, mallocsA: 250000},
		{scenario: "ping", protocol: "grpc h2c", conns: 1,
			a: callTally{calls: 1000, elapsed: time.Second}, b: callTally{calls: 4000, elapsed: time.Second}, cpuA: 200 * time.Millisecond},
		{scenario: "ping", protocol: "grpc h2c", conns: 16, floorMeasured: true,
			a: callTally{calls: 1000, elapsed: time.Second}, b: callTally{calls: 4000, elapsed: time.Second}, c: callTally{calls: 3000, elapsed: time.Second, errors: 3}, firstErr: "C: connection refused"},
	}
}

func TestTableCellsFloor(t *testing.T) {
	cells := tableCells(floorRows())
	col := func(name string) int { return slices.Index(tableHeader, name) }
	for name, want := range map[string]string{
		"C req/s": "3000", "C÷B": "0.75", "A÷B": "0.25", "facade CPU µs/call": "200.0", "floor CPU µs/call": "50.0",
		"A CPU ÷ C CPU": "4.00", "p50 added": "+800 µs", "p50 added C": "+50 µs", "errors": "0",
	} {
		if got := cells[1][col(name)]; got != want {
			t.Errorf("with C: %s = %q, want %q", name, got, want)
		}
	}
	for name, want := range map[string]string{
		"C req/s": "n/a", "C÷B": "n/a", "floor CPU µs/call": "n/a", "A CPU ÷ C CPU": "n/a", "p50 added C": "n/a",
		"A÷B": "0.25", "facade CPU µs/call": "200.0",
	} {
		if got := cells[2][col(name)]; got != want {
			t.Errorf("C off: %s = %q, want %q", name, got, want)
		}
	}
	withErrors := cells[3]
	if withErrors[col("A÷B")] != "FAILED" || withErrors[col("C÷B")] != "FAILED" || withErrors[col("errors")] != "3" {
		t.Errorf("errors in C only: %q", withErrors)
	}
	if ps := problems(floorRows()); len(ps) != 1 || !strings.Contains(ps[0], "3 in C") || !strings.Contains(ps[0], "refused") {
		t.Errorf("problems = %q", ps)
	}
	if line := summaryLine(floorRows()[0]); !strings.Contains(line, "C 3000/s") || !strings.Contains(line, "C÷B 0.75") || !strings.Contains(line, "floor CPU 50.0 µs/call") {
		t.Errorf("summary line: %s", line)
	}
}

func TestReportFloor(t *testing.T) {
	on, err := parseOptions([]string{"--scenarios", "ping"})
	if err != nil || !on.floor {
		t.Fatalf("--floor is not on by default: %+v, %v", on, err)
	}
	off, err := parseOptions([]string{"--scenarios", "ping", "--floor=false"})
	if err != nil || off.floor {
		t.Fatalf("--floor=false: %+v, %v", off, err)
	}
	hOn, hOff := newHeader(on, "/nonexistent", false), newHeader(off, "/nonexistent", false)
	if !strings.Contains(hOn.settings, "ABC, CBA") || !strings.Contains(hOff.settings, "ABBA") {
		t.Errorf("settings: %q; %q", hOn.settings, hOff.settings)
	}
	md := markdownReport(report{header: hOn, rows: floorRows()}, "")
	for _, want := range []string{"- Floor (C): ", "httputil.ReverseProxy", "what any Go proxy pays on this machine", "| C req/s |", "| 3000 |"} {
		if !strings.Contains(md, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if md := markdownReport(report{header: hOff, rows: floorRows()[1:2]}, ""); !strings.Contains(md, "- Floor (C): not measured (--floor=false)") {
		t.Errorf("report with C off:\n%s", md)
	}
	streamsOnly, err := parseOptions([]string{"--scenarios", "watch"})
	if err != nil {
		t.Fatal(err)
	}
	if md := markdownReport(report{header: newHeader(streamsOnly, "/nonexistent", false)}, ""); strings.Contains(md, "Floor (C)") {
		t.Errorf("a run without unary scenarios describes C:\n%s", md)
	}
}

func TestThroughputSVGFloor(t *testing.T) {
	if svg := throughputSVG(plotPanels(floorRows())); !strings.Contains(svg, floorName) || !strings.Contains(svg, colorFloor) {
		t.Error("the plot does not draw C")
	}
	if svg := throughputSVG(plotPanels(floorRows()[1:2])); strings.Contains(svg, floorName) || strings.Contains(svg, colorFloor) {
		t.Error("the plot names C where it was off")
	}
}

func TestRoundOrder(t *testing.T) {
	sides := []string{"A", "B", "C"}
	for round, want := range [][]string{{"A", "B", "C"}, {"C", "B", "A"}, {"A", "B", "C"}} {
		if got := roundOrder(sides, round); !slices.Equal(got, want) {
			t.Errorf("round %d: %v, want %v", round, got, want)
		}
	}
	if !slices.Equal(sides, []string{"A", "B", "C"}) {
		t.Errorf("roundOrder changed its argument: %v", sides)
	}
}
