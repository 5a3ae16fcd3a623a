"""Without jsg_privacy.contrib.oscar's declarations, ``manage.py privacy_inspect`` drafts Oscar's:
the draft loads as it is, and then the checks report only its open decisions (to-dos)."""

import io
import types

import pytest
from django.core.checks import run_checks
from django.core.management import call_command

from jsg_privacy.contrib.oscar import privacy as oscar_privacy
from jsg_privacy.registry import registry

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    """The draft of a project that declares nothing for Oscar, loaded as a privacy.py would be."""
    with registry.temporarily():
        for label in [*oscar_privacy.SOURCES, "auth.User"]:
            registry.unregister(label)
        for label in oscar_privacy.EXEMPT:
            registry.exemptions.pop(label, None)
        out, err = io.StringIO(), io.StringIO()
        call_command("privacy_inspect", stdout=out, stderr=err)
        module = types.ModuleType("drafted_privacy")
        exec(compile(out.getvalue(), "drafted_privacy.py", "exec"), module.__dict__)  # noqa: S102
        yield registry, out.getvalue(), err.getvalue()


def test_the_draft_of_an_oscar_shop_leaves_only_its_to_dos(draft, settings):
    settings.JSG_PRIVACY_STRICT = True
    drafted, _text, err = draft

    left = [m for m in run_checks(tags=["jsg_privacy"]) if m.level >= 30]

    open_decisions = {"jsg_privacy.E020", "jsg_privacy.E025"}
    assert {m.id for m in left} <= open_decisions, [
        m.msg for m in left if m.id not in open_decisions
    ]
    # E025 (no date to fall back on) only where the draft says so in a to-do of its own: the
    # fulfilment partners, whose only link to a person is their staff users.
    for message in left:
        if message.id == "jsg_privacy.E025":
            todo = " ".join(drafted.sources[message.obj._meta.label].todo)
            assert "name a fallback date (check E025)" in todo
    assert "order is an installed package, not your code" in err
    assert "JSG_PRIVACY_MODULES" in err


def test_sales_records_are_held_with_their_rows_and_nothing_else_is(draft):
    drafted, _text, _err = draft
    held = {
        key
        for key, source in drafted.sources.items()
        if type(source.erasure).__name__ == "LegalHold" and not key.startswith("jsg_privacy")
    }
    assert {
        "order.Order",
        "order.Line",
        "order.ShippingAddress",
        "payment.Source",
        "payment.Transaction",
    } <= held
    assert not held & {"basket.Basket", "wishlists.WishList", "payment.Bankcard", "auth.User"}
    # A row held with its order follows the order's date, so they end together (check E022).
    assert drafted.sources["payment.Transaction"].erasure.anchor == "source__order__date_placed"


def test_the_draft_guesses_from_what_oscar_s_names_mean(draft):
    drafted, text, _err = draft
    user_search = drafted.sources["analytics.UserSearch"]
    assert "usage" in user_search.fields  # a search is usage data, though its model says "user"
    assert "query" in user_search.fields["usage"]  # what the customer typed
    assert "analytics" not in user_search.purposes  # consent nobody asks for is not claimed
    assert "communication.CommunicationEventType" not in drafted.sources  # e-mail templates
    order = drafted.sources["order.Order"]
    assert "shipping_address" in order.not_personal  # the address row is declared on its own
    assert drafted.sources["auth.User"].retention.anchor == "last_login"
    assert "a member of staff's" in text  # offer.RangeProductFileUpload.uploaded_by
