package user

import (
	"context"
	"net/http"
	"strings"
	"time"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	userv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/user/v1"
	"github.com/cloudreve-connect/facade/internal/rpcerror"
	"github.com/cloudreve-connect/facade/internal/upstream"
)

// GetProfilePicture returns the picture's bytes, or the Gravatar URL the
// upstream redirects to (never followed: the caller decides whether to).
func (s *Service) GetProfilePicture(ctx context.Context, req *userv1.GetProfilePictureRequest) (*userv1.GetProfilePictureResponse, error) {
	const op = "getProfilePicture"
	params := &cloudreveapi.GetProfilePictureParams{}
	if req.GetNocache() {
		nocache := true
		params.Nocache = &nocache
	}
	resp, err := s.client.GetProfilePictureWithResponse(upstream.WithoutRedirects(ctx), req.GetUserId(), params)
	if err != nil {
		return nil, rpcerror.FromUpstream(upstream.Check(op, resp, err))
	}
	status, contentType := resp.StatusCode(), resp.ContentType()
	switch {
	case status == http.StatusFound && resp.Headers302 != nil && resp.Headers302.Location != nil:
		return &userv1.GetProfilePictureResponse{RedirectUrl: *resp.Headers302.Location}, nil
	case status == http.StatusNotFound && len(resp.Body) == 0:
		// An empty 404 is this operation's "no picture set" (a missing
		// route would say "404 page not found").
		return nil, connect.NewError(connect.CodeNotFound, errNoPicture)
	case status == http.StatusOK && !strings.Contains(contentType, "json"):
		out := &userv1.GetProfilePictureResponse{Content: resp.Body, ContentType: contentType}
		if t, err := http.ParseTime(resp.HTTPResponse.Header.Get("Last-Modified")); err == nil {
			out.LastModified = timestamppb.New(t.UTC().Truncate(time.Second))
		}
		return out, nil
	}
	// An envelope: the user is unknown (40021), or something unexpected.
	if err := upstream.Check(op, resp, nil); err != nil {
		return nil, rpcerror.FromUpstream(err)
	}
	return nil, noData(op)
}

var errNoPicture = noPictureError{}

type noPictureError struct{}

func (noPictureError) Error() string { return "the user has no profile picture" }
