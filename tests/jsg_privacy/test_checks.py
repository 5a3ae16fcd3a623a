from django.core.checks import WARNING, run_checks
from django.test import override_settings


def ids(messages):
    return [message.id for message in messages]


def test_a_clean_project_has_no_jsg_privacy_warnings_or_errors():
    serious = [m for m in run_checks(tags=["jsg_privacy"], databases=[]) if m.is_serious(WARNING)]
    assert [i for i in ids(serious) if i.startswith("jsg_privacy.")] == []


@override_settings(JSG_PRIVACY_CONTROLER={"name": "JSG"})
def test_a_misspelt_setting_is_a_warning_that_suggests_the_right_name():
    (message,) = [
        m for m in run_checks(tags=["jsg_privacy"], databases=[]) if m.id == "jsg_privacy.W001"
    ]
    assert "JSG_PRIVACY_CONTROLER" in message.msg
    assert message.hint == "Did you mean JSG_PRIVACY_CONTROLLER?"


@override_settings(JSG_PRIVACY_CONTROLLER="JSG Metering Solutions Ltd")
def test_a_setting_of_the_wrong_type_is_an_error():
    (message,) = [
        m for m in run_checks(tags=["jsg_privacy"], databases=[]) if m.id == "jsg_privacy.E001"
    ]
    assert "JSG_PRIVACY_CONTROLLER" in message.msg


@override_settings(JSG_PRIVACY_ROLE="procesor")
def test_an_unknown_role_is_an_error():
    (message,) = [
        m for m in run_checks(tags=["jsg_privacy"], databases=[]) if m.id == "jsg_privacy.E001"
    ]
    assert "'procesor'" in message.msg


def test_an_integrations_own_settings_are_not_called_unknown_once_it_claims_them(settings):
    from jsg_privacy import checks, conf

    settings.JSG_PRIVACY_EXAMPLEINTEGRATION_URL = "https://example.org"
    assert "jsg_privacy.W001" in {m.id for m in checks.check_settings()}
    conf.claim_prefix("EXAMPLEINTEGRATION_")
    try:
        assert "jsg_privacy.W001" not in {m.id for m in checks.check_settings()}
    finally:
        conf.claimed_prefixes.discard("EXAMPLEINTEGRATION_")
