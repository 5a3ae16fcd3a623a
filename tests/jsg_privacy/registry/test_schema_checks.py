"""Erasure and retention are checked against the schema before they run (E021-E023): a
declaration they cannot carry out fails ``manage.py check`` naming the model and field, instead of
a customer's erasure failing with an IntegrityError."""

import pytest
from django.core.checks import run_checks
from django.utils import timezone

from example_shop.factories import UserFactory
from jsg_privacy import registry as privacy
from jsg_privacy.flows import erase
from jsg_privacy.registry import Subject, anonymisers, registry
from tests.testapp.models import Member, Parcel, ParcelAddress, Warranty

pytestmark = pytest.mark.django_db


def messages(check_id):
    return [m.msg for m in run_checks(tags=["jsg_privacy"], databases=[]) if m.id == check_id]


def redeclare(model, **attributes):
    registry.unregister(model)
    source = type(f"{model.__name__}Source", (privacy.ModelSource,), attributes)
    registry.register(model, source)


def test_the_test_project_s_declarations_pass():
    assert [m for m in run_checks(tags=["jsg_privacy"], databases=[]) if m.level >= 40] == []


@privacy.temporarily()
def test_anonymising_a_required_link_to_null_is_E021():
    redeclare(
        Warranty,
        subject="user",
        fields={"order": ["user", "serial", "registered_at"]},
        retention=privacy.Retention(anchor="registered_at", period=privacy.Period(years=2)),
        erasure=privacy.Anonymise(),
    )

    (message,) = messages("jsg_privacy.E021")
    assert message == (
        "testapp.Warranty.user is a required link, but erasure would set it to NULL."
    )


@privacy.temporarily()
def test_a_null_anonymiser_on_a_not_null_column_is_E021():
    redeclare(
        Member,
        subject="user",
        fields={"account": ["handle", "signature", "joined_at"]},
        retention=privacy.Retention(anchor="joined_at", period=privacy.Period(years=5)),
        erasure=privacy.Anonymise({"signature": anonymisers.null}),
    )

    assert messages("jsg_privacy.E021") == [
        "testapp.Member.signature is NOT NULL, but erasure would set it to NULL."
    ]


@privacy.temporarily()
def test_one_fixed_value_for_a_unique_column_is_E021():
    redeclare(
        Member,
        subject="user",
        fields={"account": ["handle", "signature", "joined_at"]},
        retention=privacy.Retention(anchor="joined_at", period=privacy.Period(years=5)),
        erasure=privacy.Anonymise({"handle": anonymisers.fixed("gone")}),
    )

    (message,) = messages("jsg_privacy.E021")
    assert "testapp.Member.handle is unique" in message
    assert "the same value (fixed('gone'))" in message


@privacy.temporarily()
def test_held_rows_deleted_by_a_cascade_are_E022():
    redeclare(
        Warranty,
        subject="user",
        fields={"order": ["serial", "registered_at"]},
        retention=privacy.Retention(anchor="registered_at", period=privacy.Period(years=2)),
        erasure=privacy.LegalHold(
            anchor="registered_at", period=privacy.Period(years=2), reason="warranty claims"
        ),
    )

    (message,) = messages("jsg_privacy.E022")
    assert message.startswith("testapp.Warranty rows are kept under a legal hold (warranty claims)")
    assert "link user to auth.User has on_delete=CASCADE" in message


@privacy.temporarily()
def test_a_path_cut_by_another_source_s_anonymisation_is_E023():
    redeclare(
        Parcel,
        subject="user",
        fields={"order": ["address", "sent_at"]},
        retention=privacy.Retention(anchor="sent_at", period=privacy.Period(years=1)),
        erasure=privacy.Anonymise({"sent_at": anonymisers.keep}),  # the link is cleared
    )

    found = messages("jsg_privacy.E023")
    assert len(found) == 2
    assert all("goes through testapp.Parcel.address" in m for m in found)
    assert any("retention anchor 'parcel__sent_at'" in m for m in found)


def test_two_members_with_unique_handles_are_erased_without_a_collision():
    """The default anonymiser of a unique column gives each row its own value."""
    user = UserFactory()
    now = timezone.now()
    first = Member.objects.create(user=user, handle="amelia", signature="Hi", joined_at=now)
    second = Member.objects.create(user=user, handle="amelia2", signature="Yo", joined_at=now)

    erase.erase(Subject(user_id=user.pk))

    handles = set(Member.objects.values_list("handle", flat=True))
    assert handles == {f"erased-{first.pk}", f"erased-{second.pk}"}
    assert set(Member.objects.values_list("signature", flat=True)) == {""}


def test_a_kept_link_keeps_the_address_findable_after_the_parcel_is_anonymised():
    user = UserFactory()
    address = ParcelAddress.objects.create(line1="1 High St", postcode="SS14 3AB")
    Parcel.objects.create(user=user, address=address, sent_at=timezone.now())

    erase.erase(Subject(user_id=user.pk))

    assert not ParcelAddress.objects.filter(pk=address.pk).exists()  # erased through the parcel
