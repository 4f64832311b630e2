package sandbox

import (
	"context"
	"encoding/base64"
	"strconv"
	"strings"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	userv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/user/v1"
	"github.com/cloudreve-connect/facade/internal/boolset"
	"github.com/cloudreve-connect/facade/internal/upstream"
	"github.com/cloudreve-connect/facade/internal/values"
)

// WebDAV accounts, as the real server keeps them: passwords are listed in
// clear, and an update replaces every field (omitted flags become false).

// Hashid kinds of this area, kept clear of the iota kinds in hashid.go.
const (
	kindDav     = 14
	kindPayment = 15
)

// Option bits of an account's boolset.
const (
	davReadonly = 0
	davProxy    = 1
	davSysFiles = 2
)

func (d davAccount) json() cloudreveapi.DavAccount {
	var bits []int
	for bit, on := range map[int]bool{davReadonly: d.readonly, davProxy: d.proxy, davSysFiles: d.sysFiles} {
		if on {
			bits = append(bits, bit)
		}
	}
	opts := boolset.Encode(bits...)
	return cloudreveapi.DavAccount{Id: d.hid, CreatedAt: d.created, Name: d.name, Uri: d.uri, Password: d.password, Options: &opts}
}

// davFields checks the create/update body: name and uri required, the URI a
// query-less folder URI of the my or share file system.
func (s *cloudreve) davFields(u *user, b cloudreveapi.CreateDavAccountService) (davAccount, *apiError) {
	switch {
	case b.Uri == "":
		return davAccount{}, bindErr("Uri cannot be empty")
	case b.Name == "":
		return davAccount{}, bindErr("Name cannot be empty")
	case len(b.Name) > 255:
		return davAccount{}, bindErr("Name too long")
	}
	if !u.can(userv1.GroupPermission_GROUP_PERMISSION_WEBDAV) {
		return davAccount{}, fail(upstream.CodeGroupNotAllowed, "Group not allowed to use WebDAV")
	}
	rest, ok := strings.CutPrefix(b.Uri, "cloudreve://")
	authority, _, _ := strings.Cut(rest, "/")
	fs := authority // "my", or "<share id>@share"
	if i := strings.LastIndexByte(authority, '@'); i >= 0 {
		fs = authority[i+1:]
	}
	if !ok || strings.Contains(b.Uri, "?") || (fs != "my" && fs != "share") {
		return davAccount{}, fail(upstream.CodeParamError, "Invalid URI")
	}
	d := davAccount{name: b.Name, uri: b.Uri}
	d.readonly = b.Readonly != nil && *b.Readonly
	d.sysFiles = b.DisableSysFiles != nil && *b.DisableSysFiles && s.has(upstream.FeatureDavDisableSysFiles)
	// Proxy is dropped silently unless the group may proxy WebDAV.
	d.proxy = b.Proxy != nil && *b.Proxy && u.can(userv1.GroupPermission_GROUP_PERMISSION_WEBDAV_PROXY)
	return d, nil
}

// ListDavAccounts is GET /devices/dav: newest first, cursor pages.
func (s *cloudreve) ListDavAccounts(ctx context.Context, req cloudreveapi.ListDavAccountsRequestObject) (cloudreveapi.ListDavAccountsResponseObject, error) {
	size := req.Params.PageSize
	if size < 10 {
		return nil, bindErr("PageSize too short")
	}
	if size > 100 {
		return nil, bindErr("PageSize too long")
	}
	before := int64(-1)
	if t := req.Params.NextPageToken; t != nil && *t != "" {
		raw, err := base64.StdEncoding.DecodeString(*t)
		n, err2 := strconv.ParseInt(string(raw), 10, 64)
		if err != nil || err2 != nil {
			return nil, fail(upstream.CodeDBError, "Failed to list WebDAV accounts")
		}
		before = n
	}
	mine := s.store.davAccounts(caller(ctx), before)
	out := cloudreveapi.ListDavAccountResponse{Accounts: []cloudreveapi.DavAccount{}, Pagination: cloudreveapi.PaginationResults{PageSize: size, IsCursor: values.Ptr(true)}}
	for i, d := range mine {
		if i == size {
			out.Pagination.NextToken = values.Ptr(base64.StdEncoding.EncodeToString([]byte(strconv.FormatInt(mine[i-1].id, 10))))
			break
		}
		out.Accounts = append(out.Accounts, d.json())
	}
	return cloudreveapi.ListDavAccounts200JSONResponse{Data: &out}, nil
}

// CreateDavAccount is PUT /devices/dav.
func (s *cloudreve) CreateDavAccount(ctx context.Context, req cloudreveapi.CreateDavAccountRequestObject) (cloudreveapi.CreateDavAccountResponseObject, error) {
	u := caller(ctx)
	d, aerr := s.davFields(u, *req.Body)
	if aerr != nil {
		return nil, aerr
	}
	d = s.store.createDav(u, d)
	return cloudreveapi.CreateDavAccount200JSONResponse{Data: values.Ptr(d.json())}, nil
}

// UpdateDavAccount is PATCH /devices/dav/{id}: a full replacement.
func (s *cloudreve) UpdateDavAccount(ctx context.Context, req cloudreveapi.UpdateDavAccountRequestObject) (cloudreveapi.UpdateDavAccountResponseObject, error) {
	u := caller(ctx)
	if aerr := s.store.checkDav(u, req.Id); aerr != nil {
		return nil, aerr
	}
	next, aerr := s.davFields(u, *req.Body)
	if aerr != nil {
		return nil, aerr
	}
	d, aerr := s.store.updateDav(u, req.Id, next)
	if aerr != nil {
		return nil, aerr
	}
	return cloudreveapi.UpdateDavAccount200JSONResponse{Data: values.Ptr(d.json())}, nil
}

// DeleteDavAccount is DELETE /devices/dav/{id}.
func (s *cloudreve) DeleteDavAccount(ctx context.Context, req cloudreveapi.DeleteDavAccountRequestObject) (cloudreveapi.DeleteDavAccountResponseObject, error) {
	if aerr := s.store.deleteDav(caller(ctx), req.Id); aerr != nil {
		return nil, aerr
	}
	return cloudreveapi.DeleteDavAccount200JSONResponse{}, nil
}
