// Package user implements cloudreve.user.v1.UserService: the docs' User
// group, one RPC per REST operation.
package user

import (
	"bytes"
	"context"
	"errors"

	"connectrpc.com/connect/v2"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	userv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/user/v1"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/user/v1/userv1connect"
	"github.com/cloudreve-connect/facade/internal/call"
	"github.com/cloudreve-connect/facade/internal/rpcerror"
	"github.com/cloudreve-connect/facade/internal/upstream"
	"github.com/cloudreve-connect/facade/internal/users"
	"github.com/cloudreve-connect/facade/internal/values"
)

// Service implements userv1connect.UserServiceHandler.
type Service struct {
	api      cloudreveapi.ClientInterface
	versions *upstream.VersionTracker
}

var _ userv1connect.UserServiceHandler = (*Service)(nil)

// New wires the service; versions tells which request fields the upstream
// honours (nil: all of them). Servers before 4.5.0 ignore
// share_links_in_profile: setting it there fails with FailedPrecondition.
func New(api cloudreveapi.ClientInterface, versions *upstream.VersionTracker) *Service {
	return &Service{api: api, versions: versions}
}

func (s *Service) PreparePasskeyRegistration(ctx context.Context, _ *userv1.PreparePasskeyRegistrationRequest) (*userv1.PreparePasskeyRegistrationResponse, error) {
	d, err := call.Op[cloudreveapi.PasskeyRegistrationOptions]("preparePasskeyRegistration").Need(s.api.PreparePasskeyRegistration(ctx))
	if err != nil {
		return nil, err
	}
	// The options are the upstream's JSON object, handed on untouched.
	fields := map[string]any{"publicKey": d.PublicKey}
	for k, v := range d.AdditionalProperties {
		fields[k] = v
	}
	options, err := structpb.NewStruct(fields)
	if err != nil {
		return nil, connect.Errorf(connect.CodeInternal, "preparePasskeyRegistration: %v", err).WithCause(err)
	}
	return &userv1.PreparePasskeyRegistrationResponse{Options: options}, nil
}

func (s *Service) FinishPasskeyRegistration(ctx context.Context, req *userv1.FinishPasskeyRegistrationRequest) (*userv1.FinishPasskeyRegistrationResponse, error) {
	body := cloudreveapi.FinishPasskeyRegistrationJSONRequestBody{Response: req.GetResponse(), Name: req.GetName(), Ua: req.GetUa()}
	data, err := call.Op[cloudreveapi.Passkey]("finishPasskeyRegistration").Need(s.api.FinishPasskeyRegistration(ctx, body))
	if err != nil {
		return nil, err
	}
	return &userv1.FinishPasskeyRegistrationResponse{Passkey: users.FromPasskey(*data)}, nil
}

func (s *Service) DeletePasskey(ctx context.Context, req *userv1.DeletePasskeyRequest) (*userv1.DeletePasskeyResponse, error) {
	if err := call.Action("deletePasskey").Do(s.api.DeletePasskey(ctx, &cloudreveapi.DeletePasskeyParams{Id: req.GetId()})); err != nil {
		return nil, err
	}
	return &userv1.DeletePasskeyResponse{}, nil
}

func (s *Service) ListAvailableStoragePolicies(ctx context.Context, _ *userv1.ListAvailableStoragePoliciesRequest) (*userv1.ListAvailableStoragePoliciesResponse, error) {
	data, err := call.Op[[]cloudreveapi.StoragePolicy]("listAvailableStoragePolicies").Do(s.api.ListAvailableStoragePolicies(ctx))
	if err != nil {
		return nil, err
	}
	out := &userv1.ListAvailableStoragePoliciesResponse{}
	for _, p := range values.Deref(data) {
		out.Policies = append(out.Policies, fromPolicy(p))
	}
	return out, nil
}

func (s *Service) ListAvailableNodes(ctx context.Context, _ *userv1.ListAvailableNodesRequest) (*userv1.ListAvailableNodesResponse, error) {
	data, err := call.Op[[]cloudreveapi.Node]("listAvailableNodes").Do(s.api.ListAvailableNodes(ctx))
	if err != nil {
		return nil, err
	}
	out := &userv1.ListAvailableNodesResponse{}
	for _, n := range values.Deref(data) {
		out.Nodes = append(out.Nodes, fromNode(n))
	}
	return out, nil
}

func (s *Service) GetPreferences(ctx context.Context, _ *userv1.GetPreferencesRequest) (*userv1.GetPreferencesResponse, error) {
	data, err := call.Op[cloudreveapi.UserSettings]("getPreferences").Need(s.api.GetPreferences(ctx))
	if err != nil {
		return nil, err
	}
	return &userv1.GetPreferencesResponse{Settings: fromSettings(data)}, nil
}

func (s *Service) PrepareEnabling2FA(ctx context.Context, _ *userv1.PrepareEnabling2FARequest) (*userv1.PrepareEnabling2FAResponse, error) {
	data, err := call.Op[string]("prepareEnabling2FA").Do(s.api.PrepareEnabling2FA(ctx))
	if err != nil {
		return nil, err
	}
	return &userv1.PrepareEnabling2FAResponse{Secret: values.Deref(data)}, nil
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
		if err := call.Field(ctx, s.versions, upstream.FeatureShareLinksInProfile); err != nil {
			return nil, err
		}
		body.ShareLinksInProfile = &level
	}
	if err := call.Action("updatePreferenceSetting").Do(s.api.UpdatePreferenceSetting(ctx, body)); err != nil {
		return nil, err
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
	if err := call.Action("updateProfilePicture").Do(s.api.UpdateProfilePictureWithBody(ctx, contentType, bytes.NewReader(req.GetContent()))); err != nil {
		return nil, err
	}
	return &userv1.UpdateProfilePictureResponse{}, nil
}

func (s *Service) SignUp(ctx context.Context, req *userv1.SignUpRequest) (*userv1.SignUpResponse, error) {
	body := cloudreveapi.SignUpJSONRequestBody{
		Email: req.GetEmail(), Password: req.GetPassword(), Language: values.NonZero(req.GetLanguage()),
		Captcha: values.NonZero(req.GetCaptcha()), Ticket: values.NonZero(req.GetTicket()),
	}
	data, err := upstream.Op[cloudreveapi.User]("signUp").Decode(s.api.SignUp(ctx, body))
	if err != nil {
		var ue *upstream.Error
		if errors.As(err, &ue) && ue.Code == upstream.CodeNotFullySuccessful {
			return &userv1.SignUpResponse{ActivationRequired: true}, nil // activation mail sent
		}
		return nil, rpcerror.FromUpstream(err)
	}
	return &userv1.SignUpResponse{User: users.FromUser(data)}, nil
}

func (s *Service) SendResetPasswordEmail(ctx context.Context, req *userv1.SendResetPasswordEmailRequest) (*userv1.SendResetPasswordEmailResponse, error) {
	body := cloudreveapi.SendResetPasswordEmailJSONRequestBody{
		Email: req.GetEmail(), Language: values.NonZero(req.GetLanguage()),
		Captcha: values.NonZero(req.GetCaptcha()), Ticket: values.NonZero(req.GetTicket()),
	}
	if err := call.Action("sendResetPasswordEmail").Do(s.api.SendResetPasswordEmail(ctx, body)); err != nil {
		return nil, err
	}
	return &userv1.SendResetPasswordEmailResponse{}, nil
}

func (s *Service) ResetPasswordViaTempLink(ctx context.Context, req *userv1.ResetPasswordViaTempLinkRequest) (*userv1.ResetPasswordViaTempLinkResponse, error) {
	body := cloudreveapi.ResetPasswordViaTempLinkJSONRequestBody{Password: req.GetPassword(), Secret: req.GetSecret()}
	data, err := call.Op[cloudreveapi.User]("resetPasswordViaTempLink").Do(s.api.ResetPasswordViaTempLink(ctx, req.GetUserId(), body))
	if err != nil {
		return nil, err
	}
	return &userv1.ResetPasswordViaTempLinkResponse{User: users.FromUser(data)}, nil
}

func (s *Service) GetUser(ctx context.Context, req *userv1.GetUserRequest) (*userv1.GetUserResponse, error) {
	data, err := call.Op[cloudreveapi.User]("getUser").Do(s.api.GetUser(ctx, req.GetUserId()))
	if err != nil {
		return nil, err
	}
	return &userv1.GetUserResponse{User: users.FromUser(data)}, nil
}

func (s *Service) GetStorageCapacity(ctx context.Context, _ *userv1.GetStorageCapacityRequest) (*userv1.GetStorageCapacityResponse, error) {
	d, err := call.Op[cloudreveapi.Capacity]("getStorageCapacity").Need(s.api.GetStorageCapacity(ctx))
	if err != nil {
		return nil, err
	}
	return &userv1.GetStorageCapacityResponse{Total: d.Total, Used: d.Used, StoragePackTotal: d.StoragePackTotal}, nil
}

func (s *Service) SearchUser(ctx context.Context, req *userv1.SearchUserRequest) (*userv1.SearchUserResponse, error) {
	data, err := call.Op[[]cloudreveapi.User]("searchUser").Do(s.api.SearchUser(ctx, &cloudreveapi.SearchUserParams{Keyword: req.GetKeyword()}))
	if err != nil {
		return nil, err
	}
	out := &userv1.SearchUserResponse{}
	for _, u := range values.Deref(data) {
		out.Users = append(out.Users, users.FromUser(&u))
	}
	return out, nil
}
