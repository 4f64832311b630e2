package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/cloudreve-connect/facade/sandbox"
)

// upstream is the Cloudreve server both A and B end at.
type upstream struct {
	url      string // base URL, without /api/v4
	label    string // for the report: "sandbox (in-process)" or the URL
	version  string // what Ping answered
	email    string
	password string
	// accepted counts TCP connections the sandbox accepted; nil for a real
	// server, whose connections the harness cannot see.
	accepted *atomic.Int64
	// sandbox and requests are set for the sandbox only: the server itself
	// (to seed accounts) and its requests counted by route.
	sandbox  *sandbox.Server
	requests *routeCounter
	close    func()
}

// countingListener counts accepted connections: during A phases only the
// facade connects to the upstream, so the count is the connections the
// facade opened.
type countingListener struct {
	net.Listener
	accepted *atomic.Int64
}

func (l countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err == nil {
		l.accepted.Add(1)
	}
	return c, err
}

// startSandbox serves an in-process sandbox on a random loopback port with
// one account to sign in with.
func startSandbox(opts sandbox.Options) (*upstream, error) {
	sb, err := sandbox.New(opts)
	if err != nil {
		return nil, err
	}
	const email, password = "bench@example.com", "bench-password"
	if _, err := sb.CreateUser(email, password, "Bench"); err != nil {
		sb.Close()
		return nil, fmt.Errorf("sandbox account: %w", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		sb.Close()
		return nil, err
	}
	accepted := new(atomic.Int64)
	requests := newRouteCounter()
	srv := &http.Server{Handler: requests.wrap(sb.Handler()), ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(countingListener{Listener: ln, accepted: accepted})
	return &upstream{
		url: "http://" + ln.Addr().String(), label: "sandbox (in-process, loopback)",
		email: email, password: password, accepted: accepted, sandbox: sb, requests: requests,
		close: func() { srv.Close(); sb.Close() },
	}, nil
}

func remoteUpstream(url, email, password string) *upstream {
	return &upstream{url: url, label: url, email: email, password: password, close: func() {}}
}

// ping fills in the version the upstream reports.
func (u *upstream) ping(ctx context.Context) error {
	t := http1Transport()
	defer t.CloseIdleConnections()
	data, err := restGet(ctx, &http.Client{Transport: t, Timeout: 10 * time.Second}, u.url+"/api/v4/site/ping", "")
	if err != nil {
		return fmt.Errorf("upstream ping: %w", err)
	}
	if err := json.Unmarshal(data, &u.version); err != nil {
		return fmt.Errorf("upstream ping: %w", err)
	}
	return nil
}

// signIn gets an access token with POST /api/v4/session/token.
func (u *upstream) signIn(ctx context.Context) (string, error) {
	body, _ := json.Marshal(map[string]string{"email": u.email, "password": u.password})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.url+"/api/v4/session/token", bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		return "", fmt.Errorf("signing in: %w", err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", fmt.Errorf("signing in: %w", err)
	}
	var env struct {
		Code int    `json:"code"`
		Msg  string `json:"msg"`
		Data struct {
			Token struct {
				AccessToken string `json:"access_token"`
			} `json:"token"`
		} `json:"data"`
	}
	if err := json.Unmarshal(raw, &env); err != nil {
		return "", fmt.Errorf("signing in: HTTP %d: %.200s", resp.StatusCode, raw)
	}
	if env.Code != 0 {
		return "", fmt.Errorf("signing in as %s: Cloudreve code %d: %s", u.email, env.Code, env.Msg)
	}
	if env.Data.Token.AccessToken == "" {
		return "", errors.New("signing in: the answer has no access token")
	}
	return env.Data.Token.AccessToken, nil
}
