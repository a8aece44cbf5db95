"""URLs of the indices pages: official."""

from django.urls import URLPattern, path  # noqa: F401

urlpatterns: list[URLPattern] = []
