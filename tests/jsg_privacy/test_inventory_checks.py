"""The system checks that keep the inventory true: each documented id, caught as a user would."""

from django.core.checks import run_checks

from jsg_privacy import inventory
from jsg_privacy import registry as privacy
from jsg_privacy.registry import registry
from tests.testapp.models import ParcelAddress, Subscriber, Ticket


def errors(check_id):
    return [m for m in run_checks(tags=["jsg_privacy"], databases=[]) if m.id == check_id]


def test_the_declared_project_passes_every_check():
    assert [
        m
        for m in run_checks(tags=["jsg_privacy"], databases=[])
        if m.id.startswith("jsg_privacy.E")
    ] == []


@privacy.temporarily()
def test_an_undeclared_email_field_is_E002_naming_the_model_and_field():
    registry.unregister(Subscriber)
    (message,) = errors("jsg_privacy.E002")
    assert message.obj is Subscriber
    assert "testapp.Subscriber" in message.msg
    assert "email is an EmailField" in message.msg


@privacy.temporarily()
def test_an_exempted_model_is_not_reported():
    registry.unregister(Subscriber)
    privacy.exempt(Subscriber, reason="test double")
    assert errors("jsg_privacy.E002") == []


@privacy.temporarily()
def test_a_personal_looking_field_left_out_of_a_declaration_is_E003():
    registry.unregister(Ticket)

    @privacy.register(Ticket)
    class Partial(privacy.ModelSource):
        subject = "user"
        fields = {"correspondence": ["subject", "body"]}
        retention = privacy.Retention(anchor="closed_at")

    found = {m.msg for m in errors("jsg_privacy.E003")}
    unclassified = "in no category of its declaration and not in not_personal."
    assert found == {
        f"testapp.Ticket.email is an EmailField but is {unclassified}",
        f"testapp.Ticket.phone is named like personal data but is {unclassified}",
        f"testapp.Ticket.created_at is {unclassified}",
        f"testapp.Ticket.closed_at is {unclassified}",
        f"testapp.Ticket.colour is {unclassified}",
    }


@privacy.temporarily()
def test_a_declaration_naming_a_missing_field_is_E004_not_an_exception():
    registry.unregister(Ticket)

    @privacy.register(Ticket)
    class Typo(privacy.ModelSource):
        subject = "user"
        fields = {"correspondence": ["email", "phone", "subject", "bodyy"]}
        not_personal = ["colour"]
        retention = privacy.Retention(anchor="closed_att")
        erasure = privacy.Anonymise({"emial": privacy.anonymisers.blank})

    found = sorted(m.msg for m in errors("jsg_privacy.E004"))
    assert found == [
        "testapp.Ticket retention anchor: testapp.Ticket has no field 'closed_att'.",
        "testapp.Ticket.bodyy does not exist (named in fields).",
        "testapp.Ticket.emial does not exist (named in erasure anonymisers).",
    ]


@privacy.temporarily()
def test_a_relation_from_another_model_named_as_a_field_is_E004():
    """A reverse relation is no column of this model: the notice, export and erasure could not
    treat it as one (found by mypy: it has no verbose name and no attname)."""
    registry.unregister(ParcelAddress)

    @privacy.register(ParcelAddress)
    class Backwards(privacy.ModelSource):
        subject = "parcel__user"
        fields = {"order": ["line1", "postcode", "parcel"]}
        retention = privacy.Retention(anchor="parcel__sent_at")

    (message,) = errors("jsg_privacy.E004")
    assert message.msg == (
        "testapp.ParcelAddress.parcel is a relation from testapp.Parcel, not a field "
        "(named in fields)."
    )
    assert "testapp.Parcel's own source" in message.hint


@privacy.temporarily()
def test_an_unknown_category_is_E005_with_the_known_ones():
    registry.unregister(Subscriber)

    @privacy.register(Subscriber)
    class Wrong(privacy.ModelSource):
        subject_email = "email"
        fields = {"newsletter": ["email", "subscribed_at"]}
        retention = privacy.Retention(anchor="subscribed_at")

    (message,) = errors("jsg_privacy.E005")
    assert message.msg == "testapp.Subscriber names an unknown category 'newsletter'."
    assert "marketing" in message.hint


@privacy.temporarily()
def test_a_purpose_without_basis_or_balancing_note_is_E006():
    registry.add(
        privacy.Purpose("profiling", "Profiling", "", ("account",)),
        privacy.Purpose("fraud", "Fraud checks", privacy.Basis.LEGITIMATE_INTERESTS, ("account",)),
    )
    found = sorted(m.msg for m in errors("jsg_privacy.E006"))
    assert found == [
        "Purpose 'fraud' relies on legitimate interests without a balancing note.",
        "Purpose 'profiling' has no valid legal basis ('').",
    ]


@privacy.temporarily()
def test_a_source_without_retention_is_E007():
    registry.unregister(Subscriber)

    @privacy.register(Subscriber)
    class Forever(privacy.ModelSource):
        subject_email = "email"
        fields = {"marketing": ["email", "subscribed_at"]}

    (message,) = errors("jsg_privacy.E007")
    assert message.msg == "testapp.Subscriber (marketing) has no retention rule."


@privacy.temporarily()
def test_a_retention_anchor_that_is_not_a_date_is_E007():
    registry.unregister(Subscriber)

    @privacy.register(Subscriber)
    class NotADate(privacy.ModelSource):
        subject_email = "email"
        fields = {"marketing": ["email", "subscribed_at"]}
        retention = privacy.Retention(anchor="email")

    (message,) = errors("jsg_privacy.E007")
    assert "anchor 'email' is not a date or datetime field" in message.msg


@privacy.temporarily()
def test_a_recipient_outside_the_uk_and_eea_without_safeguard_is_E008():
    registry.add(
        privacy.Recipient("factory", "Factory", privacy.RecipientKind.PROCESSOR, "CN", ("order",)),
        privacy.Recipient("courier", "Courier", privacy.RecipientKind.PROCESSOR, "DE", ("order",)),
    )
    (message,) = errors("jsg_privacy.E008")
    assert "'factory' is in CN" in message.msg


@privacy.temporarily()
def test_a_consent_purpose_with_no_way_to_consent_is_E009(settings):
    # The built-in analytics purpose rests on consent (the example shop's own rests on the UK
    # statistical exception instead).
    registry.add(inventory.purpose(inventory.ANALYTICS))
    registry.add(privacy.Cookie("_ga", "Google Analytics", "analytics", None))
    assert errors("jsg_privacy.E009") == []  # the banner asks about cookies
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "ConsentMiddleware" not in m]
    (message,) = errors("jsg_privacy.E009")
    assert "'analytics' is based on consent" in message.msg
    assert "_ga) are asked about by the banner: add" in message.hint
    privacy.add_consent_mechanism("analytics", "a consent form of the shop's own")
    assert errors("jsg_privacy.E009") == []


@privacy.temporarily()
def test_e009_with_the_banner_installed_names_the_missing_cookie_not_the_middleware():
    registry.add(
        privacy.Category("loyalty", "Loyalty points", "Points you collect."),
        privacy.Purpose("loyalty", "Loyalty scheme", privacy.Basis.CONSENT, ("loyalty",)),
    )
    registry.unregister(Subscriber)

    @privacy.register(Subscriber)
    class Points(privacy.ModelSource):
        subject_email = "email"
        fields = {"loyalty": ["email", "subscribed_at"]}
        retention = privacy.Retention(anchor="subscribed_at", period=privacy.Period(years=1))

    (message,) = errors("jsg_privacy.E009")
    assert "'loyalty' is based on consent" in message.msg
    assert "ConsentMiddleware" not in message.hint  # it is installed: not the cause
    assert 'privacy.add(privacy.Cookie("<name>", "<provider>", "loyalty"' in message.hint
    assert 'privacy.add_consent_mechanism("loyalty"' in message.hint


@privacy.temporarily()
def test_a_source_that_cannot_find_a_subjects_rows_is_E010():
    registry.unregister(Subscriber)

    @privacy.register(Subscriber)
    class Lost(privacy.ModelSource):
        fields = {"marketing": ["email", "subscribed_at"]}
        retention = privacy.Retention(anchor="subscribed_at")

    (message,) = errors("jsg_privacy.E010")
    assert message.msg == "testapp.Subscriber has no way to find one subject's rows."


@privacy.temporarily()
def test_a_declaration_mistake_at_import_time_is_E011():
    registry.register("testapp.Nothing", privacy.ModelSource)
    (message,) = errors("jsg_privacy.E011")
    assert message.msg == "testapp.Nothing is not an installed model."


@privacy.temporarily()
def test_a_negative_retention_period_is_E007_not_an_exception():
    registry.unregister(Subscriber)

    @privacy.register(Subscriber)
    class Negative(privacy.ModelSource):
        subject_email = "email"
        fields = {"marketing": ["email", "subscribed_at"]}
        retention = privacy.Retention(anchor="subscribed_at", period=privacy.Period(days=-30))

    (message,) = errors("jsg_privacy.E007")
    assert "retention period" in message.msg


@privacy.temporarily()
def test_fields_written_as_a_string_are_E004():
    registry.unregister(Subscriber)

    @privacy.register(Subscriber)
    class Stringy(privacy.ModelSource):
        subject_email = "email"
        fields = {"marketing": "email"}
        retention = privacy.Retention(anchor="subscribed_at")

    (message,) = errors("jsg_privacy.E004")
    assert "'marketing' as something other than a list" in message.msg
