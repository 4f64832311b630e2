package sandbox

import (
	"context"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
)

// Operations the sandbox does not serve yet. Community operations answer
// code 50005 "not implemented by the sandbox" (HTTP 200); commercial-only
// ones (marked *pro*) never reach here on a community sandbox, which answers
// them with a text/plain 404 like a real community server. To implement one,
// move its method to the file of its area and give it a body.

// CompleteCosUpload: GET /callback/cos/{session_id}/{key}.
func (s *Server) CompleteCosUpload(context.Context, cloudreveapi.CompleteCosUploadRequestObject) (cloudreveapi.CompleteCosUploadResponseObject, error) {
	return nil, errNotImplemented()
}

// CompleteObsUpload: POST /callback/obs/{session_id}/{key}.
func (s *Server) CompleteObsUpload(context.Context, cloudreveapi.CompleteObsUploadRequestObject) (cloudreveapi.CompleteObsUploadResponseObject, error) {
	return nil, errNotImplemented()
}

// CompleteOneDriveUpload: POST /callback/onedrive/{session_id}/{key}.
func (s *Server) CompleteOneDriveUpload(context.Context, cloudreveapi.CompleteOneDriveUploadRequestObject) (cloudreveapi.CompleteOneDriveUploadResponseObject, error) {
	return nil, errNotImplemented()
}

// CompleteS3Upload: GET /callback/s3/{session_id}/{key}.
func (s *Server) CompleteS3Upload(context.Context, cloudreveapi.CompleteS3UploadRequestObject) (cloudreveapi.CompleteS3UploadResponseObject, error) {
	return nil, errNotImplemented()
}

// ListDavAccounts: GET /devices/dav.
func (s *Server) ListDavAccounts(context.Context, cloudreveapi.ListDavAccountsRequestObject) (cloudreveapi.ListDavAccountsResponseObject, error) {
	return nil, errNotImplemented()
}

// CreateDavAccount: PUT /devices/dav.
func (s *Server) CreateDavAccount(context.Context, cloudreveapi.CreateDavAccountRequestObject) (cloudreveapi.CreateDavAccountResponseObject, error) {
	return nil, errNotImplemented()
}

// DeleteDavAccount: DELETE /devices/dav/{id}.
func (s *Server) DeleteDavAccount(context.Context, cloudreveapi.DeleteDavAccountRequestObject) (cloudreveapi.DeleteDavAccountResponseObject, error) {
	return nil, errNotImplemented()
}

// UpdateDavAccount: PATCH /devices/dav/{id}.
func (s *Server) UpdateDavAccount(context.Context, cloudreveapi.UpdateDavAccountRequestObject) (cloudreveapi.UpdateDavAccountResponseObject, error) {
	return nil, errNotImplemented()
}

// ListFileActivities: GET /file/activities (pro).
func (s *Server) ListFileActivities(context.Context, cloudreveapi.ListFileActivitiesRequestObject) (cloudreveapi.ListFileActivitiesResponseObject, error) {
	return nil, errNotImplemented()
}

// GetArchiveFileList: GET /file/archive.
func (s *Server) GetArchiveFileList(context.Context, cloudreveapi.GetArchiveFileListRequestObject) (cloudreveapi.GetArchiveFileListResponseObject, error) {
	return nil, errNotImplemented()
}

// ForceUnlock: DELETE /file/lock.
func (s *Server) ForceUnlock(context.Context, cloudreveapi.ForceUnlockRequestObject) (cloudreveapi.ForceUnlockResponseObject, error) {
	return nil, errNotImplemented()
}

// PatchMetadata: PATCH /file/metadata.
func (s *Server) PatchMetadata(context.Context, cloudreveapi.PatchMetadataRequestObject) (cloudreveapi.PatchMetadataResponseObject, error) {
	return nil, errNotImplemented()
}

// MoveFiles: POST /file/move.
func (s *Server) MoveFiles(context.Context, cloudreveapi.MoveFilesRequestObject) (cloudreveapi.MoveFilesResponseObject, error) {
	return nil, errNotImplemented()
}

// DeletePermissionSetting: DELETE /file/permission (pro).
func (s *Server) DeletePermissionSetting(context.Context, cloudreveapi.DeletePermissionSettingRequestObject) (cloudreveapi.DeletePermissionSettingResponseObject, error) {
	return nil, errNotImplemented()
}

// SetPermission: POST /file/permission (pro).
func (s *Server) SetPermission(context.Context, cloudreveapi.SetPermissionRequestObject) (cloudreveapi.SetPermissionResponseObject, error) {
	return nil, errNotImplemented()
}

// DeletePin: DELETE /file/pin.
func (s *Server) DeletePin(context.Context, cloudreveapi.DeletePinRequestObject) (cloudreveapi.DeletePinResponseObject, error) {
	return nil, errNotImplemented()
}

// PinToSidebar: PUT /file/pin.
func (s *Server) PinToSidebar(context.Context, cloudreveapi.PinToSidebarRequestObject) (cloudreveapi.PinToSidebarResponseObject, error) {
	return nil, errNotImplemented()
}

// MountStoragePolicy: PATCH /file/policy (pro).
func (s *Server) MountStoragePolicy(context.Context, cloudreveapi.MountStoragePolicyRequestObject) (cloudreveapi.MountStoragePolicyResponseObject, error) {
	return nil, errNotImplemented()
}

// RenameFile: POST /file/rename.
func (s *Server) RenameFile(context.Context, cloudreveapi.RenameFileRequestObject) (cloudreveapi.RenameFileResponseObject, error) {
	return nil, errNotImplemented()
}

// RestoreFiles: POST /file/restore.
func (s *Server) RestoreFiles(context.Context, cloudreveapi.RestoreFilesRequestObject) (cloudreveapi.RestoreFilesResponseObject, error) {
	return nil, errNotImplemented()
}

// CreateDirectLinks: PUT /file/source.
func (s *Server) CreateDirectLinks(context.Context, cloudreveapi.CreateDirectLinksRequestObject) (cloudreveapi.CreateDirectLinksResponseObject, error) {
	return nil, errNotImplemented()
}

// DeleteDirectLink: DELETE /file/source/{id}.
func (s *Server) DeleteDirectLink(context.Context, cloudreveapi.DeleteDirectLinkRequestObject) (cloudreveapi.DeleteDirectLinkResponseObject, error) {
	return nil, errNotImplemented()
}

// GetThumbnailUrl: GET /file/thumb.
func (s *Server) GetThumbnailUrl(context.Context, cloudreveapi.GetThumbnailUrlRequestObject) (cloudreveapi.GetThumbnailUrlResponseObject, error) {
	return nil, errNotImplemented()
}

// DeleteFileVersion: DELETE /file/version.
func (s *Server) DeleteFileVersion(context.Context, cloudreveapi.DeleteFileVersionRequestObject) (cloudreveapi.DeleteFileVersionResponseObject, error) {
	return nil, errNotImplemented()
}

// SetFileVersion: POST /file/version/current.
func (s *Server) SetFileVersion(context.Context, cloudreveapi.SetFileVersionRequestObject) (cloudreveapi.SetFileVersionResponseObject, error) {
	return nil, errNotImplemented()
}

// UpdateViewSetting: PATCH /file/view.
func (s *Server) UpdateViewSetting(context.Context, cloudreveapi.UpdateViewSettingRequestObject) (cloudreveapi.UpdateViewSettingResponseObject, error) {
	return nil, errNotImplemented()
}

// CreateViewerSession: PUT /file/viewerSession.
func (s *Server) CreateViewerSession(context.Context, cloudreveapi.CreateViewerSessionRequestObject) (cloudreveapi.CreateViewerSessionResponseObject, error) {
	return nil, errNotImplemented()
}

// FinishPasskeySignIn: POST /session/authn.
func (s *Server) FinishPasskeySignIn(context.Context, cloudreveapi.FinishPasskeySignInRequestObject) (cloudreveapi.FinishPasskeySignInResponseObject, error) {
	return nil, errNotImplemented()
}

// PreparePasskeySignIn: PUT /session/authn.
func (s *Server) PreparePasskeySignIn(context.Context, cloudreveapi.PreparePasskeySignInRequestObject) (cloudreveapi.PreparePasskeySignInResponseObject, error) {
	return nil, errNotImplemented()
}

// FinishOpenIdSignIn: POST /session/openid (pro).
func (s *Server) FinishOpenIdSignIn(context.Context, cloudreveapi.FinishOpenIdSignInRequestObject) (cloudreveapi.FinishOpenIdSignInResponseObject, error) {
	return nil, errNotImplemented()
}

// PrepareOpenIdSignIn: PUT /session/openid (pro).
func (s *Server) PrepareOpenIdSignIn(context.Context, cloudreveapi.PrepareOpenIdSignInRequestObject) (cloudreveapi.PrepareOpenIdSignInResponseObject, error) {
	return nil, errNotImplemented()
}

// UnlinkOpenId: DELETE /session/openid/{provider_id} (pro).
func (s *Server) UnlinkOpenId(context.Context, cloudreveapi.UnlinkOpenIdRequestObject) (cloudreveapi.UnlinkOpenIdResponseObject, error) {
	return nil, errNotImplemented()
}

// PrepareLogin: GET /session/prepare.
func (s *Server) PrepareLogin(context.Context, cloudreveapi.PrepareLoginRequestObject) (cloudreveapi.PrepareLoginResponseObject, error) {
	return nil, errNotImplemented()
}

// FinishSignInWith2FA: POST /session/token/2fa.
func (s *Server) FinishSignInWith2FA(context.Context, cloudreveapi.FinishSignInWith2FARequestObject) (cloudreveapi.FinishSignInWith2FAResponseObject, error) {
	return nil, errNotImplemented()
}

// ListMyShareLinks: GET /share.
func (s *Server) ListMyShareLinks(context.Context, cloudreveapi.ListMyShareLinksRequestObject) (cloudreveapi.ListMyShareLinksResponseObject, error) {
	return nil, errNotImplemented()
}

// CreateShareLink: PUT /share.
func (s *Server) CreateShareLink(context.Context, cloudreveapi.CreateShareLinkRequestObject) (cloudreveapi.CreateShareLinkResponseObject, error) {
	return nil, errNotImplemented()
}

// GetShareLinkInfo: GET /share/info/{id}.
func (s *Server) GetShareLinkInfo(context.Context, cloudreveapi.GetShareLinkInfoRequestObject) (cloudreveapi.GetShareLinkInfoResponseObject, error) {
	return nil, errNotImplemented()
}

// DeleteShareLink: DELETE /share/{id}.
func (s *Server) DeleteShareLink(context.Context, cloudreveapi.DeleteShareLinkRequestObject) (cloudreveapi.DeleteShareLinkResponseObject, error) {
	return nil, errNotImplemented()
}

// EditShareLink: POST /share/{id}.
func (s *Server) EditShareLink(context.Context, cloudreveapi.EditShareLinkRequestObject) (cloudreveapi.EditShareLinkResponseObject, error) {
	return nil, errNotImplemented()
}

// ReportAbuse: POST /site/abuse (pro).
func (s *Server) ReportAbuse(context.Context, cloudreveapi.ReportAbuseRequestObject) (cloudreveapi.ReportAbuseResponseObject, error) {
	return nil, errNotImplemented()
}

// GetCaptcha: GET /site/captcha.
func (s *Server) GetCaptcha(context.Context, cloudreveapi.GetCaptchaRequestObject) (cloudreveapi.GetCaptchaResponseObject, error) {
	return nil, errNotImplemented()
}

// GetSiteSettings: GET /site/config/{section}.
func (s *Server) GetSiteSettings(context.Context, cloudreveapi.GetSiteSettingsRequestObject) (cloudreveapi.GetSiteSettingsResponseObject, error) {
	return nil, errNotImplemented()
}

// DeletePasskey: DELETE /user/authn.
func (s *Server) DeletePasskey(context.Context, cloudreveapi.DeletePasskeyRequestObject) (cloudreveapi.DeletePasskeyResponseObject, error) {
	return nil, errNotImplemented()
}

// FinishPasskeyRegistration: POST /user/authn.
func (s *Server) FinishPasskeyRegistration(context.Context, cloudreveapi.FinishPasskeyRegistrationRequestObject) (cloudreveapi.FinishPasskeyRegistrationResponseObject, error) {
	return nil, errNotImplemented()
}

// PreparePasskeyRegistration: PUT /user/authn.
func (s *Server) PreparePasskeyRegistration(context.Context, cloudreveapi.PreparePasskeyRegistrationRequestObject) (cloudreveapi.PreparePasskeyRegistrationResponseObject, error) {
	return nil, errNotImplemented()
}

// GetProfilePicture: GET /user/avatar/{user_id}.
func (s *Server) GetProfilePicture(context.Context, cloudreveapi.GetProfilePictureRequestObject) (cloudreveapi.GetProfilePictureResponseObject, error) {
	return nil, errNotImplemented()
}

// ListCreditChanges: GET /user/creditChanges (pro).
func (s *Server) ListCreditChanges(context.Context, cloudreveapi.ListCreditChangesRequestObject) (cloudreveapi.ListCreditChangesResponseObject, error) {
	return nil, errNotImplemented()
}

// GetUser: GET /user/info/{user_id}.
func (s *Server) GetUser(context.Context, cloudreveapi.GetUserRequestObject) (cloudreveapi.GetUserResponseObject, error) {
	return nil, errNotImplemented()
}

// ListPayments: GET /user/payments (pro).
func (s *Server) ListPayments(context.Context, cloudreveapi.ListPaymentsRequestObject) (cloudreveapi.ListPaymentsResponseObject, error) {
	return nil, errNotImplemented()
}

// SendResetPasswordEmail: POST /user/reset.
func (s *Server) SendResetPasswordEmail(context.Context, cloudreveapi.SendResetPasswordEmailRequestObject) (cloudreveapi.SendResetPasswordEmailResponseObject, error) {
	return nil, errNotImplemented()
}

// ResetPasswordViaTempLink: PATCH /user/reset/{user_id}.
func (s *Server) ResetPasswordViaTempLink(context.Context, cloudreveapi.ResetPasswordViaTempLinkRequestObject) (cloudreveapi.ResetPasswordViaTempLinkResponseObject, error) {
	return nil, errNotImplemented()
}

// SearchUser: GET /user/search.
func (s *Server) SearchUser(context.Context, cloudreveapi.SearchUserRequestObject) (cloudreveapi.SearchUserResponseObject, error) {
	return nil, errNotImplemented()
}

// GetPreferences: GET /user/setting.
func (s *Server) GetPreferences(context.Context, cloudreveapi.GetPreferencesRequestObject) (cloudreveapi.GetPreferencesResponseObject, error) {
	return nil, errNotImplemented()
}

// UpdatePreferenceSetting: PATCH /user/setting.
func (s *Server) UpdatePreferenceSetting(context.Context, cloudreveapi.UpdatePreferenceSettingRequestObject) (cloudreveapi.UpdatePreferenceSettingResponseObject, error) {
	return nil, errNotImplemented()
}

// PrepareEnabling2FA: GET /user/setting/2fa.
func (s *Server) PrepareEnabling2FA(context.Context, cloudreveapi.PrepareEnabling2FARequestObject) (cloudreveapi.PrepareEnabling2FAResponseObject, error) {
	return nil, errNotImplemented()
}

// UpdateProfilePicture: PUT /user/setting/avatar.
func (s *Server) UpdateProfilePicture(context.Context, cloudreveapi.UpdateProfilePictureRequestObject) (cloudreveapi.UpdateProfilePictureResponseObject, error) {
	return nil, errNotImplemented()
}

// ListAvailableNodes: GET /user/setting/nodes (pro).
func (s *Server) ListAvailableNodes(context.Context, cloudreveapi.ListAvailableNodesRequestObject) (cloudreveapi.ListAvailableNodesResponseObject, error) {
	return nil, errNotImplemented()
}

// ListAvailableStoragePolicies: GET /user/setting/policies (pro).
func (s *Server) ListAvailableStoragePolicies(context.Context, cloudreveapi.ListAvailableStoragePoliciesRequestObject) (cloudreveapi.ListAvailableStoragePoliciesResponseObject, error) {
	return nil, errNotImplemented()
}

// ListUsersShareLinks: GET /user/shares/{user_id}.
func (s *Server) ListUsersShareLinks(context.Context, cloudreveapi.ListUsersShareLinksRequestObject) (cloudreveapi.ListUsersShareLinksResponseObject, error) {
	return nil, errNotImplemented()
}

// CheckGiftCode: GET /vas/giftcode/{code} (pro).
func (s *Server) CheckGiftCode(context.Context, cloudreveapi.CheckGiftCodeRequestObject) (cloudreveapi.CheckGiftCodeResponseObject, error) {
	return nil, errNotImplemented()
}

// RedeemGiftCode: POST /vas/giftcode/{code}/redeem (pro).
func (s *Server) RedeemGiftCode(context.Context, cloudreveapi.RedeemGiftCodeRequestObject) (cloudreveapi.RedeemGiftCodeResponseObject, error) {
	return nil, errNotImplemented()
}

// CreatePayment: PUT /vas/payment (pro).
func (s *Server) CreatePayment(context.Context, cloudreveapi.CreatePaymentRequestObject) (cloudreveapi.CreatePaymentResponseObject, error) {
	return nil, errNotImplemented()
}

// GetPaymentStatus: GET /vas/payment/status/{id}/{trade_no} (pro).
func (s *Server) GetPaymentStatus(context.Context, cloudreveapi.GetPaymentStatusRequestObject) (cloudreveapi.GetPaymentStatusResponseObject, error) {
	return nil, errNotImplemented()
}
