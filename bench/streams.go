package main

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/cloudreve-connect/facade/sandbox"
)

// A streamScenario measures streams or transfers. Unlike the unary
// scenarios it does not fit "N workers in closed loops": it needs an
// upstream and a facade of its own (a sandbox with its own tick, facade
// flags of its own), so it starts them itself through streamEnv, and it
// reports its own tables (sections) rather than rows of the unary table.
//
// To add one, implement this interface in a file of its own and register it
// from an init function with registerStream. Stream scenarios run only
// when --scenarios names them.
type streamScenario interface {
	name() string
	describe() string
	run(ctx context.Context, e *streamEnv) (streamResult, error)
}

// streamResult is what a stream scenario reports: tables for the report,
// and panels for the plot (if it has any throughput to draw).
type streamResult struct {
	sections []section
	panels   []plotPanel
}

// section is one Markdown section of the report: a table with what is
// needed to read it.
type section struct {
	title    string
	intro    string     // a paragraph before the table
	cells    [][]string // header, then rows
	notes    []string   // bullets after the table
	problems []string   // figures that failed; any makes the run fail
}

// streamEnv is what stream scenarios start their upstream and facade with.
type streamEnv struct {
	o   *options
	bin string // the facade binary
	dir string // scratch space, removed at the end
}

// upstream starts the upstream for one scenario: a sandbox with opts, or
// the --upstream server (opts are then ignored). signIn gets the account's
// token.
func (e *streamEnv) upstream(ctx context.Context, opts sandbox.Options) (*upstream, string, error) {
	var up *upstream
	var err error
	if e.o.upstream != "" {
		up = remoteUpstream(e.o.upstream, e.o.email, e.o.password)
	} else if up, err = startSandbox(opts); err != nil {
		return nil, "", err
	}
	if err := up.ping(ctx); err != nil {
		up.close()
		return nil, "", err
	}
	token, err := up.signIn(ctx)
	if err != nil {
		up.close()
		return nil, "", err
	}
	return up, token, nil
}

// facade starts a facade of its own against up, with fresh state; the
// harness's --facade-args go after extra.
func (e *streamEnv) facade(ctx context.Context, up *upstream, extra ...string) (*facadeProcess, error) {
	dir, err := os.MkdirTemp(e.dir, "facade-")
	if err != nil {
		return nil, err
	}
	progress("starting the facade against %s (%s)", up.url, strings.Join(append(extra, e.o.facadeArgs...), " "))
	return startFacade(ctx, e.bin, up.url, e.o.facadeLog, dir, append(extra, e.o.facadeArgs...)...)
}

// The stream scenarios, in the order they registered.
var streamRegistry []streamScenario

func registerStream(s streamScenario) {
	if lookupStream(s.name()) != nil || lookupScenario(s.name()) != nil {
		registryErr = fmt.Errorf("scenario %q is registered twice", s.name())
		return
	}
	streamRegistry = append(streamRegistry, s)
}

func lookupStream(name string) streamScenario {
	for _, s := range streamRegistry {
		if s.name() == name {
			return s
		}
	}
	return nil
}

func streamNames() []string {
	names := make([]string, len(streamRegistry))
	for i, s := range streamRegistry {
		names[i] = s.name()
	}
	return names
}

// failedCell is what a table shows for a figure that could not be measured.
const failedCell = "FAILED"

// sectionMarkdown renders a section.
func sectionMarkdown(s section) string {
	var b strings.Builder
	fmt.Fprintf(&b, "\n## %s\n\n", s.title)
	if s.intro != "" {
		b.WriteString(s.intro + "\n\n")
	}
	if len(s.cells) > 0 {
		b.WriteString(markdownTable(s.cells))
	}
	if len(s.notes) > 0 {
		b.WriteString("\n")
		for _, n := range s.notes {
			b.WriteString("- " + n + "\n")
		}
	}
	if len(s.problems) > 0 {
		b.WriteString("\nProblems (the figures marked FAILED are not to be trusted):\n\n")
		for _, p := range s.problems {
			b.WriteString("- " + p + "\n")
		}
	}
	return b.String()
}

// sectionText renders a section for the terminal.
func sectionText(s section) string {
	var b strings.Builder
	fmt.Fprintf(&b, "\n%s\n\n", s.title)
	if len(s.cells) > 0 {
		b.WriteString(textTable(s.cells))
	}
	for _, n := range s.notes {
		b.WriteString("  " + n + "\n")
	}
	return b.String()
}
