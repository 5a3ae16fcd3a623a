"""Admin for data-subject requests: the overdue list, the audit trail, and every step staff take.

Staff read a case and its audit trail, never edit them; what they do goes through
:mod:`jsg_privacy.requests.cases` and friends, so each step is audited with who did it. Steps that
need a decision (the erasure plan, an extension, an objection) have their own confirmation page.

A shop's user admin gets the one-click export, a button on the customer's page and an action on
the list, with :class:`PersonalDataExportMixin` and :func:`export_user_personal_data`::

    from jsg_privacy.requests.admin import PersonalDataExportMixin, export_user_personal_data

    class CustomerAdmin(PersonalDataExportMixin, UserAdmin):
        actions = [export_user_personal_data]
"""

from jsg_privacy.requests.admin.complaints import ComplaintAdmin
from jsg_privacy.requests.admin.export import (
    PersonalDataExportMixin,
    export_case,
    export_response,
    export_user_personal_data,
)
from jsg_privacy.requests.admin.notices import RecipientNoticeAdmin
from jsg_privacy.requests.admin.options import CaseAdmin
from jsg_privacy.requests.admin.restrictions import RestrictionAdmin

__all__ = [
    "CaseAdmin",
    "ComplaintAdmin",
    "PersonalDataExportMixin",
    "RecipientNoticeAdmin",
    "RestrictionAdmin",
    "export_case",
    "export_response",
    "export_user_personal_data",
]
