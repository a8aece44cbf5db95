"""Reading and writing a report's encrypted content, shared by the reporter's and the handler's
side: the decrypted messages, files and 5W1H fields of a report, and a new message.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from integritas.complaints.models import Message, Report
from integritas.lib import crypto, files

MAX_FIELD_LENGTH = 5000


@dataclass(frozen=True)
class MessageView:
    side: str
    sent_on: dt.date
    text: str
    author: str = ""


@dataclass(frozen=True)
class AttachmentView:
    public_id: str
    name: str
    size: int
    kind: str
    side: str
    added_on: dt.date
    stripping: str
    stripped: list[str]
    is_document: bool = False  # PDF or office file: text inside (comments, revisions) stays


def read_messages(report: Report, key: bytes, *, with_authors: bool) -> list[MessageView]:
    """The report's messages, decrypted, oldest first; the handlers' names only if asked."""
    views = []
    for message in report.messages.select_related("author").order_by("pk"):
        text = crypto.decrypt(key, bytes(message.body), context=message_context(message))
        author = str(message.author) if with_authors and message.author else ""
        views.append(MessageView(message.side, message.sent_on, text.decode(), author))
    return views


def read_attachments(report: Report, key: bytes) -> list[AttachmentView]:
    """The report's files as listed to a reader: decrypted names and what was removed."""
    return [
        AttachmentView(
            public_id=str(a.public_id),
            name=crypto.decrypt(key, bytes(a.name), context=a.file_context("name")).decode(),
            size=a.size,
            kind=a.kind,
            side=a.side,
            added_on=a.added_on,
            stripping=a.stripping,
            is_document=a.kind in files.DOCUMENTS,
            # Stored in English (gettext_noop labels in attachments.py), shown translated.
            stripped=[
                gettext(label)
                for label in json.loads(
                    crypto.decrypt(key, bytes(a.stripped), context=a.file_context("stripped"))
                )
            ],
        )
        for a in report.attachments.order_by("pk")
    ]


def read_content(report: Report, key: bytes) -> dict[str, str]:
    """The report's 5W1H fields, decrypted."""
    return json.loads(crypto.decrypt(key, bytes(report.content), context=report.context))


def message_context(message: Message) -> bytes:
    return f"message:{message.public_id}".encode()


def add_message(report: Report, key: bytes, side: str, text: str, author: Any = None) -> Message:
    """A new message on the report, encrypted with the report key; ValidationError if empty or too long."""
    text = text.strip()
    if not text:
        raise ValidationError({"text": [_("Write a message.")]})
    if len(text) > MAX_FIELD_LENGTH:
        raise ValidationError(
            {"text": [_("Write at most %(n)d characters here.") % {"n": MAX_FIELD_LENGTH}]}
        )
    message = Message(report=report, side=side, author=author)
    message.body = crypto.encrypt(key, text.encode(), context=message_context(message))
    message.save()
    return message
