"""The 3C report's content: a model of one customer's month and one module per section.

* :mod:`.model` — the data, read from the store once, filtered by customer and window;
* :mod:`.summary` — what changed since last month, and the actions (rules in a data file);
* :mod:`.company`, :mod:`.customer`, :mod:`.competitor` — the three Cs;
* :mod:`.evidence` — the signals behind the report, linked to their sources;
* :mod:`.format` and :mod:`.charts` — escaped HTML, rupees, tables and figures;
* :mod:`.page` — :class:`ThreeCReport`, which the report notebook displays part by part;
* :mod:`.workbook` — the same tables as an Excel workbook.
"""

from .format import Html, esc, inr, number, table
from .model import PeriodError, ReportModel, data_span, default_period
from .page import ThreeCReport

__all__ = ["Html", "PeriodError", "ReportModel", "ThreeCReport", "data_span", "default_period",
           "esc", "inr", "number", "table"]
