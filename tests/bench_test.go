package tests

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	filev1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/file/v1"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/file/v1/filev1connect"
	"github.com/cloudreve-connect/facade/internal/values"
	"github.com/cloudreve-connect/facade/sandbox"
)

// Throughput of uploads and downloads through the facade, against the same
// work done with chunked REST calls straight to the sandbox, and the
// facade's peak memory for a 1 GiB upload. Benchmarks only, never part of
// the normal test run:
//
//	go test ./tests -run '^$' -bench . -benchtime 3x
//
// The sandbox keeps content in memory, so the machine needs a few GiB free.

const (
	benchChunk = 25 << 20  // the real server's default chunk size
	benchSize  = 256 << 20 // per operation of the throughput benchmarks
	benchSlice = 1 << 20   // message size of the facade streams
)

// benchEnv is a sandbox with one (administrator) account and a facade.
type benchEnv struct {
	up    *upstreamStub
	f     *facade
	owner account
	files filev1connect.FileServiceClient
	rest  *cloudreveapi.ClientWithResponses
}

func newBenchEnv(b *testing.B) *benchEnv {
	b.Helper()
	up := startSandbox(b, sandbox.Options{ChunkSize: benchChunk})
	_, natsURL := startNATS(b)
	owner := up.newAccount(b, "bench")
	f := startFacade(b, "--upstream", up.URL, "--nats-url", natsURL)
	rest, err := cloudreveapi.NewClientWithResponses(up.URL+sandbox.APIPrefix, cloudreveapi.WithRequestEditorFn(
		func(_ context.Context, req *http.Request) error {
			req.Header.Set("Authorization", "Bearer "+owner.Token)
			return nil
		}))
	if err != nil {
		b.Fatal(err)
	}
	return &benchEnv{up: up, f: f, owner: owner, rest: rest,
		files: fileClient(f, viaGRPC, withToken(owner.Token))}
}

// pattern is size bytes of a repeated random block, read without holding
// them all.
type pattern struct {
	block []byte
	left  int64
	pos   int
}

func newPattern(size int64) *pattern { return &pattern{block: randomBytes(1<<20+7, 42), left: size} }

func (p *pattern) Read(b []byte) (int, error) {
	if p.left == 0 {
		return 0, io.EOF
	}
	n := copy(b[:min(int64(len(b)), p.left)], p.block[p.pos:])
	p.pos = (p.pos + n) % len(p.block)
	p.left -= int64(n)
	return n, nil
}

// uploadViaFacade streams size bytes through UploadFile.
func (e *benchEnv) uploadViaFacade(b *testing.B, uri string, size int64) {
	stream, err := e.files.UploadFile(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	if err := stream.Send(&filev1.UploadFileRequest{Payload: &filev1.UploadFileRequest_Header{Header: &filev1.UploadFileHeader{Uri: uri, Size: size}}}); err != nil {
		b.Fatal(err)
	}
	src, buf := newPattern(size), make([]byte, benchSlice)
	for {
		n, err := io.ReadFull(src, buf)
		if n > 0 {
			if err := stream.Send(&filev1.UploadFileRequest{Payload: &filev1.UploadFileRequest_Chunk{Chunk: buf[:n]}}); err != nil {
				break
			}
		}
		if err != nil {
			break
		}
	}
	if _, err := stream.CloseAndReceive(); err != nil {
		b.Fatal(err)
	}
}

// uploadDirect does the same upload with chunked REST calls.
func (e *benchEnv) uploadDirect(b *testing.B, uri string, size int64) {
	ctx := context.Background()
	sess, err := e.rest.CreateUploadSessionWithResponse(ctx, cloudreveapi.CreateUploadSessionService{Uri: uri, Size: &size})
	if err != nil || sess.JSON200 == nil || sess.JSON200.Code != 0 {
		b.Fatalf("session: %v %s", err, sess.Body)
	}
	id, chunk := sess.JSON200.Data.SessionId, sess.JSON200.Data.ChunkSize
	src, buf := newPattern(size), make([]byte, chunk)
	for i := 0; ; i++ {
		n, _ := io.ReadFull(src, buf)
		if n == 0 && i > 0 {
			break
		}
		r, err := e.rest.UploadFileChunkWithBodyWithResponse(ctx, id, i, "application/octet-stream", bytes.NewReader(buf[:n]))
		if err != nil || r.JSON200 == nil || r.JSON200.Code != 0 {
			b.Fatalf("chunk %d: %v %s", i, err, r.Body)
		}
		if int64(n) < chunk {
			break
		}
	}
}

func (e *benchEnv) downloadViaFacade(b *testing.B, uri string) int64 {
	stream, err := e.files.DownloadFile(context.Background(), &filev1.DownloadFileRequest{Uri: uri})
	if err != nil {
		b.Fatal(err)
	}
	var n int64
	if err := receiveAll(stream.Receive, func(m *filev1.DownloadFileResponse) bool { n += int64(len(m.GetData())); return true }); err != nil {
		b.Fatal(err)
	}
	return n
}

func (e *benchEnv) downloadDirect(b *testing.B, uri string) int64 {
	r, err := e.rest.CreateDownloadUrlWithResponse(context.Background(), nil, cloudreveapi.FileURLService{Uris: []string{uri}})
	if err != nil || r.JSON200 == nil || r.JSON200.Code != 0 {
		b.Fatalf("url: %v %s", err, r.Body)
	}
	resp, err := http.Get(r.JSON200.Data.Urls[0].Url)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	n, err := io.Copy(io.Discard, resp.Body)
	if err != nil {
		b.Fatal(err)
	}
	return n
}

// purge deletes a file for good, so the sandbox's memory does not grow.
func (e *benchEnv) purge(b *testing.B, uri string) {
	r, err := e.rest.DeleteFilesWithResponse(context.Background(), cloudreveapi.DeleteFileService{Uris: []string{uri}, SkipSoftDelete: values.Ptr(true)})
	if err != nil || r.JSON200 == nil || r.JSON200.Code != 0 {
		b.Fatalf("purge: %v", err)
	}
}

func BenchmarkUpload(b *testing.B) {
	e := newBenchEnv(b)
	for _, way := range []struct {
		name string
		run  func(*testing.B, string, int64)
	}{{"facade", e.uploadViaFacade}, {"direct", e.uploadDirect}} {
		b.Run(way.name, func(b *testing.B) {
			b.SetBytes(benchSize)
			for i := 0; b.Loop(); i++ {
				uri := fmt.Sprintf("cloudreve://my/bench-%s-%d.bin", way.name, i)
				way.run(b, uri, benchSize)
				b.StopTimer()
				e.purge(b, uri)
				b.StartTimer()
			}
		})
	}
}

func BenchmarkDownload(b *testing.B) {
	e := newBenchEnv(b)
	e.uploadDirect(b, "cloudreve://my/bench.bin", benchSize)
	for _, way := range []struct {
		name string
		run  func(*testing.B, string) int64
	}{{"facade", e.downloadViaFacade}, {"direct", e.downloadDirect}} {
		b.Run(way.name, func(b *testing.B) {
			b.SetBytes(benchSize)
			for b.Loop() {
				if n := way.run(b, "cloudreve://my/bench.bin"); n != benchSize {
					b.Fatalf("downloaded %d bytes", n)
				}
			}
		})
	}
}

// BenchmarkUploadPeakMemory uploads 1 GiB through a fresh facade and reports
// the facade process's peak resident memory (VmHWM), and how much it grew
// over the idle process.
func BenchmarkUploadPeakMemory(b *testing.B) {
	const size = 1 << 30
	e := newBenchEnv(b)
	idle := procStatus(b, e.f.cmd.Process.Pid, "VmHWM")
	b.SetBytes(size)
	for i := 0; b.Loop(); i++ {
		uri := fmt.Sprintf("cloudreve://my/big-%d.bin", i)
		e.uploadViaFacade(b, uri, size)
		b.StopTimer()
		e.purge(b, uri)
		b.StartTimer()
	}
	peak := procStatus(b, e.f.cmd.Process.Pid, "VmHWM")
	b.ReportMetric(float64(peak)/1024, "peak-MiB")
	b.ReportMetric(float64(peak-idle)/1024, "growth-MiB")
}

// procStatus reads a kB value of /proc/<pid>/status.
func procStatus(b *testing.B, pid int, key string) int64 {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), key+":"); ok {
			n, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			if err != nil {
				b.Fatal(err)
			}
			return n
		}
	}
	b.Fatalf("no %s in /proc/%d/status", key, pid)
	return 0
}
