"""Use cases on one subject's data, each reading the registry: export, erase, rectify, restrict and
object. They know no request: the requests layer (:mod:`jsg_privacy.requests`) opens cases, checks
identity, keeps the clock and the audit trail, and calls these."""


class Refused(Exception):
    """A step that is not allowed now; the message is safe to show to staff or the data subject.

    The requests layer raises the same class as ``jsg_privacy.requests.cases.CaseError``."""
