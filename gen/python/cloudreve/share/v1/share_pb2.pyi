from buf.validate import validate_pb2 as _validate_pb2
from cloudreve.common.v1 import validate_pb2 as _validate_pb2_1
from cloudreve.file.v1 import models_pb2 as _models_pb2
from google.protobuf import duration_pb2 as _duration_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor
SHARE_ORDER_BY_DOWNLOADS: ShareOrderBy
SHARE_ORDER_BY_PRICE: ShareOrderBy
SHARE_ORDER_BY_REMAIN_DOWNLOADS: ShareOrderBy
SHARE_ORDER_BY_UNSPECIFIED: ShareOrderBy
SHARE_ORDER_BY_VIEWS: ShareOrderBy

class CreateShareLinkRequest(_message.Message):
    __slots__ = ["downloads", "expire", "is_private", "password", "permissions", "price", "share_view", "show_readme", "uri"]
    DOWNLOADS_FIELD_NUMBER: _ClassVar[int]
    EXPIRE_FIELD_NUMBER: _ClassVar[int]
    IS_PRIVATE_FIELD_NUMBER: _ClassVar[int]
    PASSWORD_FIELD_NUMBER: _ClassVar[int]
    PERMISSIONS_FIELD_NUMBER: _ClassVar[int]
    PRICE_FIELD_NUMBER: _ClassVar[int]
    SHARE_VIEW_FIELD_NUMBER: _ClassVar[int]
    SHOW_README_FIELD_NUMBER: _ClassVar[int]
    URI_FIELD_NUMBER: _ClassVar[int]
    downloads: int
    expire: _duration_pb2.Duration
    is_private: bool
    password: str
    permissions: _models_pb2.PermissionSetting
    price: int
    share_view: bool
    show_readme: bool
    uri: str
    def __init__(self, uri: _Optional[str] = ..., is_private: bool = ..., password: _Optional[str] = ..., downloads: _Optional[int] = ..., expire: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., share_view: bool = ..., show_readme: bool = ..., price: _Optional[int] = ..., permissions: _Optional[_Union[_models_pb2.PermissionSetting, _Mapping]] = ...) -> None: ...

class CreateShareLinkResponse(_message.Message):
    __slots__ = ["id", "url"]
    ID_FIELD_NUMBER: _ClassVar[int]
    URL_FIELD_NUMBER: _ClassVar[int]
    id: str
    url: str
    def __init__(self, url: _Optional[str] = ..., id: _Optional[str] = ...) -> None: ...

class DeleteShareLinkRequest(_message.Message):
    __slots__ = ["id"]
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class DeleteShareLinkResponse(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class EditShareLinkRequest(_message.Message):
    __slots__ = ["downloads", "expire", "id", "permissions", "price", "share_view", "show_readme", "uri"]
    DOWNLOADS_FIELD_NUMBER: _ClassVar[int]
    EXPIRE_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    PERMISSIONS_FIELD_NUMBER: _ClassVar[int]
    PRICE_FIELD_NUMBER: _ClassVar[int]
    SHARE_VIEW_FIELD_NUMBER: _ClassVar[int]
    SHOW_README_FIELD_NUMBER: _ClassVar[int]
    URI_FIELD_NUMBER: _ClassVar[int]
    downloads: int
    expire: _duration_pb2.Duration
    id: str
    permissions: _models_pb2.PermissionSetting
    price: int
    share_view: bool
    show_readme: bool
    uri: str
    def __init__(self, id: _Optional[str] = ..., uri: _Optional[str] = ..., downloads: _Optional[int] = ..., expire: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., share_view: bool = ..., show_readme: bool = ..., price: _Optional[int] = ..., permissions: _Optional[_Union[_models_pb2.PermissionSetting, _Mapping]] = ...) -> None: ...

class EditShareLinkResponse(_message.Message):
    __slots__ = ["url"]
    URL_FIELD_NUMBER: _ClassVar[int]
    url: str
    def __init__(self, url: _Optional[str] = ...) -> None: ...

class GetShareLinkInfoRequest(_message.Message):
    __slots__ = ["count_views", "id", "owner_extended", "password", "purchase_ticket"]
    COUNT_VIEWS_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    OWNER_EXTENDED_FIELD_NUMBER: _ClassVar[int]
    PASSWORD_FIELD_NUMBER: _ClassVar[int]
    PURCHASE_TICKET_FIELD_NUMBER: _ClassVar[int]
    count_views: bool
    id: str
    owner_extended: bool
    password: str
    purchase_ticket: str
    def __init__(self, id: _Optional[str] = ..., password: _Optional[str] = ..., count_views: bool = ..., owner_extended: bool = ..., purchase_ticket: _Optional[str] = ...) -> None: ...

class GetShareLinkInfoResponse(_message.Message):
    __slots__ = ["share"]
    SHARE_FIELD_NUMBER: _ClassVar[int]
    share: _models_pb2.Share
    def __init__(self, share: _Optional[_Union[_models_pb2.Share, _Mapping]] = ...) -> None: ...

class ListMyShareLinksRequest(_message.Message):
    __slots__ = ["order_by", "order_direction", "page_size", "page_token"]
    ORDER_BY_FIELD_NUMBER: _ClassVar[int]
    ORDER_DIRECTION_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    order_by: ShareOrderBy
    order_direction: _models_pb2.OrderDirection
    page_size: int
    page_token: str
    def __init__(self, page_size: _Optional[int] = ..., order_by: _Optional[_Union[ShareOrderBy, str]] = ..., order_direction: _Optional[_Union[_models_pb2.OrderDirection, str]] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListMyShareLinksResponse(_message.Message):
    __slots__ = ["next_page_token", "shares"]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    SHARES_FIELD_NUMBER: _ClassVar[int]
    next_page_token: str
    shares: _containers.RepeatedCompositeFieldContainer[_models_pb2.Share]
    def __init__(self, shares: _Optional[_Iterable[_Union[_models_pb2.Share, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ShareOrderBy(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
