from buf.validate import validate_pb2 as _validate_pb2
from cloudreve.common.v1 import validate_pb2 as _validate_pb2_1
from cloudreve.user.v1 import user_pb2 as _user_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor
SITE_CONFIG_SECTION_APP: SiteConfigSection
SITE_CONFIG_SECTION_BASIC: SiteConfigSection
SITE_CONFIG_SECTION_EMOJIS: SiteConfigSection
SITE_CONFIG_SECTION_EXPLORER: SiteConfigSection
SITE_CONFIG_SECTION_LOGIN: SiteConfigSection
SITE_CONFIG_SECTION_THUMB: SiteConfigSection
SITE_CONFIG_SECTION_UNSPECIFIED: SiteConfigSection
SITE_CONFIG_SECTION_VAS: SiteConfigSection

class CustomHtml(_message.Message):
    __slots__ = ["headless_bottom", "headless_footer", "sidebar_bottom"]
    HEADLESS_BOTTOM_FIELD_NUMBER: _ClassVar[int]
    HEADLESS_FOOTER_FIELD_NUMBER: _ClassVar[int]
    SIDEBAR_BOTTOM_FIELD_NUMBER: _ClassVar[int]
    headless_bottom: str
    headless_footer: str
    sidebar_bottom: str
    def __init__(self, headless_footer: _Optional[str] = ..., headless_bottom: _Optional[str] = ..., sidebar_bottom: _Optional[str] = ...) -> None: ...

class CustomNavItem(_message.Message):
    __slots__ = ["icon", "name", "url"]
    ICON_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    URL_FIELD_NUMBER: _ClassVar[int]
    icon: str
    name: str
    url: str
    def __init__(self, icon: _Optional[str] = ..., name: _Optional[str] = ..., url: _Optional[str] = ...) -> None: ...

class CustomProps(_message.Message):
    __slots__ = ["default", "icon", "id", "max", "min", "name", "options", "type"]
    DEFAULT_FIELD_NUMBER: _ClassVar[int]
    ICON_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    MAX_FIELD_NUMBER: _ClassVar[int]
    MIN_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    OPTIONS_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    default: str
    icon: str
    id: str
    max: int
    min: int
    name: str
    options: _containers.RepeatedScalarFieldContainer[str]
    type: str
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., type: _Optional[str] = ..., max: _Optional[int] = ..., min: _Optional[int] = ..., default: _Optional[str] = ..., options: _Optional[_Iterable[str]] = ..., icon: _Optional[str] = ...) -> None: ...

class FileViewer(_message.Message):
    __slots__ = ["viewers"]
    VIEWERS_FIELD_NUMBER: _ClassVar[int]
    viewers: _containers.RepeatedCompositeFieldContainer[Viewer]
    def __init__(self, viewers: _Optional[_Iterable[_Union[Viewer, _Mapping]]] = ...) -> None: ...

class GetCaptchaRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class GetCaptchaResponse(_message.Message):
    __slots__ = ["image", "ticket"]
    IMAGE_FIELD_NUMBER: _ClassVar[int]
    TICKET_FIELD_NUMBER: _ClassVar[int]
    image: str
    ticket: str
    def __init__(self, image: _Optional[str] = ..., ticket: _Optional[str] = ...) -> None: ...

class GetSiteSettingsRequest(_message.Message):
    __slots__ = ["section"]
    SECTION_FIELD_NUMBER: _ClassVar[int]
    section: SiteConfigSection
    def __init__(self, section: _Optional[_Union[SiteConfigSection, str]] = ...) -> None: ...

class GetSiteSettingsResponse(_message.Message):
    __slots__ = ["config"]
    CONFIG_FIELD_NUMBER: _ClassVar[int]
    config: SiteConfig
    def __init__(self, config: _Optional[_Union[SiteConfig, _Mapping]] = ...) -> None: ...

class GroupSku(_message.Message):
    __slots__ = ["chip", "des", "id", "name", "points", "price", "time"]
    CHIP_FIELD_NUMBER: _ClassVar[int]
    DES_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    POINTS_FIELD_NUMBER: _ClassVar[int]
    PRICE_FIELD_NUMBER: _ClassVar[int]
    TIME_FIELD_NUMBER: _ClassVar[int]
    chip: str
    des: _containers.RepeatedScalarFieldContainer[str]
    id: str
    name: str
    points: int
    price: int
    time: int
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., time: _Optional[int] = ..., price: _Optional[int] = ..., chip: _Optional[str] = ..., points: _Optional[int] = ..., des: _Optional[_Iterable[str]] = ...) -> None: ...

class NewFileTemplate(_message.Message):
    __slots__ = ["display_name", "ext"]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    EXT_FIELD_NUMBER: _ClassVar[int]
    display_name: str
    ext: str
    def __init__(self, ext: _Optional[str] = ..., display_name: _Optional[str] = ...) -> None: ...

class PaymentProvider(_message.Message):
    __slots__ = ["id", "name", "type"]
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    type: str
    def __init__(self, id: _Optional[str] = ..., type: _Optional[str] = ..., name: _Optional[str] = ...) -> None: ...

class PaymentSetting(_message.Message):
    __slots__ = ["currency_code", "currency_mark", "currency_unit", "providers"]
    CURRENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_MARK_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_UNIT_FIELD_NUMBER: _ClassVar[int]
    PROVIDERS_FIELD_NUMBER: _ClassVar[int]
    currency_code: str
    currency_mark: str
    currency_unit: int
    providers: _containers.RepeatedCompositeFieldContainer[PaymentProvider]
    def __init__(self, currency_code: _Optional[str] = ..., currency_mark: _Optional[str] = ..., currency_unit: _Optional[int] = ..., providers: _Optional[_Iterable[_Union[PaymentProvider, _Mapping]]] = ...) -> None: ...

class PingRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class PingResponse(_message.Message):
    __slots__ = ["pro", "version"]
    PRO_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    pro: bool
    version: str
    def __init__(self, version: _Optional[str] = ..., pro: bool = ...) -> None: ...

class ReportAbuseRequest(_message.Message):
    __slots__ = ["captcha", "category", "description", "file_uri", "share_id", "ticket", "user_id"]
    CAPTCHA_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    FILE_URI_FIELD_NUMBER: _ClassVar[int]
    SHARE_ID_FIELD_NUMBER: _ClassVar[int]
    TICKET_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    captcha: str
    category: int
    description: str
    file_uri: str
    share_id: str
    ticket: str
    user_id: str
    def __init__(self, category: _Optional[int] = ..., description: _Optional[str] = ..., share_id: _Optional[str] = ..., user_id: _Optional[str] = ..., file_uri: _Optional[str] = ..., captcha: _Optional[str] = ..., ticket: _Optional[str] = ...) -> None: ...

class ReportAbuseResponse(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class SiteConfig(_message.Message):
    __slots__ = ["abuse_report_captcha", "anonymous_purchase", "app_feedback", "app_forum", "app_promotion", "authn", "captcha_cap_asset_server", "captcha_cap_instance_url", "captcha_cap_site_key", "captcha_recaptcha_key", "captcha_type", "custom_html", "custom_nav_items", "custom_props", "default_theme", "default_viewer_mapping", "desktop_app_promotion", "emoji_preset", "file_viewers", "forget_captcha", "full_text_search", "google_map_tile_type", "group_skus", "icons", "instance_id", "login_captcha", "logo", "logo_light", "map_provider", "mapbox_ak", "max_batch_size", "oidc_display_name", "oidc_enabled", "oidc_icon", "payment", "point_enabled", "point_price", "privacy_policy_url", "qq_enabled", "reg_captcha", "register_enabled", "share_point_gain_rate", "shop_nav_enabled", "show_encryption_status", "site_notice", "sso_display_name", "sso_enabled", "sso_icon", "storage_products", "themes", "thumb_exts", "thumbnail_height", "thumbnail_width", "title", "tos_url", "turnstile_site_id", "user"]
    class DefaultViewerMappingEntry(_message.Message):
        __slots__ = ["key", "value"]
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    ABUSE_REPORT_CAPTCHA_FIELD_NUMBER: _ClassVar[int]
    ANONYMOUS_PURCHASE_FIELD_NUMBER: _ClassVar[int]
    APP_FEEDBACK_FIELD_NUMBER: _ClassVar[int]
    APP_FORUM_FIELD_NUMBER: _ClassVar[int]
    APP_PROMOTION_FIELD_NUMBER: _ClassVar[int]
    AUTHN_FIELD_NUMBER: _ClassVar[int]
    CAPTCHA_CAP_ASSET_SERVER_FIELD_NUMBER: _ClassVar[int]
    CAPTCHA_CAP_INSTANCE_URL_FIELD_NUMBER: _ClassVar[int]
    CAPTCHA_CAP_SITE_KEY_FIELD_NUMBER: _ClassVar[int]
    CAPTCHA_RECAPTCHA_KEY_FIELD_NUMBER: _ClassVar[int]
    CAPTCHA_TYPE_FIELD_NUMBER: _ClassVar[int]
    CUSTOM_HTML_FIELD_NUMBER: _ClassVar[int]
    CUSTOM_NAV_ITEMS_FIELD_NUMBER: _ClassVar[int]
    CUSTOM_PROPS_FIELD_NUMBER: _ClassVar[int]
    DEFAULT_THEME_FIELD_NUMBER: _ClassVar[int]
    DEFAULT_VIEWER_MAPPING_FIELD_NUMBER: _ClassVar[int]
    DESKTOP_APP_PROMOTION_FIELD_NUMBER: _ClassVar[int]
    EMOJI_PRESET_FIELD_NUMBER: _ClassVar[int]
    FILE_VIEWERS_FIELD_NUMBER: _ClassVar[int]
    FORGET_CAPTCHA_FIELD_NUMBER: _ClassVar[int]
    FULL_TEXT_SEARCH_FIELD_NUMBER: _ClassVar[int]
    GOOGLE_MAP_TILE_TYPE_FIELD_NUMBER: _ClassVar[int]
    GROUP_SKUS_FIELD_NUMBER: _ClassVar[int]
    ICONS_FIELD_NUMBER: _ClassVar[int]
    INSTANCE_ID_FIELD_NUMBER: _ClassVar[int]
    LOGIN_CAPTCHA_FIELD_NUMBER: _ClassVar[int]
    LOGO_FIELD_NUMBER: _ClassVar[int]
    LOGO_LIGHT_FIELD_NUMBER: _ClassVar[int]
    MAPBOX_AK_FIELD_NUMBER: _ClassVar[int]
    MAP_PROVIDER_FIELD_NUMBER: _ClassVar[int]
    MAX_BATCH_SIZE_FIELD_NUMBER: _ClassVar[int]
    OIDC_DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    OIDC_ENABLED_FIELD_NUMBER: _ClassVar[int]
    OIDC_ICON_FIELD_NUMBER: _ClassVar[int]
    PAYMENT_FIELD_NUMBER: _ClassVar[int]
    POINT_ENABLED_FIELD_NUMBER: _ClassVar[int]
    POINT_PRICE_FIELD_NUMBER: _ClassVar[int]
    PRIVACY_POLICY_URL_FIELD_NUMBER: _ClassVar[int]
    QQ_ENABLED_FIELD_NUMBER: _ClassVar[int]
    REGISTER_ENABLED_FIELD_NUMBER: _ClassVar[int]
    REG_CAPTCHA_FIELD_NUMBER: _ClassVar[int]
    SHARE_POINT_GAIN_RATE_FIELD_NUMBER: _ClassVar[int]
    SHOP_NAV_ENABLED_FIELD_NUMBER: _ClassVar[int]
    SHOW_ENCRYPTION_STATUS_FIELD_NUMBER: _ClassVar[int]
    SITE_NOTICE_FIELD_NUMBER: _ClassVar[int]
    SSO_DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    SSO_ENABLED_FIELD_NUMBER: _ClassVar[int]
    SSO_ICON_FIELD_NUMBER: _ClassVar[int]
    STORAGE_PRODUCTS_FIELD_NUMBER: _ClassVar[int]
    THEMES_FIELD_NUMBER: _ClassVar[int]
    THUMBNAIL_HEIGHT_FIELD_NUMBER: _ClassVar[int]
    THUMBNAIL_WIDTH_FIELD_NUMBER: _ClassVar[int]
    THUMB_EXTS_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    TOS_URL_FIELD_NUMBER: _ClassVar[int]
    TURNSTILE_SITE_ID_FIELD_NUMBER: _ClassVar[int]
    USER_FIELD_NUMBER: _ClassVar[int]
    abuse_report_captcha: bool
    anonymous_purchase: bool
    app_feedback: str
    app_forum: str
    app_promotion: bool
    authn: bool
    captcha_cap_asset_server: str
    captcha_cap_instance_url: str
    captcha_cap_site_key: str
    captcha_recaptcha_key: str
    captcha_type: str
    custom_html: CustomHtml
    custom_nav_items: _containers.RepeatedCompositeFieldContainer[CustomNavItem]
    custom_props: _containers.RepeatedCompositeFieldContainer[CustomProps]
    default_theme: str
    default_viewer_mapping: _containers.ScalarMap[str, str]
    desktop_app_promotion: bool
    emoji_preset: str
    file_viewers: _containers.RepeatedCompositeFieldContainer[FileViewer]
    forget_captcha: bool
    full_text_search: bool
    google_map_tile_type: str
    group_skus: _containers.RepeatedCompositeFieldContainer[GroupSku]
    icons: str
    instance_id: str
    login_captcha: bool
    logo: str
    logo_light: str
    map_provider: str
    mapbox_ak: str
    max_batch_size: int
    oidc_display_name: str
    oidc_enabled: bool
    oidc_icon: str
    payment: PaymentSetting
    point_enabled: bool
    point_price: int
    privacy_policy_url: str
    qq_enabled: bool
    reg_captcha: bool
    register_enabled: bool
    share_point_gain_rate: float
    shop_nav_enabled: bool
    show_encryption_status: bool
    site_notice: str
    sso_display_name: str
    sso_enabled: bool
    sso_icon: str
    storage_products: _containers.RepeatedCompositeFieldContainer[StorageProduct]
    themes: str
    thumb_exts: _containers.RepeatedScalarFieldContainer[str]
    thumbnail_height: int
    thumbnail_width: int
    title: str
    tos_url: str
    turnstile_site_id: str
    user: _user_pb2.User
    def __init__(self, instance_id: _Optional[str] = ..., title: _Optional[str] = ..., themes: _Optional[str] = ..., default_theme: _Optional[str] = ..., user: _Optional[_Union[_user_pb2.User, _Mapping]] = ..., logo: _Optional[str] = ..., logo_light: _Optional[str] = ..., custom_nav_items: _Optional[_Iterable[_Union[CustomNavItem, _Mapping]]] = ..., custom_html: _Optional[_Union[CustomHtml, _Mapping]] = ..., captcha_type: _Optional[str] = ..., captcha_recaptcha_key: _Optional[str] = ..., turnstile_site_id: _Optional[str] = ..., captcha_cap_instance_url: _Optional[str] = ..., captcha_cap_site_key: _Optional[str] = ..., captcha_cap_asset_server: _Optional[str] = ..., app_promotion: bool = ..., desktop_app_promotion: bool = ..., login_captcha: bool = ..., reg_captcha: bool = ..., forget_captcha: bool = ..., authn: bool = ..., register_enabled: bool = ..., tos_url: _Optional[str] = ..., privacy_policy_url: _Optional[str] = ..., icons: _Optional[str] = ..., emoji_preset: _Optional[str] = ..., map_provider: _Optional[str] = ..., google_map_tile_type: _Optional[str] = ..., mapbox_ak: _Optional[str] = ..., file_viewers: _Optional[_Iterable[_Union[FileViewer, _Mapping]]] = ..., default_viewer_mapping: _Optional[_Mapping[str, str]] = ..., max_batch_size: _Optional[int] = ..., thumbnail_width: _Optional[int] = ..., thumbnail_height: _Optional[int] = ..., custom_props: _Optional[_Iterable[_Union[CustomProps, _Mapping]]] = ..., show_encryption_status: bool = ..., full_text_search: bool = ..., thumb_exts: _Optional[_Iterable[str]] = ..., abuse_report_captcha: bool = ..., site_notice: _Optional[str] = ..., qq_enabled: bool = ..., sso_enabled: bool = ..., sso_display_name: _Optional[str] = ..., sso_icon: _Optional[str] = ..., oidc_enabled: bool = ..., oidc_display_name: _Optional[str] = ..., oidc_icon: _Optional[str] = ..., point_enabled: bool = ..., share_point_gain_rate: _Optional[float] = ..., app_feedback: _Optional[str] = ..., app_forum: _Optional[str] = ..., payment: _Optional[_Union[PaymentSetting, _Mapping]] = ..., anonymous_purchase: bool = ..., point_price: _Optional[int] = ..., shop_nav_enabled: bool = ..., storage_products: _Optional[_Iterable[_Union[StorageProduct, _Mapping]]] = ..., group_skus: _Optional[_Iterable[_Union[GroupSku, _Mapping]]] = ...) -> None: ...

class StorageProduct(_message.Message):
    __slots__ = ["chip", "id", "name", "points", "price", "size", "time"]
    CHIP_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    POINTS_FIELD_NUMBER: _ClassVar[int]
    PRICE_FIELD_NUMBER: _ClassVar[int]
    SIZE_FIELD_NUMBER: _ClassVar[int]
    TIME_FIELD_NUMBER: _ClassVar[int]
    chip: str
    id: str
    name: str
    points: int
    price: int
    size: int
    time: int
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., size: _Optional[int] = ..., time: _Optional[int] = ..., price: _Optional[int] = ..., chip: _Optional[str] = ..., points: _Optional[int] = ...) -> None: ...

class Viewer(_message.Message):
    __slots__ = ["disabled", "display_name", "exts", "icon", "id", "max_size", "platform", "props", "required_group_permission", "required_permissions", "templates", "type", "url"]
    class PropsEntry(_message.Message):
        __slots__ = ["key", "value"]
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    DISABLED_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    EXTS_FIELD_NUMBER: _ClassVar[int]
    ICON_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    MAX_SIZE_FIELD_NUMBER: _ClassVar[int]
    PLATFORM_FIELD_NUMBER: _ClassVar[int]
    PROPS_FIELD_NUMBER: _ClassVar[int]
    REQUIRED_GROUP_PERMISSION_FIELD_NUMBER: _ClassVar[int]
    REQUIRED_PERMISSIONS_FIELD_NUMBER: _ClassVar[int]
    TEMPLATES_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    URL_FIELD_NUMBER: _ClassVar[int]
    disabled: bool
    display_name: str
    exts: _containers.RepeatedScalarFieldContainer[str]
    icon: str
    id: str
    max_size: int
    platform: str
    props: _containers.ScalarMap[str, str]
    required_group_permission: _containers.RepeatedScalarFieldContainer[int]
    required_permissions: _containers.RepeatedScalarFieldContainer[_user_pb2.GroupPermission]
    templates: _containers.RepeatedCompositeFieldContainer[NewFileTemplate]
    type: str
    url: str
    def __init__(self, id: _Optional[str] = ..., type: _Optional[str] = ..., display_name: _Optional[str] = ..., exts: _Optional[_Iterable[str]] = ..., url: _Optional[str] = ..., icon: _Optional[str] = ..., props: _Optional[_Mapping[str, str]] = ..., max_size: _Optional[int] = ..., disabled: bool = ..., templates: _Optional[_Iterable[_Union[NewFileTemplate, _Mapping]]] = ..., platform: _Optional[str] = ..., required_group_permission: _Optional[_Iterable[int]] = ..., required_permissions: _Optional[_Iterable[_Union[_user_pb2.GroupPermission, str]]] = ...) -> None: ...

class SiteConfigSection(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
