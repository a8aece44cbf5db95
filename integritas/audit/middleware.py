"""Give every request an id and make it available to ``audit.record``."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from integritas.audit import context


def request_context(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    def middleware(request: HttpRequest) -> HttpResponse:
        request.request_id = uuid.uuid4().hex  # type: ignore[attr-defined]
        token = context.set_request(request)
        try:
            response = get_response(request)
        finally:
            context.reset_request(token)
        response["X-Request-ID"] = request.request_id  # type: ignore[attr-defined]
        return response

    return middleware
