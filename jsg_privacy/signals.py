"""Signals sent by jsg_privacy, for observers only.

Names are in the past tense and every argument is listed. Handlers must not change the outcome of
the action that sent the signal; extension points for policy are adapters and backends instead.
Each is sent once the change has committed, so a handler sees it in the database (and a rolled-back
change sends nothing). They are sent with ``send_robust``: a handler that raises is logged by
Django and does not undo the change.

The recipients that received a subject's data are told (UK GDPR Art. 19) by jsg_privacy itself,
through each recipient's notifier (:mod:`jsg_privacy.notifiers`), and recorded on the request's
case: these signals are for anything else that must follow (a cache, a search index, a CRM sync).
"""

from django.dispatch import Signal

#: A privacy notice text was served for the first time.
#: Arguments: ``sender`` (the NoticeVersion class), ``version`` (the new NoticeVersion).
notice_published = Signal()

#: A subject's data was erased (Art. 17), as their request's case records.
#: Arguments: ``sender`` (the Case class), ``case`` (the erasure request), ``subject`` (the
#: :class:`~jsg_privacy.registry.Subject` erased: its user id and e-mail address as they were),
#: ``steps`` (the :class:`~jsg_privacy.flows.erase.Step` per source: deleted, anonymised, held).
subject_erased = Signal()

#: Staff corrected one of a subject's records (Art. 16).
#: Arguments: ``sender`` (the Case class), ``case`` (the rectification request), ``subject``
#: (the :class:`~jsg_privacy.registry.Subject`), ``instance`` (the record, as saved), ``fields``
#: (the names of the fields corrected, never their values).
subject_rectified = Signal()

#: Processing of a subject's data was restricted (Art. 18).
#: Arguments: ``sender`` (the Restriction class), ``restriction``, ``subject`` (the
#: :class:`~jsg_privacy.registry.Subject`), ``case`` (the request, or ``None``).
processing_restricted = Signal()

#: A restriction was lifted, after the subject was told (Art. 18(3)).
#: Arguments: ``sender`` (the Restriction class), ``restriction``, ``subject`` (the
#: :class:`~jsg_privacy.registry.Subject`, or ``None`` when nothing identifies it any more),
#: ``case`` (the request, or ``None``).
restriction_lifted = Signal()
