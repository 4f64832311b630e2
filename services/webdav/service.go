// Package webdav implements cloudreve.webdav.v1.DavAccountService. Two
// things differ from the REST API on purpose: an account's password is
// returned only when it is created (the upstream lists passwords in clear),
// and an update changes only the fields that are set (the upstream's PATCH
// resets every field it is not sent, so the facade reads the account first).
// Servers before 4.8.0 ignore disable_sys_files: asking for it there fails
// with FailedPrecondition instead of creating an account that lists them.
package webdav

import (
	"context"

	"connectrpc.com/connect/v2"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	webdavv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/webdav/v1"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/webdav/v1/webdavv1connect"
	"github.com/cloudreve-connect/facade/internal/boolset"
	"github.com/cloudreve-connect/facade/internal/call"
	"github.com/cloudreve-connect/facade/internal/pagetoken"
	"github.com/cloudreve-connect/facade/internal/upstream"
	"github.com/cloudreve-connect/facade/internal/values"
)

// maxLookupPages bounds the listing read to find an account to update.
const maxLookupPages = 50

// Service implements webdavv1connect.DavAccountServiceHandler.
type Service struct {
	api      cloudreveapi.ClientInterface
	versions *upstream.VersionTracker
}

var _ webdavv1connect.DavAccountServiceHandler = (*Service)(nil)

// New wires the service; versions tells which request fields the upstream
// honours (nil: all of them).
func New(api cloudreveapi.ClientInterface, versions *upstream.VersionTracker) *Service {
	return &Service{api: api, versions: versions}
}

func (s *Service) ListDavAccounts(ctx context.Context, req *webdavv1.ListDavAccountsRequest) (*webdavv1.ListDavAccountsResponse, error) {
	tok, err := pagetoken.Parse("page_token", req.GetPageToken())
	if err != nil {
		return nil, err
	}
	params := &cloudreveapi.ListDavAccountsParams{PageSize: int(req.GetPageSize()), NextPageToken: tok.CursorParam()}
	page, err := s.list(ctx, params)
	if err != nil {
		return nil, err
	}
	out := &webdavv1.ListDavAccountsResponse{}
	for i := range page.Accounts {
		out.Accounts = append(out.Accounts, fromAccount(&page.Accounts[i]))
	}
	out.NextPageToken = pagetoken.Next(&page.Pagination)
	return out, nil
}

func (s *Service) list(ctx context.Context, params *cloudreveapi.ListDavAccountsParams) (*cloudreveapi.ListDavAccountResponse, error) {
	data, err := call.Op[cloudreveapi.ListDavAccountResponse]("listDavAccounts").Do(s.api.ListDavAccounts(ctx, params))
	if err != nil {
		return nil, err
	}
	if data == nil {
		return &cloudreveapi.ListDavAccountResponse{}, nil
	}
	return data, nil
}

func (s *Service) CreateDavAccount(ctx context.Context, req *webdavv1.CreateDavAccountRequest) (*webdavv1.CreateDavAccountResponse, error) {
	readonly, proxy, sysFiles := req.GetReadonly(), req.GetProxy(), req.GetDisableSysFiles()
	if sysFiles {
		if err := call.Field(ctx, s.versions, upstream.FeatureDavDisableSysFiles); err != nil {
			return nil, err
		}
	}
	body := cloudreveapi.CreateDavAccountJSONRequestBody{Uri: req.GetUri(), Name: req.GetName(), Readonly: &readonly, Proxy: &proxy, DisableSysFiles: &sysFiles}
	data, err := call.Op[cloudreveapi.DavAccount]("createDavAccount").Need(s.api.CreateDavAccount(ctx, body))
	if err != nil {
		return nil, err
	}
	return &webdavv1.CreateDavAccountResponse{Account: fromAccount(data), Password: data.Password}, nil
}

func (s *Service) UpdateDavAccount(ctx context.Context, req *webdavv1.UpdateDavAccountRequest) (*webdavv1.UpdateDavAccountResponse, error) {
	// Turning it off is what an older server does anyway.
	if req.GetDisableSysFiles() {
		if err := call.Field(ctx, s.versions, upstream.FeatureDavDisableSysFiles); err != nil {
			return nil, err
		}
	}
	current, err := s.find(ctx, req.GetId())
	if err != nil {
		return nil, err
	}
	body := cloudreveapi.UpdateDavAccountJSONRequestBody{
		Uri: current.Uri, Name: current.Name, Readonly: &current.Readonly, Proxy: &current.Proxy, DisableSysFiles: &current.DisableSysFiles,
	}
	if req.Uri != nil {
		body.Uri = req.GetUri()
	}
	if req.Name != nil {
		body.Name = req.GetName()
	}
	if req.Readonly != nil {
		body.Readonly = req.Readonly
	}
	if req.Proxy != nil {
		body.Proxy = req.Proxy
	}
	if req.DisableSysFiles != nil {
		body.DisableSysFiles = req.DisableSysFiles
	}
	data, err := call.Op[cloudreveapi.DavAccount]("updateDavAccount").Need(s.api.UpdateDavAccount(ctx, req.GetId(), body))
	if err != nil {
		return nil, err
	}
	return &webdavv1.UpdateDavAccountResponse{Account: fromAccount(data)}, nil
}

// find reads the caller's listing until the account turns up.
func (s *Service) find(ctx context.Context, id string) (*webdavv1.DavAccount, error) {
	params := &cloudreveapi.ListDavAccountsParams{PageSize: 100}
	for range maxLookupPages {
		page, err := s.list(ctx, params)
		if err != nil {
			return nil, err
		}
		for i := range page.Accounts {
			if page.Accounts[i].Id == id {
				return fromAccount(&page.Accounts[i]), nil
			}
		}
		next := page.Pagination.NextToken
		if next == nil || *next == "" {
			break
		}
		params.NextPageToken = next
	}
	return nil, connect.Errorf(connect.CodeNotFound, "WebDAV account %s not found", id)
}

func (s *Service) DeleteDavAccount(ctx context.Context, req *webdavv1.DeleteDavAccountRequest) (*webdavv1.DeleteDavAccountResponse, error) {
	if err := call.Action("deleteDavAccount").Do(s.api.DeleteDavAccount(ctx, req.GetId())); err != nil {
		return nil, err
	}
	return &webdavv1.DeleteDavAccountResponse{}, nil
}

// Option bits of the account's options boolset.
const (
	optReadonly        = 0
	optProxy           = 1
	optDisableSysFiles = 2
)

// fromAccount converts an account and leaves its password out.
func fromAccount(a *cloudreveapi.DavAccount) *webdavv1.DavAccount {
	out := &webdavv1.DavAccount{Id: a.Id, CreatedAt: values.Timestamp(a.CreatedAt), Name: a.Name, Uri: a.Uri}
	if a.Options != nil {
		opts, _ := boolset.Decode(*a.Options)
		out.Readonly, out.Proxy, out.DisableSysFiles = opts.Has(optReadonly), opts.Has(optProxy), opts.Has(optDisableSysFiles)
	}
	return out
}
