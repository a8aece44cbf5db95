"""The errors of the whistleblowing services (``complaints.services``)."""

from __future__ import annotations


class ComplaintError(Exception):
    """Base for the errors of the whistleblowing services that a page turns into a message."""


class NoEligibleHandler(ComplaintError):
    """Nobody may receive this report (no enrolled handler without a conflict of interest)."""


class NoEligibleCustodian(ComplaintError):
    """An identity was given but no identity custodian without a conflict could receive it."""


class ReceiptNotFound(ComplaintError):
    """A well-formed receipt that opens no report (counted by the limiter)."""


class TooManyAttempts(ComplaintError):
    pass


class NoAccess(ComplaintError):
    """The person holds no copy of the key: routing kept the report from them."""


class ConflictOfInterest(ComplaintError):
    pass


class ReportClosed(ComplaintError):
    pass


class NotDueForPurge(ComplaintError):
    pass
