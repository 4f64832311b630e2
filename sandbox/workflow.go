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
// task's timeline runs on its runner (runners.go, remote.go).

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
	s.mu.Lock()
	defer s.mu.Unlock()
	if aerr := s.checkNewFile(u, dst); aerr != nil {
		return nil, aerr
	}
	src := append([]string(nil), b.Src...)
	t := s.newTask(u, cloudreveapi.TaskTypeCreateArchive, cloudreveapi.TaskSummaryProps{
		SrcMultiple: &src, Dst: values.Ptr(b.Dst), Failed: values.Ptr(0),
	})
	s.startTask(t, func(r *runner) { r.runArchive(src, dst) })
	return cloudreveapi.CreateArchive200JSONResponse{Data: values.Ptr(s.taskJSON(t, false))}, nil
}

// checkNewFile is the dry-run of an upload to p: it must not exist, its name
// must be legal and no file may sit where a parent folder should be.
// Callers hold mu.
func (s *cloudreve) checkNewFile(u *user, p *fsURI) *apiError {
	if p.fs != "my" {
		return fail(upstream.CodeParamError, "Invalid destination")
	}
	if _, aerr := s.lookup(u, p); aerr == nil {
		return errObjectExists()
	}
	n := u.root
	for _, e := range p.elems[:len(p.elems)-1] {
		c, ok := n.children[e]
		if !ok {
			break
		}
		if !c.folder {
			return errNotSupported()
		}
		n = c
	}
	return validateName(p.name())
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
	s.mu.Lock()
	defer s.mu.Unlock()
	if n, aerr := s.lookup(u, dst); aerr == nil && !n.folder {
		return nil, fail(upstream.CodeParamError, "Invalid destination")
	}
	t := s.newTask(u, cloudreveapi.TaskTypeExtractArchive, cloudreveapi.TaskSummaryProps{
		Src: values.Ptr(b.Src[0]), Dst: values.Ptr(b.Dst),
	})
	s.startTask(t, func(r *runner) { r.runExtract(src, dst, mask) })
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
	s.mu.Lock()
	defer s.mu.Unlock()
	if n, aerr := s.lookup(u, dst); aerr != nil || !n.folder {
		return nil, fail(upstream.CodeParamError, "Invalid destination")
	}
	var plans []dlPlan
	if srcFile != "" {
		n, aerr := s.resolve(u, srcFile)
		if aerr != nil || n.folder {
			return nil, fail(upstream.CodeParamError, "Invalid source files")
		}
		plans = append(plans, s.planTorrent(n))
	}
	for _, src := range srcs {
		plans = append(plans, s.planDownload(src))
	}
	out := []cloudreveapi.TaskResponse{}
	for _, plan := range plans {
		props := cloudreveapi.TaskSummaryProps{SrcStr: values.Ptr(plan.src), Src: values.Ptr(""), Dst: values.Ptr(b.Dst), Failed: values.Ptr(0)}
		if srcFile != "" {
			props.SrcStr, props.Src = values.Ptr(""), values.Ptr(srcFile)
		}
		t := s.newTask(u, cloudreveapi.TaskTypeRemoteDownload, props)
		s.startTask(t, func(r *runner) { r.runDownload(plan, dst) })
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
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.ids.decode(kindUser, b.UserId); !ok {
		return nil, fail(upstream.CodeParamError, "Failed to parse object ID")
	}
	if s.userByHID(b.UserId) == nil {
		return nil, fail(upstream.CodeDBError, "Failed to get user")
	}
	if b.PolicyId != 1 {
		return nil, fail(upstream.CodeStoragePolicyMissing, "Storage policy not found")
	}
	dst := "cloudreve://" + b.UserId + "@my/" + strings.TrimLeft(b.Dst, "/")
	t := s.newTask(u, cloudreveapi.TaskTypeImport, cloudreveapi.TaskSummaryProps{
		SrcStr: values.Ptr(b.Src), Dst: values.Ptr(strings.TrimSuffix(dst, "/")), Failed: values.Ptr(0),
		DstPolicyId: values.Ptr(s.ids.encode(kindPolicy, 1)),
	})
	s.startTask(t, func(r *runner) { r.runQuick("indexed") })
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
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, src := range b.Src {
		if _, aerr := s.resolve(u, src); aerr != nil {
			return nil, aerr
		}
	}
	src := append([]string(nil), b.Src...)
	t := s.newTask(u, cloudreveapi.TaskTypeRelocate, cloudreveapi.TaskSummaryProps{
		SrcMultiple: &src, DstPolicyId: values.Ptr(b.DstPolicyId), Failed: values.Ptr(0),
	})
	s.startTask(t, func(r *runner) { r.runQuick("relocate") })
	return cloudreveapi.RelocateStoragePolicy200JSONResponse{Data: values.Ptr(s.taskJSON(t, false))}, nil
}
