"""Django's sessions as a source: who is signed in on which browser, and what their basket holds.

A session row holds no column a subject can be found by: its data is encoded. So the sessions are
declared by jsg_privacy itself (installed when ``django.contrib.sessions`` is), found by decoding the
unexpired rows, and:

- erasure ends the subject's sessions (signed out everywhere, baskets emptied);
- retention deletes every session once it has expired (what ``manage.py clearsessions`` does);
- an export lists when each of the subject's sessions expires — never a session key, which is a
  password in all but name.

Only database-backed sessions (``SESSION_ENGINE`` ``db`` or ``cached_db``, the default) can be
searched; with cache or signed-cookie sessions there is no table, and nothing is kept server-side
past the cache's or the cookie's own expiry.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jsg_privacy.inventory import ACCOUNT
from jsg_privacy.registry import Delete, Period, Registry, RemoteSource, Retention, Subject

if TYPE_CHECKING:
    from django.contrib.sessions.models import Session

DB_ENGINES = ("django.contrib.sessions.backends.db", "django.contrib.sessions.backends.cached_db")
BATCH = 2000


class SessionSource(RemoteSource):
    """The session table, searched by decoding: declared by jsg_privacy for every shop."""

    key = "sessions.Session"
    label = _("Your signed-in sessions")
    notice_labels: ClassVar[Mapping[str, Any]] = {
        "session_data": _("who is signed in, and your basket"),
        "expire_date": _("when it ends"),
    }
    data_subjects = "customers who sign in"
    fields: ClassVar[Mapping[str, list[str]]] = {ACCOUNT: ["session_data", "expire_date"]}
    exported = ("expire_date",)
    retention = Retention(
        anchor="expire_date",
        period=Period(),
        anchor_label=_("when the session expires (you sign out, or it times out)"),
        reason=_("A session only keeps you signed in and your basket between pages."),
    )
    erasure = Delete()

    @property
    def model(self) -> type[Session]:
        from django.contrib.sessions.models import Session

        return Session

    def table(self) -> type[Session]:
        return self.model

    def rows(self, subject: Subject) -> Iterator[Session]:
        """The subject's unexpired sessions (database-backed sessions only)."""
        if subject.user_id is None or settings.SESSION_ENGINE not in DB_ENGINES:
            return
        wanted = str(subject.user_id)
        live = self.model._default_manager.filter(expire_date__gt=timezone.now()).order_by("pk")
        for session in live.iterator(chunk_size=BATCH):
            if str(session.get_decoded().get(SESSION_KEY, "")) == wanted:
                yield session

    def export(self, subject: Subject) -> Iterable[Mapping[str, Any]]:
        return [{"expire_date": session.expire_date} for session in self.rows(subject)]

    def count(self, subject: Subject) -> int:
        return sum(1 for _session in self.rows(subject))

    def erase(self, subject: Subject) -> int:
        keys = [session.pk for session in self.rows(subject)]
        deleted, _ = self.model._default_manager.filter(pk__in=keys).delete()
        return deleted


def install(registry: Registry) -> None:
    """Declare the sessions when ``django.contrib.sessions`` is installed (once)."""
    from django.apps import apps

    if apps.is_installed("django.contrib.sessions") and SessionSource.key not in registry.sources:
        registry.register_remote(SessionSource(registry))
