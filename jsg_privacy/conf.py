"""The one settings object of jsg_privacy.

Every setting is read from ``django.conf.settings`` with the ``JSG_PRIVACY_`` prefix at the moment it
is used, never copied at import time, so ``override_settings`` works in tests and nothing is written
into the project's settings. Each setting is declared once, below, with its default, accepted types
and a one-line description; the system checks and the configuration docs are derived from it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Generic, TypeVar, overload

from django.conf import settings
from django.core.signals import setting_changed
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

PREFIX = "JSG_PRIVACY_"

T = TypeVar("T")


#: Values read so far, by setting name, and the settings object they were read from: a setting the
#: project does not set is otherwise looked up in vain on every read (Django's settings object
#: raises and catches an AttributeError each time: 4-13 µs measured, several times per request).
#: Forgotten when the settings object is replaced (``override_settings``, pytest-django's
#: ``settings``, its deletions included) or a setting changes (``setting_changed``).
_read: dict[str, Any] = {}
_read_from: list[object] = [None]


def _forget(*, setting: str, **kwargs: Any) -> None:
    if setting.startswith(PREFIX):
        _read.clear()


setting_changed.connect(_forget, dispatch_uid="jsg_privacy.conf.forget")


class Setting(Generic[T]):
    """A lazily read ``<prefix><NAME>`` setting (``JSG_PRIVACY_<NAME>`` here)."""

    prefix: ClassVar[str] = PREFIX

    def __init__(self, default: T, *, types: type | tuple[type, ...], help: str) -> None:
        self.default = default
        self.types = types
        self.help = help
        self.name = ""
        self.setting_name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name
        self.setting_name = self.prefix + name

    @overload
    def __get__(self, instance: None, owner: type) -> Setting[T]: ...
    @overload
    def __get__(self, instance: object, owner: type) -> T: ...
    def __get__(self, instance: object | None, owner: type) -> T | Setting[T]:
        if instance is None:
            return self
        wrapped = settings.__dict__["_wrapped"]  # (LazySettings keeps it there)
        if wrapped is not _read_from[0]:
            _read.clear()
            _read_from[0] = wrapped
        try:
            value: T = _read[self.setting_name]
        except KeyError:
            value = _read[self.setting_name] = getattr(settings, self.setting_name, self.default)
        return value

    def is_valid(self, value: Any) -> bool:
        return isinstance(value, self.types)


class SettingsGroup:
    """Settings declared as class attributes (``Setting`` instances): jsg_privacy's, an integration's."""

    @classmethod
    def declared(cls) -> dict[str, Setting[Any]]:
        """Every declared setting, by its name without the prefix."""
        return {name: value for name, value in vars(cls).items() if isinstance(value, Setting)}

    @classmethod
    def wrong_types(cls) -> list[tuple[Setting[Any], Any]]:
        """The declared settings the project sets to a value of a type they do not accept."""
        found = []
        for setting in cls.declared().values():
            value = getattr(settings, setting.setting_name, setting.default)
            if not setting.is_valid(value):
                found.append((setting, value))
        return found


class AppSettings(SettingsGroup):
    """Settings of jsg_privacy. Use the module-level ``app_settings`` instance."""

    STRICT = Setting[bool](
        False,
        types=bool,
        help="Undeclared personal data, unclassified columns, missing retention rules and open "
        "to-dos are errors (E002, E003, E007, E020) instead of warnings (W007-W010). Set it in CI "
        "and production settings; check --deploy is always strict.",
    )
    MODULES = Setting[Sequence[str]](
        (),
        types=(list, tuple),
        help="Dotted paths of modules holding declarations for apps you do not own (a "
        'third-party shop framework such as django-oscar), e.g. ["myshop.privacy"]: imported '
        "after every installed app's privacy.py.",
    )
    ROLE = Setting(
        "controller",
        types=str,
        help='"controller" (the shop decides why and how data is processed) or "processor" '
        "(it processes personal data on its clients' instructions).",
    )
    CONTROLLER = Setting[Mapping[str, Any]](
        {},
        types=Mapping,
        help="Who the controller is: name, address, email, phone, privacy_manager, "
        "ico_registration, supervisory_authority.",
    )

    SUPERVISORY_AUTHORITY = Setting[Mapping[str, Any]](
        {
            "name": gettext_lazy("Information Commissioner's Office (ICO)"),
            "url": "https://ico.org.uk/make-a-complaint/",
            "phone": "0303 123 1113",
            "address": "Wycliffe House, Water Lane, Wilmslow, Cheshire SK9 5AF",
        },
        types=Mapping,
        help="The supervisory authority people may complain to: name, url, phone, address.",
    )
    CLIENTS = Setting[Sequence[Mapping[str, Any]]](
        [],
        types=(list, tuple),
        help="In processor mode, the controllers whose data is processed: a list of mappings with "
        "name, instructions and retention ({category: {anchor, years, months, days, action}}).",
    )

    SECURITY_MEASURES = Setting[Sequence[str | Promise]](  # Promise: a lazy translation
        [
            gettext_lazy(
                "Personal data is stored in access-controlled UK data centres and sent only over TLS."
            ),
            gettext_lazy(
                "Staff accounts use strong passwords; access is limited to staff who need it."
            ),
        ],
        types=(list, tuple),
        help="The technical and organisational security measures listed in the Art. 30 record.",
    )
    FORM_CLASSES = Setting[Mapping[str, str]](
        {},
        types=Mapping,
        help="CSS classes of your site's forms, added to the privacy pages' fields and buttons: "
        '{"input": ..., "textarea": ..., "select": ..., "checkbox": ..., "radio": ..., '
        '"label": ..., "button": ...}; see docs/templates.md.',
    )

    ENCRYPTION_KEYS = Setting[Sequence[str] | str](
        [],
        types=(list, tuple, str),
        help="Fernet keys for the encrypted model fields, newest first (a list, or a "
        "comma-separated string from the environment). Empty: a key derived from SECRET_KEY, "
        "refused by check jsg_privacy.E013 when DEBUG is off.",
    )
    HASH_KEY = Setting[Sequence[str] | str](
        "",
        types=(str, list, tuple),
        help="The secret for subject keys in the consent ledger and suppression list and for "
        "keyed-hash columns, independent of SECRET_KEY. Newest first (a list, or a comma-separated "
        "string): new keys are made with the first, and records made under an older one are still "
        "found, so an opt-out survives a rotation. Required with DEBUG off (check "
        "jsg_privacy.E016); empty with DEBUG on: derived from SECRET_KEY (W006).",
    )
    LEDGER_KEYS = Setting[Sequence[str] | str](
        [],
        types=(list, tuple, str),
        help="The secrets that sign the consent ledger's chain and its checkpoints, newest first (a "
        "list, or a comma-separated string from the environment): the first signs, every listed "
        "key verifies. Never SECRET_KEY, never stored in the database. Required with DEBUG off "
        "(check jsg_privacy.E035); empty with DEBUG on: a public demo key (W035).",
    )
    LEDGER_CHECKPOINT_STORAGE = Setting[str](
        "default",
        types=str,
        help="The STORAGES alias the consent ledger's signed checkpoints are written to: somewhere "
        "a database writer cannot reach (check jsg_privacy.E036 if it is not in STORAGES).",
    )
    LEDGER_CHECKPOINT_EVERY = Setting[int](
        1000,
        types=int,
        help="Take a ledger checkpoint after every this many records of a lane (after the append "
        "commits, through JSG_PRIVACY_TASK_RUNNER); 0: only privacy_ledger_checkpoint takes them.",
    )
    CONSENT_MAX_AGE = Setting[int](
        182,
        types=int,
        help="Days a cookie consent choice lasts before the banner asks again.",
    )
    CONSENT_REFUSAL_COOLDOWN = Setting[int](
        182,
        types=int,
        help="Days a refused or withdrawn cookie group is not asked about again, even when the "
        "group changes (a new cookie, new wording); at most CONSENT_MAX_AGE (check W070).",
    )

    CONSENT_COOKIE_NAME = Setting[str](
        "jsg_consent",
        types=str,
        help="Name of the signed cookie that holds a visitor's cookie choices.",
    )
    GOOGLE_CONSENT_MODE = Setting[bool](
        False,
        types=bool,
        help="Emit Google Consent Mode v2 defaults (all denied) before any tag, and updates on each choice.",
    )
    CONSENT_MODE_WAIT_FOR_UPDATE = Setting[int](
        500,
        types=int,
        help="Consent Mode's wait_for_update: milliseconds Google tags wait for the visitor's "
        "stored choices before using the defaults.",
    )
    MARKETING_MEDIA = Setting[Sequence[str]](
        ("email", "sms", "phone", "post"),
        types=(list, tuple),
        help="The marketing channels people can opt in to, each with its own unticked box.",
    )
    MARKETING_DOUBLE_OPT_IN = Setting[bool](
        False,
        types=bool,
        help="Confirm e-mail marketing consent by an e-mailed link before it counts.",
    )
    MARKETING_PARTNERS = Setting[bool](
        False,
        types=bool,
        help="Offer the separate box for passing contact details to partners for their own "
        "marketing, and say so in the privacy notice. Declare the partners as a recipient too.",
    )
    MARKETING_TESTIMONIALS = Setting[bool](
        False,
        types=bool,
        help="Offer the box asking permission to publish a customer's feedback as a testimonial "
        "(on the marketing preferences page), and say so in the privacy notice.",
    )
    UNSUBSCRIBE_MAX_AGE = Setting[int](
        365 * 2,
        types=int,
        help="Days an unsubscribe link in an e-mail stays valid.",
    )

    PAYMENT_GATEWAYS = Setting[Sequence[str]](
        ["jsg_privacy.payments.gateways.stripe.StripeGateway"],
        types=(list, tuple),
        help="Dotted paths of the payment gateways the pay page offers, the default first (the "
        "contract: jsg_privacy.payments.base.Gateway). Each payment keeps its gateway's name: keep "
        "a gateway listed while it has payments to refund or customers to erase (check "
        "jsg_privacy.E062).",
    )
    PAYMENT_ADAPTER = Setting[str](
        "",
        types=str,
        help="Dotted path of the shop's payment adapter: finds what an order owes (amount, currency, "
        "reference, customer) on the server and marks it paid (jsg_privacy.payments.adapter). "
        "Setting it switches jsg_privacy's payments on; empty, they are off and not in the notice.",
    )
    CARD_GUARD_EXEMPT_FIELDS = Setting[Mapping[str, str]](
        {},
        types=Mapping,
        help="Request fields the card-data guard lets through when a validator (dotted path) accepts "
        "the value, e.g. {'mpan': 'jsg_privacy.payments.guard.is_mpan'}: an MPAN core (the UK "
        "meter number) can pass the Luhn test that card numbers use.",
    )

    TASK_RUNNER = Setting[str](
        "inline",
        types=str,
        help='"inline" runs exports, erasures and retention in the request or command; "celery" '
        "queues them on the project's Celery app (workers must import jsg_privacy.tasks).",
    )
    ADDRESS_VERIFIER = Setting[str](
        "",
        types=str,
        help="Dotted path of a function (user, email) -> bool for shops that prove e-mail "
        "addresses their own way. jsg_privacy's own e-mailed links and django-allauth's verified "
        "addresses always count; records found only by an address are released to an account "
        "only when it is proven.",
    )
    MARKETING_CONTACT = Setting[str](
        "",
        types=str,
        help="Dotted path of a function (user, medium) -> str: the signed-in customer's contact "
        "detail for a marketing medium ('email', 'sms', 'phone', 'post'), empty when the account "
        "has none. With it, the marketing preferences page refuses to switch on a medium the "
        "shop cannot reach the customer by (no text messages without a phone number).",
    )
    ERASURE_JOURNAL = Setting[str](
        "",
        types=str,
        help="A file outside the main database where every erasure is appended (JSON lines, a "
        "keyed hash of the address, never the address), so privacy_replay_erasures can erase "
        "subjects again after the database is restored from a backup. Keep it on another volume, "
        "backed up on its own. Empty: erasure records live in the main database only (W014 with "
        "DEBUG off).",
    )
    RECIPIENT_NOTIFIER = Setting[str](
        "jsg_privacy.notifiers.email.EmailNotifier",
        types=str,
        help="Dotted path of the notifier class that tells a recipient of an erasure, correction "
        "or restriction (Art. 19) when its declaration names none: by default an e-mail to the "
        "recipient's declared contact.",
    )
    NOTIFIER_TIMEOUT = Setting[float | int](
        30,
        types=(int, float),
        help="Seconds a notifier waits for a recipient (its mail server, its API) before the notice "
        "counts as failed; it is retried later and the request waits for recipients meanwhile.",
    )
    EXPORT_STORAGE = Setting[str](
        "default",
        types=str,
        help="The STORAGES alias export ZIPs are written to until their link expires. Keep it "
        "private (files are served only through the download view); a file-system storage "
        "without a location (MEDIA_ROOT unset) is refused (check jsg_privacy.E024).",
    )
    EXPORT_LINK_MAX_AGE = Setting[int](
        72,
        types=int,
        help="Hours an export's download link works; the file is deleted when it expires.",
    )
    DEFAULT_COUNTRY = Setting(
        "GB",
        types=str,
        help="The country the shop treats a visitor as being in when no country header says "
        "otherwise (two letters, ISO 3166).",
    )
    COUNTRY_HEADER = Setting(
        "",
        types=str,
        help='A request header your CDN or proxy sets to the visitor\'s country, e.g. "CF-IPCountry" '
        '(Cloudflare) or "CloudFront-Viewer-Country"; "" uses DEFAULT_COUNTRY for everyone. Only '
        "set it when the proxy overwrites the header: a client could send its own.",
    )
    EXCEPTION_COUNTRIES = Setting[Sequence[str]](
        ["GB"],
        types=(list, tuple),
        help="Countries whose visitors get the PECR Sch. A1 exceptions (statistical, appearance): "
        "those cookie groups are on without a prompt, with a one-click objection. Visitors "
        "elsewhere are asked for consent.",
    )
    CLARIFICATION_NO_REPLY_DAYS = Setting[int](
        30,
        types=int,
        help="Days a requester has to answer a request for clarification (the clock is paused "
        "meanwhile, Art. 12A) before staff may close the request, with a letter saying so.",
    )
    COMPLAINT_OUTCOME_DAYS = Setting[int](
        90,
        types=int,
        help="Days from receipt within which the shop aims to tell a complainant the outcome of "
        "a data-protection complaint (DPA 2018 s.164A: without undue delay); later, the complaint "
        "is in the overdue list.",
    )

    USAGE_LOGGING = Setting[bool](
        True,
        types=bool,
        help="Record page views and searches (with analytics consent) and security events (400/403 "
        "responses, failed log-ins) while the security purpose is declared. Only with "
        "jsg_privacy.usage.middleware.UsageMiddleware in MIDDLEWARE; False turns it off there.",
    )
    USAGE_SEARCH_PARAMETER = Setting[str](
        "q",
        types=str,
        help='The query parameter recorded as search terms (at most 200 characters); "" records none.',
    )
    USAGE_BUFFER = Setting[str](
        "memory",
        types=str,
        help='Where page-view events wait before they are written in batches: "memory" (each '
        'process; written on a clean shutdown) or a Redis URL ("redis://host:6379/0", shared by '
        "every process). Redis down: events are dropped and counted, pages never wait.",
    )
    USAGE_REDIS_KEY = Setting[str](
        "jsg_privacy:usage_events",
        types=str,
        help="The Redis list that holds waiting page-view events (with a Redis USAGE_BUFFER).",
    )
    USAGE_BATCH_SIZE = Setting[int](
        200,
        types=int,
        help="Page-view events written per INSERT; the writer wakes early once this many wait.",
    )
    USAGE_FLUSH_SECONDS = Setting[float](
        2.0,
        types=(int, float),
        help="How often each process's writer thread writes waiting page-view events; 0 starts "
        "no thread (events are then written by privacy_flush_usage, e.g. from cron or a worker).",
    )
    USAGE_FULL_IP_DAYS = Setting[int](
        0,
        types=int,
        help="Days full IP addresses are kept before truncation (IPv4 /24, IPv6 /48); 0 truncates "
        "them at write time.",
    )
    KIT = Setting[Mapping[str, Any]](
        {},
        types=Mapping,
        help="The compliance kit (pytest --privacy-kit, manage.py privacy_audit): pages, discover, "
        "checkout, sign_up, setup, before_checkout, subject, not_applicable; see "
        "docs/compliance-kit.md.",
    )


app_settings = AppSettings()

#: Sub-prefixes (``"SALEOR_"``) whose settings an installed integration declares and checks itself.
claimed_prefixes: set[str] = set()


def claim_prefix(prefix: str) -> None:
    """Called by an integration's ``AppConfig.ready()``: its ``JSG_PRIVACY_<prefix>*`` settings are
    its own, so check ``jsg_privacy.W001`` does not call them unknown."""
    claimed_prefixes.add(prefix)
