// Package file implements cloudreve.file.v1.FileService: each unary RPC maps
// onto the Cloudreve REST operation of the same name; UploadFile,
// DownloadFile and StreamFiles orchestrate many REST calls, with the content
// handling in internal/transfer.
package file

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"connectrpc.com/connect/v2"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	filev1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/file/v1"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/file/v1/filev1connect"
	"github.com/cloudreve-connect/facade/internal/auth"
	"github.com/cloudreve-connect/facade/internal/call"
	"github.com/cloudreve-connect/facade/internal/events"
	"github.com/cloudreve-connect/facade/internal/fileevents"
	"github.com/cloudreve-connect/facade/internal/files"
	"github.com/cloudreve-connect/facade/internal/filewatch"
	"github.com/cloudreve-connect/facade/internal/rpcerror"
	"github.com/cloudreve-connect/facade/internal/transfer"
	"github.com/cloudreve-connect/facade/internal/upstream"
	"github.com/cloudreve-connect/facade/internal/values"
)

// Service implements filev1connect.FileServiceHandler.
type Service struct {
	api      cloudreveapi.ClientInterface
	versions *upstream.VersionTracker
	up       *transfer.Uploader
	down     *transfer.Downloader
	log      *slog.Logger

	// File events (watch.go, folderwatch.go).
	identity   *auth.Identifier
	events     fileevents.Doer
	apiBase    string
	eventIdle  time.Duration
	watches    *filewatch.Manager
	fileEvents *events.Files
}

var _ filev1connect.FileServiceHandler = (*Service)(nil)

// Config wires the service.
type Config struct {
	// Client calls the upstream with the caller's credentials.
	Client cloudreveapi.ClientInterface
	// HTTP fetches signed download URLs and sends content to storage
	// providers; it must not add Cloudreve credentials.
	HTTP transfer.Client
	// APIBase is the upstream API root (…/api/v4).
	APIBase string
	// Retry is how failed chunks and broken downloads are retried.
	Retry transfer.Retry
	// IdleTimeout ends a download connection that stays silent this long.
	IdleTimeout time.Duration
	// Versions tells what the upstream's release lacks (nil: nothing), for
	// the checks older servers skip (previous.go).
	Versions *upstream.VersionTracker
	Log      *slog.Logger

	// Identity tells who calls the file event RPCs, which act per user.
	Identity *auth.Identifier
	// Events opens the upstream's file event channel with the credentials
	// of the request's context (or the service account's), with no
	// deadline of its own.
	Events fileevents.Doer
	// EventIdle: a channel silent this long is taken for dead. Default 75s.
	EventIdle time.Duration
	// Watches keeps the durable folder watches, FileEvents is their
	// stream; without them those RPCs answer Unimplemented.
	Watches    *filewatch.Manager
	FileEvents *events.Files
}

// New builds the service.
func New(cfg Config) *Service {
	log := cfg.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if cfg.HTTP == nil {
		cfg.HTTP = http.DefaultClient
	}
	return &Service{
		api:      cfg.Client,
		versions: cfg.Versions,
		up:       &transfer.Uploader{API: cfg.Client, HTTP: cfg.HTTP, APIBase: cfg.APIBase, Retry: cfg.Retry, Log: log},
		down:     &transfer.Downloader{HTTP: cfg.HTTP, Retry: cfg.Retry, IdleTimeout: cfg.IdleTimeout, Log: log},
		log:      log,

		identity: cfg.Identity, events: cfg.Events, apiBase: cfg.APIBase, eventIdle: cmp.Or(cfg.EventIdle, 75*time.Second),
		watches: cfg.Watches, fileEvents: cfg.FileEvents,
	}
}

// errorOf maps a failure to a Connect error: upstream answers through
// rpcerror, the transfer package's own failures here.
func errorOf(err error) error {
	var se *transfer.StoreError
	switch {
	case err == nil:
		return nil
	case errors.Is(err, transfer.ErrSizeMismatch):
		return connect.NewError(connect.CodeInvalidArgument, err.Error()).WithCause(err)
	case errors.Is(err, transfer.ErrUnsupportedPolicy):
		return connect.NewError(connect.CodeUnimplemented, err.Error()).WithCause(err)
	case errors.Is(err, transfer.ErrRangeNotSatisfiable):
		return connect.NewError(connect.CodeOutOfRange, err.Error()).WithCause(err)
	case errors.As(err, &se):
		return connect.NewError(connect.CodeUnavailable, err.Error()).WithCause(err)
	}
	return rpcerror.FromUpstream(err)
}

func (s *Service) GetFileInfo(ctx context.Context, req *filev1.GetFileInfoRequest) (*filev1.GetFileInfoResponse, error) {
	params := &cloudreveapi.GetFileInfoParams{Uri: values.NonZero(req.GetUri()), Id: values.NonZero(req.GetId())}
	if req.GetExtended() {
		params.Extended = values.Ptr(true)
	}
	if req.GetFolderSummary() {
		params.FolderSummary = values.Ptr(true)
	}
	f, err := s.info(ctx, params)
	if err != nil {
		return nil, err
	}
	return &filev1.GetFileInfoResponse{File: f}, nil
}

func (s *Service) info(ctx context.Context, params *cloudreveapi.GetFileInfoParams) (*filev1.File, error) {
	data, err := call.Op[cloudreveapi.FileResponse]("getFileInfo").Need(s.api.GetFileInfo(ctx, params))
	if err != nil {
		return nil, err
	}
	return files.File(data), nil
}

func (s *Service) GetThumbnailUrl(ctx context.Context, req *filev1.GetThumbnailUrlRequest) (*filev1.GetThumbnailUrlResponse, error) {
	d, err := call.Op[cloudreveapi.FileThumbResponse]("getThumbnailUrl").Need(s.api.GetThumbnailUrl(ctx, &cloudreveapi.GetThumbnailUrlParams{Uri: req.GetUri(), XCrContextHint: values.NonZero(req.GetContextHint())}))
	if err != nil {
		return nil, err
	}
	out := &filev1.GetThumbnailUrlResponse{Url: d.Url, Obfuscated: values.Deref(d.Obfuscated)}
	if d.Expires != nil {
		out.Expires = values.Timestamp(*d.Expires)
	}
	return out, nil
}

func (s *Service) GetArchiveFileList(ctx context.Context, req *filev1.GetArchiveFileListRequest) (*filev1.GetArchiveFileListResponse, error) {
	if err := call.Operation(s.versions, upstream.FeatureGetArchiveFileList); err != nil {
		return nil, err
	}
	params := &cloudreveapi.GetArchiveFileListParams{Uri: req.GetUri(), Entity: values.NonZero(req.GetEntity())}
	if e := req.GetTextEncoding(); e != "" {
		enc := cloudreveapi.GetArchiveFileListParamsTextEncoding(e)
		params.TextEncoding = &enc
	}
	data, err := call.Op[cloudreveapi.ArchiveListFilesResponse]("getArchiveFileList").Do(s.api.GetArchiveFileList(ctx, params))
	if err != nil {
		return nil, err
	}
	out := &filev1.GetArchiveFileListResponse{}
	if d := data; d != nil {
		out.Files = files.ArchivedFiles(d.Files)
	}
	return out, nil
}

func (s *Service) UpdateFileContent(ctx context.Context, req *filev1.UpdateFileContentRequest) (*filev1.UpdateFileContentResponse, error) {
	data, err := call.Op[cloudreveapi.FileResponse]("updateFileContent").Need(s.api.UpdateFileContentWithBody(ctx,
		&cloudreveapi.UpdateFileContentParams{Uri: req.GetUri(), Previous: values.NonZero(req.GetPrevious())},
		"application/octet-stream", bytes.NewReader(req.GetContent())))
	if err != nil {
		return nil, err
	}
	return &filev1.UpdateFileContentResponse{File: files.File(data)}, nil
}

func (s *Service) CreateViewerSession(ctx context.Context, req *filev1.CreateViewerSessionRequest) (*filev1.CreateViewerSessionResponse, error) {
	body := cloudreveapi.CreateViewerSessionService{
		Uri: req.GetUri(), ViewerId: req.GetViewerId(), Version: values.NonZero(req.GetVersion()), ParentUri: values.NonZero(req.GetParentUri()),
		PreferredAction: cloudreveapi.CreateViewerSessionServicePreferredAction(req.GetPreferredAction()),
	}
	d, err := call.Op[cloudreveapi.ViewerSessionResponse]("createViewerSession").Need(s.api.CreateViewerSession(ctx, body))
	if err != nil {
		return nil, err
	}
	return &filev1.CreateViewerSessionResponse{
		Session: &filev1.ViewerSession{Id: d.Session.Id, AccessToken: d.Session.AccessToken, Expires: values.Timestamp(time.UnixMilli(d.Session.Expires))},
		WopiSrc: values.Deref(d.WopiSrc),
	}, nil
}

var fileTypes = map[filev1.FileType]cloudreveapi.CreateFileServiceType{
	filev1.FileType_FILE_TYPE_FILE:   cloudreveapi.CreateFileServiceTypeFile,
	filev1.FileType_FILE_TYPE_FOLDER: cloudreveapi.CreateFileServiceTypeFolder,
}

func (s *Service) CreateFile(ctx context.Context, req *filev1.CreateFileRequest) (*filev1.CreateFileResponse, error) {
	body := cloudreveapi.CreateFileService{Uri: req.GetUri(), Type: fileTypes[req.GetType()]}
	if len(req.GetMetadata()) > 0 {
		m := req.GetMetadata()
		body.Metadata = &m
	}
	if req.GetErrOnConflict() {
		body.ErrOnConflict = values.Ptr(true)
	}
	data, err := call.Op[cloudreveapi.FileResponse]("createFile").Need(s.api.CreateFile(ctx, body))
	if err != nil {
		return nil, err
	}
	return &filev1.CreateFileResponse{File: files.File(data)}, nil
}

func (s *Service) RenameFile(ctx context.Context, req *filev1.RenameFileRequest) (*filev1.RenameFileResponse, error) {
	data, err := call.Op[cloudreveapi.FileResponse]("renameFile").Need(s.api.RenameFile(ctx, cloudreveapi.RenameFileService{Uri: req.GetUri(), NewName: req.GetNewName()}))
	if err != nil {
		return nil, err
	}
	return &filev1.RenameFileResponse{File: files.File(data)}, nil
}

func (s *Service) MoveFiles(ctx context.Context, req *filev1.MoveFilesRequest) (*filev1.MoveFilesResponse, error) {
	body := cloudreveapi.MoveFileService{Uris: req.GetUris(), Dst: req.GetDst()}
	if req.GetCopy() {
		body.Copy = values.Ptr(true)
	}
	if err := call.Action("moveFiles").Over(req.GetUris()).Do(s.api.MoveFiles(ctx, body)); err != nil {
		return nil, err
	}
	return &filev1.MoveFilesResponse{}, nil
}

func (s *Service) CreateDownloadUrl(ctx context.Context, req *filev1.CreateDownloadUrlRequest) (*filev1.CreateDownloadUrlResponse, error) {
	body := cloudreveapi.FileURLService{
		Uris: req.GetUris(), Entity: values.NonZero(req.GetEntity()),
		Download: values.NonZero(req.GetDownload()), UsePrimarySiteUrl: values.NonZero(req.GetUsePrimarySiteUrl()),
		SkipError: values.NonZero(req.GetSkipError()), Archive: values.NonZero(req.GetArchive()), NoCache: values.NonZero(req.GetNoCache()),
	}
	d, err := call.Op[cloudreveapi.FileURLResponse]("createDownloadUrl").Over(req.GetUris()).Need(s.api.CreateDownloadUrl(ctx, &cloudreveapi.CreateDownloadUrlParams{XCrContextHint: values.NonZero(req.GetContextHint())}, body))
	if err != nil {
		return nil, err
	}
	out := &filev1.CreateDownloadUrlResponse{}
	for _, u := range d.Urls {
		out.Urls = append(out.Urls, &filev1.EntityUrl{Url: u.Url, StreamSaverDisplayName: values.Deref(u.StreamSaverDisplayName)})
	}
	if d.Expires != nil {
		out.Expires = values.Timestamp(*d.Expires)
	}
	return out, nil
}

func (s *Service) RestoreFiles(ctx context.Context, req *filev1.RestoreFilesRequest) (*filev1.RestoreFilesResponse, error) {
	if err := call.Action("restoreFiles").Over(req.GetUris()).Do(s.api.RestoreFiles(ctx, cloudreveapi.RestoreFileService{Uris: req.GetUris()})); err != nil {
		return nil, err
	}
	return &filev1.RestoreFilesResponse{}, nil
}

func (s *Service) DeleteFiles(ctx context.Context, req *filev1.DeleteFilesRequest) (*filev1.DeleteFilesResponse, error) {
	body := cloudreveapi.DeleteFileService{Uris: req.GetUris(), Unlink: values.NonZero(req.GetUnlink()), SkipSoftDelete: values.NonZero(req.GetSkipSoftDelete())}
	if err := call.Action("deleteFiles").Over(req.GetUris()).Do(s.api.DeleteFiles(ctx, body)); err != nil {
		return nil, err
	}
	return &filev1.DeleteFilesResponse{}, nil
}

func (s *Service) ForceUnlock(ctx context.Context, req *filev1.ForceUnlockRequest) (*filev1.ForceUnlockResponse, error) {
	if err := call.Action("forceUnlock").Do(s.api.ForceUnlock(ctx, cloudreveapi.UnlockFileService{Tokens: req.GetTokens()})); err != nil {
		return nil, err
	}
	return &filev1.ForceUnlockResponse{}, nil
}

func (s *Service) PatchMetadata(ctx context.Context, req *filev1.PatchMetadataRequest) (*filev1.PatchMetadataResponse, error) {
	body := cloudreveapi.PatchMetadataService{Uris: req.GetUris()}
	for _, p := range req.GetPatches() {
		patch := cloudreveapi.MetadataPatch{Key: p.GetKey(), Remove: values.NonZero(p.GetRemove())}
		if !p.GetRemove() {
			v := p.GetValue()
			patch.Value = &v
		}
		body.Patches = append(body.Patches, patch)
	}
	if err := call.Action("patchMetadata").Over(req.GetUris()).Do(s.api.PatchMetadata(ctx, body)); err != nil {
		return nil, err
	}
	return &filev1.PatchMetadataResponse{}, nil
}

func (s *Service) MountStoragePolicy(ctx context.Context, req *filev1.MountStoragePolicyRequest) (*filev1.MountStoragePolicyResponse, error) {
	if err := call.Action("mountStoragePolicy").Do(s.api.MountStoragePolicy(ctx, cloudreveapi.MountStoragePolicyService{Uri: req.GetUri(), PolicyId: req.GetPolicyId()})); err != nil {
		return nil, err
	}
	return &filev1.MountStoragePolicyResponse{}, nil
}

func (s *Service) UpdateViewSetting(ctx context.Context, req *filev1.UpdateViewSettingRequest) (*filev1.UpdateViewSettingResponse, error) {
	if err := call.Action("updateViewSetting").Do(s.api.UpdateViewSetting(ctx, cloudreveapi.PatchViewService{Uri: req.GetUri(), View: files.ViewToUpstream(req.GetView())})); err != nil {
		return nil, err
	}
	return &filev1.UpdateViewSettingResponse{}, nil
}

func (s *Service) SetPermission(ctx context.Context, req *filev1.SetPermissionRequest) (*filev1.SetPermissionResponse, error) {
	body := cloudreveapi.SetPermissionService{Uris: req.GetUris(), Setting: *files.PermissionSettingToUpstream(req.GetSetting())}
	if err := call.Action("setPermission").Over(req.GetUris()).Do(s.api.SetPermission(ctx, body)); err != nil {
		return nil, err
	}
	return &filev1.SetPermissionResponse{}, nil
}

func (s *Service) DeletePermission(ctx context.Context, req *filev1.DeletePermissionRequest) (*filev1.DeletePermissionResponse, error) {
	if err := call.Action("deletePermissionSetting").Over(req.GetUris()).Do(s.api.DeletePermissionSetting(ctx, cloudreveapi.DeletePermissionService{Uris: req.GetUris()})); err != nil {
		return nil, err
	}
	return &filev1.DeletePermissionResponse{}, nil
}

func (s *Service) CreateUploadSession(ctx context.Context, req *filev1.CreateUploadSessionRequest) (*filev1.CreateUploadSessionResponse, error) {
	body := cloudreveapi.CreateUploadSessionService{
		Uri: req.GetUri(), Size: values.Ptr(req.GetSize()), MimeType: values.NonZero(req.GetMimeType()), PolicyId: values.NonZero(req.GetPolicyId()),
		Previous: values.NonZero(req.GetPrevious()),
	}
	if body.PolicyId == nil {
		// As UploadFile does: 4.0.0 refuses a session without one.
		body.PolicyId = s.policyFor(ctx, req.GetUri())
	}
	if t := req.GetLastModified(); t != nil {
		body.LastModified = values.Ptr(t.AsTime().UnixMilli())
	}
	if len(req.GetMetadata()) > 0 {
		m := req.GetMetadata()
		body.Metadata = &m
	}
	if et := req.GetEntityType(); et != "" {
		t := cloudreveapi.CreateUploadSessionServiceEntityType(et)
		body.EntityType = &t
	}
	if body.EntityType != nil && *body.EntityType == cloudreveapi.CreateUploadSessionServiceEntityTypeVersion {
		// On servers that skip the check, it runs here, before the session
		// opens. Once open, the session locks the file (other writers get
		// 40073) until the caller's last chunk, so only a change between
		// this check and the session's creation goes unnoticed.
		if _, err := s.checkPrevious(ctx, req.GetUri(), req.GetPrevious()); err != nil {
			return nil, err
		}
	}
	if len(req.GetEncryptionSupported()) > 0 {
		ciphers := make([]cloudreveapi.EncryptionCipher, 0, len(req.GetEncryptionSupported()))
		for _, c := range req.GetEncryptionSupported() {
			ciphers = append(ciphers, cloudreveapi.EncryptionCipher(c))
		}
		body.EncryptionSupported = &ciphers
	}
	data, err := call.Op[cloudreveapi.UploadSessionResponse]("createUploadSession").Need(s.api.CreateUploadSession(ctx, body))
	if err != nil {
		return nil, err
	}
	return &filev1.CreateUploadSessionResponse{Session: files.UploadSession(data)}, nil
}

func (s *Service) UploadFileChunk(ctx context.Context, req *filev1.UploadFileChunkRequest) (*filev1.UploadFileChunkResponse, error) {
	content := req.GetContent()
	if err := call.Action("uploadFileChunk").Do(s.api.UploadFileChunkWithBody(ctx, req.GetSessionId(), int(req.GetIndex()), "application/octet-stream", bytes.NewReader(content),
		func(_ context.Context, r *http.Request) error {
			r.ContentLength = int64(len(content))
			return nil
		})); err != nil {
		return nil, err
	}
	return &filev1.UploadFileChunkResponse{}, nil
}

func (s *Service) DeleteUploadSession(ctx context.Context, req *filev1.DeleteUploadSessionRequest) (*filev1.DeleteUploadSessionResponse, error) {
	if err := call.Action("deleteUploadSession").Do(s.api.DeleteUploadSession(ctx, cloudreveapi.DeleteUploadSessionService{Id: req.GetId(), Uri: req.GetUri()})); err != nil {
		return nil, err
	}
	return &filev1.DeleteUploadSessionResponse{}, nil
}

func (s *Service) PinToSidebar(ctx context.Context, req *filev1.PinToSidebarRequest) (*filev1.PinToSidebarResponse, error) {
	if err := call.Action("pinToSidebar").Do(s.api.PinToSidebar(ctx, cloudreveapi.PinFileService{Uri: req.GetUri(), Name: values.NonZero(req.GetName())})); err != nil {
		return nil, err
	}
	return &filev1.PinToSidebarResponse{}, nil
}

func (s *Service) DeletePin(ctx context.Context, req *filev1.DeletePinRequest) (*filev1.DeletePinResponse, error) {
	if err := call.Action("deletePin").Do(s.api.DeletePin(ctx, cloudreveapi.PinFileService{Uri: req.GetUri()})); err != nil {
		return nil, err
	}
	return &filev1.DeletePinResponse{}, nil
}

func (s *Service) SetFileVersion(ctx context.Context, req *filev1.SetFileVersionRequest) (*filev1.SetFileVersionResponse, error) {
	if err := call.Action("setFileVersion").Do(s.api.SetFileVersion(ctx, cloudreveapi.FileVersionService{Uri: req.GetUri(), Version: req.GetVersion()})); err != nil {
		return nil, err
	}
	return &filev1.SetFileVersionResponse{}, nil
}

func (s *Service) DeleteFileVersion(ctx context.Context, req *filev1.DeleteFileVersionRequest) (*filev1.DeleteFileVersionResponse, error) {
	if err := call.Action("deleteFileVersion").Do(s.api.DeleteFileVersion(ctx, cloudreveapi.FileVersionService{Uri: req.GetUri(), Version: req.GetVersion()})); err != nil {
		return nil, err
	}
	return &filev1.DeleteFileVersionResponse{}, nil
}

func (s *Service) CreateDirectLinks(ctx context.Context, req *filev1.CreateDirectLinksRequest) (*filev1.CreateDirectLinksResponse, error) {
	data, err := call.Op[[]cloudreveapi.DirectLinkResponse]("createDirectLinks").Over(req.GetUris()).Do(s.api.CreateDirectLinks(ctx, cloudreveapi.GetDirectLinkService{Uris: req.GetUris()}))
	if err != nil {
		return nil, err
	}
	out := &filev1.CreateDirectLinksResponse{}
	if d := data; d != nil {
		for _, l := range *d {
			out.Links = append(out.Links, &filev1.CreatedDirectLink{Link: l.Link, FileUrl: l.FileUrl})
		}
	}
	return out, nil
}

func (s *Service) DeleteDirectLink(ctx context.Context, req *filev1.DeleteDirectLinkRequest) (*filev1.DeleteDirectLinkResponse, error) {
	if err := call.Operation(s.versions, upstream.FeatureDeleteDirectLink); err != nil {
		return nil, err
	}
	if err := call.Action("deleteDirectLink").Do(s.api.DeleteDirectLink(ctx, req.GetId())); err != nil {
		return nil, err
	}
	return &filev1.DeleteDirectLinkResponse{}, nil
}
