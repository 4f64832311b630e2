from buf.validate import validate_pb2 as _validate_pb2
from cloudreve.common.v1 import validate_pb2 as _validate_pb2_1
from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

CAPABILITY_CREATE_FILE: Capability
CAPABILITY_DELETE_FILE: Capability
CAPABILITY_DOWNLOAD_FILE: Capability
CAPABILITY_ENTER_FOLDER: Capability
CAPABILITY_GENERATE_THUMB: Capability
CAPABILITY_INFO: Capability
CAPABILITY_LIST_CHILDREN: Capability
CAPABILITY_LOCK_FILE: Capability
CAPABILITY_MODIFY_PROPS: Capability
CAPABILITY_RENAME_FILE: Capability
CAPABILITY_RESTORE: Capability
CAPABILITY_SHARE: Capability
CAPABILITY_SOFT_DELETE: Capability
CAPABILITY_UNSPECIFIED: Capability
CAPABILITY_UPDATE_METADATA: Capability
CAPABILITY_UPLOAD_FILE: Capability
CAPABILITY_VERSION_CONTROL: Capability
DESCRIPTOR: _descriptor.FileDescriptor
ENTITY_TYPE_LIVE_PHOTO: EntityType
ENTITY_TYPE_THUMBNAIL: EntityType
ENTITY_TYPE_UNSPECIFIED: EntityType
ENTITY_TYPE_VERSION: EntityType
FILE_TYPE_FILE: FileType
FILE_TYPE_FOLDER: FileType
FILE_TYPE_UNSPECIFIED: FileType
ORDER_DIRECTION_ASC: OrderDirection
ORDER_DIRECTION_DESC: OrderDirection
ORDER_DIRECTION_UNSPECIFIED: OrderDirection

class Activity(_message.Message):
    __slots__ = ["content", "created_at", "id", "user", "version_id"]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    USER_FIELD_NUMBER: _ClassVar[int]
    VERSION_ID_FIELD_NUMBER: _ClassVar[int]
    content: LogEntry
    created_at: _timestamp_pb2.Timestamp
    id: str
    user: User
    version_id: str
    def __init__(self, id: _Optional[str] = ..., created_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., user: _Optional[_Union[User, _Mapping]] = ..., version_id: _Optional[str] = ..., content: _Optional[_Union[LogEntry, _Mapping]] = ...) -> None: ...

class ArchivedFile(_message.Message):
    __slots__ = ["is_directory", "name", "size", "updated_at"]
    IS_DIRECTORY_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    SIZE_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    is_directory: bool
    name: str
    size: int
    updated_at: _timestamp_pb2.Timestamp
    def __init__(self, name: _Optional[str] = ..., size: _Optional[int] = ..., updated_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., is_directory: bool = ...) -> None: ...

class DirectLink(_message.Message):
    __slots__ = ["created_at", "downloaded", "id", "url"]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    DOWNLOADED_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    URL_FIELD_NUMBER: _ClassVar[int]
    created_at: _timestamp_pb2.Timestamp
    downloaded: int
    id: str
    url: str
    def __init__(self, id: _Optional[str] = ..., url: _Optional[str] = ..., downloaded: _Optional[int] = ..., created_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class Entity(_message.Message):
    __slots__ = ["created_at", "created_by", "encrypted_with", "id", "size", "storage_policy", "type"]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    ENCRYPTED_WITH_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    SIZE_FIELD_NUMBER: _ClassVar[int]
    STORAGE_POLICY_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    created_at: _timestamp_pb2.Timestamp
    created_by: User
    encrypted_with: str
    id: str
    size: int
    storage_policy: StoragePolicy
    type: EntityType
    def __init__(self, id: _Optional[str] = ..., size: _Optional[int] = ..., type: _Optional[_Union[EntityType, str]] = ..., created_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., storage_policy: _Optional[_Union[StoragePolicy, _Mapping]] = ..., created_by: _Optional[_Union[User, _Mapping]] = ..., encrypted_with: _Optional[str] = ...) -> None: ...

class ExplorerView(_message.Message):
    __slots__ = ["columns", "gallery_width", "order", "order_direction", "page_size", "thumbnail", "view"]
    COLUMNS_FIELD_NUMBER: _ClassVar[int]
    GALLERY_WIDTH_FIELD_NUMBER: _ClassVar[int]
    ORDER_DIRECTION_FIELD_NUMBER: _ClassVar[int]
    ORDER_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    THUMBNAIL_FIELD_NUMBER: _ClassVar[int]
    VIEW_FIELD_NUMBER: _ClassVar[int]
    columns: _containers.RepeatedCompositeFieldContainer[ListViewColumn]
    gallery_width: int
    order: str
    order_direction: str
    page_size: int
    thumbnail: bool
    view: str
    def __init__(self, page_size: _Optional[int] = ..., order: _Optional[str] = ..., order_direction: _Optional[str] = ..., view: _Optional[str] = ..., thumbnail: bool = ..., gallery_width: _Optional[int] = ..., columns: _Optional[_Iterable[_Union[ListViewColumn, _Mapping]]] = ...) -> None: ...

class ExtendedInfo(_message.Message):
    __slots__ = ["direct_links", "entities", "permissions", "shares", "storage_policy", "storage_policy_inherited", "storage_used", "view"]
    DIRECT_LINKS_FIELD_NUMBER: _ClassVar[int]
    ENTITIES_FIELD_NUMBER: _ClassVar[int]
    PERMISSIONS_FIELD_NUMBER: _ClassVar[int]
    SHARES_FIELD_NUMBER: _ClassVar[int]
    STORAGE_POLICY_FIELD_NUMBER: _ClassVar[int]
    STORAGE_POLICY_INHERITED_FIELD_NUMBER: _ClassVar[int]
    STORAGE_USED_FIELD_NUMBER: _ClassVar[int]
    VIEW_FIELD_NUMBER: _ClassVar[int]
    direct_links: _containers.RepeatedCompositeFieldContainer[DirectLink]
    entities: _containers.RepeatedCompositeFieldContainer[Entity]
    permissions: PermissionSetting
    shares: _containers.RepeatedCompositeFieldContainer[Share]
    storage_policy: StoragePolicy
    storage_policy_inherited: bool
    storage_used: int
    view: ExplorerView
    def __init__(self, storage_policy: _Optional[_Union[StoragePolicy, _Mapping]] = ..., storage_used: _Optional[int] = ..., shares: _Optional[_Iterable[_Union[Share, _Mapping]]] = ..., entities: _Optional[_Iterable[_Union[Entity, _Mapping]]] = ..., view: _Optional[_Union[ExplorerView, _Mapping]] = ..., direct_links: _Optional[_Iterable[_Union[DirectLink, _Mapping]]] = ..., storage_policy_inherited: bool = ..., permissions: _Optional[_Union[PermissionSetting, _Mapping]] = ...) -> None: ...

class File(_message.Message):
    __slots__ = ["capabilities", "capability", "created_at", "extended_info", "folder_summary", "id", "metadata", "name", "owned", "path", "permission", "primary_entity", "shared", "size", "type", "updated_at"]
    class MetadataEntry(_message.Message):
        __slots__ = ["key", "value"]
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    CAPABILITIES_FIELD_NUMBER: _ClassVar[int]
    CAPABILITY_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    EXTENDED_INFO_FIELD_NUMBER: _ClassVar[int]
    FOLDER_SUMMARY_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    OWNED_FIELD_NUMBER: _ClassVar[int]
    PATH_FIELD_NUMBER: _ClassVar[int]
    PERMISSION_FIELD_NUMBER: _ClassVar[int]
    PRIMARY_ENTITY_FIELD_NUMBER: _ClassVar[int]
    SHARED_FIELD_NUMBER: _ClassVar[int]
    SIZE_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    capabilities: _containers.RepeatedScalarFieldContainer[Capability]
    capability: str
    created_at: _timestamp_pb2.Timestamp
    extended_info: ExtendedInfo
    folder_summary: FolderSummary
    id: str
    metadata: _containers.ScalarMap[str, str]
    name: str
    owned: bool
    path: str
    permission: str
    primary_entity: str
    shared: bool
    size: int
    type: FileType
    updated_at: _timestamp_pb2.Timestamp
    def __init__(self, type: _Optional[_Union[FileType, str]] = ..., id: _Optional[str] = ..., name: _Optional[str] = ..., created_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., size: _Optional[int] = ..., metadata: _Optional[_Mapping[str, str]] = ..., path: _Optional[str] = ..., shared: bool = ..., capability: _Optional[str] = ..., capabilities: _Optional[_Iterable[_Union[Capability, str]]] = ..., owned: bool = ..., primary_entity: _Optional[str] = ..., folder_summary: _Optional[_Union[FolderSummary, _Mapping]] = ..., extended_info: _Optional[_Union[ExtendedInfo, _Mapping]] = ..., permission: _Optional[str] = ...) -> None: ...

class FolderSummary(_message.Message):
    __slots__ = ["calculated_at", "completed", "files", "folders", "size"]
    CALCULATED_AT_FIELD_NUMBER: _ClassVar[int]
    COMPLETED_FIELD_NUMBER: _ClassVar[int]
    FILES_FIELD_NUMBER: _ClassVar[int]
    FOLDERS_FIELD_NUMBER: _ClassVar[int]
    SIZE_FIELD_NUMBER: _ClassVar[int]
    calculated_at: _timestamp_pb2.Timestamp
    completed: bool
    files: int
    folders: int
    size: int
    def __init__(self, size: _Optional[int] = ..., files: _Optional[int] = ..., folders: _Optional[int] = ..., completed: bool = ..., calculated_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ListViewColumn(_message.Message):
    __slots__ = ["props", "type", "width"]
    PROPS_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    WIDTH_FIELD_NUMBER: _ClassVar[int]
    props: ListViewColumnProps
    type: int
    width: int
    def __init__(self, type: _Optional[int] = ..., width: _Optional[int] = ..., props: _Optional[_Union[ListViewColumnProps, _Mapping]] = ...) -> None: ...

class ListViewColumnProps(_message.Message):
    __slots__ = ["custom_props_id", "metadata_key"]
    CUSTOM_PROPS_ID_FIELD_NUMBER: _ClassVar[int]
    METADATA_KEY_FIELD_NUMBER: _ClassVar[int]
    custom_props_id: str
    metadata_key: str
    def __init__(self, metadata_key: _Optional[str] = ..., custom_props_id: _Optional[str] = ...) -> None: ...

class Lock(_message.Message):
    __slots__ = ["application", "inner_xml", "path", "token", "type", "viewer_id"]
    APPLICATION_FIELD_NUMBER: _ClassVar[int]
    INNER_XML_FIELD_NUMBER: _ClassVar[int]
    PATH_FIELD_NUMBER: _ClassVar[int]
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    VIEWER_ID_FIELD_NUMBER: _ClassVar[int]
    application: str
    inner_xml: str
    path: str
    token: str
    type: FileType
    viewer_id: str
    def __init__(self, path: _Optional[str] = ..., token: _Optional[str] = ..., type: _Optional[_Union[FileType, str]] = ..., application: _Optional[str] = ..., viewer_id: _Optional[str] = ..., inner_xml: _Optional[str] = ...) -> None: ...

class LockConflict(_message.Message):
    __slots__ = ["locks"]
    LOCKS_FIELD_NUMBER: _ClassVar[int]
    locks: _containers.RepeatedCompositeFieldContainer[Lock]
    def __init__(self, locks: _Optional[_Iterable[_Union[Lock, _Mapping]]] = ...) -> None: ...

class LogEntry(_message.Message):
    __slots__ = ["account", "account_id", "account_uri", "category", "direct_link_id", "email_title", "email_to", "entity_create_time", "error", "expire", "exts", "failed", "group_id", "group_id_from", "is_system", "name", "new_name", "openid_provider", "original_name", "passkey_id", "payment_id", "points_change", "reason", "sku", "storage_policy", "storage_policy_id", "storage_policy_name", "storage_size", "sub", "to", "user_agent"]
    ACCOUNT_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_URI_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    DIRECT_LINK_ID_FIELD_NUMBER: _ClassVar[int]
    EMAIL_TITLE_FIELD_NUMBER: _ClassVar[int]
    EMAIL_TO_FIELD_NUMBER: _ClassVar[int]
    ENTITY_CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    EXPIRE_FIELD_NUMBER: _ClassVar[int]
    EXTS_FIELD_NUMBER: _ClassVar[int]
    FAILED_FIELD_NUMBER: _ClassVar[int]
    FROM_FIELD_NUMBER: _ClassVar[int]
    GROUP_ID_FIELD_NUMBER: _ClassVar[int]
    GROUP_ID_FROM_FIELD_NUMBER: _ClassVar[int]
    IS_SYSTEM_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    NEW_NAME_FIELD_NUMBER: _ClassVar[int]
    OPENID_PROVIDER_FIELD_NUMBER: _ClassVar[int]
    ORIGINAL_NAME_FIELD_NUMBER: _ClassVar[int]
    PASSKEY_ID_FIELD_NUMBER: _ClassVar[int]
    PAYMENT_ID_FIELD_NUMBER: _ClassVar[int]
    POINTS_CHANGE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    SKU_FIELD_NUMBER: _ClassVar[int]
    STORAGE_POLICY_FIELD_NUMBER: _ClassVar[int]
    STORAGE_POLICY_ID_FIELD_NUMBER: _ClassVar[int]
    STORAGE_POLICY_NAME_FIELD_NUMBER: _ClassVar[int]
    STORAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    SUB_FIELD_NUMBER: _ClassVar[int]
    TO_FIELD_NUMBER: _ClassVar[int]
    USER_AGENT_FIELD_NUMBER: _ClassVar[int]
    account: str
    account_id: int
    account_uri: str
    category: int
    direct_link_id: str
    email_title: str
    email_to: str
    entity_create_time: _timestamp_pb2.Timestamp
    error: str
    expire: str
    exts: _struct_pb2.Struct
    failed: bool
    group_id: int
    group_id_from: int
    is_system: bool
    name: str
    new_name: str
    openid_provider: int
    original_name: str
    passkey_id: int
    payment_id: int
    points_change: int
    reason: str
    sku: str
    storage_policy: str
    storage_policy_id: str
    storage_policy_name: str
    storage_size: int
    sub: str
    to: str
    user_agent: str
    def __init__(self, category: _Optional[int] = ..., failed: bool = ..., error: _Optional[str] = ..., user_agent: _Optional[str] = ..., is_system: bool = ..., reason: _Optional[str] = ..., email_to: _Optional[str] = ..., email_title: _Optional[str] = ..., original_name: _Optional[str] = ..., new_name: _Optional[str] = ..., to: _Optional[str] = ..., entity_create_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., storage_policy_id: _Optional[str] = ..., storage_policy_name: _Optional[str] = ..., storage_policy: _Optional[str] = ..., account_id: _Optional[int] = ..., account: _Optional[str] = ..., account_uri: _Optional[str] = ..., payment_id: _Optional[int] = ..., points_change: _Optional[int] = ..., sku: _Optional[str] = ..., storage_size: _Optional[int] = ..., expire: _Optional[str] = ..., group_id: _Optional[int] = ..., group_id_from: _Optional[int] = ..., direct_link_id: _Optional[str] = ..., openid_provider: _Optional[int] = ..., sub: _Optional[str] = ..., name: _Optional[str] = ..., passkey_id: _Optional[int] = ..., exts: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., **kwargs) -> None: ...

class NavigatorProps(_message.Message):
    __slots__ = ["capabilities", "capability", "max_page_size", "order_by_options", "order_direction_options"]
    CAPABILITIES_FIELD_NUMBER: _ClassVar[int]
    CAPABILITY_FIELD_NUMBER: _ClassVar[int]
    MAX_PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    ORDER_BY_OPTIONS_FIELD_NUMBER: _ClassVar[int]
    ORDER_DIRECTION_OPTIONS_FIELD_NUMBER: _ClassVar[int]
    capabilities: _containers.RepeatedScalarFieldContainer[Capability]
    capability: str
    max_page_size: int
    order_by_options: _containers.RepeatedScalarFieldContainer[str]
    order_direction_options: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, capability: _Optional[str] = ..., capabilities: _Optional[_Iterable[_Union[Capability, str]]] = ..., max_page_size: _Optional[int] = ..., order_by_options: _Optional[_Iterable[str]] = ..., order_direction_options: _Optional[_Iterable[str]] = ...) -> None: ...

class PermissionSetting(_message.Message):
    __slots__ = ["anonymous", "everyone", "group_explicit", "other", "same_group", "user_explicit"]
    class GroupExplicitEntry(_message.Message):
        __slots__ = ["key", "value"]
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    class UserExplicitEntry(_message.Message):
        __slots__ = ["key", "value"]
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    ANONYMOUS_FIELD_NUMBER: _ClassVar[int]
    EVERYONE_FIELD_NUMBER: _ClassVar[int]
    GROUP_EXPLICIT_FIELD_NUMBER: _ClassVar[int]
    OTHER_FIELD_NUMBER: _ClassVar[int]
    SAME_GROUP_FIELD_NUMBER: _ClassVar[int]
    USER_EXPLICIT_FIELD_NUMBER: _ClassVar[int]
    anonymous: str
    everyone: str
    group_explicit: _containers.ScalarMap[str, str]
    other: str
    same_group: str
    user_explicit: _containers.ScalarMap[str, str]
    def __init__(self, user_explicit: _Optional[_Mapping[str, str]] = ..., group_explicit: _Optional[_Mapping[str, str]] = ..., same_group: _Optional[str] = ..., everyone: _Optional[str] = ..., other: _Optional[str] = ..., anonymous: _Optional[str] = ...) -> None: ...

class Share(_message.Message):
    __slots__ = ["created_at", "downloaded", "expired", "expires", "id", "is_private", "name", "owner", "password", "password_protected", "permission_setting", "price", "remain_downloads", "share_view", "show_readme", "size", "source_type", "source_uri", "unlocked", "url", "visited"]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    DOWNLOADED_FIELD_NUMBER: _ClassVar[int]
    EXPIRED_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    IS_PRIVATE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    OWNER_FIELD_NUMBER: _ClassVar[int]
    PASSWORD_FIELD_NUMBER: _ClassVar[int]
    PASSWORD_PROTECTED_FIELD_NUMBER: _ClassVar[int]
    PERMISSION_SETTING_FIELD_NUMBER: _ClassVar[int]
    PRICE_FIELD_NUMBER: _ClassVar[int]
    REMAIN_DOWNLOADS_FIELD_NUMBER: _ClassVar[int]
    SHARE_VIEW_FIELD_NUMBER: _ClassVar[int]
    SHOW_README_FIELD_NUMBER: _ClassVar[int]
    SIZE_FIELD_NUMBER: _ClassVar[int]
    SOURCE_TYPE_FIELD_NUMBER: _ClassVar[int]
    SOURCE_URI_FIELD_NUMBER: _ClassVar[int]
    UNLOCKED_FIELD_NUMBER: _ClassVar[int]
    URL_FIELD_NUMBER: _ClassVar[int]
    VISITED_FIELD_NUMBER: _ClassVar[int]
    created_at: _timestamp_pb2.Timestamp
    downloaded: int
    expired: bool
    expires: _timestamp_pb2.Timestamp
    id: str
    is_private: bool
    name: str
    owner: User
    password: str
    password_protected: bool
    permission_setting: PermissionSetting
    price: int
    remain_downloads: int
    share_view: bool
    show_readme: bool
    size: int
    source_type: FileType
    source_uri: str
    unlocked: bool
    url: str
    visited: int
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., remain_downloads: _Optional[int] = ..., visited: _Optional[int] = ..., downloaded: _Optional[int] = ..., expires: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., unlocked: bool = ..., password_protected: bool = ..., source_type: _Optional[_Union[FileType, str]] = ..., owner: _Optional[_Union[User, _Mapping]] = ..., created_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., expired: bool = ..., url: _Optional[str] = ..., show_readme: bool = ..., size: _Optional[int] = ..., is_private: bool = ..., password: _Optional[str] = ..., share_view: bool = ..., source_uri: _Optional[str] = ..., price: _Optional[int] = ..., permission_setting: _Optional[_Union[PermissionSetting, _Mapping]] = ...) -> None: ...

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
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., type: _Optional[str] = ..., max_size: _Optional[int] = ..., relay: bool = ..., allowed_suffix: _Optional[_Iterable[str]] = ..., denied_suffix: _Optional[_Iterable[str]] = ..., allowed_name_regexp: _Optional[str] = ..., denied_name_regexp: _Optional[str] = ..., chunk_concurrency: _Optional[int] = ..., encryption: bool = ..., weight: _Optional[float] = ..., children: _Optional[_Iterable[_Union[StoragePolicy, _Mapping]]] = ...) -> None: ...

class User(_message.Message):
    __slots__ = ["avatar", "created_at", "email", "group", "id", "nickname", "share_links_in_profile"]
    AVATAR_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    GROUP_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    NICKNAME_FIELD_NUMBER: _ClassVar[int]
    SHARE_LINKS_IN_PROFILE_FIELD_NUMBER: _ClassVar[int]
    avatar: str
    created_at: _timestamp_pb2.Timestamp
    email: str
    group: UserGroup
    id: str
    nickname: str
    share_links_in_profile: str
    def __init__(self, id: _Optional[str] = ..., email: _Optional[str] = ..., nickname: _Optional[str] = ..., avatar: _Optional[str] = ..., created_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., group: _Optional[_Union[UserGroup, _Mapping]] = ..., share_links_in_profile: _Optional[str] = ...) -> None: ...

class UserGroup(_message.Message):
    __slots__ = ["id", "name"]
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ...) -> None: ...

class FileType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class Capability(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class EntityType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class OrderDirection(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
