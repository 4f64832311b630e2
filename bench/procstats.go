package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// clockTicksPerSecond is USER_HZ, the unit of utime and stime in
// /proc/<pid>/stat; Linux fixes it at 100 for user space on every
// architecture Go supports. CPU time is therefore read in 10 ms steps,
// which is fine over phases of a second or more.
const clockTicksPerSecond = 100

// processCPU is the CPU time (user + system, all threads) a process used so
// far, from /proc/<pid>/stat.
func processCPU(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, fmt.Errorf("CPU time: %w", err) // of the facade or the floor proxy
	}
	return parseStatCPU(string(b))
}

// parseStatCPU reads utime and stime (fields 14 and 15) of a
// /proc/<pid>/stat line. The command name (field 2) may hold spaces and
// parentheses, so fields are counted from its closing parenthesis.
func parseStatCPU(stat string) (time.Duration, error) {
	i := strings.LastIndexByte(stat, ')')
	if i < 0 {
		return 0, fmt.Errorf("unexpected /proc stat line %.80q", stat)
	}
	fields := strings.Fields(stat[i+1:]) // fields[0] is field 3, the state
	if len(fields) < 13 {
		return 0, fmt.Errorf("unexpected /proc stat line %.80q", stat)
	}
	var ticks int64
	for _, f := range fields[11:13] {
		n, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("unexpected /proc stat field %q", f)
		}
		ticks += n
	}
	return time.Duration(ticks) * time.Second / clockTicksPerSecond, nil
}

// metricsScraper reads counters from the facade's Prometheus endpoint.
type metricsScraper struct {
	url    string
	client *http.Client
	count  atomic.Int64 // scrapes so far
}

func newMetricsScraper(url string) *metricsScraper {
	return &metricsScraper{url: url, client: &http.Client{Timeout: 10 * time.Second}}
}

// scrape returns the value of each named metric, summed over its label
// sets; names the endpoint does not expose are absent from the map.
func (m *metricsScraper) scrape(ctx context.Context, names ...string) (map[string]float64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, m.url, nil)
	if err != nil {
		return nil, err
	}
	// The plain text format, which parseMetrics reads.
	req.Header.Set("Accept", "text/plain;version=0.0.4")
	m.count.Add(1)
	resp, err := m.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("facade metrics: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("facade metrics: HTTP %d", resp.StatusCode)
	}
	return parseMetrics(resp.Body, names...)
}

// parseMetrics reads the Prometheus text format and sums the samples of the
// named metrics.
func parseMetrics(r io.Reader, names ...string) (map[string]float64, error) {
	want := map[string]bool{}
	for _, n := range names {
		want[n] = true
	}
	out := map[string]float64{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		name, rest, _ := strings.Cut(line, " ")
		if j := strings.IndexByte(name, '{'); j >= 0 {
			name = line[:j]
			k := strings.LastIndexByte(line, '}')
			if k < 0 {
				return nil, fmt.Errorf("facade metrics: unreadable line %.80q", line)
			}
			rest = line[k+1:]
		}
		if !want[name] {
			continue
		}
		fields := strings.Fields(rest) // value, then an optional timestamp
		if len(fields) == 0 {
			return nil, fmt.Errorf("facade metrics: no value in %.80q", line)
		}
		v, err := strconv.ParseFloat(fields[0], 64)
		if err != nil {
			return nil, fmt.Errorf("facade metrics: value of %.80q: %w", line, err)
		}
		out[name] += v
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("facade metrics: %w", err)
	}
	return out, nil
}
