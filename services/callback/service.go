// Package callback implements cloudreve.callback.v1.CallbackService: the
// completion calls of uploads made straight to a storage provider.
package callback

import (
	"context"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	callbackv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/callback/v1"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/callback/v1/callbackv1connect"
	"github.com/cloudreve-connect/facade/internal/call"
)

// Service implements callbackv1connect.CallbackServiceHandler.
type Service struct {
	api cloudreveapi.ClientInterface
}

var _ callbackv1connect.CallbackServiceHandler = (*Service)(nil)

// New wires the service.
func New(api cloudreveapi.ClientInterface) *Service {
	return &Service{api: api}
}

// The upstream answers these with HTTP 400/401 carrying an envelope when
// they fail; upstream.Check reads those envelopes like any other.

func (s *Service) CompleteObsUpload(ctx context.Context, req *callbackv1.CompleteObsUploadRequest) (*callbackv1.CompleteObsUploadResponse, error) {
	if err := call.Action("completeObsUpload").Do(s.api.CompleteObsUpload(ctx, req.GetSessionId(), req.GetKey())); err != nil {
		return nil, err
	}
	return &callbackv1.CompleteObsUploadResponse{}, nil
}

func (s *Service) CompleteOneDriveUpload(ctx context.Context, req *callbackv1.CompleteOneDriveUploadRequest) (*callbackv1.CompleteOneDriveUploadResponse, error) {
	if err := call.Action("completeOneDriveUpload").Do(s.api.CompleteOneDriveUpload(ctx, req.GetSessionId(), req.GetKey())); err != nil {
		return nil, err
	}
	return &callbackv1.CompleteOneDriveUploadResponse{}, nil
}

func (s *Service) CompleteCosUpload(ctx context.Context, req *callbackv1.CompleteCosUploadRequest) (*callbackv1.CompleteCosUploadResponse, error) {
	if err := call.Action("completeCosUpload").Do(s.api.CompleteCosUpload(ctx, req.GetSessionId(), req.GetKey())); err != nil {
		return nil, err
	}
	return &callbackv1.CompleteCosUploadResponse{}, nil
}

func (s *Service) CompleteS3Upload(ctx context.Context, req *callbackv1.CompleteS3UploadRequest) (*callbackv1.CompleteS3UploadResponse, error) {
	if err := call.Action("completeS3Upload").Do(s.api.CompleteS3Upload(ctx, req.GetSessionId(), req.GetKey())); err != nil {
		return nil, err
	}
	return &callbackv1.CompleteS3UploadResponse{}, nil
}
