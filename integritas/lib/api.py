"""The plumbing of the public read-only API at ``/api/v1/``, shared by every app's router.

Each app that offers data to the public declares a django-ninja ``Router`` in its own ``api.py``
(``core/api.py``: the audit anchors; ``portal/api.py``: what the portal publishes); the project's
``urls.py`` builds the one API with ``build_api`` and mounts it with ``api_urls``. What lives
here holds for every answer, whichever router made it:

- **Errors as JSON** (``ErrorOut``): a bad query parameter answers 400 naming the parameter
  (django-ninja's own default is 422), an unknown record 404 (``NotFound``), an unknown address
  under ``/api/v1/`` 404 too.
- **Pages** of at most ``MAX_PAGE_SIZE`` items (``PageParams``, ``Page``, ``paginate``), with the
  total count.
- **Conditional requests**: every answer carries an ``ETag`` (a hash of its body) and a
  ``Last-Modified`` (when this address's answer last changed, as recorded in the shared cache);
  ``If-None-Match`` / ``If-Modified-Since`` that still match get ``304 Not Modified`` without a
  body. Browsers and proxies may keep a copy but must ask again (``Cache-Control: no-cache``).
- **CORS** open to every site for GET, HEAD and OPTIONS, without credentials.
- **One language**: answers do not depend on the visitor's language cookie; labels are in
  ``settings.LANGUAGE_CODE`` and codes never change, so an answer is a function of the path and
  the query alone (a cache in front of the handlers may key on them).
- **The documentation page** (``/api/v1/docs``) is drawn by the server from the OpenAPI document
  (template ``api/docs.html``), with no script and nothing from another site.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections.abc import Callable, Iterable, Sequence
from functools import wraps
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import URLPattern, re_path
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag
from ninja import NinjaAPI, Router, Schema
from ninja.errors import ValidationError
from ninja.openapi.docs import DocsBase
from pydantic import Field

View = Callable[..., HttpResponse]
T = TypeVar("T")

PREFIX = "api/v1/"
NAMESPACE = "api-v1"
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
CORS_METHODS = ("GET", "HEAD", "OPTIONS")
PARAMETER_PLACES = ("query", "path", "header", "cookie", "body", "form", "file")
# How long the shared cache remembers when an address's answer last changed. When it forgets,
# ``Last-Modified`` moves forward to the next answer: later than the truth, never earlier.
LAST_MODIFIED_SECONDS = 90 * 24 * 3600

DESCRIPTION = """\
Read-only, public data of the transparency portal: exactly what the portal's pages show, as
JSON. Nothing here needs an account, a cookie or a key.

* **Pages**: lists take `page` (from 1) and `page_size` (1 to 100, 20 when not given) and answer
  with `count` (all matching items), `page`, `page_size`, `pages` and `items`.
* **Caching**: every answer has an `ETag` and a `Last-Modified` header. Send them back as
  `If-None-Match` or `If-Modified-Since` and an unchanged answer is `304 Not Modified`, with no
  body.
* **Errors**: a bad query parameter is `400` with a JSON body naming it; an unknown record is
  `404`. Both have the fields `error`, `message` and `parameters`.
* **Suppression**: a survey result computed from too few respondents is withheld exactly as on
  the portal: its score, confidence interval and grade are `null`, and its respondent count is
  given only as a bound (`respondents_withheld`: "< k" or "≥ k"), never as the number.
* **Licence**: the data may be reused under the licence stated on the portal (CC BY 4.0 unless
  the government says otherwise), naming the government as its source.
"""


# --- Errors ---------------------------------------------------------------------------------


class ParameterError(Schema):
    name: str = Field(description="The query or path parameter that was refused.")
    message: str = Field(description="Why it was refused.")


class ErrorOut(Schema):
    """The body of every error answer."""

    error: str = Field(description='"invalid_parameter", "not_found" or "method_not_allowed".')
    message: str = Field(description="What went wrong, in words.")
    parameters: list[ParameterError] = Field(
        default_factory=list, description="For a 400: each parameter refused, and why."
    )


class NotFound(Exception):
    """Raised by a handler when the record asked for is not published (or does not exist)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def error_body(error: str, message: str, parameters: Sequence[ParameterError] = ()) -> dict:
    return ErrorOut(error=error, message=message, parameters=list(parameters)).model_dump()


def parameter_errors(exc: ValidationError, sent: Iterable[str]) -> list[ParameterError]:
    """Ninja's validation errors as one (parameter, message) pair per parameter, the first error
    of each giving its message. ``loc`` names the place and then the path to the value:
    ``["query", "page"]``, or through the schema that groups the parameters and the branch of an
    optional one's type (``["query", "filters", "year", "constrained-int"]``); the parameter is
    the step that the request sent (``sent``: its query and path parameter names)."""
    names = set(sent)
    found: dict[str, ParameterError] = {}
    for item in exc.errors:
        loc = [str(part) for part in item.get("loc", ())]
        steps = loc[1:] if loc and loc[0] in PARAMETER_PLACES else loc
        name = next((step for step in steps if step in names), steps[-1] if steps else "?")
        message = str(item.get("msg", "invalid value"))
        found.setdefault(name, ParameterError(name=name, message=message))
    return list(found.values())


#: The responses every operation may give besides its 200, for ``@router.get(response=...)``.
def responses(ok: Any, *, not_found: bool = False) -> dict[int, Any]:
    answers: dict[int, Any] = {200: ok, 400: ErrorOut}
    if not_found:
        answers[404] = ErrorOut
    return answers


# --- Pages ----------------------------------------------------------------------------------


class PageParams(Schema):
    page: int = Field(1, ge=1, le=1_000_000, description="Which page, from 1.")
    page_size: int = Field(
        DEFAULT_PAGE_SIZE,
        ge=1,
        le=MAX_PAGE_SIZE,
        description=f"Items per page, 1 to {MAX_PAGE_SIZE}.",
    )


class Page(Schema, Generic[T]):
    count: int = Field(description="How many items match, over all pages.")
    page: int = Field(description="This page's number, from 1.")
    page_size: int = Field(description="Items per page.")
    pages: int = Field(description="How many pages there are (0 when nothing matches).")
    items: list[T] = Field(description="This page's items.")


def paginate(
    items: QuerySet[Any] | Sequence[Any], params: PageParams, convert: Callable[[Any], Any]
) -> dict[str, Any]:
    """One page of ``items``, each passed through ``convert``; a page past the last is empty."""
    count = items.count() if isinstance(items, QuerySet) else len(items)
    start = (params.page - 1) * params.page_size
    rows: Iterable[Any] = items[start : start + params.page_size] if start < count else []
    return {
        "count": count,
        "page": params.page,
        "page_size": params.page_size,
        "pages": math.ceil(count / params.page_size),
        "items": [convert(row) for row in rows],
    }


# --- The documentation page -------------------------------------------------------------------


def _resolve(schema: dict[str, Any], components: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The name and body of a schema that may be a ``$ref``."""
    ref = schema.get("$ref", "")
    if ref:
        name = ref.rsplit("/", 1)[-1]
        return name, components.get(name, {})
    return "", schema


def type_text(schema: dict[str, Any]) -> str:
    """A short reading of a JSON schema's type: "integer", "string (date)", "list of Unit",
    "Cell or null"."""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            return " or ".join(type_text(part) for part in schema[key])
    kind = schema.get("type", "")
    if kind == "array":
        return f"list of {type_text(schema.get('items', {}))}"
    if "enum" in schema:
        return f"{kind or 'value'}: " + ", ".join(str(v) for v in schema["enum"])
    if "format" in schema:
        return f"{kind} ({schema['format']})"
    return str(kind or "any")


def constraints_text(schema: dict[str, Any]) -> str:
    parts = []
    for key, word in (("minimum", "≥"), ("maximum", "≤"), ("maxLength", "at most")):
        if key in schema:
            parts.append(f"{word} {schema[key]}")
    if "default" in schema:
        parts.append(f"default {schema['default']}")
    return ", ".join(parts)


def docs_context(document: dict[str, Any]) -> dict[str, Any]:
    """What ``api/docs.html`` shows: each operation with its parameters and responses, and each
    schema with its fields."""
    components = document.get("components", {}).get("schemas", {})
    operations = []
    for path, methods in document.get("paths", {}).items():
        for method, operation in methods.items():
            parameters = []
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                parameters.append(
                    {
                        "name": parameter.get("name"),
                        "where": parameter.get("in"),
                        "required": parameter.get("required", False),
                        "type": type_text(schema),
                        "constraints": constraints_text(schema),
                        "description": parameter.get("description")
                        or schema.get("description", ""),
                    }
                )
            answers = []
            for status, answer in operation.get("responses", {}).items():
                content = answer.get("content", {}).get("application/json", {})
                name, _body = _resolve(content.get("schema", {}), components)
                answers.append(
                    {"status": status, "description": answer.get("description"), "schema": name}
                )
            operations.append(
                {
                    "id": operation.get("operationId", ""),
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": parameters,
                    "responses": answers,
                }
            )
    schemas = []
    for name, body in sorted(components.items()):
        required = set(body.get("required", []))
        fields = [
            {
                "name": field,
                "type": type_text(schema),
                "required": field in required,
                "description": schema.get("description", ""),
            }
            for field, schema in body.get("properties", {}).items()
        ]
        schemas.append({"name": name, "description": body.get("description", ""), "fields": fields})
    return {
        "info": document.get("info", {}),
        "openapi": document.get("openapi", ""),
        "operations": operations,
        "schemas": schemas,
    }


class ServerDocs(DocsBase):
    """The API's documentation as a plain page drawn from its OpenAPI document."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        document = api.get_openapi_schema(path_params=kwargs)
        context = {
            **docs_context(dict(document)),
            "openapi_url": self.get_openapi_url(api, kwargs),
            "max_page_size": MAX_PAGE_SIZE,
            "default_page_size": DEFAULT_PAGE_SIZE,
        }
        return render(request, "api/docs.html", context)


# --- The API and its addresses -----------------------------------------------------------------


def build_api(routers: Iterable[tuple[str, Router]], *, title: str = "Integritas API") -> NinjaAPI:
    """The one public API, with every app's router added under its prefix."""
    api = NinjaAPI(
        title=title,
        version="1",
        description=DESCRIPTION,
        urls_namespace=NAMESPACE,
        docs=ServerDocs(),
        docs_url="/docs",
        openapi_url="/openapi.json",
    )

    @api.exception_handler(ValidationError)
    def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        sent = [*request.GET, *(request.resolver_match.kwargs if request.resolver_match else {})]
        found = parameter_errors(exc, sent)
        names = ", ".join(p.name for p in found)
        return api.create_response(
            request,
            error_body("invalid_parameter", f"Invalid parameter: {names}.", found),
            status=400,
        )

    @api.exception_handler(NotFound)
    def missing(request: HttpRequest, exc: NotFound) -> HttpResponse:
        return api.create_response(request, error_body("not_found", exc.message), status=404)

    @api.exception_handler(Http404)
    def unknown(request: HttpRequest, exc: Http404) -> HttpResponse:
        return api.create_response(request, error_body("not_found", "Not found."), status=404)

    for prefix, router in routers:
        api.add_router(prefix, router)
    return api


def _etag(response: HttpResponse) -> str:
    return quote_etag(hashlib.sha256(response.content).hexdigest()[:32])


def last_changed(request: HttpRequest, etag: str) -> dt.datetime:
    """When this address's answer last changed, as far as the shared cache remembers: the time
    its current ``etag`` was first served (now, if the cache knows no earlier time)."""
    key = "api-modified:" + hashlib.sha256(request.get_full_path().encode()).hexdigest()
    known = cache.get(key)
    if isinstance(known, tuple) and len(known) == 2 and known[0] == etag:
        return known[1]
    now = timezone.now().replace(microsecond=0)
    cache.set(key, (etag, now), LAST_MODIFIED_SECONDS)
    return now


def _cors(response: HttpResponse) -> HttpResponse:
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = "ETag, Last-Modified"
    # Other sites may read the answers (a script's fetch, or an embedded request).
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


def preflight() -> HttpResponse:
    response = HttpResponse(status=204)
    response["Allow"] = ", ".join(CORS_METHODS)
    response["Access-Control-Allow-Methods"] = ", ".join(CORS_METHODS)
    response["Access-Control-Allow-Headers"] = "If-None-Match, If-Modified-Since"
    response["Access-Control-Max-Age"] = "86400"
    return response


def http_view(view: View) -> View:
    """The HTTP contract of every API address: HEAD and OPTIONS, the language, the conditional
    request headers and 304, CORS, and a JSON 404 instead of an HTML page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        method = request.method or "GET"
        if method == "OPTIONS":
            response = preflight()
        else:
            if method == "HEAD":
                request.method = "GET"
            with translation.override(settings.LANGUAGE_CODE):
                try:
                    response = view(request, *args, **kwargs)
                except Http404:
                    response = JsonResponse(error_body("not_found", "Not found."), status=404)
        if getattr(response, "streaming", False):
            return response
        etag = _etag(response)
        modified = last_changed(request, etag)
        response["ETag"] = etag
        response["Last-Modified"] = http_date(modified.timestamp())
        if response.status_code == 200 and request.method == "GET":
            response = (
                get_conditional_response(
                    request, etag=etag, last_modified=int(modified.timestamp()), response=response
                )
                or response
            )
        response.setdefault("Cache-Control", "public, no-cache")
        response["X-Robots-Tag"] = "noindex"
        if "Content-Language" not in response and response.get("Content-Type", "").startswith(
            "application/json"
        ):
            response["Content-Language"] = settings.LANGUAGE_CODE
        if method in CORS_METHODS:
            _cors(response)
        if method == "HEAD":
            request.method = "HEAD"
            response.content = b""
        return response

    # A public view under the API's contract rather than ``core.public.public_page``'s (which
    # forbids caching): the session middleware and the log filter treat it as public through
    # ``settings.PUBLIC_PATH_PREFIXES``, and this mark tells it apart from a page.
    wrapper.public_api = True  # type: ignore[attr-defined]
    return wrapper


def not_found_view(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Any address under the API that no operation answers."""
    if request.method == "OPTIONS":
        return preflight()
    return JsonResponse(
        error_body("not_found", "There is no such address in this API."), status=404
    )


def api_urls(
    api: NinjaAPI, *, keep: Callable[[View], View] | None = None
) -> tuple[list[URLPattern], str, str]:
    """``api.urls`` with every view wrapped by ``http_view``, and a JSON 404 for the rest; mount
    it at ``PREFIX`` (``path(PREFIX, api_urls(api))``). ``keep`` decorates every operation
    inside that contract (the shared cache's ``lib.pagecache.cached``)."""
    patterns, app_name, namespace = api.urls
    wrapped: list[URLPattern] = []
    for pattern in patterns:
        assert isinstance(pattern, URLPattern)
        pattern.callback = http_view(keep(pattern.callback) if keep else pattern.callback)
        wrapped.append(pattern)
    wrapped.append(re_path(r"^(?P<rest>.*)$", http_view(not_found_view), name="not-found"))
    return wrapped, app_name, namespace
