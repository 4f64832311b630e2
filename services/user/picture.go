package user

import (
	"context"
	"io"
	"net/http"
	"strings"
	"time"

	"connectrpc.com/connect/v2"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	userv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/user/v1"
	"github.com/cloudreve-connect/facade/internal/call"
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
	resp, err := s.api.GetProfilePicture(upstream.WithoutRedirects(ctx), req.GetUserId(), params)
	if err != nil {
		return nil, call.Action(op).Do(resp, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxPictureBytes))
	if err != nil {
		return nil, call.Action(op).Do(nil, err)
	}
	status, contentType := resp.StatusCode, resp.Header.Get("Content-Type")
	switch {
	case status == http.StatusFound && resp.Header.Get("Location") != "":
		return &userv1.GetProfilePictureResponse{RedirectUrl: resp.Header.Get("Location")}, nil
	case status == http.StatusNotFound && len(body) == 0:
		// An empty 404 is this operation's "no picture set" (a missing
		// route would say "404 page not found").
		return nil, connect.NewError(connect.CodeNotFound, errNoPicture.Error()).WithCause(errNoPicture)
	case status == http.StatusOK && !strings.Contains(contentType, "json"):
		out := &userv1.GetProfilePictureResponse{Content: body, ContentType: contentType}
		if t, err := http.ParseTime(resp.Header.Get("Last-Modified")); err == nil {
			out.LastModified = timestamppb.New(t.UTC().Truncate(time.Second))
		}
		return out, nil
	}
	// An envelope: the user is unknown (40021), or something unexpected.
	if err := upstream.CheckBody(op, status, contentType, body); err != nil {
		return nil, rpcerror.FromUpstream(err)
	}
	return nil, call.NoData(op)
}

// maxPictureBytes bounds a profile picture read into memory; Cloudreve
// stores avatars resized to a few hundred pixels.
const maxPictureBytes = 8 << 20

var errNoPicture = noPictureError{}

type noPictureError struct{}

func (noPictureError) Error() string { return "the user has no profile picture" }
