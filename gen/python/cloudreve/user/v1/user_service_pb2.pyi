from buf.validate import validate_pb2 as _validate_pb2
from cloudreve.common.v1 import validate_pb2 as _validate_pb2_1
from cloudreve.file.v1 import models_pb2 as _models_pb2
from cloudreve.share.v1 import share_pb2 as _share_pb2
from cloudreve.task.v1 import task_pb2 as _task_pb2
from cloudreve.user.v1 import user_pb2 as _user_pb2
from cloudreve.vas.v1 import vas_pb2 as _vas_pb2
from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor
SHARE_SOURCE_TYPE_FILE: ShareSourceType
SHARE_SOURCE_TYPE_FOLDER: ShareSourceType
SHARE_SOURCE_TYPE_UNSPECIFIED: ShareSourceType

class CreditChange(_message.Message):
    __slots__ = ["changed_at", "diff", "reason"]
    CHANGED_AT_FIELD_NUMBER: _ClassVar[int]
    DIFF_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    changed_at: _timestamp_pb2.Timestamp
    diff: int
    reason: str
    def __init__(self, changed_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., diff: _Optional[int] = ..., reason: _Optional[str] = ...) -> None: ...

class DeletePasskeyRequest(_message.Message):
    __slots__ = ["id"]
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class DeletePasskeyResponse(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class FinishPasskeyRegistrationRequest(_message.Message):
    __slots__ = ["name", "response", "ua"]
    NAME_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_FIELD_NUMBER: _ClassVar[int]
    UA_FIELD_NUMBER: _ClassVar[int]
    name: str
    response: str
    ua: str
    def __init__(self, response: _Optional[str] = ..., name: _Optional[str] = ..., ua: _Optional[str] = ...) -> None: ...

class FinishPasskeyRegistrationResponse(_message.Message):
    __slots__ = ["passkey"]
    PASSKEY_FIELD_NUMBER: _ClassVar[int]
    passkey: _user_pb2.Passkey
    def __init__(self, passkey: _Optional[_Union[_user_pb2.Passkey, _Mapping]] = ...) -> None: ...

class GetPreferencesRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class GetPreferencesResponse(_message.Message):
    __slots__ = ["settings"]
    SETTINGS_FIELD_NUMBER: _ClassVar[int]
    settings: UserSettings
    def __init__(self, settings: _Optional[_Union[UserSettings, _Mapping]] = ...) -> None: ...

class GetProfilePictureRequest(_message.Message):
    __slots__ = ["nocache", "user_id"]
    NOCACHE_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    nocache: bool
    user_id: str
    def __init__(self, user_id: _Optional[str] = ..., nocache: bool = ...) -> None: ...

class GetProfilePictureResponse(_message.Message):
    __slots__ = ["content", "content_type", "last_modified", "redirect_url"]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    CONTENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    LAST_MODIFIED_FIELD_NUMBER: _ClassVar[int]
    REDIRECT_URL_FIELD_NUMBER: _ClassVar[int]
    content: bytes
    content_type: str
    last_modified: _timestamp_pb2.Timestamp
    redirect_url: str
    def __init__(self, content: _Optional[bytes] = ..., content_type: _Optional[str] = ..., redirect_url: _Optional[str] = ..., last_modified: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class GetStorageCapacityRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class GetStorageCapacityResponse(_message.Message):
    __slots__ = ["storage_pack_total", "total", "used"]
    STORAGE_PACK_TOTAL_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    USED_FIELD_NUMBER: _ClassVar[int]
    storage_pack_total: int
    total: int
    used: int
    def __init__(self, total: _Optional[int] = ..., used: _Optional[int] = ..., storage_pack_total: _Optional[int] = ...) -> None: ...

class GetUserRequest(_message.Message):
    __slots__ = ["user_id"]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    def __init__(self, user_id: _Optional[str] = ...) -> None: ...

class GetUserResponse(_message.Message):
    __slots__ = ["user"]
    USER_FIELD_NUMBER: _ClassVar[int]
    user: _user_pb2.User
    def __init__(self, user: _Optional[_Union[_user_pb2.User, _Mapping]] = ...) -> None: ...

class ListAvailableNodesRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class ListAvailableNodesResponse(_message.Message):
    __slots__ = ["nodes"]
    NODES_FIELD_NUMBER: _ClassVar[int]
    nodes: _containers.RepeatedCompositeFieldContainer[_task_pb2.Node]
    def __init__(self, nodes: _Optional[_Iterable[_Union[_task_pb2.Node, _Mapping]]] = ...) -> None: ...

class ListAvailableStoragePoliciesRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class ListAvailableStoragePoliciesResponse(_message.Message):
    __slots__ = ["policies"]
    POLICIES_FIELD_NUMBER: _ClassVar[int]
    policies: _containers.RepeatedCompositeFieldContainer[StoragePolicy]
    def __init__(self, policies: _Optional[_Iterable[_Union[StoragePolicy, _Mapping]]] = ...) -> None: ...

class ListCreditChangesRequest(_message.Message):
    __slots__ = ["order_direction", "page_size", "page_token"]
    ORDER_DIRECTION_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    order_direction: _models_pb2.OrderDirection
    page_size: int
    page_token: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., order_direction: _Optional[_Union[_models_pb2.OrderDirection, str]] = ...) -> None: ...

class ListCreditChangesResponse(_message.Message):
    __slots__ = ["changes", "next_page_token"]
    CHANGES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    changes: _containers.RepeatedCompositeFieldContainer[CreditChange]
    next_page_token: str
    def __init__(self, changes: _Optional[_Iterable[_Union[CreditChange, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ListPaymentsRequest(_message.Message):
    __slots__ = ["order_direction", "page_size", "page_token"]
    ORDER_DIRECTION_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    order_direction: _models_pb2.OrderDirection
    page_size: int
    page_token: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., order_direction: _Optional[_Union[_models_pb2.OrderDirection, str]] = ...) -> None: ...

class ListPaymentsResponse(_message.Message):
    __slots__ = ["next_page_token", "payments"]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    PAYMENTS_FIELD_NUMBER: _ClassVar[int]
    next_page_token: str
    payments: _containers.RepeatedCompositeFieldContainer[_vas_pb2.Payment]
    def __init__(self, payments: _Optional[_Iterable[_Union[_vas_pb2.Payment, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ListUsersShareLinksRequest(_message.Message):
    __slots__ = ["order_by", "order_direction", "page_size", "page_token", "user_id"]
    ORDER_BY_FIELD_NUMBER: _ClassVar[int]
    ORDER_DIRECTION_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    order_by: _share_pb2.ShareOrderBy
    order_direction: _models_pb2.OrderDirection
    page_size: int
    page_token: str
    user_id: str
    def __init__(self, user_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., order_by: _Optional[_Union[_share_pb2.ShareOrderBy, str]] = ..., order_direction: _Optional[_Union[_models_pb2.OrderDirection, str]] = ...) -> None: ...

class ListUsersShareLinksResponse(_message.Message):
    __slots__ = ["next_page_token", "shares"]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    SHARES_FIELD_NUMBER: _ClassVar[int]
    next_page_token: str
    shares: _containers.RepeatedCompositeFieldContainer[ProfileShare]
    def __init__(self, shares: _Optional[_Iterable[_Union[ProfileShare, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class LoginActivity(_message.Message):
    __slots__ = ["browser", "created_at", "device", "ip", "login_with", "open_id_provider", "os", "success", "webdav"]
    BROWSER_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    DEVICE_FIELD_NUMBER: _ClassVar[int]
    IP_FIELD_NUMBER: _ClassVar[int]
    LOGIN_WITH_FIELD_NUMBER: _ClassVar[int]
    OPEN_ID_PROVIDER_FIELD_NUMBER: _ClassVar[int]
    OS_FIELD_NUMBER: _ClassVar[int]
    SUCCESS_FIELD_NUMBER: _ClassVar[int]
    WEBDAV_FIELD_NUMBER: _ClassVar[int]
    browser: str
    created_at: _timestamp_pb2.Timestamp
    device: str
    ip: str
    login_with: str
    open_id_provider: int
    os: str
    success: bool
    webdav: bool
    def __init__(self, created_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., ip: _Optional[str] = ..., browser: _Optional[str] = ..., device: _Optional[str] = ..., os: _Optional[str] = ..., login_with: _Optional[str] = ..., open_id_provider: _Optional[int] = ..., success: bool = ..., webdav: bool = ...) -> None: ...

class OAuthGrant(_message.Message):
    __slots__ = ["client_id", "client_logo", "client_name", "last_used_at", "scopes"]
    CLIENT_ID_FIELD_NUMBER: _ClassVar[int]
    CLIENT_LOGO_FIELD_NUMBER: _ClassVar[int]
    CLIENT_NAME_FIELD_NUMBER: _ClassVar[int]
    LAST_USED_AT_FIELD_NUMBER: _ClassVar[int]
    SCOPES_FIELD_NUMBER: _ClassVar[int]
    client_id: str
    client_logo: str
    client_name: str
    last_used_at: _timestamp_pb2.Timestamp
    scopes: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, client_id: _Optional[str] = ..., client_name: _Optional[str] = ..., client_logo: _Optional[str] = ..., scopes: _Optional[_Iterable[str]] = ..., last_used_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class OpenIdLink(_message.Message):
    __slots__ = ["linked_at", "provider"]
    LINKED_AT_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    linked_at: _timestamp_pb2.Timestamp
    provider: int
    def __init__(self, provider: _Optional[int] = ..., linked_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class PrepareEnabling2FARequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class PrepareEnabling2FAResponse(_message.Message):
    __slots__ = ["secret"]
    SECRET_FIELD_NUMBER: _ClassVar[int]
    secret: str
    def __init__(self, secret: _Optional[str] = ...) -> None: ...

class PreparePasskeyRegistrationRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class PreparePasskeyRegistrationResponse(_message.Message):
    __slots__ = ["options"]
    OPTIONS_FIELD_NUMBER: _ClassVar[int]
    options: _struct_pb2.Struct
    def __init__(self, options: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ...) -> None: ...

class ProfileShare(_message.Message):
    __slots__ = ["created_at", "expired", "id", "is_private", "name", "owner", "password_protected", "share_view", "size", "source_type", "unlocked", "url", "visited"]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    EXPIRED_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    IS_PRIVATE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    OWNER_FIELD_NUMBER: _ClassVar[int]
    PASSWORD_PROTECTED_FIELD_NUMBER: _ClassVar[int]
    SHARE_VIEW_FIELD_NUMBER: _ClassVar[int]
    SIZE_FIELD_NUMBER: _ClassVar[int]
    SOURCE_TYPE_FIELD_NUMBER: _ClassVar[int]
    UNLOCKED_FIELD_NUMBER: _ClassVar[int]
    URL_FIELD_NUMBER: _ClassVar[int]
    VISITED_FIELD_NUMBER: _ClassVar[int]
    created_at: _timestamp_pb2.Timestamp
    expired: bool
    id: str
    is_private: bool
    name: str
    owner: _user_pb2.User
    password_protected: bool
    share_view: bool
    size: int
    source_type: ShareSourceType
    unlocked: bool
    url: str
    visited: int
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., visited: _Optional[int] = ..., unlocked: bool = ..., password_protected: bool = ..., source_type: _Optional[_Union[ShareSourceType, str]] = ..., owner: _Optional[_Union[_user_pb2.User, _Mapping]] = ..., created_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., expired: bool = ..., url: _Optional[str] = ..., size: _Optional[int] = ..., is_private: bool = ..., share_view: bool = ...) -> None: ...

class ResetPasswordViaTempLinkRequest(_message.Message):
    __slots__ = ["password", "secret", "user_id"]
    PASSWORD_FIELD_NUMBER: _ClassVar[int]
    SECRET_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    password: str
    secret: str
    user_id: str
    def __init__(self, user_id: _Optional[str] = ..., password: _Optional[str] = ..., secret: _Optional[str] = ...) -> None: ...

class ResetPasswordViaTempLinkResponse(_message.Message):
    __slots__ = ["user"]
    USER_FIELD_NUMBER: _ClassVar[int]
    user: _user_pb2.User
    def __init__(self, user: _Optional[_Union[_user_pb2.User, _Mapping]] = ...) -> None: ...

class SearchUserRequest(_message.Message):
    __slots__ = ["keyword"]
    KEYWORD_FIELD_NUMBER: _ClassVar[int]
    keyword: str
    def __init__(self, keyword: _Optional[str] = ...) -> None: ...

class SearchUserResponse(_message.Message):
    __slots__ = ["users"]
    USERS_FIELD_NUMBER: _ClassVar[int]
    users: _containers.RepeatedCompositeFieldContainer[_user_pb2.User]
    def __init__(self, users: _Optional[_Iterable[_Union[_user_pb2.User, _Mapping]]] = ...) -> None: ...

class SendResetPasswordEmailRequest(_message.Message):
    __slots__ = ["captcha", "email", "language", "ticket"]
    CAPTCHA_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    TICKET_FIELD_NUMBER: _ClassVar[int]
    captcha: str
    email: str
    language: str
    ticket: str
    def __init__(self, email: _Optional[str] = ..., language: _Optional[str] = ..., captcha: _Optional[str] = ..., ticket: _Optional[str] = ...) -> None: ...

class SendResetPasswordEmailResponse(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class SignUpRequest(_message.Message):
    __slots__ = ["captcha", "email", "language", "password", "ticket"]
    CAPTCHA_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    PASSWORD_FIELD_NUMBER: _ClassVar[int]
    TICKET_FIELD_NUMBER: _ClassVar[int]
    captcha: str
    email: str
    language: str
    password: str
    ticket: str
    def __init__(self, email: _Optional[str] = ..., password: _Optional[str] = ..., language: _Optional[str] = ..., captcha: _Optional[str] = ..., ticket: _Optional[str] = ...) -> None: ...

class SignUpResponse(_message.Message):
    __slots__ = ["activation_required", "user"]
    ACTIVATION_REQUIRED_FIELD_NUMBER: _ClassVar[int]
    USER_FIELD_NUMBER: _ClassVar[int]
    activation_required: bool
    user: _user_pb2.User
    def __init__(self, user: _Optional[_Union[_user_pb2.User, _Mapping]] = ..., activation_required: bool = ...) -> None: ...

class StoragePack(_message.Message):
    __slots__ = ["active_since", "expire_at", "name", "size"]
    ACTIVE_SINCE_FIELD_NUMBER: _ClassVar[int]
    EXPIRE_AT_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    SIZE_FIELD_NUMBER: _ClassVar[int]
    active_since: _timestamp_pb2.Timestamp
    expire_at: _timestamp_pb2.Timestamp
    name: str
    size: int
    def __init__(self, name: _Optional[str] = ..., active_since: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., expire_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., size: _Optional[int] = ...) -> None: ...

class StoragePolicy(_message.Message):
    __slots__ = ["allowed_name_regexp", "allowed_suffix", "children", "chunk_concurrency", "denied_name_regexp", "denied_suffix", "encryption", "id", "max_size", "name", "relay", "type", "weight"]
    ALLOWED_NAME_REGEXP_FIELD_NUMBER: _ClassVar[int]
    ALLOWED_SUFFIX_FIELD_NUMBER: _ClassVar[int]
    CHILDREN_FIELD_NUMBER: _ClassVar[int]
    CHUNK_CONCURRENCY_FIELD_NUMBER: _ClassVar[int]
    DENIED_NAME_REGEXP_FIELD_NUMBER: _ClassVar[int]
    DENIED_SUFFIX_FIELD_NUMBER: _ClassVar[int]
    ENCRYPTION_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    MAX_SIZE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    RELAY_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    WEIGHT_FIELD_NUMBER: _ClassVar[int]
    allowed_name_regexp: str
    allowed_suffix: _containers.RepeatedScalarFieldContainer[str]
    children: _containers.RepeatedCompositeFieldContainer[StoragePolicy]
    chunk_concurrency: int
    denied_name_regexp: str
    denied_suffix: _containers.RepeatedScalarFieldContainer[str]
    encryption: bool
    id: str
    max_size: int
    name: str
    relay: bool
    type: str
    weight: float
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., allowed_suffix: _Optional[_Iterable[str]] = ..., denied_suffix: _Optional[_Iterable[str]] = ..., allowed_name_regexp: _Optional[str] = ..., denied_name_regexp: _Optional[str] = ..., type: _Optional[str] = ..., max_size: _Optional[int] = ..., relay: bool = ..., chunk_concurrency: _Optional[int] = ..., encryption: bool = ..., weight: _Optional[float] = ..., children: _Optional[_Iterable[_Union[StoragePolicy, _Mapping]]] = ...) -> None: ...

class StringList(_message.Message):
    __slots__ = ["values"]
    VALUES_FIELD_NUMBER: _ClassVar[int]
    values: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, values: _Optional[_Iterable[str]] = ...) -> None: ...

class UpdatePreferenceSettingRequest(_message.Message):
    __slots__ = ["current_password", "disable_view_sync", "group_expires", "language", "new_password", "nick", "preferred_theme", "share_links_in_profile", "two_fa_code", "two_fa_enabled", "version_retention_enabled", "version_retention_ext", "version_retention_max"]
    CURRENT_PASSWORD_FIELD_NUMBER: _ClassVar[int]
    DISABLE_VIEW_SYNC_FIELD_NUMBER: _ClassVar[int]
    GROUP_EXPIRES_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    NEW_PASSWORD_FIELD_NUMBER: _ClassVar[int]
    NICK_FIELD_NUMBER: _ClassVar[int]
    PREFERRED_THEME_FIELD_NUMBER: _ClassVar[int]
    SHARE_LINKS_IN_PROFILE_FIELD_NUMBER: _ClassVar[int]
    TWO_FA_CODE_FIELD_NUMBER: _ClassVar[int]
    TWO_FA_ENABLED_FIELD_NUMBER: _ClassVar[int]
    VERSION_RETENTION_ENABLED_FIELD_NUMBER: _ClassVar[int]
    VERSION_RETENTION_EXT_FIELD_NUMBER: _ClassVar[int]
    VERSION_RETENTION_MAX_FIELD_NUMBER: _ClassVar[int]
    current_password: str
    disable_view_sync: bool
    group_expires: bool
    language: str
    new_password: str
    nick: str
    preferred_theme: str
    share_links_in_profile: _user_pb2.ShareLinksInProfile
    two_fa_code: str
    two_fa_enabled: bool
    version_retention_enabled: bool
    version_retention_ext: StringList
    version_retention_max: int
    def __init__(self, nick: _Optional[str] = ..., language: _Optional[str] = ..., preferred_theme: _Optional[str] = ..., version_retention_enabled: bool = ..., version_retention_ext: _Optional[_Union[StringList, _Mapping]] = ..., version_retention_max: _Optional[int] = ..., disable_view_sync: bool = ..., share_links_in_profile: _Optional[_Union[_user_pb2.ShareLinksInProfile, str]] = ..., current_password: _Optional[str] = ..., new_password: _Optional[str] = ..., two_fa_enabled: bool = ..., two_fa_code: _Optional[str] = ..., group_expires: bool = ...) -> None: ...

class UpdatePreferenceSettingResponse(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class UpdateProfilePictureRequest(_message.Message):
    __slots__ = ["content", "content_type"]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    CONTENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    content: bytes
    content_type: str
    def __init__(self, content: _Optional[bytes] = ..., content_type: _Optional[str] = ...) -> None: ...

class UpdateProfilePictureResponse(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class UserSettings(_message.Message):
    __slots__ = ["credit", "disable_view_sync", "group_expires", "login_activity", "oauth_grants", "open_id", "passkeys", "passwordless", "share_links_in_profile", "storage_packs", "two_fa_enabled", "version_retention_enabled", "version_retention_ext", "version_retention_max"]
    CREDIT_FIELD_NUMBER: _ClassVar[int]
    DISABLE_VIEW_SYNC_FIELD_NUMBER: _ClassVar[int]
    GROUP_EXPIRES_FIELD_NUMBER: _ClassVar[int]
    LOGIN_ACTIVITY_FIELD_NUMBER: _ClassVar[int]
    OAUTH_GRANTS_FIELD_NUMBER: _ClassVar[int]
    OPEN_ID_FIELD_NUMBER: _ClassVar[int]
    PASSKEYS_FIELD_NUMBER: _ClassVar[int]
    PASSWORDLESS_FIELD_NUMBER: _ClassVar[int]
    SHARE_LINKS_IN_PROFILE_FIELD_NUMBER: _ClassVar[int]
    STORAGE_PACKS_FIELD_NUMBER: _ClassVar[int]
    TWO_FA_ENABLED_FIELD_NUMBER: _ClassVar[int]
    VERSION_RETENTION_ENABLED_FIELD_NUMBER: _ClassVar[int]
    VERSION_RETENTION_EXT_FIELD_NUMBER: _ClassVar[int]
    VERSION_RETENTION_MAX_FIELD_NUMBER: _ClassVar[int]
    credit: int
    disable_view_sync: bool
    group_expires: _timestamp_pb2.Timestamp
    login_activity: _containers.RepeatedCompositeFieldContainer[LoginActivity]
    oauth_grants: _containers.RepeatedCompositeFieldContainer[OAuthGrant]
    open_id: _containers.RepeatedCompositeFieldContainer[OpenIdLink]
    passkeys: _containers.RepeatedCompositeFieldContainer[_user_pb2.Passkey]
    passwordless: bool
    share_links_in_profile: _user_pb2.ShareLinksInProfile
    storage_packs: _containers.RepeatedCompositeFieldContainer[StoragePack]
    two_fa_enabled: bool
    version_retention_enabled: bool
    version_retention_ext: _containers.RepeatedScalarFieldContainer[str]
    version_retention_max: int
    def __init__(self, version_retention_enabled: bool = ..., version_retention_ext: _Optional[_Iterable[str]] = ..., version_retention_max: _Optional[int] = ..., passwordless: bool = ..., two_fa_enabled: bool = ..., passkeys: _Optional[_Iterable[_Union[_user_pb2.Passkey, _Mapping]]] = ..., disable_view_sync: bool = ..., share_links_in_profile: _Optional[_Union[_user_pb2.ShareLinksInProfile, str]] = ..., oauth_grants: _Optional[_Iterable[_Union[OAuthGrant, _Mapping]]] = ..., group_expires: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., open_id: _Optional[_Iterable[_Union[OpenIdLink, _Mapping]]] = ..., login_activity: _Optional[_Iterable[_Union[LoginActivity, _Mapping]]] = ..., storage_packs: _Optional[_Iterable[_Union[StoragePack, _Mapping]]] = ..., credit: _Optional[int] = ...) -> None: ...

class ShareSourceType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
