from typing import Any

from jsg_privacy import registry as privacy


def keeps_the_text(instance: Any, value: Any) -> Any:
    return value  # broken on purpose: erasure leaves the note as it was


@privacy.register("broken_shop.Note")
class NoteSource(privacy.ModelSource):
    subject_email = "email"
    fields = {"correspondence": ["email", "body"]}
    not_personal = ["created_at"]
    in_clear = {"email": "a test shop", "body": "a test shop"}
    retention = privacy.Retention(anchor="created_at", period=privacy.Period(years=1))
    erasure = privacy.Anonymise(fields={"body": keeps_the_text})
