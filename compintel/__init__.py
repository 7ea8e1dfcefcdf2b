"""compintel — a competitor-intelligence workbench for key account managers.

The public API (what notebooks may import) is exactly what this module names.
"""

__version__ = "0.1.0"
