package main

import (
	"context"
	"fmt"
	"sync"
)

// uploadScenario: FileService/UploadFile (a client stream: the header, then
// --upload-message slices) against a chunked REST upload: PUT /file/upload
// for a session, then POST /file/upload/{session}/{index} per chunk of the
// session's chunk size.
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
			r, err := t.measure(ctx, transferRow{direction: "upload", protocol: proto.name, size: size}, sides)
			closeClient()
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
	c := transferCells([]transferRow{r})[1]
	return fmt.Sprintf("A %s MB/s  B %s MB/s  A÷B %s  CPU %s s/GiB  peak RSS %s MiB (%s)", c[3], c[4], c[5], c[6], c[8], c[9])
}

// transferResult is the section and the plot panels of a transfer scenario.
func transferResult(name string, e *streamEnv, rows []transferRow) streamResult {
	sec := section{
		title: "Transfers: " + name,
		intro: fmt.Sprintf("Throughput in MB/s (10^6 bytes/s) of whole-file %ss, facade (A) against direct REST (B) over keep-alive HTTP/1.1; "+
			"%d rounds in ABBA order, each phase repeating transfers for at least %s (one at least). "+
			"A uses the binary protobuf codec: gRPC over h2c (HTTP/2 without TLS, one connection) and the Connect protocol over HTTP/1.1 (one connection). "+
			"Upstream: %s.", name, e.o.rounds, e.o.duration, upstreamLabel(e.o)),
		cells: transferCells(rows),
		notes: []string{
			"facade CPU s/GiB: the facade process's CPU time (user + system, /proc/<pid>/stat) over the A phases, per GiB moved.",
			"idle RSS: the facade's VmRSS before the case; peak RSS: the highest VmHWM (reset before each A phase through /proc/<pid>/clear_refs) or sampled VmRSS (every 20 ms) during the A phases; growth is peak − idle. The Go heap is not returned to the system at once, so a case's idle RSS includes what earlier cases left.",
			"Files uploaded in a phase are deleted for good (skip_soft_delete) after it, so the upstream's storage (the sandbox's memory) does not pile up.",
		},
	}
	if name == "upload" {
		sec.notes = append(sec.notes, fmt.Sprintf("A sends %s of content per UploadFile message (--upload-message); B sends each chunk as one POST of the session's chunk size.", formatSize(e.o.uploadMessage)))
	}
	for _, r := range rows {
		if r.failed != "" {
			sec.problems = append(sec.problems, fmt.Sprintf("%s, %s, %s: %s", r.direction, r.protocol, formatSize(r.size), r.failed))
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
