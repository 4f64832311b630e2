package user

import (
	"context"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	taskv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/task/v1"
	userv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/user/v1"
	"github.com/cloudreve-connect/facade/internal/payments"
	"github.com/cloudreve-connect/facade/internal/rpcerror"
	"github.com/cloudreve-connect/facade/internal/upstream"
	"github.com/cloudreve-connect/facade/internal/users"
)

func (s *Service) ListUsersShareLinks(ctx context.Context, req *userv1.ListUsersShareLinksRequest) (*userv1.ListUsersShareLinksResponse, error) {
	params := &cloudreveapi.ListUsersShareLinksParams{PageSize: int(req.GetPageSize()), NextPageToken: optional(req.GetNextPageToken())}
	if o := req.GetOrderBy(); o != "" {
		by := cloudreveapi.ListUsersShareLinksParamsOrderBy(o)
		params.OrderBy = &by
	}
	if d := req.GetOrderDirection(); d != "" {
		dir := cloudreveapi.ListUsersShareLinksParamsOrderDirection(d)
		params.OrderDirection = &dir
	}
	resp, err := s.client.ListUsersShareLinksWithResponse(ctx, req.GetUserId(), params)
	if err := upstream.Check("listUsersShareLinks", resp, err); err != nil {
		return nil, rpcerror.FromUpstream(err)
	}
	out := &userv1.ListUsersShareLinksResponse{}
	if d := resp.JSON200.Data; d != nil {
		for _, sh := range deref(d.Shares) { // null when there are none
			out.Shares = append(out.Shares, fromShare(sh))
		}
		out.NextPageToken = deref(d.Pagination.NextToken)
	}
	return out, nil
}

func (s *Service) ListCreditChanges(ctx context.Context, req *userv1.ListCreditChangesRequest) (*userv1.ListCreditChangesResponse, error) {
	params := &cloudreveapi.ListCreditChangesParams{PageSize: int(req.GetPageSize()), NextPageToken: optional(req.GetNextPageToken())}
	if d := req.GetOrderDirection(); d != "" {
		dir := cloudreveapi.ListCreditChangesParamsOrderDirection(d)
		params.OrderDirection = &dir
	}
	resp, err := s.client.ListCreditChangesWithResponse(ctx, params)
	if err := upstream.Check("listCreditChanges", resp, err); err != nil {
		return nil, rpcerror.FromUpstream(err)
	}
	out := &userv1.ListCreditChangesResponse{}
	if d := resp.JSON200.Data; d != nil {
		for _, c := range d.Changes {
			out.Changes = append(out.Changes, &userv1.CreditChange{ChangedAt: users.Timestamp(c.ChangedAt), Diff: c.Diff, Reason: c.Reason})
		}
		out.NextPageToken = deref(d.Pagination.NextToken)
	}
	return out, nil
}

func (s *Service) ListPayments(ctx context.Context, req *userv1.ListPaymentsRequest) (*userv1.ListPaymentsResponse, error) {
	params := &cloudreveapi.ListPaymentsParams{PageSize: int(req.GetPageSize()), NextPageToken: optional(req.GetNextPageToken())}
	if d := req.GetOrderDirection(); d != "" {
		dir := cloudreveapi.ListPaymentsParamsOrderDirection(d)
		params.OrderDirection = &dir
	}
	resp, err := s.client.ListPaymentsWithResponse(ctx, params)
	if err := upstream.Check("listPayments", resp, err); err != nil {
		return nil, rpcerror.FromUpstream(err)
	}
	out := &userv1.ListPaymentsResponse{}
	if d := resp.JSON200.Data; d != nil {
		for i := range d.Payments {
			out.Payments = append(out.Payments, payments.FromPayment(&d.Payments[i]))
		}
		out.NextPageToken = deref(d.Pagination.NextToken)
	}
	return out, nil
}

func fromShare(sh cloudreveapi.Share) *userv1.ProfileShare {
	out := &userv1.ProfileShare{
		Id: sh.Id, Name: deref(sh.Name), Visited: int32(sh.Visited), Unlocked: sh.Unlocked,
		PasswordProtected: deref(sh.PasswordProtected), Owner: users.FromUser(&sh.Owner),
		CreatedAt: users.Timestamp(sh.CreatedAt), Expired: sh.Expired, Url: sh.Url, Size: sh.Size,
		IsPrivate: deref(sh.IsPrivate), ShareView: deref(sh.ShareView),
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
		Id: p.Id, Name: p.Name, AllowedSuffix: deref(p.AllowedSuffix), DeniedSuffix: deref(p.DeniedSuffix),
		AllowedNameRegexp: deref(p.AllowedNameRegexp), DeniedNameRegexp: deref(p.DeniedNameRegexp),
		Type: string(p.Type), MaxSize: p.MaxSize, Relay: deref(p.Relay), ChunkConcurrency: int32(deref(p.ChunkConcurrency)),
		Encryption: deref(p.Encryption), Weight: float64(deref(p.Weight)),
	}
	for _, c := range deref(p.Children) {
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
		VersionRetentionEnabled: d.VersionRetentionEnabled, VersionRetentionExt: deref(d.VersionRetentionExt),
		VersionRetentionMax: int32(deref(d.VersionRetentionMax)), Passwordless: d.Passwordless, TwoFaEnabled: d.TwoFaEnabled,
		DisableViewSync: d.DisableViewSync, ShareLinksInProfile: users.FromShareLevel(d.ShareLinksInProfile), Credit: d.Credit,
	}
	for _, p := range deref(d.Passkeys) {
		out.Passkeys = append(out.Passkeys, users.FromPasskey(p))
	}
	for _, g := range deref(d.OauthGrants) {
		grant := &userv1.OAuthGrant{ClientId: g.ClientId, ClientName: g.ClientName, ClientLogo: g.ClientLogo, Scopes: deref(g.Scopes)}
		if g.LastUsedAt != nil {
			grant.LastUsedAt = users.Timestamp(*g.LastUsedAt)
		}
		out.OauthGrants = append(out.OauthGrants, grant)
	}
	if d.GroupExpires != nil {
		out.GroupExpires = users.Timestamp(*d.GroupExpires)
	}
	for _, l := range deref(d.OpenId) {
		out.OpenId = append(out.OpenId, &userv1.OpenIdLink{Provider: int32(l.Provider), LinkedAt: users.Timestamp(l.LinkedAt)})
	}
	for _, a := range deref(d.LoginActivity) {
		out.LoginActivity = append(out.LoginActivity, &userv1.LoginActivity{
			CreatedAt: users.Timestamp(a.CreatedAt), Ip: a.Ip, Browser: a.Browser, Device: a.Device, Os: a.Os,
			LoginWith: string(a.LoginWith), OpenIdProvider: int32(a.OpenIdProvider), Success: a.Success, Webdav: a.Webdav,
		})
	}
	for _, p := range deref(d.StoragePacks) {
		out.StoragePacks = append(out.StoragePacks, &userv1.StoragePack{
			Name: p.Name, ActiveSince: users.Timestamp(p.ActiveSince), ExpireAt: users.Timestamp(p.ExpireAt), Size: p.Size,
		})
	}
	return out
}
