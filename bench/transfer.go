package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
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
// (B), in ABBA order. A phase repeats whole transfers until --duration has
// passed (at least one). During A phases the facade's CPU time and peak
// resident memory are read.

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

// transferRow is one case: a direction, a protocol, a size.
type transferRow struct {
	direction, protocol string
	size                int64

	countA, countB     int
	bytesA, bytesB     int64
	elapsedA, elapsedB time.Duration
	cpuA               time.Duration
	idleRSS, peakRSS   int64 // bytes; peak over the A phases
	failed             string
}

func (r transferRow) mbpsA() (float64, bool) { return mbps(r.bytesA, r.elapsedA) }
func (r transferRow) mbpsB() (float64, bool) { return mbps(r.bytesB, r.elapsedB) }

func mbps(bytes int64, elapsed time.Duration) (float64, bool) {
	if elapsed <= 0 || bytes == 0 {
		return 0, false
	}
	return float64(bytes) / 1e6 / elapsed.Seconds(), true
}

// cpuPerGiB is the facade's CPU seconds per GiB moved through it.
func (r transferRow) cpuPerGiB() (float64, bool) {
	if r.bytesA == 0 {
		return 0, false
	}
	return r.cpuA.Seconds() / (float64(r.bytesA) / (1 << 30)), true
}

var transferHeader = []string{
	"direction", "A protocol", "size", "A MB/s", "B MB/s", "A÷B", "facade CPU s/GiB",
	"idle RSS MiB", "peak RSS MiB (A)", "peak growth MiB", "transfers A/B",
}

// transferCells renders rows; a failed row says FAILED in its ratio and
// n/a where nothing was measured.
func transferCells(rows []transferRow) [][]string {
	out := [][]string{transferHeader}
	mib := func(n int64) string {
		if n <= 0 {
			return "n/a"
		}
		return fmt.Sprintf("%.0f", float64(n)/(1<<20))
	}
	for _, r := range rows {
		ratio := failedCell
		a, okA := r.mbpsA()
		b, okB := r.mbpsB()
		if r.failed == "" && okA && okB {
			ratio = fmt.Sprintf("%.2f", a/b)
		}
		growth := "n/a"
		if r.peakRSS > 0 && r.idleRSS > 0 {
			growth = fmt.Sprintf("%+.0f", float64(r.peakRSS-r.idleRSS)/(1<<20))
		}
		out = append(out, []string{r.direction, r.protocol, formatSize(r.size),
			figure(a, okA)(0), figure(b, okB)(0), ratio, figure(r.cpuPerGiB())(2),
			mib(r.idleRSS), mib(r.peakRSS), growth, fmt.Sprintf("%d/%d", r.countA, r.countB)})
	}
	return out
}

// transferPanels draws one panel per direction and protocol: MB/s against
// file size.
func transferPanels(rows []transferRow) []plotPanel {
	var panels []plotPanel
	index := map[string]int{}
	for _, r := range rows {
		key := r.direction + " · " + r.protocol
		i, ok := index[key]
		if !ok {
			i = len(panels)
			index[key] = i
			panels = append(panels, plotPanel{title: key + " (MB/s)", xLabel: "file size"})
		}
		a, okA := r.mbpsA()
		b, okB := r.mbpsB()
		if r.failed != "" {
			okA, okB = false, false
		}
		p := &panels[i]
		p.xs = append(p.xs, formatSize(r.size))
		p.facade = append(p.facade, orNaN(a, okA))
		p.direct = append(p.direct, orNaN(b, okB))
	}
	return panels
}

// transferSides are the two ways one transfer is done. Each moves one whole
// file: n numbers the transfer within the case, so uploads get fresh names.
type transferSides struct {
	facade, direct func(ctx context.Context, n int) error
	// afterPhase removes what a phase created (uploads); may be nil.
	afterPhase func(ctx context.Context) error
}

// transferRun is one scenario's upstream, facade and clients.
type transferRun struct {
	e      *streamEnv
	up     *upstream
	f      *facadeProcess
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
	return &transferRun{e: e, up: up, f: f, token: token, rest: newRESTClient(up.url, token),
		prefix: fmt.Sprintf("cloudreve://my/facade-bench-%s-%d", name, time.Now().UnixNano())}, nil
}

func (t *transferRun) close() {
	t.rest.close()
	t.f.stop()
	t.up.close()
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

// measure runs one case's rounds. The row is always returned; err is set
// only when the facade died (nothing more can be measured).
func (t *transferRun) measure(ctx context.Context, r transferRow, s transferSides) (transferRow, error) {
	o := t.e.o
	if m, err := readMemStatus(t.f.pid()); err != nil {
		r.failed = err.Error()
		return r, nil
	} else if r.idleRSS == 0 {
		r.idleRSS = m.rss
	}
	n := 0
	for round := range o.rounds {
		order := []bool{true, false}
		if round%2 == 1 {
			order = []bool{false, true}
		}
		for _, isA := range order {
			do := s.direct
			if isA {
				do = s.facade
			}
			var cpu0 time.Duration
			var peak *peakWatch
			if isA {
				var err error
				if cpu0, err = processCPU(t.f.pid()); err != nil {
					r.failed = err.Error()
					return r, nil
				}
				peak = watchPeak(t.f.pid(), 20*time.Millisecond)
			}
			count, elapsed, err := transferPhase(ctx, do, &n, o.duration)
			if isA {
				p, perr := peak.end()
				cpu1, cerr := processCPU(t.f.pid())
				if err == nil {
					err = errors.Join(perr, cerr)
				}
				r.peakRSS = max(r.peakRSS, p)
				r.cpuA += cpu1 - cpu0
				r.countA += count
				r.bytesA += int64(count) * r.size
				r.elapsedA += elapsed
			} else {
				r.countB += count
				r.bytesB += int64(count) * r.size
				r.elapsedB += elapsed
			}
			if s.afterPhase != nil {
				if cerr := s.afterPhase(ctx); cerr != nil && err == nil {
					err = fmt.Errorf("removing the phase's files: %w", cerr)
				}
			}
			if err != nil {
				side := "B"
				if isA {
					side = "A"
				}
				r.failed = side + ": " + clip(err.Error())
				return r, t.f.alive()
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
