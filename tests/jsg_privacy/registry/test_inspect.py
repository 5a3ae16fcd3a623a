"""``manage.py privacy_inspect`` drafts declarations that load as they are: the checks then report
only the open decisions (to-dos), and each to-do is a real decision."""

import io
import types

import pytest
from django.core.checks import run_checks
from django.core.management import CommandError, call_command

from jsg_privacy.registry import registry

pytestmark = pytest.mark.django_db

SHOP = (
    "orders.Order",
    "orders.OrderLine",
    "enquiries.Enquiry",
    "enquiries.QuoteRequest",
    "auth.User",
    "accounts.CustomerProfile",
)


def inspect(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("privacy_inspect", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def load(text):
    """Run a draft as Django would import a privacy.py."""
    module = types.ModuleType("drafted_privacy")
    exec(compile(text, "drafted_privacy.py", "exec"), module.__dict__)  # noqa: S102
    return module


def jsg_messages():
    return [m for m in run_checks(tags=["jsg_privacy"], databases=[]) if m.level >= 30]


def test_with_everything_declared_there_is_nothing_to_draft():
    out, err = inspect()
    assert out == ""
    assert "Every model with personal data is declared." in err


def test_a_draft_of_the_shop_loads_and_leaves_only_its_to_dos(settings):
    settings.JSG_PRIVACY_STRICT = True
    with registry.temporarily():
        for label in SHOP:
            registry.unregister(label)
        before = {m.id for m in jsg_messages()}
        assert "jsg_privacy.E002" in before  # what the draft is for

        text, err = inspect()
        load(text)

        left = jsg_messages()
        assert {m.id for m in left} == {"jsg_privacy.E020"}, [m.msg for m in left]
        assert all(m.obj._meta.label in SHOP for m in left)
    assert "Drafted 6 declaration(s)" in err
    assert "@privacy.register('orders.OrderLine')" in text
    assert "subject = 'order__user'" in text  # found through the order
    assert "subject_email = 'order__email'" in text  # a guest's lines, through the order's e-mail
    assert "subject = 'answered_by'" not in text  # the staff member who answered is not the subject
    assert "export = [" in text
    assert "never the password hash" in text
    assert "auth is an installed package, not your code" in err
    assert 'JSG_PRIVACY_MODULES = ["example_shop.privacy"]' in err


def test_only_the_apps_asked_for_are_drafted():
    with registry.temporarily():
        for label in SHOP:
            registry.unregister(label)
        text, _err = inspect("enquiries")
    assert "enquiries.Enquiry" in text
    assert "orders.Order" not in text


def test_an_unknown_app_or_an_existing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="No installed app with the label 'shop'"):
        inspect("shop")
    existing = tmp_path / "privacy.py"
    existing.write_text("# mine\n")
    with registry.temporarily():
        registry.unregister("enquiries.Enquiry")
        with pytest.raises(CommandError, match="exists"):
            inspect("--output", str(existing))
    assert existing.read_text() == "# mine\n"
