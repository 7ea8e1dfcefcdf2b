"""The report's charts: small matplotlib figures, closed after drawing so a batch of
reports does not keep them in memory. The notebook displays the returned figure."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd


def plain(text: object) -> str:
    """A label matplotlib shows as written: ``$`` would start mathtext (and a bad formula in
    a name would stop the chart)."""
    return str(text).replace("$", r"\$")


def _plain_columns(pivot: pd.DataFrame) -> pd.DataFrame:
    return pivot.rename(columns=plain)


def _finish(fig, ax, title: str):
    ax.set_title(plain(title), fontsize=10)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    plt.close(fig)
    return fig


def plan_actual_bars(frame: pd.DataFrame, title: str):
    fig, ax = plt.subplots(figsize=(9, 3.2))
    x = range(len(frame))
    ax.bar([i - 0.2 for i in x], frame["plan_value"] / 1e5, width=0.4, label="plan", color="#b6c8e0")
    ax.bar([i + 0.2 for i in x], frame["actual_value"] / 1e5, width=0.4, label="actual", color="#1f6feb")
    ax.set_xticks(list(x), [plain(p) for p in frame["period"]], rotation=45, ha="right", fontsize=8)
    ax.set_ylabel("₹ lakh")
    ax.legend(fontsize=8, frameon=False)
    return _finish(fig, ax, title)


def stacked_bars(pivot: pd.DataFrame, title: str, ylabel: str):
    fig, ax = plt.subplots(figsize=(9, 3.2))
    pivot = _plain_columns(pivot)
    pivot.plot(ax=ax, kind="bar", stacked=True, width=0.8, colormap="tab20c")
    ax.set_ylabel(ylabel)
    ax.set_xlabel("")
    ax.tick_params(axis="x", labelsize=8, rotation=45)
    ax.legend(fontsize=8, frameon=False, ncol=4)
    return _finish(fig, ax, title)


def lines(series: dict[str, pd.Series], title: str, ylabel: str):
    fig, ax = plt.subplots(figsize=(9, 2.6))
    for label, values in series.items():
        ax.plot(list(values.index), list(values.values), marker="o", label=plain(label))
    ax.set_ylabel(ylabel)
    ax.tick_params(axis="x", labelsize=8, rotation=45)
    ax.legend(fontsize=8, frameon=False)
    return _finish(fig, ax, title)


def stacked_area(pivot: pd.DataFrame, title: str):
    fig, ax = plt.subplots(figsize=(9, 3.2))
    pivot = _plain_columns(pivot)
    pivot.plot(ax=ax, kind="area", stacked=True, alpha=0.85, colormap="tab10", linewidth=0)
    ax.set_ylim(0, 100)
    ax.set_ylabel("share of business, %")
    ax.set_xlabel("")
    ax.legend(fontsize=8, frameon=False, loc="lower left", ncol=4)
    return _finish(fig, ax, title)
