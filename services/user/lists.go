package user

import (
	"context"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	taskv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/task/v1"
	userv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/user/v1"
	"github.com/cloudreve-connect/facade/internal/call"
	"github.com/cloudreve-connect/facade/internal/files"
	"github.com/cloudreve-connect/facade/internal/pagetoken"
	"github.com/cloudreve-connect/facade/internal/payments"
	"github.com/cloudreve-connect/facade/internal/users"
	"github.com/cloudreve-connect/facade/internal/values"
)

func (s *Service) ListUsersShareLinks(ctx context.Context, req *userv1.ListUsersShareLinksRequest) (*userv1.ListUsersShareLinksResponse, error) {
	tok, err := pagetoken.Parse("page_token", req.GetPageToken())
	if err != nil {
		return nil, err
	}
	params := &cloudreveapi.ListUsersShareLinksParams{
		PageSize: int(req.GetPageSize()), NextPageToken: tok.CursorParam(),
		OrderBy:        files.ShareOrder[cloudreveapi.ListUsersShareLinksParamsOrderBy](req.GetOrderBy()),
		OrderDirection: files.Direction[cloudreveapi.ListUsersShareLinksParamsOrderDirection](req.GetOrderDirection()),
	}
	data, err := call.Op[cloudreveapi.ListShareResponse]("listUsersShareLinks").Do(s.api.ListUsersShareLinks(ctx, req.GetUserId(), params))
	if err != nil {
		return nil, err
	}
	out := &userv1.ListUsersShareLinksResponse{}
	if d := data; d != nil {
		for _, sh := range values.Deref(d.Shares) { // null when there are none
			out.Shares = append(out.Shares, fromShare(sh))
		}
		out.NextPageToken = pagetoken.Next(&d.Pagination)
	}
	return out, nil
}

func (s *Service) ListCreditChanges(ctx context.Context, req *userv1.ListCreditChangesRequest) (*userv1.ListCreditChangesResponse, error) {
	tok, err := pagetoken.Parse("page_token", req.GetPageToken())
	if err != nil {
		return nil, err
	}
	params := &cloudreveapi.ListCreditChangesParams{
		PageSize: int(req.GetPageSize()), NextPageToken: tok.CursorParam(),
		OrderDirection: files.Direction[cloudreveapi.ListCreditChangesParamsOrderDirection](req.GetOrderDirection()),
	}
	data, err := call.Op[cloudreveapi.ListCreditChangesResult]("listCreditChanges").Do(s.api.ListCreditChanges(ctx, params))
	if err != nil {
		return nil, err
	}
	out := &userv1.ListCreditChangesResponse{}
	if d := data; d != nil {
		for _, c := range d.Changes {
			out.Changes = append(out.Changes, &userv1.CreditChange{ChangedAt: values.Timestamp(c.ChangedAt), Diff: c.Diff, Reason: c.Reason})
		}
		out.NextPageToken = pagetoken.Next(&d.Pagination)
	}
	return out, nil
}

func (s *Service) ListPayments(ctx context.Context, req *userv1.ListPaymentsRequest) (*userv1.ListPaymentsResponse, error) {
	tok, err := pagetoken.Parse("page_token", req.GetPageToken())
	if err != nil {
		return nil, err
	}
	params := &cloudreveapi.ListPaymentsParams{
		PageSize: int(req.GetPageSize()), NextPageToken: tok.CursorParam(),
		OrderDirection: files.Direction[cloudreveapi.ListPaymentsParamsOrderDirection](req.GetOrderDirection()),
	}
	data, err := call.Op[cloudreveapi.ListPaymentsResult]("listPayments").Do(s.api.ListPayments(ctx, params))
	if err != nil {
		return nil, err
	}
	out := &userv1.ListPaymentsResponse{}
	if d := data; d != nil {
		for i := range d.Payments {
			out.Payments = append(out.Payments, payments.FromPayment(&d.Payments[i]))
		}
		out.NextPageToken = pagetoken.Next(&d.Pagination)
	}
	return out, nil
}

func fromShare(sh cloudreveapi.Share) *userv1.ProfileShare {
	out := &userv1.ProfileShare{
		Id: sh.Id, Name: values.Deref(sh.Name), Visited: int32(sh.Visited), Unlocked: sh.Unlocked,
		PasswordProtected: values.Deref(sh.PasswordProtected), Owner: users.FromUser(&sh.Owner),
		CreatedAt: values.Timestamp(sh.CreatedAt), Expired: sh.Expired, Url: sh.Url, Size: sh.Size,
		IsPrivate: values.Deref(sh.IsPrivate), ShareView: values.Deref(sh.ShareView),
	}
	switch sh.SourceType {
	case cloudreveapi.ShareSourceTypeFile:
		out.SourceType = userv1.ShareSourceType_SHARE_SOURCE_TYPE_FILE
	case cloudreveapi.ShareSourceTypeFolder:
		out.SourceType = userv1.ShareSourceType_SHARE_SOURCE_TYPE_FOLDER
	}
	return out
}

func fromPolicy(p cloudreveapi.StoragePolicy) *userv1.StoragePolicy {
	out := &userv1.StoragePolicy{
		Id: p.Id, Name: p.Name, AllowedSuffix: values.Deref(p.AllowedSuffix), DeniedSuffix: values.Deref(p.DeniedSuffix),
		AllowedNameRegexp: values.Deref(p.AllowedNameRegexp), DeniedNameRegexp: values.Deref(p.DeniedNameRegexp),
		Type: string(p.Type), MaxSize: p.MaxSize, Relay: values.Deref(p.Relay), ChunkConcurrency: int32(values.Deref(p.ChunkConcurrency)),
		Encryption: values.Deref(p.Encryption), Weight: float64(values.Deref(p.Weight)),
	}
	for _, c := range values.Deref(p.Children) {
		out.Children = append(out.Children, fromPolicy(c))
	}
	return out
}

func fromNode(n cloudreveapi.Node) *taskv1.Node {
	out := &taskv1.Node{Id: n.Id, Name: n.Name, Capabilities: n.Capabilities}
	switch n.Type {
	case cloudreveapi.Master:
		out.Type = taskv1.NodeType_NODE_TYPE_MASTER
	case cloudreveapi.Slave:
		out.Type = taskv1.NodeType_NODE_TYPE_SLAVE
	}
	return out
}

func fromSettings(d *cloudreveapi.UserSettings) *userv1.UserSettings {
	out := &userv1.UserSettings{
		VersionRetentionEnabled: d.VersionRetentionEnabled, VersionRetentionExt: values.Deref(d.VersionRetentionExt),
		VersionRetentionMax: int32(values.Deref(d.VersionRetentionMax)), Passwordless: d.Passwordless, TwoFaEnabled: d.TwoFaEnabled,
		DisableViewSync: d.DisableViewSync, ShareLinksInProfile: users.FromShareLevel(d.ShareLinksInProfile), Credit: d.Credit,
	}
	for _, p := range values.Deref(d.Passkeys) {
		out.Passkeys = append(out.Passkeys, users.FromPasskey(p))
	}
	for _, g := range values.Deref(d.OauthGrants) {
		grant := &userv1.OAuthGrant{ClientId: g.ClientId, ClientName: g.ClientName, ClientLogo: g.ClientLogo, Scopes: values.Deref(g.Scopes)}
		if g.LastUsedAt != nil {
			grant.LastUsedAt = values.Timestamp(*g.LastUsedAt)
		}
		out.OauthGrants = append(out.OauthGrants, grant)
	}
	if d.GroupExpires != nil {
		out.GroupExpires = values.Timestamp(*d.GroupExpires)
	}
	for _, l := range values.Deref(d.OpenId) {
		out.OpenId = append(out.OpenId, &userv1.OpenIdLink{Provider: int32(l.Provider), LinkedAt: values.Timestamp(l.LinkedAt)})
	}
	for _, a := range values.Deref(d.LoginActivity) {
		out.LoginActivity = append(out.LoginActivity, &userv1.LoginActivity{
			CreatedAt: values.Timestamp(a.CreatedAt), Ip: a.Ip, Browser: a.Browser, Device: a.Device, Os: a.Os,
			LoginWith: string(a.LoginWith), OpenIdProvider: int32(a.OpenIdProvider), Success: a.Success, Webdav: a.Webdav,
		})
	}
	for _, p := range values.Deref(d.StoragePacks) {
		out.StoragePacks = append(out.StoragePacks, &userv1.StoragePack{
			Name: p.Name, ActiveSince: values.Timestamp(p.ActiveSince), ExpireAt: values.Timestamp(p.ExpireAt), Size: p.Size,
		})
	}
	return out
}
