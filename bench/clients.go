package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"connectrpc.com/connect/v2"
)

// http1Transport is one keep-alive HTTP/1.1 connection: the way a REST
// client, or a Connect client without HTTP/2, talks.
func http1Transport() *http.Transport {
	var p http.Protocols
	p.SetHTTP1(true)
	return &http.Transport{
		Protocols:           &p,
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
		MaxConnsPerHost:     1,
		MaxIdleConnsPerHost: 1,
		IdleConnTimeout:     time.Minute,
	}
}

// h2cTransport is one unencrypted HTTP/2 connection, as gRPC uses without TLS.
func h2cTransport() *http.Transport {
	var p http.Protocols
	p.SetUnencryptedHTTP2(true)
	return &http.Transport{
		Protocols:       &p,
		DialContext:     (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
		MaxConnsPerHost: 1,
		IdleConnTimeout: time.Minute,
	}
}

// restEnvelope is the part of every Cloudreve answer that says whether the
// call worked: HTTP 200 with code 0.
type restEnvelope struct {
	Code int             `json:"code"`
	Msg  string          `json:"msg"`
	Data json.RawMessage `json:"data"`
}

// restGet does GET url with an optional bearer token and returns the data of
// a successful Cloudreve envelope. It reads and decodes the whole body, as a
// real REST client would, so B does the client work A's facade does for it.
func restGet(ctx context.Context, client *http.Client, url, token string) (json.RawMessage, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: HTTP %d: %.200s", url, resp.StatusCode, body)
	}
	var env restEnvelope
	if err := json.Unmarshal(body, &env); err != nil {
		return nil, fmt.Errorf("GET %s: %w", url, err)
	}
	if env.Code != 0 {
		return nil, fmt.Errorf("GET %s: Cloudreve code %d: %s", url, env.Code, env.Msg)
	}
	return env.Data, nil
}

// bearer sets the caller's token on every call of a Connect client, unary
// or stream.
func bearer(token string) connect.ClientInterceptor {
	return withHeader("Authorization", "Bearer "+token)
}

// withHeader sets one request header on every call.
func withHeader(name, value string) connect.ClientInterceptor {
	return func(next connect.ClientFunc) connect.ClientFunc {
		return func(ctx context.Context, spec connect.Spec) (connect.ClientStream, error) {
			info, _ := connect.CallInfoForClientContext(ctx) // the client's Call methods set it
			info.RequestHeader().Set(name, value)
			return next(ctx, spec)
		}
	}
}
