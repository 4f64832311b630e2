from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ItemError(_message.Message):
    __slots__ = ["code", "correlation_id", "item", "message"]
    CODE_FIELD_NUMBER: _ClassVar[int]
    CORRELATION_ID_FIELD_NUMBER: _ClassVar[int]
    ITEM_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    code: int
    correlation_id: str
    item: str
    message: str
    def __init__(self, item: _Optional[str] = ..., code: _Optional[int] = ..., message: _Optional[str] = ..., correlation_id: _Optional[str] = ...) -> None: ...

class UpstreamError(_message.Message):
    __slots__ = ["applied", "code", "correlation_id", "http_status", "items", "message", "operation"]
    APPLIED_FIELD_NUMBER: _ClassVar[int]
    CODE_FIELD_NUMBER: _ClassVar[int]
    CORRELATION_ID_FIELD_NUMBER: _ClassVar[int]
    HTTP_STATUS_FIELD_NUMBER: _ClassVar[int]
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    OPERATION_FIELD_NUMBER: _ClassVar[int]
    applied: _containers.RepeatedScalarFieldContainer[str]
    code: int
    correlation_id: str
    http_status: int
    items: _containers.RepeatedCompositeFieldContainer[ItemError]
    message: str
    operation: str
    def __init__(self, code: _Optional[int] = ..., message: _Optional[str] = ..., correlation_id: _Optional[str] = ..., operation: _Optional[str] = ..., http_status: _Optional[int] = ..., items: _Optional[_Iterable[_Union[ItemError, _Mapping]]] = ..., applied: _Optional[_Iterable[str]] = ...) -> None: ...
