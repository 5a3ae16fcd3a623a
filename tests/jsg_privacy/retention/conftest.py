"""Declare the enquiries source afresh for one test: a retention rule and a legal hold of its own."""

import pytest

from example_shop.enquiries.models import Enquiry
from jsg_privacy import registry as privacy
from jsg_privacy.registry import registry


def declare_enquiries(retention, erasure=None):
    """Replace the enquiries' declaration (call inside ``privacy.temporarily()``)."""
    registry.unregister(Enquiry)

    class Declared(privacy.ModelSource):
        subject_email = "email"
        fields = {"correspondence": ["name", "email", "phone", "subject", "message", "created_at"]}
        not_personal = ["answered_by"]

    Declared.retention = retention
    Declared.erasure = erasure or privacy.Delete()
    registry.register(Enquiry, Declared)
    return registry.sources[Enquiry._meta.label]


@pytest.fixture
def temporary_registry():
    with privacy.temporarily():
        yield
