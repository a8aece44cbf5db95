"""The readable names of the columns of downloads and imports, in the reader's language.

Export columns are declared by a short name (``Column("parent_code", ...)``), the same name the
import of that table reads. When a file is written, ``lib.tables`` puts the name's label in the
active language in the header row ("Kode unit induk", "Parent code"); the import kit accepts the
label in either language as well as the name, so a downloaded file goes back in unchanged.

A header that is not a name below (a dimension code, a header already translated) is written as
it is.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

LABELS: dict[str, Promise] = {
    # people, units and the calendar
    "code": _("Code"),
    "name": _("Name"),
    "name_en": _("Name (English)"),
    "type": _("Type"),
    "kind": _("Kind"),
    "unit": _("Unit"),
    "units": _("Units"),
    "unit_code": _("Unit code"),
    "parent_code": _("Parent unit code"),
    "size_class": _("Size class"),
    "head_nip": _("NIP of the head"),
    "address": _("Address"),
    "active": _("Active"),
    "staff": _("Active staff"),
    "username": _("Username"),
    "nip": _("NIP"),
    "position": _("Position"),
    "email": _("Email"),
    "roles": _("Roles"),
    "province": _("Province"),
    "date": _("Date"),
    "year": _("Year"),
    "decree": _("Decree"),
    "confirmed": _("Confirmed"),
    "national": _("National holidays"),
    "collective_leave": _("Collective leave days"),
    "source": _("Source"),
    "note": _("Note"),
    "status": _("Status"),
    "reason": _("Reason"),
    # the audit trail
    "seq": _("Sequence number"),
    "time": _("Time"),
    "actor": _("Actor"),
    "action": _("Action"),
    "object_type": _("Object type"),
    "object_id": _("Object ID"),
    "object": _("Object"),
    "changes": _("Changes"),
    "request_id": _("Request ID"),
    "hash": _("Hash"),
    # instruments and waves
    "title": _("Title"),
    "title_id": _("Title (Indonesian)"),
    "title_en": _("Title (English)"),
    "versions": _("Number of versions"),
    "latest_published_version": _("Latest published version"),
    "drafts": _("Drafts"),
    "instrument": _("Instrument"),
    "version": _("Version"),
    "opens_on": _("Opens on"),
    "closes_on": _("Closes on"),
    "wave": _("Wave"),
    "method": _("Method"),
    "responses": _("Responses"),
    "target": _("Target"),
    "response_rate_percent": _("Response rate (%)"),
    "computed_at": _("Computed at"),
    # follow-up
    "reference_number": _("Reference number"),
    "reference_date": _("Reference date"),
    "report_received_on": _("Report received on"),
    "answer_due_on": _("Answer due on"),
    "priority": _("Priority"),
    "tlhp": _("TLHP category"),
    "amount_to_recover": _("Amount to recover (Rp)"),
    "amount_recovered": _("Amount recovered (Rp)"),
    "amount_outstanding": _("Amount outstanding (Rp)"),
    "issued_on": _("Issued on"),
    "plan_status": _("Plan status"),
    "progress_percent": _("Progress verified (%)"),
    "due_on": _("Due on"),
    "activity": _("Activity"),
    "activity_due_on": _("Activity due on"),
    "activity_status": _("Activity status"),
    "verified_at": _("Verified at"),
    "feedback_yes": _("Citizens: done (yes)"),
    "feedback_partly": _("Citizens: partly done"),
    "feedback_no": _("Citizens: not done (no)"),
    # whistleblowing statistics
    "breakdown": _("Breakdown"),
    "group": _("Group"),
    "reports": _("Number of reports"),
    "median_days": _("Median (days)"),
    # index results and weak points
    "rank": _("Rank"),
    "dimension": _("Dimension code"),
    "dimension_name": _("Dimension"),
    "question": _("Question code"),
    "respondent_type": _("Respondent type"),
    "score": _("Score"),
    "n": _("Respondents (n)"),
    "ci_low": _("95% CI lower bound"),
    "ci_high": _("95% CI upper bound"),
    "grade": _("Grade"),
    "suppressed": _("Suppressed"),
    "overall": _("Overall"),
    "government_score": _("Government score"),
    "government_ci_low": _("Government 95% CI lower bound"),
    "government_ci_high": _("Government 95% CI upper bound"),
    "threshold": _("Threshold"),
    "severity": _("Severity"),
    "still_weak": _("Still weak"),
    "detected_at": _("Detected at"),
    "requested_at": _("Recommendation requested at"),
    "recommendation_ref": _("Recommendation"),
    # KPK's official results
    "index": _("Index"),
    "category": _("Category"),
    "next_category": _("Next category"),
    "points_to_next_category": _("Points to the next category"),
    "change_from_previous_year": _("Change from the previous year"),
    "national_index": _("National index"),
    "difference_from_national": _("Difference from the national index"),
    "same_type_average": _("Average of the same type"),
    "same_type_institutions": _("Institutions of the same type"),
    "difference_from_same_type": _("Difference from the same type"),
    "internal": _("Internal"),
    "external": _("External"),
    "expert": _("Expert"),
    "correction": _("Correction"),
    "respondents": _("Respondents"),
    "respondents_collected": _("Respondents collected"),
    "institutions": _("Institutions"),
    "average_city": _("Average of cities"),
    "average_regency": _("Average of regencies"),
    "average_province": _("Average of provinces"),
    "average_ministry": _("Average of ministries and agencies"),
    # method settings
    "from_year": _("From year"),
    "until_year": _("Until year"),
    "group_weights": _("Respondent group weights"),
    "dimension_weights": _("Dimension weights"),
    "categories": _("Categories"),
    "precision": _("Decimals"),
    "weights": _("Weights"),
    "grades": _("Grades"),
    "weak_threshold": _("Weak-point threshold"),
    "updated_at": _("Updated at"),
    "updated_by": _("Updated by"),
}

LANGUAGES = ("id", "en")


def header_label(header: object) -> str:
    """The header row's text for ``header``: a known name's label in the active language,
    anything else (a lazy translation, a code) as text."""
    if isinstance(header, str) and header in LABELS:
        return str(LABELS[header])
    return str(header)


def label_spellings(name: str) -> Iterator[str]:
    """The label of ``name`` in every language of the product (none for an unknown name)."""
    if name not in LABELS:
        return
    for language in LANGUAGES:
        with translation.override(language):
            yield str(LABELS[name])
