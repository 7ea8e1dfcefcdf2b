"""compintel — a competitor-intelligence workbench for key account managers.

The public API (what notebooks may import) is exactly what this module names; everything
else may change between versions.
"""

__version__ = "0.1.0"

from .catalog import Catalog, load_catalog  # noqa: E402
from .errors import UserError  # noqa: E402
from .workbench import Workbench  # noqa: E402

__all__ = ["Catalog", "UserError", "Workbench", "__version__", "load_catalog"]
