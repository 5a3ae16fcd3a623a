"""A first install never stops the shop: an incomplete inventory is a warning until the shop is
strict (its CI) or deploys (check --deploy); a wrong declaration is an error at once."""

import pytest
from django.core.checks import run_checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from jsg_privacy import registry as privacy
from jsg_privacy.registry import registry
from tests.testapp.models import Subscriber

pytestmark = pytest.mark.django_db


def ids(**kwargs):
    kwargs.setdefault("databases", [])
    return sorted({m.id for m in run_checks(tags=["jsg_privacy"], **kwargs) if m.id})


@privacy.temporarily()
def test_undeclared_data_is_a_warning_while_not_strict_so_migrate_runs(settings):
    settings.JSG_PRIVACY_STRICT = False
    registry.unregister(Subscriber)

    found = [
        m for m in run_checks(tags=["jsg_privacy"], databases=[]) if m.id == "jsg_privacy.W007"
    ]

    assert len(found) == 1
    assert "testapp.Subscriber holds personal-looking data" in found[0].msg
    assert "privacy_inspect testapp" in found[0].hint
    assert "JSG_PRIVACY_STRICT" in found[0].hint
    assert not [i for i in ids() if i.startswith("jsg_privacy.E")]
    call_command("migrate", verbosity=0)  # runs the checks, as runserver does: not refused
    call_command("check", verbosity=0)


@privacy.temporarily()
def test_undeclared_data_is_an_error_when_strict(settings):
    settings.JSG_PRIVACY_STRICT = True
    registry.unregister(Subscriber)

    assert "jsg_privacy.E002" in ids()
    assert "jsg_privacy.W007" not in ids()
    with pytest.raises(SystemCheckError, match=r"jsg_privacy\.E002"):
        call_command("check")


@privacy.temporarily()
def test_check_deploy_is_always_strict(settings):
    settings.JSG_PRIVACY_STRICT = False
    registry.unregister(Subscriber)

    assert "jsg_privacy.E002" in ids(include_deployment_checks=True)


@privacy.temporarily()
def test_an_open_to_do_is_reported_until_it_is_removed(settings):
    settings.JSG_PRIVACY_STRICT = True
    registry.unregister(Subscriber)

    @privacy.register(Subscriber)
    class Drafted(privacy.ModelSource):
        subject_email = "email"
        fields = {"marketing": ["email", "subscribed_at"]}
        retention = privacy.Retention(anchor="subscribed_at", period=privacy.Period(years=2))
        todo = ["Is two years right? It is a guess."]

    (message,) = [
        m for m in run_checks(tags=["jsg_privacy"], databases=[]) if m.id == "jsg_privacy.E020"
    ]
    assert message.msg == "testapp.Subscriber: to do: Is two years right? It is a guess."


@privacy.temporarily()
def test_a_wrong_declaration_is_an_error_even_while_not_strict(settings):
    settings.JSG_PRIVACY_STRICT = False
    registry.unregister(Subscriber)

    @privacy.register(Subscriber)
    class Typo(privacy.ModelSource):
        subject_email = "emial"
        fields = {"marketing": ["email", "subscribed_at"]}
        retention = privacy.Retention(anchor="subscribed_at", period=privacy.Period(years=2))

    assert "jsg_privacy.E004" in ids()
