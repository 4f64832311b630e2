package rpcerror

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"connectrpc.com/connect/v2"
	"connectrpc.com/connect/v2/connectproto"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"gopkg.in/yaml.v3"

	commonv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/common/v1"
	"github.com/cloudreve-connect/facade/internal/upstream"
)

func details(t *testing.T, err error) (*errdetails.ErrorInfo, *commonv1.UpstreamError) {
	t.Helper()
	var ce *connect.Error
	if !errors.As(err, &ce) {
		t.Fatalf("%T is not a *connect.Error", err)
	}
	var info *errdetails.ErrorInfo
	var up *commonv1.UpstreamError
	for _, d := range ce.Details() {
		v, err := connectproto.UnmarshalErrorDetail(d)
		if err != nil {
			t.Fatal(err)
		}
		switch m := v.(type) {
		case *errdetails.ErrorInfo:
			info = m
		case *commonv1.UpstreamError:
			up = m
		}
	}
	return info, up
}

func TestCodeMapping(t *testing.T) {
	cases := map[int]connect.Code{
		401:   connect.CodeUnauthenticated,
		403:   connect.CodePermissionDenied,
		40007: connect.CodePermissionDenied,
		404:   connect.CodeNotFound,
		40016: connect.CodeNotFound,
		40001: connect.CodeInvalidArgument,
		40004: connect.CodeAlreadyExists,
		40073: connect.CodeAborted,
		40076: connect.CodeFailedPrecondition,
		40051: connect.CodeResourceExhausted,
		40020: connect.CodeUnauthenticated,
		50001: connect.CodeInternal,
		50004: connect.CodeUnavailable,
		50099: connect.CodeInternal,
		40999: connect.CodeFailedPrecondition,
		-1:    connect.CodeUnknown,
	}
	for upstreamCode, want := range cases {
		err := FromUpstream(&upstream.Error{Op: "createArchive", HTTPStatus: 200, Code: upstreamCode, Msg: "boom", CorrelationID: "cid-1"})
		if got := connect.CodeOf(err); got != want {
			t.Errorf("code %d → %v, want %v", upstreamCode, got, want)
		}
		info, up := details(t, err)
		if info == nil || info.Domain != Domain || info.Reason != ReasonFor(upstreamCode) || len(info.Metadata) != 1 || info.Metadata["operation"] != "createArchive" {
			t.Errorf("code %d: ErrorInfo %v", upstreamCode, info)
		}
		if up == nil || up.Code != int32(upstreamCode) || up.Message != "boom" || up.CorrelationId != "cid-1" || up.Operation != "createArchive" {
			t.Errorf("code %d: UpstreamError %v", upstreamCode, up)
		}
	}
}

func TestBatchItemsListed(t *testing.T) {
	batch := &upstream.Error{Op: "deleteFiles", Code: 40081, Msg: "partly failed", Items: map[string]*upstream.Error{
		"cloudreve://my/b": {Code: 40016, Msg: "missing"},
		"cloudreve://my/a": {Code: 40073, Msg: "locked", CorrelationID: "x"},
	}}
	err := FromUpstream(batch)
	if connect.CodeOf(err) != connect.CodeAborted {
		t.Errorf("mixed batch → %v", connect.CodeOf(err))
	}
	_, up := details(t, err)
	if len(up.Items) != 2 || up.Items[0].Item != "cloudreve://my/a" || up.Items[0].Code != 40073 || up.Items[1].Message != "missing" {
		t.Errorf("items %v", up.Items)
	}
	same := &upstream.Error{Op: "deleteFiles", Code: 40081, Items: map[string]*upstream.Error{
		"cloudreve://my/a": {Code: 40016}, "cloudreve://my/b": {Code: 40016}}}
	if got := connect.CodeOf(FromUpstream(same)); got != connect.CodeNotFound {
		t.Errorf("uniform batch → %v", got)
	}
}

func TestHTTPAndTransport(t *testing.T) {
	pro := FromUpstream(&upstream.HTTPError{Op: "listGroups", StatusCode: 404, Body: "404 page not found"})
	if connect.CodeOf(pro) != connect.CodeUnimplemented || !strings.Contains(pro.Error(), "commercial") {
		t.Errorf("pro-only: %v", pro)
	}
	if info, _ := details(t, pro); info.Reason != ReasonProOnly {
		t.Errorf("reason %q", info.Reason)
	}
	missing := FromUpstream(&upstream.HTTPError{Op: "listTasks", StatusCode: 404})
	if connect.CodeOf(missing) != connect.CodeUnimplemented || strings.Contains(missing.Error(), "commercial") {
		t.Errorf("community route missing: %v", missing)
	}
	for status, want := range map[int]connect.Code{502: connect.CodeUnavailable, 503: connect.CodeUnavailable, 500: connect.CodeInternal, 200: connect.CodeInternal, 429: connect.CodeResourceExhausted} {
		if got := connect.CodeOf(FromUpstream(&upstream.HTTPError{Op: "ping", StatusCode: status})); got != want {
			t.Errorf("HTTP %d → %v, want %v", status, got, want)
		}
	}
	if got := connect.CodeOf(FromUpstream(&upstream.TransportError{Op: "ping", Timeout: true, Err: context.DeadlineExceeded})); got != connect.CodeDeadlineExceeded {
		t.Errorf("timeout → %v", got)
	}
	if got := connect.CodeOf(FromUpstream(&upstream.TransportError{Op: "ping", Err: errors.New("refused")})); got != connect.CodeUnavailable {
		t.Errorf("refused → %v", got)
	}
	if FromUpstream(nil) != nil {
		t.Error("nil became an error")
	}
	orig := connect.NewError(connect.CodeInvalidArgument, "x")
	if FromUpstream(orig) != orig {
		t.Error("connect error not passed through")
	}
}

// The pro-only table matches the spec's x-cloudreve-edition marks.
func TestProOnlyMatchesSpec(t *testing.T) {
	raw, err := os.ReadFile("../../openapi/cloudreve.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var spec struct {
		Paths map[string]map[string]struct {
			OperationID string `yaml:"operationId"`
			Edition     string `yaml:"x-cloudreve-edition"`
		} `yaml:"paths"`
	}
	if err := yaml.Unmarshal(raw, &spec); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, ops := range spec.Paths {
		for _, op := range ops {
			if op.OperationID == "" {
				continue
			}
			n++
			if (op.Edition == "pro") != IsProOnly(op.OperationID) {
				t.Errorf("%s: spec edition %q, table says pro=%v", op.OperationID, op.Edition, IsProOnly(op.OperationID))
			}
		}
	}
	// The docs' 88 and the one admin operation the watcher uses.
	if n != 89 {
		t.Errorf("read %d operations", n)
	}
}

// A batch whose items were named (call.Over) says which were applied.
func TestBatchAppliedItems(t *testing.T) {
	batch := &upstream.Error{Op: "moveFiles", Code: 40081, Items: map[string]*upstream.Error{
		"cloudreve://my/b%20c": {Code: 40016, Msg: "missing"},
	}}
	batch.NameItems([]string{"cloudreve://my/a", "cloudreve://my/b c"})
	info, up := details(t, FromUpstream(batch))
	if len(up.Items) != 1 || up.Items[0].Item != "cloudreve://my/b c" {
		t.Errorf("items %v", up.Items)
	}
	if len(up.Applied) != 1 || up.Applied[0] != "cloudreve://my/a" || info.Reason != "BATCH_PARTLY_FAILED" {
		t.Errorf("applied %v, reason %s", up.Applied, info.Reason)
	}
	// Unnamed: nothing claimed.
	_, up = details(t, FromUpstream(&upstream.Error{Code: 40081, Items: map[string]*upstream.Error{"x": {Code: 40016}}}))
	if len(up.Applied) != 0 {
		t.Errorf("applied %v", up.Applied)
	}
}
