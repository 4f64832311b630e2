package main

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// The floor (C) of the unary scenarios: B's REST call sent through a bare
// reverse proxy of the standard library, in a process of its own so its CPU
// is read from /proc like the facade's. Whatever the facade costs beyond
// this proxy is its own; up to it, any Go HTTP proxy pays the same.
//
// The harness starts the proxy by running its own binary again with
// floorProxyEnv set to "<listen>,<idle connections per host>,<upstream URL>".
const floorProxyEnv = "BENCH_FLOOR_PROXY"

// floorSHA256Env, set to 1, makes the floor proxy hash every body it
// forwards (--floor-sha256).
const floorSHA256Env = "BENCH_FLOOR_SHA256"

// floorBufferSize is what ReverseProxy would allocate per response without
// a pool.
const floorBufferSize = 32 << 10

// serveFloorProxyIfAsked serves the floor proxy until the process is killed
// when floorProxyEnv is set, and reports whether it was.
func serveFloorProxyIfAsked() (bool, error) {
	spec, ok := os.LookupEnv(floorProxyEnv)
	if !ok {
		return false, nil
	}
	listen, idle, upstream, err := parseFloorSpec(spec)
	if err != nil {
		return true, err
	}
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return true, err
	}
	var hashed *atomic.Int64
	if os.Getenv(floorSHA256Env) == "1" {
		hashed = new(atomic.Int64)
	}
	return true, floorServer(upstream, idle, hashed).Serve(ln)
}

func floorSpec(listen string, idle int, upstream string) string {
	return fmt.Sprintf("%s,%d,%s", listen, idle, upstream)
}

// parseFloorSpec reads floorSpec's format; the URL comes last, so a comma
// in it does no harm.
func parseFloorSpec(spec string) (listen string, idle int, upstream *url.URL, err error) {
	fields := strings.SplitN(spec, ",", 3)
	if len(fields) != 3 {
		return "", 0, nil, fmt.Errorf("%s=%q: want <listen>,<idle conns>,<upstream URL>", floorProxyEnv, spec)
	}
	if idle, err = strconv.Atoi(fields[1]); err != nil || idle < 1 {
		return "", 0, nil, fmt.Errorf("%s: %q is not a positive connection count", floorProxyEnv, fields[1])
	}
	if upstream, err = url.Parse(fields[2]); err != nil || upstream.Host == "" {
		return "", 0, nil, fmt.Errorf("%s: %q is not an upstream URL", floorProxyEnv, fields[2])
	}
	return fields[0], idle, upstream, nil
}

// floorServer serves HTTP/1.1 and h2c on one port, as the facade does, and
// proxies everything to upstream over keep-alive HTTP/1.1 connections, of
// which it keeps up to idle per host so no load level has to redial. With
// hashed set it also hashes every request and response body it forwards
// (SHA-256, on the goroutine that copies it) and counts the bytes there.
func floorServer(upstream *url.URL, idle int, hashed *atomic.Int64) *http.Server {
	transport := &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConnsPerHost: idle,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true, // the facade does not ask the upstream for gzip either
	}
	proxy := &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			r.SetURL(upstream)
			if hashed != nil && r.Out.Body != nil && r.Out.Body != http.NoBody {
				r.Out.Body = &hashingBody{ReadCloser: r.Out.Body, h: sha256.New(), count: hashed}
			}
		},
		Transport:  transport,
		BufferPool: newFloorBufferPool(),
	}
	if hashed != nil {
		proxy.ModifyResponse = func(resp *http.Response) error {
			resp.Body = &hashingBody{ReadCloser: resp.Body, h: sha256.New(), count: hashed}
			return nil
		}
	}
	var protocols http.Protocols
	protocols.SetHTTP1(true)
	protocols.SetUnencryptedHTTP2(true)
	return &http.Server{Handler: proxy, Protocols: &protocols, HTTP2: floorHTTP2, ReadHeaderTimeout: 10 * time.Second}
}

// floorHTTP2 gives h2c clients the receive windows the facade gives them by
// default (its --http2-stream-window and --http2-conn-window): with Go's
// 1 MiB, an upload through the floor would wait a round trip per MiB where
// one through the facade does not.
var floorHTTP2 = &http.HTTP2Config{MaxReceiveBufferPerStream: 8 << 20, MaxReceiveBufferPerConnection: 32 << 20}

// hashingBody hashes what is read through it, as a proxy that checksums
// the content it carries would; the digest is left unused, since computing
// it is the whole cost.
type hashingBody struct {
	io.ReadCloser
	h     hash.Hash
	count *atomic.Int64
}

func (b *hashingBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.h.Write(p[:n])
	b.count.Add(int64(n))
	return n, err
}

// floorBufferPool recycles ReverseProxy's copy buffers. It pools array
// pointers, so Put converts the slice back without allocating a box for it.
type floorBufferPool struct{ pool sync.Pool }

func newFloorBufferPool() *floorBufferPool {
	p := &floorBufferPool{}
	p.pool.New = func() any { return new([floorBufferSize]byte) }
	return p
}

func (p *floorBufferPool) Get() []byte { return p.pool.Get().(*[floorBufferSize]byte)[:] }

func (p *floorBufferPool) Put(b []byte) {
	if cap(b) == floorBufferSize {
		p.pool.Put((*[floorBufferSize]byte)(b[:floorBufferSize]))
	}
}

// floorProcess is the running floor proxy.
type floorProcess struct {
	url     string // http://host:port
	cmd     *exec.Cmd
	logPath string
	exited  chan struct{}
}

// startFloor runs this binary again as the floor proxy in front of
// upstream, its output going to a file in dir, and waits until it answers.
func startFloor(ctx context.Context, upstream string, idle int, dir string, hashed bool) (*floorProcess, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("floor proxy: %w", err)
	}
	listen, err := freeLoopbackPort()
	if err != nil {
		return nil, err
	}
	logPath := filepath.Join(dir, "floor.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	defer logFile.Close() // the child has its own descriptor
	cmd := exec.Command(self)
	cmd.Env = append(cleanEnv(os.Environ()), floorProxyEnv+"="+floorSpec(listen, idle, upstream))
	cmd.Env = slices.DeleteFunc(cmd.Env, func(kv string) bool { return strings.HasPrefix(kv, floorSHA256Env+"=") }) // only this call decides
	if hashed {
		cmd.Env = append(cmd.Env, floorSHA256Env+"=1")
	}
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting the floor proxy: %w", err)
	}
	f := &floorProcess{url: "http://" + listen, cmd: cmd, logPath: logPath, exited: make(chan struct{})}
	go func() { cmd.Wait(); close(f.exited) }()
	if err := f.waitAnswering(ctx, 10*time.Second); err != nil {
		f.stop()
		return nil, err
	}
	return f, nil
}

// waitAnswering waits for any HTTP answer to the upstream's ping: it shows
// the proxy listens, and the scenarios' first calls check the rest.
func (f *floorProcess) waitAnswering(ctx context.Context, limit time.Duration) error {
	client := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(limit)
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, f.url+"/api/v4/site/ping", nil)
		if err != nil {
			return err
		}
		resp, err := client.Do(req)
		if err == nil {
			resp.Body.Close()
			return nil
		}
		select {
		case <-f.exited:
			return f.alive()
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the floor proxy did not answer within %s (last error: %v)", limit, err)
		}
	}
}

func (f *floorProcess) pid() int { return f.cmd.Process.Pid }

// alive reports an early exit as an error, with the log's end.
func (f *floorProcess) alive() error {
	select {
	case <-f.exited:
		b, _ := os.ReadFile(f.logPath)
		if len(b) > 2000 {
			b = b[len(b)-2000:]
		}
		return fmt.Errorf("the floor proxy exited (%v)\n--- floor proxy log (end) ---\n%s", f.cmd.ProcessState, b)
	default:
		return nil
	}
}

// stop kills the proxy: it holds no state worth a graceful end.
func (f *floorProcess) stop() {
	if err := f.cmd.Process.Kill(); err != nil && !errors.Is(err, os.ErrProcessDone) {
		progress("stopping the floor proxy: %v", err)
	}
	<-f.exited
}
