"""Session fixtures of the Bachata e2e tests (defined in helpers)."""

from tests.e2e.bachata.helpers import bare, studio

__all__ = ["bare", "studio"]
