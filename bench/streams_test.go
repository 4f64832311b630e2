package main

import (
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
		{direction: "upload", protocol: "grpc h2c", size: 64 << 20, countA: 2, countB: 4, bytesA: 128 << 20, bytesB: 256 << 20,
			elapsedA: time.Second, elapsedB: time.Second, cpuA: time.Second / 8, idleRSS: 40 << 20, peakRSS: 100 << 20},
		{direction: "upload", protocol: "grpc h2c", size: 1 << 30, failed: "A: boom"},
	}
	cells := transferCells(rows)
	col := func(name string) int { return slices.Index(transferHeader, name) }
	ok := cells[1]
	for name, want := range map[string]string{"size": "64 MiB", "A MB/s": "134", "B MB/s": "268", "A÷B": "0.50",
		"facade CPU s/GiB": "1.00", "idle RSS MiB": "40", "peak RSS MiB (A)": "100", "peak growth MiB": "+60", "transfers A/B": "2/4"} {
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
