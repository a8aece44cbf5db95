"""Re-exports the personas so tests can ``from integritas.core.tests.conftest import ...``."""

from integritas.core.testing import PASSWORD, World, client_for, make_user

__all__ = ["PASSWORD", "World", "client_for", "make_user"]
