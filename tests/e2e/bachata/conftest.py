"""Session fixtures of the Bachata e2e tests (defined in helpers)."""

from tests.e2e.bachata.helpers import bare, studio, studio_scaleout

__all__ = ["bare", "studio", "studio_scaleout"]
