"""Signals sent by jsg_privacy, for observers only.

Names are in the past tense and every argument is listed. Handlers must not change the outcome of
the action that sent the signal; extension points for policy are adapters and backends instead.
"""

from django.dispatch import Signal

#: A privacy notice text was served for the first time.
#: Arguments: ``sender`` (the NoticeVersion class), ``version`` (the new NoticeVersion).
notice_published = Signal()
