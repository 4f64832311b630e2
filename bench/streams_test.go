package main

import (
	"math"
	"slices"
	"strings"
	"testing"
	"time"
)

// Quick checks of the stream scenarios' pure functions.

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{"512": 512, "64KiB": 64 << 10, "64MiB": 64 << 20, "1GiB": 1 << 30, " 2 MB ": 2 << 20, "3G": 3 << 30, "7B": 7} {
		if got, err := parseSize(in); err != nil || got != want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "x", "-1MiB", "1.5GiB", "MiB"} {
		if _, err := parseSize(bad); err == nil {
			t.Errorf("parseSize(%q) accepted", bad)
		}
	}
	got, err := parseSizes("64MiB, 1GiB,64MiB")
	if err != nil || !slices.Equal(got, []int64{64 << 20, 1 << 30}) {
		t.Errorf("parseSizes = %v, %v", got, err)
	}
	if _, err := parseSizes("0,1MiB"); err == nil {
		t.Error("parseSizes accepted 0")
	}
	for n, want := range map[int64]string{1 << 30: "1 GiB", 64 << 20: "64 MiB", 3 << 10: "3 KiB", 1000: "1000 B", 1<<20 + 1: "1048577 B"} {
		if got := formatSize(n); got != want {
			t.Errorf("formatSize(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestRouteOf(t *testing.T) {
	for _, c := range []struct{ method, path, want string }{
		{"GET", "/api/v4/workflow", routeListTasks},
		{"GET", "/api/v4/workflow/progress/abc", routeGetTaskProgress},
		{"GET", "/api/v4/workflow/progress/", routeOther},
		{"POST", "/api/v4/workflow", routeOther},
		{"GET", "/api/v4/file", routeOther},
	} {
		if got := routeOf(c.method, c.path); got != c.want {
			t.Errorf("routeOf(%s %s) = %s, want %s", c.method, c.path, got, c.want)
		}
	}
}

func TestParseMemStatus(t *testing.T) {
	status := "Name:\tfacade\nVmPeak:\t 900 kB\nVmHWM:\t   2048 kB\nVmRSS:\t   1024 kB\nThreads:\t9\n"
	m, err := parseMemStatus(strings.NewReader(status))
	if err != nil || m.rss != 1<<20 || m.hwm != 2<<20 {
		t.Errorf("parseMemStatus = %+v, %v", m, err)
	}
	if _, err := parseMemStatus(strings.NewReader("Name:\tx\nVmRSS:\t1 kB\n")); err == nil {
		t.Error("no error without VmHWM")
	}
}

func TestCheckSequence(t *testing.T) {
	for _, c := range []struct {
		seqs              []uint64
		missed, duplicate int
	}{
		{nil, 0, 0},
		{[]uint64{4}, 0, 0},
		{[]uint64{3, 4, 5, 6}, 0, 0},
		{[]uint64{3, 5, 6}, 1, 0},
		{[]uint64{1, 2, 2, 3, 7}, 3, 1},
		{[]uint64{5, 3, 6}, 0, 1},
	} {
		m, d := checkSequence(c.seqs)
		if m != c.missed || d != c.duplicate {
			t.Errorf("checkSequence(%v) = %d missed, %d duplicated; want %d, %d", c.seqs, m, d, c.missed, c.duplicate)
		}
	}
}

func TestTransferCells(t *testing.T) {
	rows := []transferRow{
		{direction: "upload", protocol: "grpc h2c", size: 64 << 20, idleRSS: 40 << 20, peakRSS: 100 << 20,
			a: transferTally{count: 2, bytes: 128 << 20, elapsed: time.Second, cpu: time.Second / 8},
			b: transferTally{count: 4, bytes: 256 << 20, elapsed: time.Second}},
		{direction: "upload", protocol: "grpc h2c", size: 1 << 30, failed: "A: boom"},
	}
	cells := transferCells(rows)
	col := func(name string) int { return slices.Index(transferHeader, name) }
	ok := cells[1]
	for name, want := range map[string]string{"size": "64 MiB", "A MB/s": "134", "B MB/s": "268", "A÷B": "0.50",
		"facade CPU s/GiB": "1.00", "idle RSS MiB": "40", "peak RSS MiB (A)": "100", "peak growth MiB": "+60", "transfers A/B/C": "2/4/–"} {
		if got := ok[col(name)]; got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	if bad := cells[2]; bad[col("A÷B")] != failedCell || bad[col("A MB/s")] != "n/a" || bad[col("peak growth MiB")] != "n/a" {
		t.Errorf("failed row: %q", bad)
	}
	panels := transferPanels(rows)
	if len(panels) != 1 || !slices.Equal(panels[0].xs, []string{"64 MiB", "1 GiB"}) {
		t.Errorf("panels = %+v", panels)
	}
	md := sectionMarkdown(section{title: "T", cells: cells, problems: []string{"x"}})
	if !strings.Contains(md, "## T") || !strings.Contains(md, "FAILED") || !strings.Contains(md, "- x") {
		t.Errorf("section:\n%s", md)
	}
}

// floorTransferRows are C measured, C off, C n/a for a reason, and a row
// that failed with C measured.
func floorTransferRows() []transferRow {
	a := transferTally{count: 2, bytes: 128 << 20, elapsed: time.Second, cpu: time.Second / 8}
	b := transferTally{count: 4, bytes: 256 << 20, elapsed: time.Second}
	return []transferRow{
		{direction: "download", protocol: "grpc h2c", size: 64 << 20, a: a, b: b, floorMeasured: true,
			c: transferTally{count: 3, bytes: 192 << 20, elapsed: time.Second, cpu: 375 * time.Millisecond}},
		{direction: "download", protocol: "grpc h2c", size: 1 << 30, a: a, b: b},
		{direction: "download", protocol: "connect+proto http/1.1", size: 64 << 20, a: a, b: b, floorMissing: "it points at s3.example.com"},
		{direction: "download", protocol: "connect+proto http/1.1", size: 1 << 30, a: a, b: b, floorMeasured: true,
			c: transferTally{count: 1, bytes: 1 << 30, elapsed: time.Second}, failed: "C: connection refused"},
	}
}

func TestTransferCellsFloor(t *testing.T) {
	rows := floorTransferRows()
	cells := transferCells(rows)
	col := func(name string) int { return slices.Index(transferHeader, name) }
	for name, want := range map[string]string{"C MB/s": "201", "C÷B": "0.75", "A÷B": "0.50",
		"floor CPU s/GiB": "2.00", "facade CPU s/GiB": "1.00", "transfers A/B/C": "2/4/3"} {
		if got := cells[1][col(name)]; got != want {
			t.Errorf("with C: %s = %q, want %q", name, got, want)
		}
	}
	for i, what := range map[int]string{2: "C off", 3: "C n/a"} {
		for name, want := range map[string]string{"C MB/s": "n/a", "C÷B": "n/a", "floor CPU s/GiB": "n/a", "A÷B": "0.50", "transfers A/B/C": "2/4/–"} {
			if got := cells[i][col(name)]; got != want {
				t.Errorf("%s: %s = %q, want %q", what, name, got, want)
			}
		}
	}
	if failed := cells[4]; failed[col("A÷B")] != failedCell || failed[col("C÷B")] != failedCell {
		t.Errorf("row failed in C: %q", failed)
	}
	if line := transferSummary(rows[0]); !strings.Contains(line, "C 201 MB/s") || !strings.Contains(line, "C÷B 0.75") || !strings.Contains(line, "floor CPU 2.00 s/GiB") {
		t.Errorf("summary line: %s", line)
	}

	panels := transferPanels(rows)
	if len(panels) != 2 || len(panels[0].floor) != 2 || math.IsNaN(panels[0].floor[0]) || !math.IsNaN(panels[0].floor[1]) {
		t.Fatalf("panels: %+v", panels)
	}
	if !math.IsNaN(panels[1].floor[1]) {
		t.Error("the plot draws C of a failed row")
	}
	if svg := throughputSVG(panels); !strings.Contains(svg, floorName) || !strings.Contains(svg, colorFloor) {
		t.Error("the plot does not draw C in the transfer panels")
	}
	if svg := throughputSVG(transferPanels(rows[1:3])); strings.Contains(svg, floorName) {
		t.Error("the plot names C where it did not run")
	}
}

func TestTransferResultFloor(t *testing.T) {
	o := &options{floor: true, rounds: 2, duration: time.Second, uploadMessage: 1 << 20}
	sec := transferResult("download", &streamEnv{o: o}, floorTransferRows()).sections[0]
	md := sectionMarkdown(sec)
	for _, want := range []string{"order ABC, CBA", "| C MB/s |", "C, the floor: B's transfer", "httputil.ReverseProxy",
		"C n/a for download, connect+proto http/1.1, 64 MiB: it points at s3.example.com", "connect+proto http/1.1, 1 GiB: C: connection refused"} {
		if !strings.Contains(md, want) {
			t.Errorf("section lacks %q:\n%s", want, md)
		}
	}
	o.floor = false
	md = sectionMarkdown(transferResult("upload", &streamEnv{o: o}, floorTransferRows()[1:2]).sections[0])
	if !strings.Contains(md, "ABBA order") || !strings.Contains(md, "C, the floor: not measured (--floor=false)") || strings.Contains(md, "ABC") {
		t.Errorf("section with C off:\n%s", md)
	}
}

func TestHeaderFloorTransfers(t *testing.T) {
	for _, c := range []struct {
		args               []string
		settings, floorHas string
	}{
		{[]string{"--scenarios", "download,upload"}, "(order ABC, CBA) for transfers", "httputil.ReverseProxy"},
		{[]string{"--scenarios", "upload", "--floor=false"}, "(ABBA order) for transfers", "not measured (--floor=false)"},
	} {
		o, err := parseOptions(c.args)
		if err != nil {
			t.Fatal(err)
		}
		h := newHeader(o, "/nonexistent", false)
		if !strings.Contains(h.settings, c.settings) || !strings.Contains(h.floor, c.floorHas) {
			t.Errorf("%v: settings %q, floor %q", c.args, h.settings, h.floor)
		}
	}
}
