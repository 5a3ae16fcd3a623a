"""The host shop's form styles on jsg_privacy's forms: ``JSG_PRIVACY_FORM_CLASSES``.

The form partials (``jsg_privacy/elements/field.html``, ``button.html``…) load this library and
render each field through it, so a shop whose forms use, say, Bootstrap's classes sets::

    JSG_PRIVACY_FORM_CLASSES = {
        "input": "form-control", "textarea": "form-control", "select": "form-select",
        "checkbox": "form-check-input", "radio": "form-check-input",
        "label": "form-label", "button": "btn btn-primary",
    }

and the privacy pages' fields and buttons carry them, beside jsg_privacy's own ``jsg-privacy__``
classes. A kind left out gets no extra class.
"""

from __future__ import annotations

from typing import Any

from django import forms, template
from django.forms.boundfield import BoundField, BoundWidget
from django.utils.safestring import SafeString

from jsg_privacy.conf import app_settings

register = template.Library()

#: The kinds of element ``JSG_PRIVACY_FORM_CLASSES`` styles (check jsg_privacy.E096).
KINDS = ("input", "textarea", "select", "checkbox", "radio", "label", "button")


def classes_for(kind: str) -> str:
    """The shop's classes for elements of ``kind`` (one of :data:`KINDS`), or ""."""
    value = app_settings.FORM_CLASSES.get(kind, "")
    return value if isinstance(value, str) else ""


def kind_of(widget: forms.Widget) -> str:
    """Which of :data:`KINDS` a widget renders as ("" for hidden inputs)."""
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
        return "checkbox"  # before RadioSelect, which CheckboxSelectMultiple extends
    if isinstance(widget, forms.RadioSelect):
        return "radio"
    if isinstance(widget, forms.Select):
        return "select"
    if widget.is_hidden:
        return ""
    return "input"


def joined(*parts: str) -> str:
    return " ".join(dict.fromkeys(" ".join(parts).split()))


@register.simple_tag
def privacy_form_class(kind: str) -> str:
    """``{% privacy_form_class "button" %}``: the shop's classes for ``kind``."""
    return classes_for(kind)


@register.filter
def privacy_widget(field: BoundField) -> SafeString:
    """``{{ field|privacy_widget }}``: the field's widget, with the shop's classes for its kind."""
    widget = field.field.widget
    extra = classes_for(kind_of(widget))
    if not extra:
        return SafeString(field.as_widget())
    return SafeString(
        field.as_widget(attrs={"class": joined(widget.attrs.get("class", ""), extra)})
    )


@register.filter
def privacy_choice(choice: BoundWidget) -> SafeString:
    """``{{ choice|privacy_choice }}``: one radio button or checkbox of a multiple-choice field."""
    extra = classes_for(kind_of(choice.parent_widget))
    if not extra:
        return SafeString(choice.tag())
    attrs: dict[str, Any] = dict(choice.data["attrs"])
    attrs["class"] = joined(attrs.get("class", ""), extra)
    styled = BoundWidget(choice.parent_widget, {**choice.data, "attrs": attrs}, choice.renderer)
    return SafeString(styled.tag())


@register.filter
def privacy_label(field: BoundField) -> SafeString:
    """``{{ field|privacy_label }}``: the field's ``<label>``, with the shop's label classes."""
    extra = classes_for("label")
    return SafeString(field.label_tag(attrs={"class": extra} if extra else None))
