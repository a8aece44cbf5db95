"""What happens when someone answers a survey: find where they came in, start a draft, keep each
page's answers, submit.

Anonymity (DOMAIN.md, docs/survey-anonymity.md) shapes every function here:

- A draft is found again only by the keyed digest of a secret the respondent holds: a resume code
  for public links, the invitation token for invitations. An invitation's draft is keyed by a
  digest made for drafts (a different purpose from the invitation ledger's), and it does not
  point at the invitation, so the database alone cannot tell whose draft it is.
- ``submit`` writes the response (wave, unit, service, respondent type, the day, the answers),
  marks the invitation used and deletes the draft in one transaction; the response holds no
  token, digest, account, address, user agent or time of day.
- Respondent actions are deliberately not audit events and are not logged: an event's time and
  request id would join a response to a moment, and through that to a person.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from integritas.core.models import Unit
from integritas.surveys.models import (
    Draft,
    InstrumentVersion,
    Invitation,
    Question,
    RespondentType,
    Response,
    Section,
    Service,
    Wave,
    WaveService,
    WaveUnit,
)
from integritas.surveys.schema import Schema, SectionSpec
from integritas.surveys.signals import announce_responses_changed
from integritas.surveys.tokens import digest, new_resume_code

# How a draft is found again: by a resume code, or by the invitation token.
RESUME = "r"
INVITATION = "i"
# Drafts untouched this long are deleted (they hold answers in progress, nothing else).
DRAFT_DAYS = 30
# Respondent types a public link (QR poster, service counter) is meant for.
PUBLIC_TYPES = (RespondentType.PUBLIC, RespondentType.EXTERNAL)


class NotOpen(Exception):
    """The wave does not accept responses today."""


class InvitationUsed(Exception):
    """The invitation was already used to answer."""


class DraftGone(Exception):
    """The draft no longer exists (submitted in another tab, or cleaned up)."""


@dataclass(frozen=True)
class Entry:
    """Where a respondent comes in: a public link (a unit, or a service counter) or an invitation.
    ``respondent_types`` are the types they may answer as (asked when there are several)."""

    wave: Wave
    unit: Unit
    service: Service | None
    respondent_types: tuple[str, ...]
    public_code: str = ""
    invitation: Invitation | None = None


def public_types(wave: Wave) -> tuple[str, ...]:
    """The wave's types for people arriving through a public link: public and external ones, or
    (for a wave with neither) every type of the wave."""
    types = tuple(t for t in wave.respondent_types if t in PUBLIC_TYPES)
    return types or tuple(wave.respondent_types)


def _answerable(wave: Wave, types: Sequence[str]) -> tuple[str, ...]:
    """Only the types the questionnaire has at least one page for."""
    schema = schema_for(wave)
    return tuple(t for t in types if pages_for(schema, t, {}))


def entry_for_code(code: str) -> Entry | None:
    """The public link with this code (a wave unit or a wave service), if the wave has links."""
    related = ("wave__version__instrument", "unit")
    wave_unit = WaveUnit.objects.select_related(*related).filter(public_code=code).first()
    service = None
    if wave_unit is None:
        wave_service = (
            WaveService.objects.select_related(
                *(f"wave_unit__{name}" for name in related), "service"
            )
            .filter(public_code=code)
            .first()
        )
        if wave_service is None:
            return None
        wave_unit, service = wave_service.wave_unit, wave_service.service
    wave = wave_unit.wave
    if not wave.public_links:
        return None
    return Entry(
        wave=wave,
        unit=wave_unit.unit,
        service=service,
        respondent_types=_answerable(wave, public_types(wave)),
        public_code=code,
    )


def entry_for_token(token: str) -> Entry | None:
    """The invitation with this token; its unit and the wave's types say who the respondent is."""
    if not token:
        return None
    invitation = (
        Invitation.objects.select_related("wave__version__instrument", "unit")
        .filter(token_digest=digest(token, purpose="invitation"))
        .first()
    )
    if invitation is None:
        return None
    return Entry(
        wave=invitation.wave,
        unit=invitation.unit,
        service=None,
        respondent_types=_answerable(invitation.wave, invitation.wave.respondent_types),
        invitation=invitation,
    )


def draft_digest(kind: str, secret: str) -> str:
    purpose = "resume" if kind == RESUME else "invitation-draft"
    return digest(secret, purpose=purpose)


def find_draft(kind: str, secret: str) -> Draft | None:
    if kind not in (RESUME, INVITATION) or not secret:
        return None
    return (
        Draft.objects.select_related("wave__version__instrument", "unit", "service")
        .filter(key_digest=draft_digest(kind, secret))
        .first()
    )


# -- the questionnaire for one respondent --------------------------------------------------------

_SCHEMAS: dict[uuid.UUID, Schema] = {}


def schema_for(wave: Wave) -> Schema:
    """The wave's compiled questionnaire. Published versions never change, so they are compiled
    once per process (keyed by their random public id)."""
    version = wave.version
    if version.status == InstrumentVersion.Status.DRAFT:
        return Schema.from_version(version)
    schema = _SCHEMAS.get(version.public_id)
    if schema is None:
        schema = _SCHEMAS[version.public_id] = Schema.from_version(version)
    return schema


def shown_codes(schema: Schema, respondent_type: str, answers: Mapping[str, Any]) -> list[str]:
    """Questions this respondent sees given the answers so far, in questionnaire order."""
    return [
        q.code
        for section in schema.sections_for(respondent_type)
        for q in schema.questions_in(section, respondent_type)
        if schema.is_shown(q, answers, respondent_type)
    ]


def pages_for(
    schema: Schema, respondent_type: str, answers: Mapping[str, Any]
) -> list[SectionSpec]:
    """The sections this respondent gets as pages: those with at least one question shown.
    A section whose questions all hang on earlier answers that rule them out is skipped."""
    return [
        section
        for section in schema.sections_for(respondent_type)
        if any(
            schema.is_shown(q, answers, respondent_type)
            for q in schema.questions_in(section, respondent_type)
        )
    ]


def shown_answers(
    schema: Schema, respondent_type: str, answers: Mapping[str, Any]
) -> dict[str, Any]:
    """Only the answers to questions that are shown: an answer given before a condition turned
    false (or to another type's question) is not part of the response."""
    shown = set(shown_codes(schema, respondent_type, answers))
    return {code: value for code, value in answers.items() if code in shown}


def section_rows(wave: Wave, section_code: str) -> tuple[Section, dict[str, Question]]:
    """The section and question rows of one page (with choices), for wording in the active
    language."""
    section = Section.objects.get(version_id=wave.version_id, code=section_code)
    questions = Question.objects.filter(section=section).prefetch_related("choices")
    return section, {q.code: q for q in questions}


# -- operations ---------------------------------------------------------------------------------


def _erase_deleted_content() -> None:
    """SQLite keeps deleted rows in free pages unless told to zero them; a deleted draft must not
    linger in the file next to the response it became. (PostgreSQL: VACUUM reclaims them.)"""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA secure_delete = ON")


def _purge_stale_drafts(today: dt.date) -> None:
    Draft.objects.filter(updated_on__lt=today - dt.timedelta(days=DRAFT_DAYS)).delete()


@transaction.atomic
def start(
    *,
    entry: Entry,
    respondent_type: str,
    language: str,
    token: str = "",
    replacing: Draft | None = None,
) -> tuple[Draft, str]:
    """Begin answering. Returns the draft and the secret that finds it again: a new resume code
    for a public link, the invitation token for an invitation (whose draft is reused if one was
    started already). ``replacing``: a draft the respondent chose to start afresh from, deleted.
    Raises NotOpen, InvitationUsed, or ValueError for a type not offered."""
    if not entry.wave.accepts_responses():
        raise NotOpen(entry.wave.code)
    if respondent_type not in entry.respondent_types:
        raise ValueError(f"respondent type {respondent_type!r} is not offered here")
    _erase_deleted_content()
    today = timezone.localdate()
    _purge_stale_drafts(today)
    if replacing is not None:
        Draft.objects.filter(pk=replacing.pk).delete()
    fields = {
        "wave": entry.wave,
        "unit": entry.unit,
        "service": entry.service,
        "respondent_type": respondent_type,
        "language": language[:5],
        "updated_on": today,
    }
    if entry.invitation is not None:
        if digest(token, purpose="invitation") != entry.invitation.token_digest:
            raise ValueError("the token does not belong to this invitation")
        if Invitation.objects.filter(pk=entry.invitation.pk, used=True).exists():
            raise InvitationUsed(entry.wave.code)
        draft, _created = Draft.objects.get_or_create(
            key_digest=draft_digest(INVITATION, token), defaults=fields
        )
        return draft, token
    code = new_resume_code()
    draft = Draft.objects.create(key_digest=draft_digest(RESUME, code), **fields)
    return draft, code


@transaction.atomic
def save_page(
    *,
    draft: Draft,
    codes: Iterable[str],
    values: Mapping[str, Any],
    furthest: int,
    language: str,
) -> Draft:
    """Keep one page's answers: the page's questions (``codes``) take ``values`` (questions left
    empty or no longer shown lose their old answer); ``furthest`` is the last page (0-based) the
    respondent may open, never lowered."""
    _erase_deleted_content()
    replaced = set(codes)
    answers = {code: value for code, value in draft.answers.items() if code not in replaced}
    answers.update({code: value for code, value in values.items() if value not in (None, "", [])})
    draft.answers = answers
    draft.section_index = max(draft.section_index, furthest)
    draft.language = language[:5]
    draft.updated_on = timezone.localdate()
    draft.save(update_fields=["answers", "section_index", "language", "updated_on"])
    return draft


@transaction.atomic
def submit(*, draft: Draft, token: str = "") -> Response:
    """Turn a draft into a response, in one transaction: validate and encode the answers, create
    the response (the day only), mark the invitation used (when ``token`` is given), delete the
    draft. Raises NotOpen (nothing saved), InvitationUsed, DraftGone or ResponseInvalid."""
    _erase_deleted_content()
    locked = (
        Draft.objects.select_for_update()
        .select_related("wave__version")
        .filter(pk=draft.pk)
        .first()
    )
    if locked is None:
        raise DraftGone
    wave = locked.wave
    if not wave.accepts_responses():
        raise NotOpen(wave.code)
    schema = schema_for(wave)
    rtype = locked.respondent_type
    vector, extra = schema.encode(shown_answers(schema, rtype, locked.answers), rtype)
    if token:
        if locked.key_digest != draft_digest(INVITATION, token):
            raise ValueError("the token does not belong to this draft")
        marked = Invitation.objects.filter(
            token_digest=digest(token, purpose="invitation"), wave=wave, used=False
        ).update(used=True)
        if marked != 1:
            raise InvitationUsed(wave.code)
    response = Response.objects.create(
        wave=wave,
        unit_id=locked.unit_id,
        service_id=locked.service_id,
        respondent_type=rtype,
        submitted_on=timezone.localdate(),
        answers=Response.pack(vector),
        extra=extra or None,
        source=Response.Source.WEB,
    )
    locked.delete()
    announce_responses_changed(wave_id=wave.pk, unit_ids=[locked.unit_id], count=1)
    return response


def public_code_for(draft: Draft) -> str:
    """The public link a draft's respondent came through (for duplicate protection)."""
    if draft.service_id:
        return (
            WaveService.objects.filter(
                wave_unit__wave_id=draft.wave_id,
                wave_unit__unit_id=draft.unit_id,
                service_id=draft.service_id,
            )
            .values_list("public_code", flat=True)
            .first()
            or ""
        )
    return (
        WaveUnit.objects.filter(wave_id=draft.wave_id, unit_id=draft.unit_id)
        .values_list("public_code", flat=True)
        .first()
        or ""
    )


def page_count_range(schema: Schema, types: Sequence[str]) -> tuple[int, int]:
    """Fewest and most pages over the offered respondent types, before any answer."""
    counts = [len(pages_for(schema, t, {})) for t in types] or [0]
    return min(counts), max(counts)
