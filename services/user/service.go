// Package user implements cloudreve.user.v1.UserService: the docs' User
// group, one RPC per REST operation.
package user

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	userv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/user/v1"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/user/v1/userv1connect"
	"github.com/cloudreve-connect/facade/internal/rpcerror"
	"github.com/cloudreve-connect/facade/internal/upstream"
	"github.com/cloudreve-connect/facade/internal/users"
	"github.com/cloudreve-connect/facade/internal/values"
)

// Service implements userv1connect.UserServiceHandler.
type Service struct {
	client cloudreveapi.ClientWithResponsesInterface
}

var _ userv1connect.UserServiceHandler = (*Service)(nil)

// New wires the service.
func New(client cloudreveapi.ClientWithResponsesInterface) *Service {
	return &Service{client: client}
}

func (s *Service) PreparePasskeyRegistration(ctx context.Context, _ *userv1.PreparePasskeyRegistrationRequest) (*userv1.PreparePasskeyRegistrationResponse, error) {
	resp, err := s.client.PreparePasskeyRegistrationWithResponse(ctx)
	if err := upstream.Check("preparePasskeyRegistration", resp, err); err != nil {
		return nil, rpcerror.FromUpstream(err)
	}
	d := resp.JSON200.Data
	if d == nil {
		return nil, noData("preparePasskeyRegistration")
	}
	// The options are the upstream's JSON object, handed on untouched.
	fields := map[string]any{"publicKey": d.PublicKey}
	for k, v := range d.AdditionalProperties {
		fields[k] = v
	}
	options, err := structpb.NewStruct(fields)
	if err != nil {
		return nil, connect.NewError(connect.CodeInternal, fmt.Errorf("preparePasskeyRegistration: %w", err))
	}
	return &userv1.PreparePasskeyRegistrationResponse{Options: options}, nil
}

func (s *Service) FinishPasskeyRegistration(ctx context.Context, req *userv1.FinishPasskeyRegistrationRequest) (*userv1.FinishPasskeyRegistrationResponse, error) {
	body := cloudreveapi.FinishPasskeyRegistrationJSONRequestBody{Response: req.GetResponse(), Name: req.GetName(), Ua: req.GetUa()}
	resp, err := s.client.FinishPasskeyRegistrationWithResponse(ctx, body)
	if err := upstream.Check("finishPasskeyRegistration", resp, err); err != nil {
		return nil, rpcerror.FromUpstream(err)
	}
	if resp.JSON200.Data == nil {
		return nil, noData("finishPasskeyRegistration")
	}
	return &userv1.FinishPasskeyRegistrationResponse{Passkey: users.FromPasskey(*resp.JSON200.Data)}, nil
}

func (s *Service) DeletePasskey(ctx context.Context, req *userv1.DeletePasskeyRequest) (*userv1.DeletePasskeyResponse, error) {
	resp, err := s.client.DeletePasskeyWithResponse(ctx, &cloudreveapi.DeletePasskeyParams{Id: req.GetId()})
	if err := upstream.Check("deletePasskey", resp, err); err != nil {
		return nil, rpcerror.FromUpstream(err)
	}
	return &userv1.DeletePasskeyResponse{}, nil
}

func (s *Service) ListAvailableStoragePolicies(ctx context.Context, _ *userv1.ListAvailableStoragePoliciesRequest) (*userv1.ListAvailableStoragePoliciesResponse, error) {
	resp, err := s.client.ListAvailableStoragePoliciesWithResponse(ctx)
	if err := upstream.Check("listAvailableStoragePolicies", resp, err); err != nil {
		return nil, rpcerror.FromUpstream(err)
	}
	out := &userv1.ListAvailableStoragePoliciesResponse{}
	for _, p := range values.Deref(resp.JSON200.Data) {
		out.Policies = append(out.Policies, fromPolicy(p))
	}
	return out, nil
}

func (s *Service) ListAvailableNodes(ctx context.Context, _ *userv1.ListAvailableNodesRequest) (*userv1.ListAvailableNodesResponse, error) {
	resp, err := s.client.ListAvailableNodesWithResponse(ctx)
	if err := upstream.Check("listAvailableNodes", resp, err); err != nil {
		return nil, rpcerror.FromUpstream(err)
	}
	out := &userv1.ListAvailableNodesResponse{}
	for _, n := range values.Deref(resp.JSON200.Data) {
		out.Nodes = append(out.Nodes, fromNode(n))
	}
	return out, nil
}

func (s *Service) GetPreferences(ctx context.Context, _ *userv1.GetPreferencesRequest) (*userv1.GetPreferencesResponse, error) {
	resp, err := s.client.GetPreferencesWithResponse(ctx)
	if err := upstream.Check("getPreferences", resp, err); err != nil {
		return nil, rpcerror.FromUpstream(err)
	}
	if resp.JSON200.Data == nil {
		return nil, noData("getPreferences")
	}
	return &userv1.GetPreferencesResponse{Settings: fromSettings(resp.JSON200.Data)}, nil
}

func (s *Service) PrepareEnabling2FA(ctx context.Context, _ *userv1.PrepareEnabling2FARequest) (*userv1.PrepareEnabling2FAResponse, error) {
	resp, err := s.client.PrepareEnabling2FAWithResponse(ctx)
	if err := upstream.Check("prepareEnabling2FA", resp, err); err != nil {
		return nil, rpcerror.FromUpstream(err)
	}
	return &userv1.PrepareEnabling2FAResponse{Secret: values.Deref(resp.JSON200.Data)}, nil
}

func (s *Service) UpdatePreferenceSetting(ctx context.Context, req *userv1.UpdatePreferenceSettingRequest) (*userv1.UpdatePreferenceSettingResponse, error) {
	body := cloudreveapi.UpdatePreferenceSettingJSONRequestBody{
		Nick: req.Nick, Language: req.Language, PreferredTheme: req.PreferredTheme,
		VersionRetentionEnabled: req.VersionRetentionEnabled, DisableViewSync: req.DisableViewSync,
		CurrentPassword: req.CurrentPassword, NewPassword: req.NewPassword,
		TwoFaEnabled: req.TwoFaEnabled, TwoFaCode: req.TwoFaCode, GroupExpires: req.GroupExpires,
	}
	if req.VersionRetentionMax != nil {
		n := int(req.GetVersionRetentionMax())
		body.VersionRetentionMax = &n
	}
	if l := req.GetVersionRetentionExt(); l != nil {
		exts := append([]string{}, l.GetValues()...)
		body.VersionRetentionExt = &exts
	}
	if level, ok := users.ShareLevel(req.GetShareLinksInProfile()); ok {
		body.ShareLinksInProfile = &level
	}
	resp, err := s.client.UpdatePreferenceSettingWithResponse(ctx, body)
	if err := upstream.Check("updatePreferenceSetting", resp, err); err != nil {
		return nil, rpcerror.FromUpstream(err)
	}
	return &userv1.UpdatePreferenceSettingResponse{}, nil
}

func (s *Service) UpdateProfilePicture(ctx context.Context, req *userv1.UpdateProfilePictureRequest) (*userv1.UpdateProfilePictureResponse, error) {
	contentType := req.GetContentType()
	if contentType == "" {
		contentType = "application/octet-stream" // the upstream reads it as PNG
	}
	// A bytes.Reader gives the request a known Content-Length, which the
	// upstream insists on (an empty body switches to Gravatar).
	resp, err := s.client.UpdateProfilePictureWithBodyWithResponse(ctx, contentType, bytes.NewReader(req.GetContent()))
	if err := upstream.Check("updateProfilePicture", resp, err); err != nil {
		return nil, rpcerror.FromUpstream(err)
	}
	return &userv1.UpdateProfilePictureResponse{}, nil
}

func (s *Service) SignUp(ctx context.Context, req *userv1.SignUpRequest) (*userv1.SignUpResponse, error) {
	body := cloudreveapi.SignUpJSONRequestBody{
		Email: req.GetEmail(), Password: req.GetPassword(), Language: values.NonZero(req.GetLanguage()),
		Captcha: values.NonZero(req.GetCaptcha()), Ticket: values.NonZero(req.GetTicket()),
	}
	resp, err := s.client.SignUpWithResponse(ctx, body)
	if err := upstream.Check("signUp", resp, err); err != nil {
		var ue *upstream.Error
		if errors.As(err, &ue) && ue.Code == upstream.CodeNotFullySuccessful {
			return &userv1.SignUpResponse{ActivationRequired: true}, nil // activation mail sent
		}
		return nil, rpcerror.FromUpstream(err)
	}
	return &userv1.SignUpResponse{User: users.FromUser(resp.JSON200.Data)}, nil
}

func (s *Service) SendResetPasswordEmail(ctx context.Context, req *userv1.SendResetPasswordEmailRequest) (*userv1.SendResetPasswordEmailResponse, error) {
	body := cloudreveapi.SendResetPasswordEmailJSONRequestBody{
		Email: req.GetEmail(), Language: values.NonZero(req.GetLanguage()),
		Captcha: values.NonZero(req.GetCaptcha()), Ticket: values.NonZero(req.GetTicket()),
	}
	resp, err := s.client.SendResetPasswordEmailWithResponse(ctx, body)
	if err := upstream.Check("sendResetPasswordEmail", resp, err); err != nil {
		return nil, rpcerror.FromUpstream(err)
	}
	return &userv1.SendResetPasswordEmailResponse{}, nil
}

func (s *Service) ResetPasswordViaTempLink(ctx context.Context, req *userv1.ResetPasswordViaTempLinkRequest) (*userv1.ResetPasswordViaTempLinkResponse, error) {
	body := cloudreveapi.ResetPasswordViaTempLinkJSONRequestBody{Password: req.GetPassword(), Secret: req.GetSecret()}
	resp, err := s.client.ResetPasswordViaTempLinkWithResponse(ctx, req.GetUserId(), body)
	if err := upstream.Check("resetPasswordViaTempLink", resp, err); err != nil {
		return nil, rpcerror.FromUpstream(err)
	}
	return &userv1.ResetPasswordViaTempLinkResponse{User: users.FromUser(resp.JSON200.Data)}, nil
}

func (s *Service) GetUser(ctx context.Context, req *userv1.GetUserRequest) (*userv1.GetUserResponse, error) {
	resp, err := s.client.GetUserWithResponse(ctx, req.GetUserId())
	if err := upstream.Check("getUser", resp, err); err != nil {
		return nil, rpcerror.FromUpstream(err)
	}
	return &userv1.GetUserResponse{User: users.FromUser(resp.JSON200.Data)}, nil
}

func (s *Service) GetStorageCapacity(ctx context.Context, _ *userv1.GetStorageCapacityRequest) (*userv1.GetStorageCapacityResponse, error) {
	resp, err := s.client.GetStorageCapacityWithResponse(ctx)
	if err := upstream.Check("getStorageCapacity", resp, err); err != nil {
		return nil, rpcerror.FromUpstream(err)
	}
	d := resp.JSON200.Data
	if d == nil {
		return nil, noData("getStorageCapacity")
	}
	return &userv1.GetStorageCapacityResponse{Total: d.Total, Used: d.Used, StoragePackTotal: d.StoragePackTotal}, nil
}

func (s *Service) SearchUser(ctx context.Context, req *userv1.SearchUserRequest) (*userv1.SearchUserResponse, error) {
	resp, err := s.client.SearchUserWithResponse(ctx, &cloudreveapi.SearchUserParams{Keyword: req.GetKeyword()})
	if err := upstream.Check("searchUser", resp, err); err != nil {
		return nil, rpcerror.FromUpstream(err)
	}
	out := &userv1.SearchUserResponse{}
	for _, u := range values.Deref(resp.JSON200.Data) {
		out.Users = append(out.Users, users.FromUser(&u))
	}
	return out, nil
}

func noData(op string) error {
	return connect.NewError(connect.CodeInternal, &upstream.HTTPError{Op: op, StatusCode: 200, Reason: "answer without data"})
}
