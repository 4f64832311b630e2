package sandbox

import (
	"context"
	"strings"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	userv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/user/v1"
	"github.com/cloudreve-connect/facade/internal/upstream"
	"github.com/cloudreve-connect/facade/internal/values"
)

// Workflow operations: they validate, queue a task and answer at once; the
// task's timeline runs on its runner (store_runners.go, store_downloads.go).

// CreateArchive is POST /workflow/archive.
func (s *cloudreve) CreateArchive(ctx context.Context, req cloudreveapi.CreateArchiveRequestObject) (cloudreveapi.CreateArchiveResponseObject, error) {
	b := req.Body
	if len(b.Src) == 0 {
		return nil, bindErr("Src cannot be empty")
	}
	if b.Dst == "" {
		return nil, bindErr("Dst cannot be empty")
	}
	u := caller(ctx)
	if !u.can(userv1.GroupPermission_GROUP_PERMISSION_ARCHIVE_TASK) {
		return nil, fail(upstream.CodeGroupNotAllowed, "Group not allowed to compress files")
	}
	for _, src := range b.Src {
		if _, aerr := myURI(u, src); aerr != nil {
			return nil, aerr
		}
	}
	dst, aerr := myURI(u, b.Dst)
	if aerr != nil {
		return nil, aerr
	}
	t, aerr := s.store.startArchive(u, b.Src, b.Dst, dst)
	if aerr != nil {
		return nil, aerr
	}
	return cloudreveapi.CreateArchive200JSONResponse{Data: values.Ptr(s.taskJSON(t, false))}, nil
}

// ExtractArchive is POST /workflow/extract.
func (s *cloudreve) ExtractArchive(ctx context.Context, req cloudreveapi.ExtractArchiveRequestObject) (cloudreveapi.ExtractArchiveResponseObject, error) {
	b := req.Body
	if len(b.Src) == 0 || b.Src[0] == "" {
		return nil, bindErr("Src cannot be empty")
	}
	if b.Dst == "" {
		return nil, bindErr("Dst cannot be empty")
	}
	u := caller(ctx)
	if !u.can(userv1.GroupPermission_GROUP_PERMISSION_ARCHIVE_TASK) {
		return nil, fail(upstream.CodeGroupNotAllowed, "Group not allowed to extract files")
	}
	src, aerr := myURI(u, b.Src[0])
	if aerr != nil {
		return nil, aerr
	}
	dst, aerr := myURI(u, b.Dst)
	if aerr != nil || dst.fs != "my" {
		return nil, fail(upstream.CodeParamError, "Invalid destination")
	}
	var mask []string
	if b.FileMask != nil && s.has(upstream.FeatureExtractFileMask) {
		mask = append(mask, *b.FileMask...)
	}
	t, aerr := s.store.startExtract(u, b.Src[0], b.Dst, src, dst, mask)
	if aerr != nil {
		return nil, aerr
	}
	return cloudreveapi.ExtractArchive200JSONResponse{Data: values.Ptr(s.taskJSON(t, false))}, nil
}

// CreateRemoteDownload is POST /workflow/download: one task per source.
func (s *cloudreve) CreateRemoteDownload(ctx context.Context, req cloudreveapi.CreateRemoteDownloadRequestObject) (cloudreveapi.CreateRemoteDownloadResponseObject, error) {
	b := req.Body
	var srcs []string
	if b.Src != nil {
		for _, src := range *b.Src {
			if src = strings.TrimSpace(src); src != "" {
				srcs = append(srcs, src)
			}
		}
	}
	srcFile := ""
	if b.SrcFile != nil {
		srcFile = *b.SrcFile
	}
	if b.Dst == "" {
		return nil, bindErr("Dst cannot be empty")
	}
	switch {
	case len(srcs) == 0 && srcFile == "":
		return nil, fail(upstream.CodeParamError, "No source files")
	case len(srcs) > 0 && srcFile != "":
		return nil, fail(upstream.CodeParamError, "Invalid source files")
	}
	u := caller(ctx)
	if !u.can(userv1.GroupPermission_GROUP_PERMISSION_REMOTE_DOWNLOAD) {
		return nil, fail(upstream.CodeGroupNotAllowed, "Group not allowed to download files")
	}
	dst, aerr := myURI(u, b.Dst)
	if aerr != nil || dst.fs != "my" {
		return nil, fail(upstream.CodeParamError, "Invalid destination")
	}
	tasks, aerr := s.store.startDownloads(u, srcs, srcFile, b.Dst, dst)
	if aerr != nil {
		return nil, aerr
	}
	out := []cloudreveapi.TaskResponse{}
	for _, t := range tasks {
		out = append(out, s.taskJSON(t, false))
	}
	return cloudreveapi.CreateRemoteDownload200JSONResponse{Data: &out}, nil
}

// ImportExternalFiles is POST /workflow/import (administrators only).
func (s *cloudreve) ImportExternalFiles(ctx context.Context, req cloudreveapi.ImportExternalFilesRequestObject) (cloudreveapi.ImportExternalFilesResponseObject, error) {
	u := caller(ctx)
	if !u.admin {
		return nil, fail(upstream.CodeNoPermission, "Admin required")
	}
	b := req.Body
	switch {
	case b.Src == "":
		return nil, bindErr("Src cannot be empty")
	case b.Dst == "":
		return nil, bindErr("Dst cannot be empty")
	case b.UserId == "":
		return nil, bindErr("UserId cannot be empty")
	}
	t, aerr := s.store.startImport(u, b.UserId, b.Src, b.Dst, b.PolicyId)
	if aerr != nil {
		return nil, aerr
	}
	return cloudreveapi.ImportExternalFiles200JSONResponse{Data: values.Ptr(s.taskJSON(t, false))}, nil
}

// RelocateStoragePolicy is POST /workflow/relocate (commercial edition; a
// community sandbox never routes here).
func (s *cloudreve) RelocateStoragePolicy(ctx context.Context, req cloudreveapi.RelocateStoragePolicyRequestObject) (cloudreveapi.RelocateStoragePolicyResponseObject, error) {
	b := req.Body
	if len(b.Src) == 0 {
		return nil, bindErr("Src cannot be empty")
	}
	if b.DstPolicyId == "" {
		return nil, bindErr("DstPolicyId cannot be empty")
	}
	u := caller(ctx)
	if id, ok := s.ids.decode(kindPolicy, b.DstPolicyId); !ok || id != 1 {
		return nil, fail(upstream.CodeStoragePolicyMissing, "Storage policy not found")
	}
	t, aerr := s.store.startRelocate(u, b.Src, b.DstPolicyId)
	if aerr != nil {
		return nil, aerr
	}
	return cloudreveapi.RelocateStoragePolicy200JSONResponse{Data: values.Ptr(s.taskJSON(t, false))}, nil
}
