package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/cloudreve-connect/facade/sandbox"
)

// TestMain lets the test binary be the floor proxy when a test starts one
// with startFloor, which runs its own executable again as the harness does.
func TestMain(m *testing.M) {
	if asked, err := serveFloorProxyIfAsked(); asked {
		fmt.Fprintln(os.Stderr, "bench floor proxy:", err)
		os.Exit(1)
	}
	os.Exit(m.Run())
}

// rawGet is one GET with an optional bearer token, and what came back.
func rawGet(t *testing.T, client *http.Client, url, token string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

func TestFloorProxyProcess(t *testing.T) {
	up, token := signedInSandbox(t, sandbox.Options{})
	ctx := context.Background()
	dir := t.TempDir()
	floor, err := startFloor(ctx, up.url, 4, dir, false)
	if err != nil {
		t.Fatal(err)
	}
	defer floor.stop()
	if floor.url == up.url {
		t.Fatal("the floor proxy has the upstream's URL")
	}

	client := &http.Client{Transport: http1Transport(), Timeout: 5 * time.Second}
	const ping, listTasks = "/api/v4/site/ping", "/api/v4/workflow?page_size=10&category=general"
	// Error answers carry a fresh correlation ID, so only answers that work
	// can be compared byte for byte.
	for _, c := range []struct{ path, token string }{{ping, ""}, {listTasks, token}} {
		direct, directBody := rawGet(t, client, up.url+c.path, c.token)
		proxied, proxiedBody := rawGet(t, client, floor.url+c.path, c.token)
		if proxied.StatusCode != direct.StatusCode || !bytes.Equal(proxiedBody, directBody) {
			t.Errorf("GET %s (token %t): through the floor HTTP %d %q, direct HTTP %d %q",
				c.path, c.token != "", proxied.StatusCode, proxiedBody, direct.StatusCode, directBody)
		}
	}
	// The same bodies prove little if the token made no difference; it must
	// reach the upstream through the proxy.
	if _, err := restGet(ctx, client, floor.url+listTasks, token); err != nil {
		t.Errorf("listing tasks with the token through the floor: %v", err)
	}
	if _, err := restGet(ctx, client, floor.url+listTasks, ""); err == nil {
		t.Error("listing tasks without a token through the floor worked: the test cannot see a dropped Authorization header")
	}

	// Like the facade, the floor serves h2c on the same port.
	h2c := &http.Client{Transport: h2cTransport(), Timeout: 5 * time.Second}
	if resp, body := rawGet(t, h2c, floor.url+ping, ""); resp.ProtoMajor != 2 || resp.StatusCode != http.StatusOK {
		t.Errorf("h2c ping through the floor: %s HTTP %d %q", resp.Proto, resp.StatusCode, body)
	}

	// The scenarios' C workers call through the floor and check the answer
	// as B's do.
	e := &env{facadeURL: "http://unused.invalid", upstreamURL: up.url, floorURL: floor.url, token: token, callTimeout: 5 * time.Second}
	for _, name := range scenarioNames() {
		cases, err := lookupScenario(name).cases(e)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cases {
			if c.floor == nil {
				t.Fatalf("%s, %s: no C worker with a floor URL", c.scenario, c.protocol)
			}
			if sides := caseSides(c); len(sides) != 3 || sides[2].name != "C" {
				t.Errorf("%s, %s: sides %v", c.scenario, c.protocol, sides)
			}
			w, err := c.floor()
			if err != nil {
				t.Fatal(err)
			}
			if err := w.call(ctx); err != nil {
				t.Errorf("%s, %s: C call: %v", c.scenario, c.protocol, err)
			}
			w.close()
		}
	}

	// Its CPU is read from /proc like the facade's, and grows under load
	// (in 10 ms steps, so a few hundred calls may pass before it shows).
	before, err := processCPU(floor.pid())
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for after := before; after == before; after, err = processCPU(floor.pid()) {
		if err != nil {
			t.Fatal(err)
		}
		if time.Now().After(deadline) {
			t.Fatalf("the floor proxy's CPU stayed at %v under load", before)
		}
		for range 50 {
			if _, err := restGet(ctx, client, floor.url+ping, ""); err != nil {
				t.Fatal(err)
			}
		}
	}

	floor.stop()
	if floor.alive() == nil {
		t.Error("the floor proxy is alive after stop")
	}
	client.CloseIdleConnections()
	if _, err := client.Get(floor.url + ping); err == nil {
		t.Error("the floor proxy answers after stop")
	}
}

func TestUnaryCasesWithoutFloor(t *testing.T) {
	e := &env{facadeURL: "http://f.invalid", upstreamURL: "http://u.invalid", token: "t", callTimeout: time.Second}
	for _, name := range scenarioNames() {
		cases, err := lookupScenario(name).cases(e)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cases {
			if c.floor != nil {
				t.Errorf("%s, %s: a C worker without a floor URL", c.scenario, c.protocol)
			}
			if sides := caseSides(c); len(sides) != 2 {
				t.Errorf("%s, %s: %d sides without the floor", c.scenario, c.protocol, len(sides))
			}
		}
	}
}

func TestParseFloorSpec(t *testing.T) {
	spec := floorSpec("127.0.0.1:9", 64, "http://127.0.0.1:5212/a,b")
	listen, idle, upstream, err := parseFloorSpec(spec)
	if err != nil || listen != "127.0.0.1:9" || idle != 64 || upstream.String() != "http://127.0.0.1:5212/a,b" {
		t.Errorf("parseFloorSpec(%q) = %q, %d, %v, %v", spec, listen, idle, upstream, err)
	}
	for _, bad := range []string{"", "127.0.0.1:9", "127.0.0.1:9,0,http://x", "127.0.0.1:9,x,http://x", "127.0.0.1:9,1,not a url"} {
		if _, _, _, err := parseFloorSpec(bad); err == nil {
			t.Errorf("parseFloorSpec(%q) accepted", bad)
		}
	}
}

func TestFloorBufferPool(t *testing.T) {
	p := newFloorBufferPool()
	b := p.Get()
	if len(b) != floorBufferSize {
		t.Fatalf("buffer of %d bytes", len(b))
	}
	p.Put(b)
	p.Put(make([]byte, 10)) // a foreign buffer is dropped, not a panic
	if allocs := testing.AllocsPerRun(100, func() { p.Put(p.Get()) }); allocs > 0 {
		t.Errorf("a Get and Put allocate %v times", allocs)
	}
}
