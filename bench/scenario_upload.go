package main

import (
	"context"
	"fmt"
	"slices"
	"sync"
)

// uploadScenario: FileService/UploadFile (a client stream: the header, then
// --upload-message slices) against a chunked REST upload: PUT /file/upload
// for a session, then POST /file/upload/{session}/{index} per chunk of the
// session's chunk size; C sends all of those to the floor proxy.
type uploadScenario struct{}

func init() { registerStream(uploadScenario{}) }

func (uploadScenario) name() string { return "upload" }
func (uploadScenario) describe() string {
	return "FileService/UploadFile (client stream, binary protobuf) vs PUT /api/v4/file/upload + POST /api/v4/file/upload/{session}/{index} per chunk"
}

func (s uploadScenario) run(ctx context.Context, e *streamEnv) (streamResult, error) {
	t, err := startTransferRun(ctx, e, s.name())
	if err != nil {
		return streamResult{}, err
	}
	defer t.close()
	var rows []transferRow
	for _, size := range e.o.transferSizes {
		for p, proto := range transferProtocols {
			progress("upload · %s · %s", proto.name, formatSize(size))
			client, closeClient := t.fileClient(p)
			var mu sync.Mutex
			var created []string
			note := func(uri string) {
				mu.Lock()
				created = append(created, uri)
				mu.Unlock()
			}
			sides := transferSides{
				facade: func(ctx context.Context, n int) error {
					uri := t.uri("a", n)
					note(uri)
					return uploadViaFacade(ctx, client, uri, size, e.o.uploadMessage, e.o.skipSHA256)
				},
				direct: func(ctx context.Context, n int) error {
					uri := t.uri("b", n)
					note(uri)
					return t.rest.upload(ctx, uri, size, newPattern(size))
				},
				afterPhase: func(ctx context.Context) error {
					mu.Lock()
					uris := created
					created = nil
					mu.Unlock()
					return t.rest.remove(ctx, uris...)
				},
			}
			floor := t.floorClient(p)
			if floor != nil {
				sides.floor = func(ctx context.Context, n int) error {
					uri := t.uri("c", n)
					note(uri)
					return floor.upload(ctx, uri, size, newPattern(size))
				}
			}
			r, err := t.measure(ctx, transferRow{direction: "upload", protocol: proto.name, size: size}, sides)
			closeClient()
			if floor != nil {
				floor.close()
			}
			rows = append(rows, r)
			progress("  %s", transferSummary(r))
			if err != nil {
				return transferResult(s.name(), e, rows), err
			}
		}
	}
	return transferResult(s.name(), e, rows), nil
}

func transferSummary(r transferRow) string {
	if r.failed != "" {
		return "FAILED: " + r.failed
	}
	cells := transferCells([]transferRow{r})[1]
	c := func(column string) string { return cells[slices.Index(transferHeader, column)] }
	return fmt.Sprintf("A %s MB/s  B %s MB/s  C %s MB/s  A÷B %s  C÷B %s  CPU %s s/GiB  floor CPU %s s/GiB  peak RSS %s MiB (%s)",
		c("A MB/s"), c("B MB/s"), c("C MB/s"), c("A÷B"), c("C÷B"), c("facade CPU s/GiB"), c("floor CPU s/GiB"),
		c("peak RSS MiB (A)"), c("peak growth MiB"))
}

// transferResult is the section and the plot panels of a transfer scenario.
func transferResult(name string, e *streamEnv, rows []transferRow) streamResult {
	sides, order := "facade (A) against direct REST (B) over keep-alive HTTP/1.1", "ABBA order"
	if e.o.floor {
		sides, order = sides+" and B through a bare proxy (C, the floor)", "order ABC, CBA"
	}
	sec := section{
		title: "Transfers: " + name,
		intro: fmt.Sprintf("Throughput in MB/s (10^6 bytes/s) of whole-file %ss, %s; "+
			"%d rounds in %s, each phase repeating transfers for at least %s (one at least). "+
			"A uses the binary protobuf codec: gRPC over h2c (HTTP/2 without TLS, one connection) and the Connect protocol over HTTP/1.1 (one connection). "+
			"Upstream: %s.", name, sides, e.o.rounds, order, e.o.duration, upstreamLabel(e.o)),
		cells: transferCells(rows),
		notes: []string{
			"facade CPU s/GiB: the facade process's CPU time (user + system, /proc/<pid>/stat) over the A phases, per GiB moved.",
			"idle RSS: the facade's VmRSS before the case; peak RSS: the highest VmHWM (reset before each A phase through /proc/<pid>/clear_refs) or sampled VmRSS (every 20 ms) during the A phases; growth is peak − idle. The Go heap is not returned to the system at once, so a case's idle RSS includes what earlier cases left.",
			"Files uploaded in a phase are deleted for good (skip_soft_delete) after it, so the upstream's storage (the sandbox's memory) does not pile up; with the sandbox, the memory they held is returned before the next phase, so no side pays for the last one's garbage.",
		},
	}
	if e.o.floor {
		sec.notes = append(sec.notes, "C, the floor: B's transfer with every request sent to a bare net/http reverse proxy (httputil.ReverseProxy, streaming, with the facade's default HTTP/2 receive windows, "+
			"in a process of its own) that forwards over keep-alive HTTP/1.1; C's client speaks A's protocol to it (HTTP/1.1, or h2c in the gRPC rows). "+
			"C÷B is what any Go proxy keeps of direct throughput on this machine; floor CPU s/GiB is that process's CPU time over the C phases, per GiB.")
		if e.o.floorSHA256 {
			sec.notes = append(sec.notes, "--floor-sha256: C's proxy also computes the SHA-256 of every body it forwards, as it copies it, so C is the floor of a proxy that checksums the content as the facade does unless skip_sha256 is set.")
		}
	} else {
		sec.notes = append(sec.notes, "C, the floor: not measured (--floor=false).")
	}
	switch name {
	case "upload":
		sec.notes = append(sec.notes, fmt.Sprintf("A sends %s of content per UploadFile message (--upload-message); B (and C) sends each chunk as one POST of the session's chunk size.", formatSize(e.o.uploadMessage)))
	case "download":
		if e.o.floor {
			sec.notes = append(sec.notes, "C asks the proxy for the download URL and GETs it there: a URL of the upstream's host is rewritten to the proxy's; one elsewhere (a storage provider) leaves C n/a.")
		}
	}
	for _, r := range rows {
		where := fmt.Sprintf("%s, %s, %s", r.direction, r.protocol, formatSize(r.size))
		if r.floorMissing != "" {
			sec.notes = append(sec.notes, fmt.Sprintf("C n/a for %s: %s.", where, r.floorMissing))
		}
		if r.failed != "" {
			sec.problems = append(sec.problems, where+": "+r.failed)
		}
	}
	return streamResult{sections: []section{sec}, panels: transferPanels(rows)}
}

func upstreamLabel(o *options) string {
	if o.upstream != "" {
		return o.upstream
	}
	return "in-process sandbox on loopback (content kept in memory), chunk size 25 MiB"
}
