"""A logging filter that masks card-number-like values in every record it sees.

Put it on your handlers (a filter on a handler sees the records of every logger that reaches it; a
filter on a logger only those logged on that very logger)::

    LOGGING = {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "mask_card_numbers": {"()": "jsg_privacy.payments.log_filter.CardNumberMaskingFilter"},
        },
        "handlers": {
            "console": {"class": "logging.StreamHandler", "filters": ["mask_card_numbers"]},
        },
        "root": {"handlers": ["console"], "level": "INFO"},
    }
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TypeAlias

from jsg_privacy.payments.card_data import MASK, mask_card_numbers

#: A log record's ``args``, as ``logging.LogRecord`` types them.
LogArgs: TypeAlias = "tuple[object, ...] | Mapping[str, object] | None"


class CardNumberMaskingFilter(logging.Filter):
    """Replace card numbers in the message, its arguments, the traceback and the stack with
    ``[card number removed]``. It lets every record through and never raises.

    A record is changed only when it holds a card number: its arguments are then merged into the
    message, and its exception is kept as masked text (``exc_text``) instead of ``exc_info``.
    """

    def __init__(self, name: str = "", replacement: str = MASK) -> None:
        super().__init__(name)
        self.replacement = replacement

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            self._mask(record)
        except Exception:  # a record is never lost to the filter, nor the filter's error shown
            record.msg, record.args, record.exc_info, record.exc_text = (
                f"{self.replacement} (the log message could not be checked)",
                (),
                None,
                None,
            )
        return True

    def _mask(self, record: logging.LogRecord) -> None:
        try:
            message = record.getMessage()
        except Exception:  # arguments that do not fit: logging prints them, so mask each one
            record.msg = mask_card_numbers(str(record.msg), self.replacement)
            record.args = self._mask_args(record.args)
        else:
            masked = mask_card_numbers(message, self.replacement)
            if masked != message:
                record.msg, record.args = masked, ()
        if record.exc_info or record.exc_text:
            # Formatted the default way only to look; a handler's own formatter still formats it.
            text = record.exc_text or ""
            if not text and record.exc_info:
                text = logging.Formatter().formatException(record.exc_info)
            masked = mask_card_numbers(text, self.replacement)
            if masked != text:
                # Formatters print exc_text; handlers that read exc_info would see the raw values.
                record.exc_text, record.exc_info = masked, None
        if record.stack_info:
            record.stack_info = mask_card_numbers(record.stack_info, self.replacement)

    def _mask_args(self, args: LogArgs) -> LogArgs:
        def mask(value: object) -> object:
            if isinstance(value, str | int) and not isinstance(value, bool):
                return mask_card_numbers(str(value), self.replacement)
            return value

        if isinstance(args, dict):
            return {key: mask(value) for key, value in args.items()}
        if isinstance(args, tuple):
            return tuple(mask(value) for value in args)
        return args
