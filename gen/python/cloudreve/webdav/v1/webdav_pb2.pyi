from buf.validate import validate_pb2 as _validate_pb2
from cloudreve.common.v1 import validate_pb2 as _validate_pb2_1
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class CreateDavAccountRequest(_message.Message):
    __slots__ = ["disable_sys_files", "name", "proxy", "readonly", "uri"]
    DISABLE_SYS_FILES_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PROXY_FIELD_NUMBER: _ClassVar[int]
    READONLY_FIELD_NUMBER: _ClassVar[int]
    URI_FIELD_NUMBER: _ClassVar[int]
    disable_sys_files: bool
    name: str
    proxy: bool
    readonly: bool
    uri: str
    def __init__(self, uri: _Optional[str] = ..., name: _Optional[str] = ..., readonly: bool = ..., proxy: bool = ..., disable_sys_files: bool = ...) -> None: ...

class CreateDavAccountResponse(_message.Message):
    __slots__ = ["account", "password"]
    ACCOUNT_FIELD_NUMBER: _ClassVar[int]
    PASSWORD_FIELD_NUMBER: _ClassVar[int]
    account: DavAccount
    password: str
    def __init__(self, account: _Optional[_Union[DavAccount, _Mapping]] = ..., password: _Optional[str] = ...) -> None: ...

class DavAccount(_message.Message):
    __slots__ = ["created_at", "disable_sys_files", "id", "name", "proxy", "readonly", "uri"]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    DISABLE_SYS_FILES_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PROXY_FIELD_NUMBER: _ClassVar[int]
    READONLY_FIELD_NUMBER: _ClassVar[int]
    URI_FIELD_NUMBER: _ClassVar[int]
    created_at: _timestamp_pb2.Timestamp
    disable_sys_files: bool
    id: str
    name: str
    proxy: bool
    readonly: bool
    uri: str
    def __init__(self, id: _Optional[str] = ..., created_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., name: _Optional[str] = ..., uri: _Optional[str] = ..., readonly: bool = ..., proxy: bool = ..., disable_sys_files: bool = ...) -> None: ...

class DeleteDavAccountRequest(_message.Message):
    __slots__ = ["id"]
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class DeleteDavAccountResponse(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class ListDavAccountsRequest(_message.Message):
    __slots__ = ["page_size", "page_token"]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListDavAccountsResponse(_message.Message):
    __slots__ = ["accounts", "next_page_token"]
    ACCOUNTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    accounts: _containers.RepeatedCompositeFieldContainer[DavAccount]
    next_page_token: str
    def __init__(self, accounts: _Optional[_Iterable[_Union[DavAccount, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class UpdateDavAccountRequest(_message.Message):
    __slots__ = ["disable_sys_files", "id", "name", "proxy", "readonly", "uri"]
    DISABLE_SYS_FILES_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PROXY_FIELD_NUMBER: _ClassVar[int]
    READONLY_FIELD_NUMBER: _ClassVar[int]
    URI_FIELD_NUMBER: _ClassVar[int]
    disable_sys_files: bool
    id: str
    name: str
    proxy: bool
    readonly: bool
    uri: str
    def __init__(self, id: _Optional[str] = ..., uri: _Optional[str] = ..., name: _Optional[str] = ..., readonly: bool = ..., proxy: bool = ..., disable_sys_files: bool = ...) -> None: ...

class UpdateDavAccountResponse(_message.Message):
    __slots__ = ["account"]
    ACCOUNT_FIELD_NUMBER: _ClassVar[int]
    account: DavAccount
    def __init__(self, account: _Optional[_Union[DavAccount, _Mapping]] = ...) -> None: ...
