"""Official documents as PDF: a Django template rendered by WeasyPrint under the government's
letterhead (kop surat) and closed by a signature block (name, position, NIP).

Templates extend ``pdf/base.html`` and fill ``{% block content %}``; the base draws the
letterhead from ``Government`` (emblem, name, address, phone, email, website) and, when the
context holds a ``signer``, the signature block. Documents are written in Indonesian by default
(dates "29 Mei 2024", decimals "71,53"), whatever the language of the person who prints them.

WeasyPrint never fetches anything over the network: ``LocalFetcher`` serves only the project's
static files and uploaded media (the emblem) from disk and ``data:`` URLs, and refuses the rest.
"""

from __future__ import annotations

import mimetypes
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone, translation
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from integritas.lib.formatting import format_nip

# Relative URLs in templates ("/static/...", "/media/...") resolve against this origin, which
# the fetcher maps to files on disk; it is never contacted (.invalid is reserved, RFC 2606).
BASE_URL = "https://integritas.invalid/"
DEFAULT_LANGUAGE = "id"


class RemoteResourceRefused(ValueError):
    """A document asked for a resource outside the static files and media."""


@dataclass(frozen=True)
class Signer:
    """Who signs a document: printed under the signature space."""

    name: str
    position: str = ""
    nip: str = ""

    @classmethod
    def from_user(cls, user: Any) -> Signer:
        return cls(
            name=user.get_full_name(), position=user.position or "", nip=format_nip(user.nip)
        )


def letterhead(government: Any | None) -> dict[str, Any]:
    """What the kop surat shows; every line is optional but the name."""
    if government is None:
        return {"name": "", "emblem_url": "", "address": "", "contacts": []}
    contacts = [
        value for value in (government.phone, government.email, government.website) if value
    ]
    return {
        "name": government.name,
        "emblem_url": government.emblem.url if government.emblem else "",
        "address": government.address,
        "contacts": contacts,
    }


class LocalFetcher(URLFetcher):
    """Serve static files, media and ``data:`` URLs from disk; refuse every other URL."""

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        path = local_path(url)
        if path is None:
            raise RemoteResourceRefused(f"PDF documents may not load {url!r}")
        mime, _encoding = mimetypes.guess_type(path.name)
        return URLFetcherResponse(
            url, path.read_bytes(), {"Content-Type": mime or "application/octet-stream"}
        )


def local_path(url: str) -> Path | None:
    """The file behind a static or media URL on ``BASE_URL``, or None when it is not one."""
    if not url.startswith(BASE_URL):
        return None
    path = unquote(urlsplit(url).path)
    static_url = "/" + settings.STATIC_URL.strip("/") + "/"
    media_url = "/" + settings.MEDIA_URL.strip("/") + "/"
    if path.startswith(static_url):
        relative = path[len(static_url) :]
        found = finders.find(relative)
        candidate = Path(found) if isinstance(found, str) else None
        if candidate is None and settings.STATIC_ROOT:
            candidate = _inside(Path(settings.STATIC_ROOT), relative)
        return candidate if candidate is not None and candidate.is_file() else None
    if path.startswith(media_url):
        candidate = _inside(Path(settings.MEDIA_ROOT), path[len(media_url) :])
        return candidate if candidate is not None and candidate.is_file() else None
    return None


def _inside(root: Path, relative: str) -> Path | None:
    """``root/relative`` if it stays inside ``root`` (no "../" escapes)."""
    root = root.resolve()
    candidate = (root / relative).resolve()
    return candidate if candidate.is_relative_to(root) else None


def render_html(
    template_name: str,
    context: dict[str, Any],
    *,
    government: Any | None,
    language: str = DEFAULT_LANGUAGE,
) -> str:
    """The document's HTML, with the letterhead of ``government`` (a ``core.Government``, or None
    for a blank one), the printing date and the place of signing added to ``context``.

    A ``report_number`` in ``context`` is printed as "Nomor: …" above the place and date.
    """
    with translation.override(language):
        return render_to_string(
            template_name,
            {
                "government": government,
                "letterhead": letterhead(government),
                "printed_on": timezone.localdate(),
                "place": government.signing_place if government is not None else "",
                **context,
            },
        )


def html_to_pdf(html: str) -> bytes:
    """Lay out ``html`` as a PDF without touching the network."""
    pdf: bytes = HTML(string=html, base_url=BASE_URL, url_fetcher=LocalFetcher()).write_pdf()
    return pdf


def write_pdf(html: str, target: IO[bytes]) -> None:
    """Lay out ``html`` as a PDF into ``target`` (a file open for writing): the bytes
    ``html_to_pdf`` gives, without a second copy of the whole document in memory."""
    HTML(string=html, base_url=BASE_URL, url_fetcher=LocalFetcher()).write_pdf(target)


def render_pdf_file(
    template_name: str,
    context: dict[str, Any],
    *,
    government: Any | None,
    language: str = DEFAULT_LANGUAGE,
) -> IO[bytes]:
    """``render_pdf`` into an unnamed temporary file (nothing is left on disk, even if the
    process dies), positioned at its start; the caller closes it, as ``FileResponse`` does
    when the download is closed."""
    html = render_html(template_name, context, government=government, language=language)
    file = tempfile.TemporaryFile(prefix="integritas-pdf-", suffix=".pdf")  # noqa: SIM115
    try:
        write_pdf(html, file)
        file.seek(0)
    except BaseException:
        file.close()
        raise
    return file


def render_pdf(
    template_name: str,
    context: dict[str, Any],
    *,
    government: Any | None,
    language: str = DEFAULT_LANGUAGE,
) -> bytes:
    """Render a template that extends ``pdf/base.html`` to PDF bytes."""
    return html_to_pdf(
        render_html(template_name, context, government=government, language=language)
    )
