"""Who is acting and in which request, carried without threading arguments everywhere."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Actor:
    user: Any | None  # a user instance or None for the system
    label: str
    request_id: str


_current: ContextVar[Any | None] = ContextVar("integritas_request", default=None)
_override: ContextVar[Actor | None] = ContextVar("integritas_actor", default=None)


def set_request(request: Any | None) -> Any:
    return _current.set(request)


def reset_request(token: Any) -> None:
    _current.reset(token)


def current_request() -> Any | None:
    return _current.get()


class acting_as:  # noqa: N801 - used like a function: ``with acting_as(label="seed_demo"):``
    """Attribute events written outside a request (commands, tasks) to a named actor."""

    def __init__(self, *, label: str, user: Any | None = None, request_id: str = "") -> None:
        self.actor = Actor(user=user, label=label, request_id=request_id)
        self.token: Any = None

    def __enter__(self) -> Actor:
        self.token = _override.set(self.actor)
        return self.actor

    def __exit__(self, *exc: object) -> None:
        _override.reset(self.token)


def current_actor() -> Actor:
    override = _override.get()
    if override is not None:
        return override
    request = _current.get()
    if request is None:
        return Actor(user=None, label="system", request_id="")
    user = getattr(request, "user", None)
    request_id = getattr(request, "request_id", "")
    if user is not None and user.is_authenticated:
        return Actor(
            user=user, label=user.get_full_name() or user.get_username(), request_id=request_id
        )
    return Actor(user=None, label="anonymous", request_id=request_id)
