from pathlib import Path

from django.test import override_settings

from jsg_privacy.conf import AppSettings, app_settings


def test_defaults_apply_when_the_project_sets_nothing(settings):
    del settings.JSG_PRIVACY_ROLE
    del settings.JSG_PRIVACY_CONTROLLER
    assert app_settings.ROLE == "controller"
    assert app_settings.CONTROLLER == {}
    assert app_settings.SUPERVISORY_AUTHORITY["name"] == "Information Commissioner's Office (ICO)"


def test_settings_are_read_lazily_so_overrides_apply():
    with override_settings(JSG_PRIVACY_ROLE="processor"):
        assert app_settings.ROLE == "processor"
    assert app_settings.ROLE == "controller"


def test_a_setting_read_once_is_read_again_after_every_change(settings):
    del settings.JSG_PRIVACY_ROLE  # unset: the default, remembered after the first read
    assert app_settings.ROLE == "controller"
    settings.JSG_PRIVACY_ROLE = "processor"
    assert app_settings.ROLE == "processor"
    with override_settings(JSG_PRIVACY_ROLE="controller"):
        assert app_settings.ROLE == "controller"
    assert app_settings.ROLE == "processor"
    del settings.JSG_PRIVACY_ROLE
    assert app_settings.ROLE == "controller"


def test_every_setting_is_documented():
    text = (Path(__file__).parents[2] / "docs" / "configuration.md").read_text(encoding="utf-8")
    for setting in AppSettings.declared().values():
        assert setting.setting_name in text, setting.setting_name
