// Command example archives a file through the facade over gRPC and follows
// the task until it is finished, printing each event.
//
//	FACADE_URL=http://127.0.0.1:8080 CLOUDREVE_TOKEN=… go run ./examples/go
//
// ARCHIVE_SRC names the file to pack (default cloudreve://my/hello.txt).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"time"

	"connectrpc.com/connect/v2"
	"connectrpc.com/connect/v2/connecthttp"

	workflowv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/workflow/v1"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/workflow/v1/workflowv1connect"
)

func main() {
	url, token := getenv("FACADE_URL", "http://127.0.0.1:8080"), os.Getenv("CLOUDREVE_TOKEN")
	if token == "" {
		log.Fatal("set CLOUDREVE_TOKEN to a Cloudreve access token (see the README's walk-through)")
	}
	// gRPC needs HTTP/2; the facade speaks it without TLS (h2c).
	var protocols http.Protocols
	protocols.SetUnencryptedHTTP2(true)
	httpClient := &http.Client{Transport: bearer{token, &http.Transport{Protocols: &protocols}}}
	client := workflowv1connect.NewWorkflowServiceClient(connect.NewClient(connecthttp.NewTransport(httpClient, url, connecthttp.WithGRPC())))

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	src := getenv("ARCHIVE_SRC", "cloudreve://my/hello.txt")
	dst := fmt.Sprintf("cloudreve://my/example-go-%d.zip", time.Now().UnixMilli())
	res, err := client.CreateArchive(ctx, &workflowv1.CreateArchiveRequest{Src: []string{src}, Dst: dst})
	if err != nil {
		log.Fatalf("CreateArchive: %v", err) // a *connect.Error with typed details
	}
	fmt.Println("task", res.GetTask().GetId(), "archives", src, "into", dst)

	stream, err := client.WatchTask(ctx, &workflowv1.WatchTaskRequest{Id: res.GetTask().GetId()})
	if err != nil {
		log.Fatalf("WatchTask: %v", err)
	}
	for {
		msg, err := stream.Receive()
		if err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			log.Fatalf("WatchTask: %v", err)
		}
		task := msg.GetEvent().GetTask()
		fmt.Println(task.GetStatus(), task.GetPhase())
	}
}

// bearer sends the caller's Cloudreve token with every call.
type bearer struct {
	token string
	base  http.RoundTripper
}

func (b bearer) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+b.token)
	return b.base.RoundTrip(r)
}

func getenv(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}
