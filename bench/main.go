// Command bench measures the facade against direct REST calls to the same
// Cloudreve server, side by side: every case alternates phases through the
// facade (A) and straight to the upstream (B) in one run, because on a small,
// noisy machine only such a comparison means anything.
//
//	go run ./bench                         # sandbox upstream, all scenarios
//	go run ./bench --duration 1s --conns 1,16
//	go run ./bench --facade-bin /tmp/facade-old --out /tmp/old.md
//	go run ./bench --upstream http://127.0.0.1:5212 --email E --password P
//
// Layout: options.go (flags), scenario.go (the scenario interface and
// registry), scenario_unary.go (Ping, ListTasks), clients.go (HTTP/1.1, h2c,
// REST), floor.go (the bare proxy C), load.go (closed-loop load),
// measure.go (the rounds of A, B and C), row.go (a case's figures),
// procstats.go (facade CPU and /metrics), facade.go (building and running
// the binary), upstream.go (sandbox or real server), report.go (tables),
// plot.go (SVG), stats.go (percentiles).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"

	"github.com/cloudreve-connect/facade/sandbox"
)

func main() {
	// Checked before the flags: the floor proxy is this binary run again.
	if asked, err := serveFloorProxyIfAsked(); asked {
		fmt.Fprintln(os.Stderr, "bench floor proxy:", err)
		os.Exit(1)
	}
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if registryErr != nil {
		return registryErr
	}
	o, err := parseOptions(args)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	if o.listOnly {
		for _, s := range registry {
			fmt.Printf("%-12s %s\n", s.name(), s.describe())
		}
		for _, s := range streamRegistry {
			fmt.Printf("%-12s %s (only when named)\n", s.name(), s.describe())
		}
		return nil
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	dir, err := os.MkdirTemp("", "facade-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)

	bin, built := o.facadeBin, false
	if bin == "" {
		progress("building ./cmd/facade")
		if bin, err = buildFacade(ctx, dir); err != nil {
			return err
		}
		built = true
	} else if _, err := os.Stat(bin); err != nil {
		return fmt.Errorf("--facade-bin: %w", err)
	}

	var rep report
	rep.header = newHeader(o, bin, built)
	if names := unaryOnly(o.scenarios); len(names) > 0 {
		if err := runUnary(ctx, o, bin, dir, names, &rep); err != nil {
			return err
		}
	}
	e := &streamEnv{o: o, bin: bin, dir: dir}
	for _, name := range o.scenarios {
		s := lookupStream(name)
		if s == nil {
			continue
		}
		rep.descriptions = append(rep.descriptions, s.name()+": "+s.describe())
		progress("%s", s.name())
		res, err := s.run(ctx, e)
		if err != nil {
			res.sections = append(res.sections, section{title: s.name(), problems: []string{"not measured: " + clip(err.Error())}})
		}
		for _, sec := range res.sections {
			fmt.Print(sectionText(sec))
		}
		rep.sections = append(rep.sections, res.sections...)
		rep.panels = append(rep.panels, res.panels...)
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}

	if err := writeReport(o.out, rep); err != nil {
		return err
	}
	if len(rep.rows) > 0 {
		fmt.Print(textTable(tableCells(rep.rows)))
	}
	if ps := rep.problems(); len(ps) > 0 {
		fmt.Println("\nProblems:")
		for _, p := range ps {
			fmt.Println("  " + p)
		}
		return fmt.Errorf("%d figures or cases failed (see Problems); report written to %s", len(ps), o.out)
	}
	fmt.Printf("\nreport: %s\n", o.out)
	return nil
}

// runUnary measures the unary scenarios against one upstream and one facade.
func runUnary(ctx context.Context, o *options, bin, dir string, names []string, rep *report) error {
	up, err := openUpstream(o)
	if err != nil {
		return err
	}
	defer up.close()
	if err := up.ping(ctx); err != nil {
		return err
	}
	token, err := up.signIn(ctx)
	if err != nil {
		return err
	}
	rep.header.upstream = up.describe()

	progress("starting the facade against %s", up.url)
	f, err := startFacade(ctx, bin, up.url, o.facadeLog, dir, o.facadeArgs...)
	if err != nil {
		return err
	}
	defer f.stop()
	m := &meter{facade: f, scraper: newMetricsScraper(f.metricsURL), up: up}
	e := &env{facadeURL: f.url, upstreamURL: up.url, token: token, callTimeout: o.callTimeout}
	if o.floor {
		progress("starting the floor proxy against %s", up.url)
		floor, err := startFloor(ctx, up.url, slices.Max(o.conns), dir, false)
		if err != nil {
			return err
		}
		defer floor.stop()
		m.floor, e.floorURL = floor, floor.url
	}
	if err := m.calibrate(ctx); err != nil {
		return err
	}

	for _, name := range names {
		s := lookupScenario(name)
		rep.descriptions = append(rep.descriptions, s.name()+": "+s.describe())
		cases, err := s.cases(e)
		if err != nil {
			return fmt.Errorf("scenario %s: %w", name, err)
		}
		for _, c := range cases {
			for _, conns := range o.conns {
				progress("%s · %s · %d conns", c.scenario, c.protocol, conns)
				r, err := measureCase(ctx, m, c, conns, o)
				rep.rows = append(rep.rows, r)
				if err != nil {
					fmt.Print(textTable(tableCells(rep.rows)))
					return fmt.Errorf("stopped, no report written: %w", err)
				}
				progress("  %s", summaryLine(r))
			}
		}
	}
	return nil
}

func openUpstream(o *options) (*upstream, error) {
	if o.upstream != "" {
		return remoteUpstream(o.upstream, o.email, o.password), nil
	}
	return startSandbox(sandbox.Options{})
}

// writeReport writes the Markdown report and the SVG plot next to it.
func writeReport(out string, rep report) error {
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return err
	}
	svg := ""
	if panels := rep.allPanels(); len(panels) > 0 {
		svg = plotPath(out)
		if err := os.WriteFile(svg, []byte(throughputSVG(panels)), 0o644); err != nil {
			return err
		}
		svg = filepath.Base(svg)
	}
	return os.WriteFile(out, []byte(markdownReport(rep, svg)), 0o644)
}

func plotPath(markdown string) string {
	return strings.TrimSuffix(markdown, filepath.Ext(markdown)) + ".svg"
}

func summaryLine(r row) string {
	if r.failed != "" {
		return "not measured: " + r.failed
	}
	cells := tableCells([]row{r})[1]
	c := func(column string) string { return cells[slices.Index(tableHeader, column)] }
	return fmt.Sprintf("A %s/s  B %s/s  C %s/s  A÷B %s  C÷B %s  CPU %s µs/call  floor CPU %s µs/call  allocs %s/call  upstream conns/1k %s  errors %s",
		c("A req/s"), c("B req/s"), c("C req/s"), c("A÷B"), c("C÷B"), c("facade CPU µs/call"), c("floor CPU µs/call"),
		c("allocs/call"), c("upstream conns /1k calls"), c("errors"))
}

// progress reports on stderr, so stdout holds only the table.
func progress(format string, args ...any) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
}
