"""The data inventory: declare personal data once; every flow reads it from here.

In an app's ``privacy.py`` (autodiscovered like ``admin.py``)::

    from jsg_privacy import registry as privacy

    @privacy.register(Enquiry)
    class EnquirySource(privacy.ModelSource):
        subject_email = "email"
        fields = {"correspondence": ["name", "email", "phone", "message"]}
        retention = privacy.Retention(anchor="answered_at", period=privacy.Period(days=30))
"""

from jsg_privacy.registry import anonymisers
from jsg_privacy.registry.core import Exemption, Problem, Registry, on_change
from jsg_privacy.registry.declarations import (
    UK_AND_EEA,
    Basis,
    Category,
    Client,
    Cookie,
    Origin,
    Purpose,
    Recipient,
    RecipientKind,
    Safeguard,
    Storage,
    StorageRoute,
)
from jsg_privacy.registry.rules import (
    Action,
    Anonymise,
    Delete,
    Erasure,
    LegalHold,
    Period,
    Retention,
)
from jsg_privacy.registry.sources import (
    ModelSource,
    Money,
    RemoteSource,
    Source,
    SourceUnavailable,
    Subject,
)

#: The registry of this process, filled by the built-in inventory and every app's ``privacy.py``.
registry = Registry()

add = registry.add
remove = registry.remove
register = registry.register
register_remote = registry.register_remote
unregister = registry.unregister
exempt = registry.exempt
add_consent_mechanism = registry.add_consent_mechanism
temporarily = registry.temporarily


def autodiscover() -> None:
    """Import every installed app's ``privacy`` module, the way the admin imports ``admin``, then
    the modules named in ``JSG_PRIVACY_MODULES`` (declarations for apps the project does not own).

    A module that cannot be imported is reported by ``manage.py check`` (E011), not raised.
    """
    from importlib import import_module

    from django.utils.module_loading import autodiscover_modules

    from jsg_privacy.conf import app_settings

    autodiscover_modules("privacy")
    for path in app_settings.MODULES:
        try:
            import_module(path)
        except ImportError as exc:
            registry.problems.append(
                Problem(
                    f"JSG_PRIVACY_MODULES: {path!r}",
                    f"cannot be imported ({exc}).",
                    hint='Name a module on the Python path, e.g. "myshop.privacy".',
                )
            )


__all__ = [
    "UK_AND_EEA",
    "Action",
    "Anonymise",
    "Basis",
    "Category",
    "Client",
    "Cookie",
    "Delete",
    "Erasure",
    "Exemption",
    "LegalHold",
    "ModelSource",
    "Money",
    "Origin",
    "Period",
    "Problem",
    "Purpose",
    "Recipient",
    "RecipientKind",
    "Registry",
    "RemoteSource",
    "Retention",
    "Safeguard",
    "Source",
    "SourceUnavailable",
    "Storage",
    "StorageRoute",
    "Subject",
    "add",
    "add_consent_mechanism",
    "anonymisers",
    "autodiscover",
    "exempt",
    "on_change",
    "register",
    "register_remote",
    "registry",
    "remove",
    "temporarily",
    "unregister",
]
