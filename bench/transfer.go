package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"connectrpc.com/connect/v2"
	"connectrpc.com/connect/v2/connecthttp"

	filev1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/file/v1"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/file/v1/filev1connect"
	"github.com/cloudreve-connect/facade/sandbox"
)

// The transfer scenarios (upload, download) share this machinery: for each
// file size and protocol, rounds that alternate a phase of transfers through
// the facade (A) with a phase of the same transfers done with REST calls
// (B) and, unless --floor=false, a phase of B's transfers through the floor
// proxy (C, transfer_floor.go), in the order ABC, CBA (ABBA without C). A
// phase repeats whole transfers until --duration has passed (at least one).
// During A phases the facade's CPU time and peak resident memory are read,
// during C phases the floor proxy's CPU time.

// transferProtocols are the ways A travels, both with the binary protobuf
// codec (connect-go's default).
var transferProtocols = []struct {
	name      string
	transport func() *http.Transport
	options   []connecthttp.Option
}{
	{"grpc h2c", h2cTransport, []connecthttp.Option{connecthttp.WithGRPC()}},
	{"connect+proto http/1.1", http1Transport, nil},
}

// transferTimeout bounds one transfer.
const transferTimeout = 10 * time.Minute

// transferSides are the ways one transfer is done. Each moves one whole
// file: n numbers the transfer within the case, so uploads get fresh names.
type transferSides struct {
	facade, direct func(ctx context.Context, n int) error
	// floor is direct's transfer through the floor proxy; nil when C does
	// not run.
	floor func(ctx context.Context, n int) error
	// afterPhase removes what a phase created (uploads); may be nil.
	afterPhase func(ctx context.Context) error
}

// transferRun is one scenario's upstream, facade, floor proxy and clients.
type transferRun struct {
	e      *streamEnv
	up     *upstream
	f      *facadeProcess
	floor  *floorProcess // nil with --floor=false
	rest   *restClient
	token  string
	prefix string // of the URIs the scenario creates
}

func startTransferRun(ctx context.Context, e *streamEnv, name string) (*transferRun, error) {
	up, token, err := e.upstream(ctx, sandbox.Options{})
	if err != nil {
		return nil, err
	}
	var extra []string
	if e.o.profileDir != "" {
		extra = append(extra, "--pprof")
	}
	f, err := e.facade(ctx, up, extra...)
	if err != nil {
		up.close()
		return nil, err
	}
	t := &transferRun{e: e, up: up, f: f, token: token, rest: newRESTClient(up.url, token),
		prefix: fmt.Sprintf("cloudreve://my/facade-bench-%s-%d", name, time.Now().UnixNano())}
	if e.o.floor {
		if t.floor, err = e.floorProxy(ctx, up); err != nil {
			t.close()
			return nil, err
		}
	}
	return t, nil
}

func (t *transferRun) close() {
	t.rest.close()
	if t.floor != nil {
		t.floor.stop()
	}
	t.f.stop()
	t.up.close()
}

// alive reports the first of the facade and the floor proxy that exited.
func (t *transferRun) alive() error {
	if err := t.f.alive(); err != nil {
		return err
	}
	if t.floor != nil {
		return t.floor.alive()
	}
	return nil
}

func (t *transferRun) uri(side string, n int) string {
	return fmt.Sprintf("%s-%s-%d.bin", t.prefix, side, n)
}

// fileClient is A's client over one connection of the protocol.
func (t *transferRun) fileClient(p int) (filev1connect.FileServiceClient, func()) {
	tr := transferProtocols[p].transport()
	transport := connecthttp.NewTransport(&http.Client{Transport: tr}, t.f.url, transferProtocols[p].options...)
	return filev1connect.NewFileServiceClient(connect.NewClient(transport, bearer(t.token))), tr.CloseIdleConnections
}

// transferSide is one side of a case, named as the report names it.
type transferSide struct {
	name string
	do   func(ctx context.Context, n int) error
}

// measure runs one case's rounds, ABC then CBA (ABBA without C). The row
// is always returned; err is set only when the facade or the floor proxy
// died (nothing more can be measured).
func (t *transferRun) measure(ctx context.Context, r transferRow, s transferSides) (transferRow, error) {
	o := t.e.o
	if m, err := readMemStatus(t.f.pid()); err != nil {
		r.failed = err.Error()
		return r, nil
	} else if r.idleRSS == 0 {
		r.idleRSS = m.rss
	}
	sides := []transferSide{{"A", s.facade}, {"B", s.direct}}
	if s.floor != nil {
		sides = append(sides, transferSide{"C", s.floor})
	}
	r.floorMeasured = s.floor != nil
	n := 0
	for round := range o.rounds {
		for _, side := range roundOrder(sides, round) {
			err := t.phase(ctx, &r, side, &n)
			if s.afterPhase != nil {
				if cerr := s.afterPhase(ctx); cerr != nil && err == nil {
					err = fmt.Errorf("removing the phase's files: %w", cerr)
				}
				t.settle()
			}
			if err != nil {
				r.failed = side.name + ": " + clip(err.Error())
				return r, t.alive()
			}
		}
	}
	if o.profileDir != "" {
		if err := t.profile(ctx, r, s, &n); err != nil {
			r.failed = "profile: " + clip(err.Error())
		}
	}
	return r, nil
}

// settle frees, before the next phase, the memory of the files the last
// one left in an in-process sandbox (this process's heap). Otherwise the
// collector and the scavenger work through the next phase, and the side
// after a large removal loses much of its throughput (64 MiB uploads
// measured 100 MB/s instead of 550 right after another side's phase).
func (t *transferRun) settle() {
	if t.up.sandbox != nil {
		debug.FreeOSMemory()
	}
}

// phase runs one side's phase and adds it to r's tally of that side, with
// the CPU time of the process the side goes through (and for A its peak
// resident memory).
func (t *transferRun) phase(ctx context.Context, r *transferRow, side transferSide, n *int) error {
	tally, pid := &r.b, 0
	switch side.name {
	case "A":
		tally, pid = &r.a, t.f.pid()
	case "C":
		tally, pid = &r.c, t.floor.pid()
	}
	var cpu0 time.Duration
	var peak *peakWatch
	if pid != 0 {
		var err error
		if cpu0, err = processCPU(pid); err != nil {
			return err
		}
	}
	if side.name == "A" {
		peak = watchPeak(pid, 20*time.Millisecond)
	}
	count, elapsed, err := transferPhase(ctx, side.do, n, t.e.o.duration)
	if peak != nil {
		p, perr := peak.end()
		r.peakRSS = max(r.peakRSS, p)
		if err == nil {
			err = perr
		}
	}
	if pid != 0 {
		cpu1, cerr := processCPU(pid)
		tally.cpu += cpu1 - cpu0
		if err == nil {
			err = cerr
		}
	}
	tally.count += count
	tally.bytes += int64(count) * r.size
	tally.elapsed += elapsed
	return err
}

// transferPhase repeats transfers until d has passed, at least one; the
// time is measured to the end of the last one.
func transferPhase(ctx context.Context, do func(context.Context, int) error, n *int, d time.Duration) (int, time.Duration, error) {
	start := time.Now()
	count := 0
	for count == 0 || time.Since(start) < d {
		callCtx, cancel := context.WithTimeout(ctx, transferTimeout)
		err := do(callCtx, *n)
		cancel()
		*n++
		if err != nil {
			return count, time.Since(start), err
		}
		count++
	}
	return count, time.Since(start), nil
}

// profile takes a CPU profile and an allocation profile of the facade over
// extra A transfers and saves them in --profile-dir.
func (t *transferRun) profile(ctx context.Context, r transferRow, s transferSides, n *int) error {
	seconds := max(5, int(t.e.o.duration.Seconds()))
	name := fmt.Sprintf("%s-%s-%s.pprof", r.direction, slug(r.protocol), slug(formatSize(r.size)))
	path := filepath.Join(t.e.o.profileDir, name)
	if err := os.MkdirAll(t.e.o.profileDir, 0o755); err != nil {
		return err
	}
	done := make(chan error, 1)
	go func() {
		// The CPU profile, and what was allocated meanwhile (a delta of the
		// allocation profile over the same seconds).
		allocs := make(chan error, 1)
		go func() {
			allocs <- fetchProfile(ctx, t.f.pprofURL()+"/allocs?seconds="+strconv.Itoa(seconds), strings.TrimSuffix(path, ".pprof")+"-allocs.pprof")
		}()
		done <- errors.Join(fetchProfile(ctx, t.f.pprofURL()+"/profile?seconds="+strconv.Itoa(seconds), path), <-allocs)
	}()
	transfers := 0
	for {
		select {
		case err := <-done:
			if err == nil {
				progress("  profile of %d transfers: %s", transfers, path)
			}
			if s.afterPhase != nil {
				err = errors.Join(err, s.afterPhase(ctx))
			}
			return err
		default:
		}
		if _, _, err := transferPhase(ctx, s.facade, n, 0); err != nil {
			<-done
			return err
		}
		transfers++
	}
}

func fetchProfile(ctx context.Context, url, path string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		raw, _ := io.ReadAll(io.LimitReader(resp.Body, 300))
		return fmt.Errorf("%s: HTTP %d: %s", url, resp.StatusCode, raw)
	}
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	return os.WriteFile(path, raw, 0o644)
}

// slug makes a file-name part: "grpc h2c" → "grpc-h2c".
func slug(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			return r
		}
		return '-'
	}, s)
}

// uploadViaFacade streams size bytes to uri through UploadFile, message
// bytes per message.
func uploadViaFacade(ctx context.Context, client filev1connect.FileServiceClient, uri string, size, message int64, skipSHA256 bool) error {
	stream, err := client.UploadFile(ctx)
	if err != nil {
		return err
	}
	if err := stream.Send(&filev1.UploadFileRequest{Payload: &filev1.UploadFileRequest_Header{Header: &filev1.UploadFileHeader{Uri: uri, Size: size, SkipSha256: skipSHA256}}}); err != nil {
		_, rerr := stream.CloseAndReceive()
		return errors.Join(err, rerr)
	}
	src, buf := newPattern(size), make([]byte, min(message, max(size, 1)))
	msg := &filev1.UploadFileRequest{}
	chunk := &filev1.UploadFileRequest_Chunk{}
	for {
		n, err := io.ReadFull(src, buf)
		if n > 0 {
			chunk.Chunk = buf[:n]
			msg.Payload = chunk
			if err := stream.Send(msg); err != nil {
				break // the answer says why
			}
		}
		if err != nil {
			break
		}
	}
	res, err := stream.CloseAndReceive()
	if err != nil {
		return err
	}
	if got := res.GetFile().GetSize(); got != size {
		return fmt.Errorf("UploadFile made a file of %d bytes, want %d", got, size)
	}
	return nil
}

// downloadViaFacade reads uri through DownloadFile and checks its length.
func downloadViaFacade(ctx context.Context, client filev1connect.FileServiceClient, uri string, size int64, skipSHA256 bool) error {
	ctx, info := connect.NewClientContext(ctx)
	stream, err := client.DownloadFile(ctx, &filev1.DownloadFileRequest{Uri: uri, SkipSha256: skipSHA256})
	if err != nil {
		return err
	}
	defer stream.Close()
	var n int64
	for {
		msg, err := stream.Receive()
		if err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return err
		}
		n += int64(len(msg.GetData()))
	}

	if n != size {
		return fmt.Errorf("DownloadFile sent %d bytes, want %d", n, size)
	}
	if l := info.ResponseTrailer().Get("cloudreve-content-length"); l != strconv.FormatInt(size, 10) {
		return fmt.Errorf("DownloadFile's length trailer says %q, want %d", l, size)
	}
	return nil
}
