import pytest
from django.contrib.auth import get_user_model

from jsg_privacy import registry as privacy
from jsg_privacy.registry import Subject, registry
from tests.testapp.models import Subscriber, Ticket


def test_declarations_in_privacy_modules_are_discovered():
    source = registry.source_for(Ticket)
    assert source is not None
    assert source.personal_fields() == {
        "email": "correspondence",
        "phone": "correspondence",
        "subject": "correspondence",
        "body": "correspondence",
    }
    assert "correspondence" in registry.categories_in_use


def test_temporarily_restores_every_declaration_on_exit():
    before_sources = dict(registry.sources)
    with registry.temporarily():
        registry.unregister(Ticket)
        registry.add(privacy.Category("health", "Health data", special=True))
        before_mechanisms = list(registry.consent_mechanisms.get("testimonials", []))
        registry.add_consent_mechanism("testimonials", "a form")
        assert registry.source_for(Ticket) is None
    assert registry.sources == before_sources
    assert "health" not in registry.categories
    assert registry.consent_mechanisms.get("testimonials", []) == before_mechanisms


@privacy.temporarily()
def test_temporarily_works_as_a_decorator():
    registry.unregister(Subscriber)
    assert registry.source_for(Subscriber) is None


def test_the_decorator_left_the_registry_as_it_was():
    assert registry.source_for(Subscriber) is not None


def test_models_the_shop_does_not_own_are_declared_by_label():
    with registry.temporarily():
        registry.unregister("auth.User")

        @privacy.register("auth.User")
        class UserSource(privacy.ModelSource):
            fields = {"account": ["email"]}

        source = registry.source_for(get_user_model())
        assert isinstance(source, UserSource)
        assert source.subject_path == "self"


def test_wrong_declarations_are_recorded_not_raised():
    with registry.temporarily():
        registry.register("shop.NoSuchModel", privacy.ModelSource)
        registry.register(Ticket, privacy.ModelSource)  # declared already
        registry.register(Subscriber, dict)  # not a ModelSource
        messages = [p.msg for p in registry.problems]
    assert "is not an installed model." in messages
    assert "is declared twice; the second declaration was ignored." in messages
    assert any("not a ModelSource" in m for m in messages)


@pytest.mark.django_db
def test_a_subjects_rows_are_found_by_user_or_email_case_insensitively():
    user = get_user_model().objects.create_user("ann", "ann@example.com", "x")
    mine = Ticket.objects.create(user=user, email="other@example.com", subject="s", body="b")
    as_guest = Ticket.objects.create(email="ANN@example.com", subject="s", body="b")
    Ticket.objects.create(email="bob@example.com", subject="s", body="b")
    source = registry.source_for(Ticket)

    assert set(source.rows_for(Subject(user_id=user.pk, email="ann@example.com"))) == {
        mine,
        as_guest,
    }
    assert set(source.rows_for(Subject(user_id=user.pk))) == {mine}
    assert set(source.rows_for(Subject(email="ann@EXAMPLE.com"))) == {as_guest}


def test_a_subject_needs_a_user_or_an_email():
    with pytest.raises(ValueError, match="user id or an e-mail"):
        Subject()


def test_purposes_in_use_follow_the_data_actually_held():
    in_use = registry.purposes_in_use
    assert "provide_service" in in_use  # correspondence is held (tickets)
    assert "necessary" in in_use  # Django's session cookie is declared
    assert "preferences" not in in_use  # no preference cookie is declared
    with registry.temporarily():
        registry.add(privacy.Cookie("theme", "this website", "preferences", None))
        assert "preferences" in registry.purposes_in_use
    assert "preferences" not in registry.purposes_in_use
