from buf.validate import validate_pb2 as _validate_pb2
from cloudreve.common.v1 import validate_pb2 as _validate_pb2_1
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

class CompleteCosUploadRequest(_message.Message):
    __slots__ = ["key", "session_id"]
    KEY_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    key: str
    session_id: str
    def __init__(self, session_id: _Optional[str] = ..., key: _Optional[str] = ...) -> None: ...

class CompleteCosUploadResponse(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class CompleteObsUploadRequest(_message.Message):
    __slots__ = ["key", "session_id"]
    KEY_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    key: str
    session_id: str
    def __init__(self, session_id: _Optional[str] = ..., key: _Optional[str] = ...) -> None: ...

class CompleteObsUploadResponse(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class CompleteOneDriveUploadRequest(_message.Message):
    __slots__ = ["key", "session_id"]
    KEY_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    key: str
    session_id: str
    def __init__(self, session_id: _Optional[str] = ..., key: _Optional[str] = ...) -> None: ...

class CompleteOneDriveUploadResponse(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class CompleteS3UploadRequest(_message.Message):
    __slots__ = ["key", "session_id"]
    KEY_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    key: str
    session_id: str
    def __init__(self, session_id: _Optional[str] = ..., key: _Optional[str] = ...) -> None: ...

class CompleteS3UploadResponse(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...
