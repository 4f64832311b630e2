// Package callback implements cloudreve.callback.v1.CallbackService: the
// completion calls of uploads made straight to a storage provider.
package callback

import (
	"context"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	callbackv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/callback/v1"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/callback/v1/callbackv1connect"
	"github.com/cloudreve-connect/facade/internal/rpcerror"
	"github.com/cloudreve-connect/facade/internal/upstream"
)

// Service implements callbackv1connect.CallbackServiceHandler.
type Service struct {
	client cloudreveapi.ClientWithResponsesInterface
}

var _ callbackv1connect.CallbackServiceHandler = (*Service)(nil)

// New wires the service.
func New(client cloudreveapi.ClientWithResponsesInterface) *Service {
	return &Service{client: client}
}

// The upstream answers these with HTTP 400/401 carrying an envelope when
// they fail; upstream.Check reads those envelopes like any other.

func (s *Service) CompleteObsUpload(ctx context.Context, req *callbackv1.CompleteObsUploadRequest) (*callbackv1.CompleteObsUploadResponse, error) {
	resp, err := s.client.CompleteObsUploadWithResponse(ctx, req.GetSessionId(), req.GetKey())
	if err := upstream.Check("completeObsUpload", resp, err); err != nil {
		return nil, rpcerror.FromUpstream(err)
	}
	return &callbackv1.CompleteObsUploadResponse{}, nil
}

func (s *Service) CompleteOneDriveUpload(ctx context.Context, req *callbackv1.CompleteOneDriveUploadRequest) (*callbackv1.CompleteOneDriveUploadResponse, error) {
	resp, err := s.client.CompleteOneDriveUploadWithResponse(ctx, req.GetSessionId(), req.GetKey())
	if err := upstream.Check("completeOneDriveUpload", resp, err); err != nil {
		return nil, rpcerror.FromUpstream(err)
	}
	return &callbackv1.CompleteOneDriveUploadResponse{}, nil
}

func (s *Service) CompleteCosUpload(ctx context.Context, req *callbackv1.CompleteCosUploadRequest) (*callbackv1.CompleteCosUploadResponse, error) {
	resp, err := s.client.CompleteCosUploadWithResponse(ctx, req.GetSessionId(), req.GetKey())
	if err := upstream.Check("completeCosUpload", resp, err); err != nil {
		return nil, rpcerror.FromUpstream(err)
	}
	return &callbackv1.CompleteCosUploadResponse{}, nil
}

func (s *Service) CompleteS3Upload(ctx context.Context, req *callbackv1.CompleteS3UploadRequest) (*callbackv1.CompleteS3UploadResponse, error) {
	resp, err := s.client.CompleteS3UploadWithResponse(ctx, req.GetSessionId(), req.GetKey())
	if err := upstream.Check("completeS3Upload", resp, err); err != nil {
		return nil, rpcerror.FromUpstream(err)
	}
	return &callbackv1.CompleteS3UploadResponse{}, nil
}
