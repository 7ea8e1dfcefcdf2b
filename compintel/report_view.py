"""Kept for notebooks written before :mod:`compintel.threec`: the same names, from there."""

from .threec import Html, ThreeCReport, esc, inr, number, table
from .threec.format import latest_figure, web_url

__all__ = ["Html", "ThreeCReport", "esc", "inr", "latest_figure", "number", "table", "web_url"]
