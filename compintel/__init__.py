"""compintel — a competitor-intelligence workbench for key account managers.

The public API (what notebooks may import) is exactly what this module names; everything
else may change between versions.
"""

__version__ = "0.1.0"

from typing import TYPE_CHECKING  # noqa: E402

from .catalog import Catalog, load_catalog  # noqa: E402
from .errors import UserError  # noqa: E402

if TYPE_CHECKING:
    from .workbench import Workbench

__all__ = ["Catalog", "UserError", "Workbench", "__version__", "load_catalog"]


def __getattr__(name: str):
    # the Workbench brings pandas: imported when a notebook asks for it, not by every
    # command (``compintel tag-text`` starts a third of a second sooner)
    if name == "Workbench":
        from .workbench import Workbench

        return Workbench
    raise AttributeError(f"module 'compintel' has no attribute {name!r}")
