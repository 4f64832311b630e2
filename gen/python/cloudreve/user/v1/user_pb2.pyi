from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

AVATAR_SOURCE_FILE: AvatarSource
AVATAR_SOURCE_GRAVATAR: AvatarSource
AVATAR_SOURCE_NONE: AvatarSource
AVATAR_SOURCE_UNSPECIFIED: AvatarSource
DESCRIPTOR: _descriptor.FileDescriptor
GROUP_PERMISSION_ADVANCE_DELETE: GroupPermission
GROUP_PERMISSION_ARCHIVE_DOWNLOAD: GroupPermission
GROUP_PERMISSION_ARCHIVE_TASK: GroupPermission
GROUP_PERMISSION_IGNORE_FILE_OWNERSHIP: GroupPermission
GROUP_PERMISSION_IS_ADMIN: GroupPermission
GROUP_PERMISSION_IS_ANONYMOUS: GroupPermission
GROUP_PERMISSION_REDIRECTED_SOURCE: GroupPermission
GROUP_PERMISSION_REMOTE_DOWNLOAD: GroupPermission
GROUP_PERMISSION_SHARE: GroupPermission
GROUP_PERMISSION_SHARE_DOWNLOAD: GroupPermission
GROUP_PERMISSION_UNIQUE_REDIRECT_DIRECT_LINK: GroupPermission
GROUP_PERMISSION_UNSPECIFIED: GroupPermission
GROUP_PERMISSION_WEBDAV: GroupPermission
GROUP_PERMISSION_WEBDAV_PROXY: GroupPermission
SHARE_LINKS_IN_PROFILE_ALL_SHARE: ShareLinksInProfile
SHARE_LINKS_IN_PROFILE_HIDE_SHARE: ShareLinksInProfile
SHARE_LINKS_IN_PROFILE_PUBLIC_ONLY: ShareLinksInProfile
SHARE_LINKS_IN_PROFILE_UNSPECIFIED: ShareLinksInProfile
USER_STATUS_ACTIVE: UserStatus
USER_STATUS_INACTIVE: UserStatus
USER_STATUS_MANUAL_BANNED: UserStatus
USER_STATUS_SYS_BANNED: UserStatus
USER_STATUS_UNSPECIFIED: UserStatus

class Group(_message.Message):
    __slots__ = ["direct_link_batch_size", "id", "name", "other_permission_bits", "permission", "permissions", "trash_retention"]
    DIRECT_LINK_BATCH_SIZE_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    OTHER_PERMISSION_BITS_FIELD_NUMBER: _ClassVar[int]
    PERMISSIONS_FIELD_NUMBER: _ClassVar[int]
    PERMISSION_FIELD_NUMBER: _ClassVar[int]
    TRASH_RETENTION_FIELD_NUMBER: _ClassVar[int]
    direct_link_batch_size: int
    id: str
    name: str
    other_permission_bits: _containers.RepeatedScalarFieldContainer[int]
    permission: str
    permissions: _containers.RepeatedScalarFieldContainer[GroupPermission]
    trash_retention: int
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., permission: _Optional[str] = ..., direct_link_batch_size: _Optional[int] = ..., trash_retention: _Optional[int] = ..., permissions: _Optional[_Iterable[_Union[GroupPermission, str]]] = ..., other_permission_bits: _Optional[_Iterable[int]] = ...) -> None: ...

class Passkey(_message.Message):
    __slots__ = ["created_at", "id", "name", "used_at"]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    USED_AT_FIELD_NUMBER: _ClassVar[int]
    created_at: _timestamp_pb2.Timestamp
    id: str
    name: str
    used_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., used_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., created_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class PinnedFile(_message.Message):
    __slots__ = ["name", "uri"]
    NAME_FIELD_NUMBER: _ClassVar[int]
    URI_FIELD_NUMBER: _ClassVar[int]
    name: str
    uri: str
    def __init__(self, uri: _Optional[str] = ..., name: _Optional[str] = ...) -> None: ...

class User(_message.Message):
    __slots__ = ["anonymous", "avatar", "created_at", "credit", "disable_view_sync", "email", "group", "id", "language", "nickname", "pined", "preferred_theme", "share_links_in_profile", "status"]
    ANONYMOUS_FIELD_NUMBER: _ClassVar[int]
    AVATAR_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    CREDIT_FIELD_NUMBER: _ClassVar[int]
    DISABLE_VIEW_SYNC_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    GROUP_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    NICKNAME_FIELD_NUMBER: _ClassVar[int]
    PINED_FIELD_NUMBER: _ClassVar[int]
    PREFERRED_THEME_FIELD_NUMBER: _ClassVar[int]
    SHARE_LINKS_IN_PROFILE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    anonymous: bool
    avatar: AvatarSource
    created_at: _timestamp_pb2.Timestamp
    credit: int
    disable_view_sync: bool
    email: str
    group: Group
    id: str
    language: str
    nickname: str
    pined: _containers.RepeatedCompositeFieldContainer[PinnedFile]
    preferred_theme: str
    share_links_in_profile: ShareLinksInProfile
    status: UserStatus
    def __init__(self, id: _Optional[str] = ..., email: _Optional[str] = ..., nickname: _Optional[str] = ..., status: _Optional[_Union[UserStatus, str]] = ..., avatar: _Optional[_Union[AvatarSource, str]] = ..., created_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., preferred_theme: _Optional[str] = ..., anonymous: bool = ..., group: _Optional[_Union[Group, _Mapping]] = ..., pined: _Optional[_Iterable[_Union[PinnedFile, _Mapping]]] = ..., language: _Optional[str] = ..., disable_view_sync: bool = ..., share_links_in_profile: _Optional[_Union[ShareLinksInProfile, str]] = ..., credit: _Optional[int] = ...) -> None: ...

class UserStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class AvatarSource(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class ShareLinksInProfile(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class GroupPermission(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
