// Package file implements cloudreve.file.v1.FileService: each unary RPC maps
// onto the Cloudreve REST operation of the same name; UploadFile,
// DownloadFile and StreamFiles orchestrate many REST calls, with the content
// handling in internal/transfer.
package file

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"connectrpc.com/connect"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	filev1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/file/v1"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/file/v1/filev1connect"
	"github.com/cloudreve-connect/facade/internal/files"
	"github.com/cloudreve-connect/facade/internal/rpcerror"
	"github.com/cloudreve-connect/facade/internal/transfer"
	"github.com/cloudreve-connect/facade/internal/upstream"
	"github.com/cloudreve-connect/facade/internal/values"
)

// Service implements filev1connect.FileServiceHandler.
type Service struct {
	client cloudreveapi.ClientWithResponsesInterface
	up     *transfer.Uploader
	down   *transfer.Downloader
	log    *slog.Logger
}

var _ filev1connect.FileServiceHandler = (*Service)(nil)

// Config wires the service.
type Config struct {
	// Client calls the upstream with the caller's credentials.
	Client cloudreveapi.ClientWithResponsesInterface
	// HTTP fetches signed download URLs and sends content to storage
	// providers; it must not add Cloudreve credentials.
	HTTP transfer.Client
	// APIBase is the upstream API root (…/api/v4).
	APIBase string
	// Retry is how failed chunks and broken downloads are retried.
	Retry transfer.Retry
	// IdleTimeout ends a download connection that stays silent this long.
	IdleTimeout time.Duration
	Log         *slog.Logger
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
		client: cfg.Client,
		up:     &transfer.Uploader{API: cfg.Client, HTTP: cfg.HTTP, APIBase: cfg.APIBase, Retry: cfg.Retry, Log: log},
		down:   &transfer.Downloader{HTTP: cfg.HTTP, Retry: cfg.Retry, IdleTimeout: cfg.IdleTimeout, Log: log},
		log:    log,
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
		return connect.NewError(connect.CodeInvalidArgument, err)
	case errors.Is(err, transfer.ErrUnsupportedPolicy):
		return connect.NewError(connect.CodeUnimplemented, err)
	case errors.Is(err, transfer.ErrRangeNotSatisfiable):
		return connect.NewError(connect.CodeOutOfRange, err)
	case errors.As(err, &se):
		return connect.NewError(connect.CodeUnavailable, err)
	}
	return withLocks(rpcerror.FromUpstream(err))
}

// check judges an upstream answer and maps its failure.
func check(op string, resp upstream.Response, err error) error {
	return withLocks(rpcerror.FromUpstream(upstream.Check(op, resp, err)))
}

// withLocks adds the locks of a lock conflict (40073, whose data lists
// them) to its Connect error as a cloudreve.file.v1.LockConflict detail, so
// that callers can release them with ForceUnlock.
func withLocks(err error) error {
	var ue *upstream.Error
	var ce *connect.Error
	if !errors.As(err, &ue) || ue.Code != upstream.CodeLockConflict || len(ue.Data) == 0 || !errors.As(err, &ce) {
		return err
	}
	var locks []cloudreveapi.ConflictDetail
	if json.Unmarshal(ue.Data, &locks) != nil || len(locks) == 0 {
		return err
	}
	detail := &filev1.LockConflict{}
	for _, l := range locks {
		app := l.Owner.Application
		detail.Locks = append(detail.Locks, &filev1.Lock{
			Path: values.Deref(l.Path), Token: values.Deref(l.Token), Type: files.FileType(l.Type),
			Application: string(app.Type), ViewerId: values.Deref(app.ViewerId), InnerXml: values.Deref(app.InnerXml),
		})
	}
	if d, derr := connect.NewErrorDetail(detail); derr == nil {
		ce.AddDetail(d)
	}
	return ce
}

// answerWithout is the error for a success answer that lacks its data.
func answerWithout(op string, resp upstream.Response, what string) error {
	return connect.NewError(connect.CodeInternal, &upstream.HTTPError{Op: op, StatusCode: resp.StatusCode(), Reason: "answer without " + what})
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
	resp, err := s.client.GetFileInfoWithResponse(ctx, params)
	if err := check("getFileInfo", resp, err); err != nil {
		return nil, err
	}
	if resp.JSON200.Data == nil {
		return nil, answerWithout("getFileInfo", resp, "a file")
	}
	return files.File(resp.JSON200.Data), nil
}

func (s *Service) GetThumbnailUrl(ctx context.Context, req *filev1.GetThumbnailUrlRequest) (*filev1.GetThumbnailUrlResponse, error) {
	resp, err := s.client.GetThumbnailUrlWithResponse(ctx, &cloudreveapi.GetThumbnailUrlParams{Uri: req.GetUri(), XCrContextHint: values.NonZero(req.GetContextHint())})
	if err := check("getThumbnailUrl", resp, err); err != nil {
		return nil, err
	}
	d := resp.JSON200.Data
	if d == nil {
		return nil, answerWithout("getThumbnailUrl", resp, "a URL")
	}
	out := &filev1.GetThumbnailUrlResponse{Url: d.Url, Obfuscated: values.Deref(d.Obfuscated)}
	if d.Expires != nil {
		out.Expires = values.Timestamp(*d.Expires)
	}
	return out, nil
}

func (s *Service) GetArchiveFileList(ctx context.Context, req *filev1.GetArchiveFileListRequest) (*filev1.GetArchiveFileListResponse, error) {
	params := &cloudreveapi.GetArchiveFileListParams{Uri: req.GetUri(), Entity: values.NonZero(req.GetEntity())}
	if e := req.GetTextEncoding(); e != "" {
		enc := cloudreveapi.GetArchiveFileListParamsTextEncoding(e)
		params.TextEncoding = &enc
	}
	resp, err := s.client.GetArchiveFileListWithResponse(ctx, params)
	if err := check("getArchiveFileList", resp, err); err != nil {
		return nil, err
	}
	out := &filev1.GetArchiveFileListResponse{}
	if d := resp.JSON200.Data; d != nil {
		out.Files = files.ArchivedFiles(d.Files)
	}
	return out, nil
}

func (s *Service) UpdateFileContent(ctx context.Context, req *filev1.UpdateFileContentRequest) (*filev1.UpdateFileContentResponse, error) {
	resp, err := s.client.UpdateFileContentWithBodyWithResponse(ctx,
		&cloudreveapi.UpdateFileContentParams{Uri: req.GetUri(), Previous: values.NonZero(req.GetPrevious())},
		"application/octet-stream", bytes.NewReader(req.GetContent()))
	if err := check("updateFileContent", resp, err); err != nil {
		return nil, err
	}
	if resp.JSON200.Data == nil {
		return nil, answerWithout("updateFileContent", resp, "a file")
	}
	return &filev1.UpdateFileContentResponse{File: files.File(resp.JSON200.Data)}, nil
}

func (s *Service) CreateViewerSession(ctx context.Context, req *filev1.CreateViewerSessionRequest) (*filev1.CreateViewerSessionResponse, error) {
	body := cloudreveapi.CreateViewerSessionService{
		Uri: req.GetUri(), ViewerId: req.GetViewerId(), Version: values.NonZero(req.GetVersion()), ParentUri: values.NonZero(req.GetParentUri()),
		PreferredAction: cloudreveapi.CreateViewerSessionServicePreferredAction(req.GetPreferredAction()),
	}
	resp, err := s.client.CreateViewerSessionWithResponse(ctx, body)
	if err := check("createViewerSession", resp, err); err != nil {
		return nil, err
	}
	d := resp.JSON200.Data
	if d == nil {
		return nil, answerWithout("createViewerSession", resp, "a session")
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
	resp, err := s.client.CreateFileWithResponse(ctx, body)
	if err := check("createFile", resp, err); err != nil {
		return nil, err
	}
	if resp.JSON200.Data == nil {
		return nil, answerWithout("createFile", resp, "a file")
	}
	return &filev1.CreateFileResponse{File: files.File(resp.JSON200.Data)}, nil
}

func (s *Service) RenameFile(ctx context.Context, req *filev1.RenameFileRequest) (*filev1.RenameFileResponse, error) {
	resp, err := s.client.RenameFileWithResponse(ctx, cloudreveapi.RenameFileService{Uri: req.GetUri(), NewName: req.GetNewName()})
	if err := check("renameFile", resp, err); err != nil {
		return nil, err
	}
	if resp.JSON200.Data == nil {
		return nil, answerWithout("renameFile", resp, "a file")
	}
	return &filev1.RenameFileResponse{File: files.File(resp.JSON200.Data)}, nil
}

func (s *Service) MoveFiles(ctx context.Context, req *filev1.MoveFilesRequest) (*filev1.MoveFilesResponse, error) {
	body := cloudreveapi.MoveFileService{Uris: req.GetUris(), Dst: req.GetDst()}
	if req.GetCopy() {
		body.Copy = values.Ptr(true)
	}
	resp, err := s.client.MoveFilesWithResponse(ctx, body)
	if err := check("moveFiles", resp, err); err != nil {
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
	resp, err := s.client.CreateDownloadUrlWithResponse(ctx, &cloudreveapi.CreateDownloadUrlParams{XCrContextHint: values.NonZero(req.GetContextHint())}, body)
	if err := check("createDownloadUrl", resp, err); err != nil {
		return nil, err
	}
	d := resp.JSON200.Data
	if d == nil {
		return nil, answerWithout("createDownloadUrl", resp, "URLs")
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
	resp, err := s.client.RestoreFilesWithResponse(ctx, cloudreveapi.RestoreFileService{Uris: req.GetUris()})
	if err := check("restoreFiles", resp, err); err != nil {
		return nil, err
	}
	return &filev1.RestoreFilesResponse{}, nil
}

func (s *Service) DeleteFiles(ctx context.Context, req *filev1.DeleteFilesRequest) (*filev1.DeleteFilesResponse, error) {
	body := cloudreveapi.DeleteFileService{Uris: req.GetUris(), Unlink: values.NonZero(req.GetUnlink()), SkipSoftDelete: values.NonZero(req.GetSkipSoftDelete())}
	resp, err := s.client.DeleteFilesWithResponse(ctx, body)
	if err := check("deleteFiles", resp, err); err != nil {
		return nil, err
	}
	return &filev1.DeleteFilesResponse{}, nil
}

func (s *Service) ForceUnlock(ctx context.Context, req *filev1.ForceUnlockRequest) (*filev1.ForceUnlockResponse, error) {
	resp, err := s.client.ForceUnlockWithResponse(ctx, cloudreveapi.UnlockFileService{Tokens: req.GetTokens()})
	if err := check("forceUnlock", resp, err); err != nil {
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
	resp, err := s.client.PatchMetadataWithResponse(ctx, body)
	if err := check("patchMetadata", resp, err); err != nil {
		return nil, err
	}
	return &filev1.PatchMetadataResponse{}, nil
}

func (s *Service) MountStoragePolicy(ctx context.Context, req *filev1.MountStoragePolicyRequest) (*filev1.MountStoragePolicyResponse, error) {
	resp, err := s.client.MountStoragePolicyWithResponse(ctx, cloudreveapi.MountStoragePolicyService{Uri: req.GetUri(), PolicyId: req.GetPolicyId()})
	if err := check("mountStoragePolicy", resp, err); err != nil {
		return nil, err
	}
	return &filev1.MountStoragePolicyResponse{}, nil
}

func (s *Service) UpdateViewSetting(ctx context.Context, req *filev1.UpdateViewSettingRequest) (*filev1.UpdateViewSettingResponse, error) {
	resp, err := s.client.UpdateViewSettingWithResponse(ctx, cloudreveapi.PatchViewService{Uri: req.GetUri(), View: files.ViewToUpstream(req.GetView())})
	if err := check("updateViewSetting", resp, err); err != nil {
		return nil, err
	}
	return &filev1.UpdateViewSettingResponse{}, nil
}

func (s *Service) SetPermission(ctx context.Context, req *filev1.SetPermissionRequest) (*filev1.SetPermissionResponse, error) {
	body := cloudreveapi.SetPermissionService{Uris: req.GetUris(), Setting: *files.PermissionSettingToUpstream(req.GetSetting())}
	resp, err := s.client.SetPermissionWithResponse(ctx, body)
	if err := check("setPermission", resp, err); err != nil {
		return nil, err
	}
	return &filev1.SetPermissionResponse{}, nil
}

func (s *Service) DeletePermission(ctx context.Context, req *filev1.DeletePermissionRequest) (*filev1.DeletePermissionResponse, error) {
	resp, err := s.client.DeletePermissionSettingWithResponse(ctx, cloudreveapi.DeletePermissionService{Uris: req.GetUris()})
	if err := check("deletePermissionSetting", resp, err); err != nil {
		return nil, err
	}
	return &filev1.DeletePermissionResponse{}, nil
}

func (s *Service) CreateUploadSession(ctx context.Context, req *filev1.CreateUploadSessionRequest) (*filev1.CreateUploadSessionResponse, error) {
	body := cloudreveapi.CreateUploadSessionService{
		Uri: req.GetUri(), Size: values.Ptr(req.GetSize()), MimeType: values.NonZero(req.GetMimeType()), PolicyId: values.NonZero(req.GetPolicyId()),
		Previous: values.NonZero(req.GetPrevious()),
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
	if len(req.GetEncryptionSupported()) > 0 {
		ciphers := make([]cloudreveapi.EncryptionCipher, 0, len(req.GetEncryptionSupported()))
		for _, c := range req.GetEncryptionSupported() {
			ciphers = append(ciphers, cloudreveapi.EncryptionCipher(c))
		}
		body.EncryptionSupported = &ciphers
	}
	resp, err := s.client.CreateUploadSessionWithResponse(ctx, body)
	if err := check("createUploadSession", resp, err); err != nil {
		return nil, err
	}
	if resp.JSON200.Data == nil {
		return nil, answerWithout("createUploadSession", resp, "a session")
	}
	return &filev1.CreateUploadSessionResponse{Session: files.UploadSession(resp.JSON200.Data)}, nil
}

func (s *Service) UploadFileChunk(ctx context.Context, req *filev1.UploadFileChunkRequest) (*filev1.UploadFileChunkResponse, error) {
	content := req.GetContent()
	resp, err := s.client.UploadFileChunkWithBodyWithResponse(ctx, req.GetSessionId(), int(req.GetIndex()), "application/octet-stream", bytes.NewReader(content),
		func(_ context.Context, r *http.Request) error {
			r.ContentLength = int64(len(content))
			return nil
		})
	if err := check("uploadFileChunk", resp, err); err != nil {
		return nil, err
	}
	return &filev1.UploadFileChunkResponse{}, nil
}

func (s *Service) DeleteUploadSession(ctx context.Context, req *filev1.DeleteUploadSessionRequest) (*filev1.DeleteUploadSessionResponse, error) {
	resp, err := s.client.DeleteUploadSessionWithResponse(ctx, cloudreveapi.DeleteUploadSessionService{Id: req.GetId(), Uri: req.GetUri()})
	if err := check("deleteUploadSession", resp, err); err != nil {
		return nil, err
	}
	return &filev1.DeleteUploadSessionResponse{}, nil
}

func (s *Service) PinToSidebar(ctx context.Context, req *filev1.PinToSidebarRequest) (*filev1.PinToSidebarResponse, error) {
	resp, err := s.client.PinToSidebarWithResponse(ctx, cloudreveapi.PinFileService{Uri: req.GetUri(), Name: values.NonZero(req.GetName())})
	if err := check("pinToSidebar", resp, err); err != nil {
		return nil, err
	}
	return &filev1.PinToSidebarResponse{}, nil
}

func (s *Service) DeletePin(ctx context.Context, req *filev1.DeletePinRequest) (*filev1.DeletePinResponse, error) {
	resp, err := s.client.DeletePinWithResponse(ctx, cloudreveapi.PinFileService{Uri: req.GetUri()})
	if err := check("deletePin", resp, err); err != nil {
		return nil, err
	}
	return &filev1.DeletePinResponse{}, nil
}

func (s *Service) SetFileVersion(ctx context.Context, req *filev1.SetFileVersionRequest) (*filev1.SetFileVersionResponse, error) {
	resp, err := s.client.SetFileVersionWithResponse(ctx, cloudreveapi.FileVersionService{Uri: req.GetUri(), Version: req.GetVersion()})
	if err := check("setFileVersion", resp, err); err != nil {
		return nil, err
	}
	return &filev1.SetFileVersionResponse{}, nil
}

func (s *Service) DeleteFileVersion(ctx context.Context, req *filev1.DeleteFileVersionRequest) (*filev1.DeleteFileVersionResponse, error) {
	resp, err := s.client.DeleteFileVersionWithResponse(ctx, cloudreveapi.FileVersionService{Uri: req.GetUri(), Version: req.GetVersion()})
	if err := check("deleteFileVersion", resp, err); err != nil {
		return nil, err
	}
	return &filev1.DeleteFileVersionResponse{}, nil
}

func (s *Service) CreateDirectLinks(ctx context.Context, req *filev1.CreateDirectLinksRequest) (*filev1.CreateDirectLinksResponse, error) {
	resp, err := s.client.CreateDirectLinksWithResponse(ctx, cloudreveapi.GetDirectLinkService{Uris: req.GetUris()})
	if err := check("createDirectLinks", resp, err); err != nil {
		return nil, err
	}
	out := &filev1.CreateDirectLinksResponse{}
	if d := resp.JSON200.Data; d != nil {
		for _, l := range *d {
			out.Links = append(out.Links, &filev1.CreatedDirectLink{Link: l.Link, FileUrl: l.FileUrl})
		}
	}
	return out, nil
}

func (s *Service) DeleteDirectLink(ctx context.Context, req *filev1.DeleteDirectLinkRequest) (*filev1.DeleteDirectLinkResponse, error) {
	resp, err := s.client.DeleteDirectLinkWithResponse(ctx, req.GetId())
	if err := check("deleteDirectLink", resp, err); err != nil {
		return nil, err
	}
	return &filev1.DeleteDirectLinkResponse{}, nil
}
