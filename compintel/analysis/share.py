"""Share of business: the customer × plant × model × part family × supplier matrix over months.

Weighting rule (used by every roll-up here): when rows are rolled up — plants and models into
a customer or part family, months into a quarter — each unit (one plant/model/part-family
slice in one month) counts in proportion to its weight = production volume × glass pieces
per vehicle for that model and part family. A supplier missing from a unit that has data
holds 0 % there. When any unit of a group has no known weight (no volume row, no glass
content, or all weights 0), the whole group falls back to the unweighted mean of its units.
The ``weighting`` column says which: ``"volume×pieces"``, ``"volume"`` (volumes given but no
glass content, so vehicles are the weight) or ``"unweighted"``; ``weight_fallback`` is True
where volumes were given but the group had to fall back to the unweighted mean (a slice
without a volume row), and :func:`weighting_note` says so in words. A quarter or financial
year with fewer months of data than it has is marked ``partial``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from compintel.analysis._frames import AnalysisInputError, prepare, reject_duplicates
from compintel.analysis.periods import month_range, months_in_period

DETAIL_KEYS = ["customer_id", "plant_id", "model", "part_family"]
WEIGHTED_PIECES = "volume×pieces"
WEIGHTED_VEHICLES = "volume"
UNWEIGHTED = "unweighted"
_TINY = 1e-9


def prepare_share(sob: pd.DataFrame | None) -> pd.DataFrame:
    """Checked share-of-business table; a repeated key is an error (shares do not add up).

    Input columns: month, customer_id, plant_id, model, part_family, supplier_id, share_pct
    (0–100). Output: the same columns typed. Two rows with the same month, customer, plant,
    model, part family and supplier are rejected, as is a share outside 0–100.
    """
    df = prepare(sob, "share_of_business",
                 text=["customer_id", "plant_id", "model", "part_family", "supplier_id"],
                 months=["month"], numbers=["share_pct"],
                 required=["month", "customer_id", "part_family", "supplier_id", "share_pct"])
    bad = df["share_pct"].isna() | (df["share_pct"] < 0) | (df["share_pct"] > 100)
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0]) + 1
        raise AnalysisInputError(f"row {row} holds {df['share_pct'][bad].iloc[0]!r}, not a "
                                 "share between 0 and 100", path="share_of_business",
                                 field="share_pct", hint="give the share in percent, 0–100")
    reject_duplicates(df, [*DETAIL_KEYS, "month", "supplier_id"], "share_of_business")
    return df


def prepare_volumes(volumes: pd.DataFrame | None) -> pd.DataFrame:
    """Checked production volumes, one row per customer, plant, model and month (summed).

    Input columns: customer_id, plant_id, model, month, volume (vehicles). Output: the same
    columns; repeated keys are summed, as volumes of one model and plant add up.
    """
    df = prepare(volumes, "production_volumes", text=["customer_id", "plant_id", "model"],
                 months=["month"], numbers=["volume"],
                 required=["customer_id", "month", "volume"])
    keys = ["customer_id", "plant_id", "model", "month"]
    return df.groupby(keys, dropna=False, sort=True)["volume"].sum(min_count=1).reset_index()


def prepare_glass_content(glass_content: pd.DataFrame | None) -> pd.DataFrame:
    """Checked glass content: pieces per vehicle for each model and part family.

    Input columns: model, part_family, pieces. Output: the same, one row per model and part
    family; exact repeats are dropped, conflicting repeats are an error.
    """
    df = prepare(glass_content, "glass_content", text=["model", "part_family"],
                 numbers=["pieces"]).drop_duplicates()
    reject_duplicates(df, ["model", "part_family"], "glass_content")
    return df


def slice_weights(sob: pd.DataFrame, volumes: pd.DataFrame | None = None,
                  glass_content: pd.DataFrame | None = None) -> pd.DataFrame:
    """Weight of each plant/model/part-family slice and month of a share table.

    Input: a share table (see :func:`prepare_share`), production volumes and glass content
    (both optional). Output: one row per distinct customer_id, plant_id, model, part_family,
    month with ``volume`` (vehicles: the plant's volume of the model; for a row with no plant,
    the model's volume over all plants), ``pieces`` (pieces per vehicle; 1 when no glass
    content is given) and ``weight`` = volume × pieces (NaN when either is unknown).
    """
    units = sob[[*DETAIL_KEYS, "month"]].drop_duplicates().reset_index(drop=True)
    if volumes is None:
        units["volume"] = np.nan
    else:
        vol = prepare_volumes(volumes)
        by_plant = vol[vol["plant_id"].notna()]
        all_plants = vol.groupby(["customer_id", "model", "month"], dropna=False,
                                 sort=False)["volume"].sum(min_count=1).reset_index()
        has_plant = units["plant_id"].notna()
        with_plant = units[has_plant].merge(
            by_plant, on=["customer_id", "plant_id", "model", "month"], how="left")
        without = units[~has_plant].merge(all_plants, on=["customer_id", "model", "month"],
                                          how="left")
        units = pd.concat([with_plant, without], ignore_index=True)
    if glass_content is None:
        units["pieces"] = 1.0
    else:
        content = prepare_glass_content(glass_content)
        units = units.merge(content, on=["model", "part_family"], how="left")
    units["weight"] = units["volume"] * units["pieces"]
    return units


def combine_shares(rows: pd.DataFrame, units: pd.DataFrame, unit_keys: Sequence[str],
                   group_keys: Sequence[str], weighted_label: str) -> pd.DataFrame:
    """Roll shares of units up to groups by the module's weighting rule.

    Input: ``rows`` with ``unit_keys``, supplier_id, share_pct; ``units`` with ``unit_keys``
    (a superset of ``group_keys``) and ``weight`` (NaN = unknown). Output per group and
    supplier: share_pct, weighting (``weighted_label`` or ``"unweighted"``), volume_weight
    (the group's total weight; NaN when unweighted), units, units_without_weight.
    """
    unit_keys, group_keys = list(unit_keys), list(group_keys)
    units = units[[*unit_keys, "weight"]].copy()
    units["unknown"] = units["weight"].isna()
    info = units.groupby(group_keys, dropna=False, sort=True).agg(
        units=("weight", "size"), units_without_weight=("unknown", "sum"),
        volume_weight=("weight", lambda w: w.sum(min_count=1))).reset_index()
    info["weighted"] = (info["units_without_weight"] == 0) & (info["volume_weight"] > 0)
    units = units.merge(info, on=group_keys, how="left")
    units["factor"] = np.where(units["weighted"], units["weight"] / units["volume_weight"],
                               1.0 / units["units"])
    merged = rows[[*unit_keys, "supplier_id", "share_pct"]].merge(
        units[[*unit_keys, "factor"]], on=unit_keys, how="left")
    merged["part"] = merged["factor"] * merged["share_pct"]
    out = merged.groupby([*group_keys, "supplier_id"], dropna=False, sort=True)["part"].sum()
    out = out.rename("share_pct").reset_index().merge(info, on=group_keys, how="left")
    out["weighting"] = np.where(out["weighted"], weighted_label, UNWEIGHTED)
    out["weighting"] = out["weighting"].astype("str")
    out["volume_weight"] = out["volume_weight"].where(out["weighted"])
    out["units_without_weight"] = out["units_without_weight"].astype("int64")
    return out.drop(columns="weighted")


def _check_by(by: Sequence[str]) -> list[str]:
    by = list(by)
    unknown = [k for k in by if k not in DETAIL_KEYS]
    if unknown:
        raise AnalysisInputError(f"cannot group shares by {unknown[0]!r}", field="by",
                                 hint=f"choose from {', '.join(DETAIL_KEYS)}")
    return by


def aggregate_share(sob: pd.DataFrame | None, volumes: pd.DataFrame | None = None,
                    glass_content: pd.DataFrame | None = None, *,
                    by: Sequence[str] = ("customer_id", "part_family"),
                    our_company: str | None = None) -> pd.DataFrame:
    """Each supplier's share per group and month, rolled up by the volume weighting rule.

    Input: the share table, production volumes and glass content (both optional); ``by`` is a
    subset of customer_id, plant_id, model, part_family (all four = no roll-up). Output, long,
    one row per group, month and supplier: the ``by`` columns, month, supplier_id, share_pct
    (0–100), weighting (``volume×pieces`` / ``volume`` / ``unweighted``), weight_fallback
    (volumes were given, but a slice of the group has no weight, so the group fell back to the
    unweighted mean), volume_weight (the group's pieces a month = Σ volume × pieces per
    vehicle, or vehicles without glass content; NaN when unweighted), units (slices rolled
    up), units_without_weight, and ``is_ours`` when ``our_company`` is given.
    """
    by = _check_by(by)
    df = prepare_share(sob)
    units = slice_weights(df, volumes, glass_content)
    label = WEIGHTED_VEHICLES if glass_content is None else WEIGHTED_PIECES
    out = combine_shares(df, units, [*DETAIL_KEYS, "month"], [*by, "month"], label)
    weighting_meant = volumes is not None and not prepare_volumes(volumes).empty
    out["weight_fallback"] = (out["weighting"] == UNWEIGHTED) & weighting_meant
    if our_company is not None:
        out["is_ours"] = out["supplier_id"] == our_company
    return out.sort_values([*by, "month", "supplier_id"], kind="stable").reset_index(drop=True)


def share_matrix(sob: pd.DataFrame | None, volumes: pd.DataFrame | None = None,
                 glass_content: pd.DataFrame | None = None, *,
                 by: Sequence[str] = tuple(DETAIL_KEYS), our_company: str | None = None,
                 start: str | None = None, end: str | None = None) -> pd.DataFrame:
    """Wide share matrix: one row per group and supplier, one column per month.

    Input: as :func:`aggregate_share` (default ``by``: customer × plant × model × part family,
    no roll-up). Output: index = the ``by`` columns + supplier_id (+ ``is_ours`` when
    ``our_company`` is given, our rows first in each group); columns = every month from
    ``start`` to ``end`` (default: the data's span); values share_pct. A supplier absent from
    a month in which its group has data holds 0; a month in which the group has no data is NaN.
    """
    by = _check_by(by)
    long = aggregate_share(sob, volumes, glass_content, by=by, our_company=our_company)
    if start is not None:
        long = long[long["month"] >= start]
    if end is not None:
        long = long[long["month"] <= end]
    index = [*by, "supplier_id"] + (["is_ours"] if our_company is not None else [])
    if long.empty:
        months = month_range(start, end) if start and end else []
        return pd.DataFrame(columns=months, index=pd.MultiIndex.from_tuples([], names=index),
                            dtype="float64")
    months = month_range(start or long["month"].min(), end or long["month"].max())
    grid = long[[*by, "month"]].drop_duplicates().merge(
        long[index].drop_duplicates(), on=by, how="inner")
    full = grid.merge(long[[*index, "month", "share_pct"]], on=[*index, "month"], how="left")
    full["share_pct"] = full["share_pct"].fillna(0.0)
    wide = full.set_index([*index, "month"])["share_pct"].unstack("month")
    wide = wide.reindex(columns=months)
    wide.columns.name = "month"
    if our_company is not None:
        order = wide.index.to_frame(index=False)
        order["_rank"] = ~order["is_ours"]
        positions = order.sort_values([*by, "_rank", "supplier_id"], kind="stable").index
        wide = wide.iloc[positions]
    return wide


def period_share(long: pd.DataFrame, period: str, by: Sequence[str]) -> pd.DataFrame:
    """Shares of a multi-month period from monthly shares, weighted by each month's volume.

    Input: the output of :func:`aggregate_share` with the same ``by``; ``period`` a month,
    ``FY2025-26 Q1`` or ``FY2025-26``. Output per group and supplier: share_pct, weighting,
    weight_fallback (some month fell back, so the months count equally), months (months with
    data), partial (fewer months with data than the period has), volume_weight_per_month
    (mean monthly volume weight; NaN when unweighted). Months count by their volume weight
    when every month with data has one, else equally; months without data are left out.
    """
    by = list(by)
    months = months_in_period(period)
    sub = long[long["month"].isin(months)]
    units = sub[[*by, "month", "volume_weight", "weighting"]].drop_duplicates([*by, "month"])
    units = units.rename(columns={"volume_weight": "weight"})
    label = units["weighting"].iloc[0] if len(units) else UNWEIGHTED
    if (units["weighting"] == UNWEIGHTED).any():
        label = UNWEIGHTED
    out = combine_shares(sub, units, [*by, "month"], by, label)
    out = out.rename(columns={"units": "months"})
    out["partial"] = out["months"] < len(months)
    fallback = sub.groupby(by, dropna=False)["weight_fallback"].any().rename("weight_fallback") \
        if "weight_fallback" in sub.columns else None
    if fallback is not None and len(out):
        out = out.merge(fallback.reset_index(), on=by, how="left")
    else:
        out["weight_fallback"] = False
    out["weight_fallback"] = out["weight_fallback"].astype(bool)
    out["volume_weight_per_month"] = out["volume_weight"] / out["months"]
    return out.drop(columns=["units_without_weight", "volume_weight"])


def share_change(sob: pd.DataFrame | None, volumes: pd.DataFrame | None = None,
                 glass_content: pd.DataFrame | None = None, *, from_period: str,
                 to_period: str, our_company: str,
                 by: Sequence[str] = ("customer_id", "part_family")) -> pd.DataFrame:
    """Each supplier's share in two periods and the change in percentage points.

    Input: as :func:`aggregate_share`; periods are months (``2026-08``), quarters
    (``FY2026-27 Q2``) or financial years (``FY2026-27``), rolled up by
    :func:`period_share`. Output per group and supplier: the ``by`` columns, supplier_id,
    is_ours, from_pct, to_pct (0 where the group has data in that period but the supplier has
    none; NaN where the group has no data in that period), change_pts (to − from),
    from_weighting, to_weighting, from_weight_fallback, to_weight_fallback (the period's share
    fell back to the unweighted mean, see :func:`aggregate_share`), from_partial, to_partial
    (a quarter or FY with fewer months of data than it has), to_volume_weight_per_month (the
    group's pieces a month in the later period; NaN when unweighted).
    """
    by = _check_by(by)
    long = aggregate_share(sob, volumes, glass_content, by=by)
    before = period_share(long, from_period, by)
    after = period_share(long, to_period, by)
    keep = ["share_pct", "weighting"]
    merged = before[[*by, "supplier_id", *keep]].merge(
        after[[*by, "supplier_id", *keep, "volume_weight_per_month"]],
        on=[*by, "supplier_id"], how="outer", suffixes=("_from", "_to"))
    for side, table in (("from", before), ("to", after)):
        present = table[by].drop_duplicates().assign(**{f"_has_{side}": True})
        merged = merged.merge(present, on=by, how="left")
        has = merged[f"_has_{side}"].astype("boolean").fillna(False).astype(bool)
        merged[f"share_pct_{side}"] = merged[f"share_pct_{side}"].where(
            merged[f"share_pct_{side}"].notna() | ~has, 0.0)
        flags = table[[*by, "weighting", "weight_fallback", "partial"]].drop_duplicates(by)
        merged = merged.drop(columns=[f"weighting_{side}", f"_has_{side}"]).merge(
            flags.rename(columns={"weighting": f"{side}_weighting",
                                  "weight_fallback": f"{side}_weight_fallback",
                                  "partial": f"{side}_partial"}), on=by, how="left")
        for flag in (f"{side}_weight_fallback", f"{side}_partial"):
            merged[flag] = merged[flag].astype("boolean").fillna(False).astype(bool)
    volume = after[[*by, "volume_weight_per_month"]].drop_duplicates(by)
    merged = merged.drop(columns="volume_weight_per_month").merge(volume, on=by, how="left")
    out = merged.rename(columns={"share_pct_from": "from_pct", "share_pct_to": "to_pct",
                                 "volume_weight_per_month": "to_volume_weight_per_month"})
    out["change_pts"] = out["to_pct"] - out["from_pct"]
    out["is_ours"] = out["supplier_id"] == our_company
    cols = [*by, "supplier_id", "is_ours", "from_pct", "to_pct", "change_pts",
            "from_weighting", "to_weighting", "from_weight_fallback", "to_weight_fallback",
            "from_partial", "to_partial", "to_volume_weight_per_month"]
    return out[cols].sort_values([*by, "supplier_id"], kind="stable").reset_index(drop=True)


def share_moves(sob: pd.DataFrame | None, volumes: pd.DataFrame | None = None,
                glass_content: pd.DataFrame | None = None, *, from_period: str,
                to_period: str, our_company: str,
                by: Sequence[str] = ("customer_id", "model", "part_family"),
                min_change_pts: float = 0.0, change: pd.DataFrame | None = None) -> pd.DataFrame:
    """Where share moved: who won and who lost share, by model and part family.

    Input: as :func:`share_change` (plants rolled up by default). Output, one row per group
    and supplier whose share changed by more than ``min_change_pts``: the ``by`` columns,
    supplier_id, is_ours, outcome (``won`` / ``lost``), from_pct, to_pct, change_pts, and
    pieces_per_month = change_pts / 100 × the group's glass pieces a month in the later
    period (volume × pieces per vehicle, monthly mean) — NaN without volumes and glass
    content; weight_fallback (either period's share fell back to the unweighted mean for
    want of a volume row) and partial (either period is a quarter or FY with months missing).
    Sorted by group, biggest gain first. ``change``: the :func:`share_change` of the same
    arguments, when the caller has it already.
    """
    if change is None:
        change = share_change(sob, volumes, glass_content, from_period=from_period,
                              to_period=to_period, our_company=our_company, by=by)
    moved = change[change["change_pts"].abs() > max(min_change_pts, _TINY)].copy()
    moved["outcome"] = np.where(moved["change_pts"] > 0, "won", "lost")
    moved["outcome"] = moved["outcome"].astype("str")
    pieces = moved["to_volume_weight_per_month"].where(moved["to_weighting"] == WEIGHTED_PIECES)
    moved["pieces_per_month"] = moved["change_pts"] / 100 * pieces
    moved["weight_fallback"] = moved["from_weight_fallback"] | moved["to_weight_fallback"]
    moved["partial"] = moved["from_partial"] | moved["to_partial"]
    by = list(by)
    cols = [*by, "supplier_id", "is_ours", "outcome", "from_pct", "to_pct", "change_pts",
            "pieces_per_month", "weight_fallback", "partial"]
    moved = moved.sort_values([*by, "change_pts"], ascending=[True] * len(by) + [False],
                              kind="stable")
    return moved[cols].reset_index(drop=True)


def weighting_note(long: pd.DataFrame) -> str:
    """Where an :func:`aggregate_share` table fell back to unweighted means, in words.

    E.g. ``"unweighted mean (a slice without a production volume row) in 2026-08,
    2026-09"``; empty when nothing fell back.
    """
    if long is None or long.empty or "weight_fallback" not in long.columns:
        return ""
    fell = long[long["weight_fallback"].astype(bool)]
    if fell.empty:
        return ""
    months = sorted(set(fell["month"]))
    slices = int(fell.drop_duplicates([c for c in fell.columns if c in DETAIL_KEYS]
                                      + ["month"])["units_without_weight"].sum())
    return (f"unweighted mean, not weighted by volume, in {', '.join(months)}: "
            f"{slices} plant/model/part slice{'s' if slices != 1 else ''} had no production "
            f"volume row")


__all__ = ["aggregate_share", "combine_shares", "period_share",
           "prepare_glass_content", "prepare_share", "prepare_volumes", "share_change",
           "share_matrix", "share_moves", "slice_weights", "weighting_note"]
