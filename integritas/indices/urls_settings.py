"""URLs of the indices pages: settings."""

from django.urls import URLPattern, path  # noqa: F401

urlpatterns: list[URLPattern] = []
