package file

import (
	"context"
	"errors"
	"strings"

	"connectrpc.com/connect/v2"
	"google.golang.org/protobuf/types/known/timestamppb"

	filev1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/file/v1"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/file/v1/filev1connect"
	"github.com/cloudreve-connect/facade/internal/events"
	"github.com/cloudreve-connect/facade/internal/fileevents"
	"github.com/cloudreve-connect/facade/internal/filewatch"
	"github.com/cloudreve-connect/facade/internal/lent"
	"github.com/cloudreve-connect/facade/internal/pagetoken"
	"github.com/cloudreve-connect/facade/internal/rpcerror"
)

// defaultWatchPage is ListFolderWatches' page size when the caller names none.
const defaultWatchPage = 100

var errNoWatches = connect.NewError(connect.CodeUnimplemented, "this facade keeps no durable folder watches")

func (s *Service) CreateFolderWatch(ctx context.Context, req *filev1.CreateFolderWatchRequest) (*filev1.CreateFolderWatchResponse, error) {
	if s.watches == nil {
		return nil, errNoWatches
	}
	caller, err := s.identity.Identify(ctx)
	if err != nil {
		return nil, err
	}
	folder, err := ownFolder(req.GetUri())
	if err != nil {
		return nil, err
	}
	if err := fileevents.Check(ctx, s.versions); err != nil {
		return nil, err
	}
	w := filewatch.Watch{UserID: caller.UserID, Folder: folder}
	if !caller.Account {
		w.Tokens = &lent.Tokens{AccessToken: caller.Token, RefreshToken: caller.RefreshToken}
	}
	rec, err := s.watches.Create(ctx, w, false)
	if err != nil {
		return nil, fileevents.RPCError(err, s.versions)
	}
	return &filev1.CreateFolderWatchResponse{Watch: folderWatch(rec)}, nil
}

// ownFolder is the canonical URI of a folder of the caller's own drive: a
// durable watch keeps no share passwords, and follows what the caller owns.
func ownFolder(raw string) (string, error) {
	folder, err := fileevents.CanonicalFolder(raw)
	if err != nil {
		return "", rpcerror.InvalidField("uri", err.Error())
	}
	if folder != "cloudreve://my" && !strings.HasPrefix(folder, "cloudreve://my/") {
		return "", rpcerror.InvalidField("uri", "a durable watch follows a folder of the caller's own drive: cloudreve://my/...")
	}
	return folder, nil
}

func folderWatch(r filewatch.Record) *filev1.FolderWatch {
	return &filev1.FolderWatch{Id: r.WatchID, Uri: r.URI, UserId: r.UserID, CreateTime: timestamppb.New(r.Created), Configured: r.Configured}
}

func (s *Service) DeleteFolderWatch(ctx context.Context, req *filev1.DeleteFolderWatchRequest) (*filev1.DeleteFolderWatchResponse, error) {
	if s.watches == nil {
		return nil, errNoWatches
	}
	caller, err := s.identity.Identify(ctx)
	if err != nil {
		return nil, err
	}
	switch err := s.watches.Delete(ctx, caller.UserID, strings.ToLower(req.GetId())); {
	case errors.Is(err, filewatch.ErrNotFound):
		return nil, connect.Errorf(connect.CodeNotFound, "folder watch %s not found", req.GetId())
	case errors.Is(err, filewatch.ErrConfigured):
		return nil, connect.NewError(connect.CodeFailedPrecondition, err.Error()).WithCause(err)
	case err != nil:
		return nil, connect.NewError(connect.CodeUnavailable, err.Error()).WithCause(err)
	}
	return &filev1.DeleteFolderWatchResponse{}, nil
}

func (s *Service) ListFolderWatches(ctx context.Context, req *filev1.ListFolderWatchesRequest) (*filev1.ListFolderWatchesResponse, error) {
	if s.watches == nil {
		return nil, errNoWatches
	}
	caller, err := s.identity.Identify(ctx)
	if err != nil {
		return nil, err
	}
	tok, err := pagetoken.Parse("page_token", req.GetPageToken())
	if err != nil {
		return nil, err
	}
	size := int(req.GetPageSize())
	if size == 0 {
		size = defaultWatchPage
	}
	recs, err := s.watches.List(ctx, caller.UserID)
	if err != nil {
		return nil, connect.NewError(connect.CodeUnavailable, err.Error()).WithCause(err)
	}
	out := &filev1.ListFolderWatchesResponse{}
	for _, r := range recs { // by id: the page token is the last id given
		if r.WatchID <= tok.Cursor {
			continue
		}
		if len(out.Watches) == size {
			out.NextPageToken = pagetoken.Token{Cursor: out.Watches[size-1].GetId()}.String()
			break
		}
		out.Watches = append(out.Watches, folderWatch(r))
	}
	return out, nil
}

func (s *Service) WatchFileEvents(ctx context.Context, req *filev1.WatchFileEventsRequest, stream filev1connect.FileServiceWatchFileEventsServerStream) error {
	if s.fileEvents == nil {
		return errNoWatches
	}
	caller, err := s.identity.Identify(ctx)
	if err != nil {
		return err
	}
	f := events.StartFilter(caller.UserID, req, stream.SendHeaders)
	for _, k := range req.GetKinds() {
		f.Types = append(f.Types, events.KindName(k))
	}
	watchID := strings.ToLower(req.GetWatchId())
	var last uint64
	err = s.fileEvents.Subscribe(ctx, f, func(d events.FileDelivered) (bool, error) {
		last = d.StreamSequence
		if watchID != "" && d.Event.GetWatchId() != watchID {
			return true, nil
		}
		return true, stream.Send(&filev1.WatchFileEventsResponse{Event: d.Event, StreamSequence: d.StreamSequence})
	})
	var resume *events.ResumeError
	switch {
	case ctx.Err() != nil:
		return connect.Errorf(connect.CodeUnavailable, "the facade ended the stream (shutting down); resume with after_sequence=%d", last)
	case errors.As(err, &resume) && errors.Is(err, events.ErrLagged):
		return connect.Errorf(connect.CodeResourceExhausted, "the stream fell behind; resume with after_sequence=%d", resume.After)
	case errors.As(err, &resume):
		return connect.Errorf(connect.CodeUnavailable, "the event feed was interrupted; resume with after_sequence=%d", resume.After)
	case errors.Is(err, events.ErrBadFilter):
		return connect.NewError(connect.CodeInvalidArgument, err.Error()).WithCause(err)
	}
	return connect.NewError(connect.CodeUnavailable, err.Error()).WithCause(err)
}
