"""What looks personal: names that describe rather than hold a person's details, free text a person
typed, and rows that link only to rows exempt from the inventory (found with django-oscar)."""

from django.contrib.auth import get_user_model
from django.db import models
from django.test.utils import isolate_apps

from jsg_privacy.registry import Exemption, detection


def field(kind: type[models.Field], name: str, **options) -> models.Field:
    made = kind(**options)
    made.set_attributes_from_name(name)
    return made


def test_a_template_for_e_mails_names_no_one():
    assert detection.strong_reason(field(models.CharField, "email_subject_template")) is None
    assert detection.strong_reason(field(models.TextField, "email_body_templates")) is None
    assert detection.strong_reason(field(models.EmailField, "email")) == "is an EmailField"
    assert detection.strong_reason(field(models.CharField, "email_address")) is not None


def test_a_search_query_is_free_text_on_a_row_about_a_person():
    query = field(models.CharField, "query", max_length=255)
    assert detection.context_reason(query) == "is free text on a row about a person"
    assert detection.strong_reason(query) is None  # a product's search keywords are not personal


@isolate_apps("tests.testapp")
def test_rows_linking_only_to_an_exempt_model_are_not_about_people():
    class Supplier(models.Model):  # noqa: DJ008
        name = models.CharField(max_length=50)
        manager = models.ForeignKey(get_user_model(), on_delete=models.PROTECT)

        class Meta:
            app_label = "testapp"

    class StockItem(models.Model):  # noqa: DJ008
        supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE)

        class Meta:
            app_label = "testapp"

    candidates = [Supplier, StockItem]
    assert {"testapp.Supplier", "testapp.StockItem"} <= detection.personal_models(candidates)

    whole = {"testapp.Supplier": Exemption((), "A business; its staff are not customers.")}
    assert not {"testapp.Supplier", "testapp.StockItem"} & detection.personal_models(
        candidates, exempt=whole
    )

    fields = {"testapp.Supplier": Exemption(("manager",), "A member of staff.")}
    assert "testapp.Supplier" not in detection.personal_models(candidates, exempt=fields)
