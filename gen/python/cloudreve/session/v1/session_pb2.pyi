from buf.validate import validate_pb2 as _validate_pb2
from cloudreve.user.v1 import user_pb2 as _user_pb2
from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class FinishOpenIdSignInRequest(_message.Message):
    __slots__ = ["code", "provider_id", "session_id"]
    CODE_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_ID_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    code: str
    provider_id: int
    session_id: str
    def __init__(self, code: _Optional[str] = ..., session_id: _Optional[str] = ..., provider_id: _Optional[int] = ...) -> None: ...

class FinishOpenIdSignInResponse(_message.Message):
    __slots__ = ["token", "user"]
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    USER_FIELD_NUMBER: _ClassVar[int]
    token: Token
    user: _user_pb2.User
    def __init__(self, user: _Optional[_Union[_user_pb2.User, _Mapping]] = ..., token: _Optional[_Union[Token, _Mapping]] = ...) -> None: ...

class FinishPasskeySignInRequest(_message.Message):
    __slots__ = ["response", "session_id"]
    RESPONSE_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    response: str
    session_id: str
    def __init__(self, response: _Optional[str] = ..., session_id: _Optional[str] = ...) -> None: ...

class FinishPasskeySignInResponse(_message.Message):
    __slots__ = ["token", "user"]
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    USER_FIELD_NUMBER: _ClassVar[int]
    token: Token
    user: _user_pb2.User
    def __init__(self, user: _Optional[_Union[_user_pb2.User, _Mapping]] = ..., token: _Optional[_Union[Token, _Mapping]] = ...) -> None: ...

class FinishSignInWith2FARequest(_message.Message):
    __slots__ = ["otp", "session_id"]
    OTP_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    otp: str
    session_id: str
    def __init__(self, otp: _Optional[str] = ..., session_id: _Optional[str] = ...) -> None: ...

class FinishSignInWith2FAResponse(_message.Message):
    __slots__ = ["token", "user"]
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    USER_FIELD_NUMBER: _ClassVar[int]
    token: Token
    user: _user_pb2.User
    def __init__(self, user: _Optional[_Union[_user_pb2.User, _Mapping]] = ..., token: _Optional[_Union[Token, _Mapping]] = ...) -> None: ...

class Login(_message.Message):
    __slots__ = ["token", "user"]
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    USER_FIELD_NUMBER: _ClassVar[int]
    token: Token
    user: _user_pb2.User
    def __init__(self, user: _Optional[_Union[_user_pb2.User, _Mapping]] = ..., token: _Optional[_Union[Token, _Mapping]] = ...) -> None: ...

class PasswordSignInRequest(_message.Message):
    __slots__ = ["captcha", "email", "password", "ticket"]
    CAPTCHA_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    PASSWORD_FIELD_NUMBER: _ClassVar[int]
    TICKET_FIELD_NUMBER: _ClassVar[int]
    captcha: str
    email: str
    password: str
    ticket: str
    def __init__(self, email: _Optional[str] = ..., password: _Optional[str] = ..., captcha: _Optional[str] = ..., ticket: _Optional[str] = ...) -> None: ...

class PasswordSignInResponse(_message.Message):
    __slots__ = ["login", "two_factor_required"]
    LOGIN_FIELD_NUMBER: _ClassVar[int]
    TWO_FACTOR_REQUIRED_FIELD_NUMBER: _ClassVar[int]
    login: Login
    two_factor_required: TwoFactorRequired
    def __init__(self, login: _Optional[_Union[Login, _Mapping]] = ..., two_factor_required: _Optional[_Union[TwoFactorRequired, _Mapping]] = ...) -> None: ...

class PrepareLoginRequest(_message.Message):
    __slots__ = ["email"]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    email: str
    def __init__(self, email: _Optional[str] = ...) -> None: ...

class PrepareLoginResponse(_message.Message):
    __slots__ = ["password_enabled", "qq_enabled", "sso_enabled", "webauthn_enabled"]
    PASSWORD_ENABLED_FIELD_NUMBER: _ClassVar[int]
    QQ_ENABLED_FIELD_NUMBER: _ClassVar[int]
    SSO_ENABLED_FIELD_NUMBER: _ClassVar[int]
    WEBAUTHN_ENABLED_FIELD_NUMBER: _ClassVar[int]
    password_enabled: bool
    qq_enabled: bool
    sso_enabled: bool
    webauthn_enabled: bool
    def __init__(self, webauthn_enabled: bool = ..., password_enabled: bool = ..., qq_enabled: bool = ..., sso_enabled: bool = ...) -> None: ...

class PrepareOpenIdSignInRequest(_message.Message):
    __slots__ = ["hint", "linking", "provider"]
    HINT_FIELD_NUMBER: _ClassVar[int]
    LINKING_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    hint: str
    linking: bool
    provider: int
    def __init__(self, provider: _Optional[int] = ..., linking: bool = ..., hint: _Optional[str] = ...) -> None: ...

class PrepareOpenIdSignInResponse(_message.Message):
    __slots__ = ["url"]
    URL_FIELD_NUMBER: _ClassVar[int]
    url: str
    def __init__(self, url: _Optional[str] = ...) -> None: ...

class PreparePasskeySignInRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class PreparePasskeySignInResponse(_message.Message):
    __slots__ = ["options", "session_id"]
    OPTIONS_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    options: _struct_pb2.Struct
    session_id: str
    def __init__(self, options: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., session_id: _Optional[str] = ...) -> None: ...

class RefreshTokenRequest(_message.Message):
    __slots__ = ["refresh_token"]
    REFRESH_TOKEN_FIELD_NUMBER: _ClassVar[int]
    refresh_token: str
    def __init__(self, refresh_token: _Optional[str] = ...) -> None: ...

class RefreshTokenResponse(_message.Message):
    __slots__ = ["token"]
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    token: Token
    def __init__(self, token: _Optional[_Union[Token, _Mapping]] = ...) -> None: ...

class SignOutRequest(_message.Message):
    __slots__ = ["refresh_token"]
    REFRESH_TOKEN_FIELD_NUMBER: _ClassVar[int]
    refresh_token: str
    def __init__(self, refresh_token: _Optional[str] = ...) -> None: ...

class SignOutResponse(_message.Message):
    __slots__ = ["logout_url"]
    LOGOUT_URL_FIELD_NUMBER: _ClassVar[int]
    logout_url: str
    def __init__(self, logout_url: _Optional[str] = ...) -> None: ...

class Token(_message.Message):
    __slots__ = ["access_expires", "access_token", "refresh_expires", "refresh_token"]
    ACCESS_EXPIRES_FIELD_NUMBER: _ClassVar[int]
    ACCESS_TOKEN_FIELD_NUMBER: _ClassVar[int]
    REFRESH_EXPIRES_FIELD_NUMBER: _ClassVar[int]
    REFRESH_TOKEN_FIELD_NUMBER: _ClassVar[int]
    access_expires: _timestamp_pb2.Timestamp
    access_token: str
    refresh_expires: _timestamp_pb2.Timestamp
    refresh_token: str
    def __init__(self, access_token: _Optional[str] = ..., refresh_token: _Optional[str] = ..., access_expires: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., refresh_expires: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class TwoFactorRequired(_message.Message):
    __slots__ = ["session_id"]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    session_id: str
    def __init__(self, session_id: _Optional[str] = ...) -> None: ...

class UnlinkOpenIdRequest(_message.Message):
    __slots__ = ["provider_id"]
    PROVIDER_ID_FIELD_NUMBER: _ClassVar[int]
    provider_id: int
    def __init__(self, provider_id: _Optional[int] = ...) -> None: ...

class UnlinkOpenIdResponse(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...
