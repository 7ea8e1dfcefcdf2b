"""Share of business: volume-weighted roll-ups, the matrix, change between periods, moves."""

import math

import pandas as pd
import pytest

from compintel.analysis import (
    AnalysisInputError,
    aggregate_share,
    share_change,
    share_matrix,
    share_moves,
    weighting_note,
)

SOB_COLUMNS = ["month", "customer_id", "plant_id", "model", "part_family", "supplier_id",
               "share_pct"]
VOL_COLUMNS = ["customer_id", "plant_id", "model", "month", "volume"]


def sob_table() -> pd.DataFrame:
    rows = []
    for month, ours_tarani in (("2026-08", 70), ("2026-09", 40)):
        rows += [
            (month, "nav", "kes", "tarani", "sidelite", "ksg", ours_tarani),
            (month, "nav", "kes", "tarani", "sidelite", "vit", 100 - ours_tarani),
            (month, "nav", "kes", "vela", "sidelite", "ksg", 100),
            (month, "nav", "amb", "vela", "sidelite", "ksg", 50),
            (month, "nav", "amb", "vela", "sidelite", "sun", 50),
        ]
    return pd.DataFrame(rows, columns=SOB_COLUMNS)


def volume_table(september_factor: float = 1.0) -> pd.DataFrame:
    rows = []
    for month, factor in (("2026-08", 1.0), ("2026-09", september_factor)):
        rows += [("nav", "kes", "tarani", month, 1000 * factor),
                 ("nav", "kes", "vela", month, 3000 * factor),
                 ("nav", "amb", "vela", month, 1000 * factor)]
    return pd.DataFrame(rows, columns=VOL_COLUMNS)


GLASS = pd.DataFrame({"model": ["tarani", "vela"], "part_family": ["sidelite", "sidelite"],
                      "pieces": [4, 6]})


def pick(df: pd.DataFrame, **match) -> pd.Series:
    mask = pd.Series(True, index=df.index)
    for key, value in match.items():
        mask &= df[key] == value
    assert mask.sum() == 1, match
    return df[mask].iloc[0]


def test_roll_up_weights_by_volume_times_pieces():
    out = aggregate_share(sob_table(), volume_table(), GLASS, our_company="ksg")
    aug = out[out["month"] == "2026-08"]
    # Weights: kes tarani 1000 × 4 = 4000, kes vela 3000 × 6 = 18000, amb vela 1000 × 6 = 6000;
    # total 28000 pieces a month.
    ksg = pick(aug, supplier_id="ksg")
    assert ksg["share_pct"] == pytest.approx(85.0)   # (4000×70 + 18000×100 + 6000×50) / 28000
    assert ksg["weighting"] == "volume×pieces"
    assert ksg["volume_weight"] == 28000
    assert ksg["is_ours"]
    assert pick(aug, supplier_id="vit")["share_pct"] == pytest.approx(120000 / 28000)  # 4.2857
    assert pick(aug, supplier_id="sun")["share_pct"] == pytest.approx(300000 / 28000)  # 10.714
    assert aug["share_pct"].sum() == pytest.approx(100.0)


def test_roll_up_without_glass_content_weights_by_vehicles():
    aug = aggregate_share(sob_table(), volume_table()).query("month == '2026-08'")
    # Weights 1000, 3000, 1000 vehicles: ksg (70000 + 300000 + 50000) / 5000 = 84.
    assert pick(aug, supplier_id="ksg")["share_pct"] == pytest.approx(84.0)
    assert pick(aug, supplier_id="vit")["share_pct"] == pytest.approx(6.0)   # 30000 / 5000
    assert set(aug["weighting"]) == {"volume"}


def test_roll_up_without_volumes_is_the_unweighted_mean_and_says_so():
    aug = aggregate_share(sob_table()).query("month == '2026-08'")
    assert pick(aug, supplier_id="ksg")["share_pct"] == pytest.approx(220 / 3)  # (70+100+50)/3
    assert pick(aug, supplier_id="vit")["share_pct"] == pytest.approx(10.0)     # 30 / 3
    assert set(aug["weighting"]) == {"unweighted"}
    assert aug["volume_weight"].isna().all()


def test_one_slice_without_volume_makes_the_group_unweighted():
    volumes = volume_table()
    volumes = volumes[~((volumes["plant_id"] == "amb") & (volumes["month"] == "2026-08"))]
    out = aggregate_share(sob_table(), volumes, GLASS)
    aug = out[out["month"] == "2026-08"]
    assert set(aug["weighting"]) == {"unweighted"}
    assert set(aug["units_without_weight"]) == {1}
    assert pick(aug, supplier_id="ksg")["share_pct"] == pytest.approx(220 / 3)
    sep = out[out["month"] == "2026-09"]
    assert set(sep["weighting"]) == {"volume×pieces"}   # September still has every volume


def test_a_weighted_share_that_fell_back_says_so():
    # Issue 11: a missing volume row silently turned the weighted share into a plain mean.
    volumes = volume_table()
    volumes = volumes[~((volumes["plant_id"] == "amb") & (volumes["month"] == "2026-08"))]
    out = aggregate_share(sob_table(), volumes, GLASS)
    assert out.loc[out["month"] == "2026-08", "weight_fallback"].all()
    assert not out.loc[out["month"] == "2026-09", "weight_fallback"].any()
    assert weighting_note(out) == ("unweighted mean, not weighted by volume, in 2026-08: "
                                   "1 plant/model/part slice had no production volume row")
    # no volumes at all was never meant to be weighted: no fallback, no note
    plain = aggregate_share(sob_table())
    assert not plain["weight_fallback"].any() and weighting_note(plain) == ""
    assert weighting_note(aggregate_share(sob_table(), volume_table(), GLASS)) == ""
    # the fallback follows into share changes and moves
    change = share_change(sob_table(), volumes, GLASS, from_period="2026-08",
                          to_period="2026-09", our_company="ksg", by=["customer_id"])
    assert change["from_weight_fallback"].all() and not change["to_weight_fallback"].any()
    moves = share_moves(sob_table(), volumes, GLASS, from_period="2026-08",
                        to_period="2026-09", our_company="ksg", by=["customer_id"])
    assert len(moves) and moves["weight_fallback"].all()


def test_partial_quarters_and_years_of_share_are_marked():
    # Data for August and September only: Q2 (Jul–Sep) and FY2026-27 are partial.
    out = share_change(sob_table(), volume_table(), GLASS, from_period="2026-08",
                       to_period="FY2026-27 Q2", our_company="ksg")
    assert not out["from_partial"].any() and out["to_partial"].all()
    moves = share_moves(sob_table(), volume_table(), GLASS, from_period="2026-08",
                        to_period="FY2026-27", our_company="ksg")
    assert len(moves) and moves["partial"].all()


def test_share_row_without_plant_weighs_by_all_plants_volume():
    sob = pd.DataFrame([
        ("2026-08", "nav", None, "vela", "sidelite", "ksg", 100),
        ("2026-08", "nav", "kes", "tarani", "sidelite", "ksg", 50),
        ("2026-08", "nav", "kes", "tarani", "sidelite", "vit", 50),
    ], columns=SOB_COLUMNS)
    out = aggregate_share(sob, volume_table(), GLASS)
    # vela over both plants: (3000 + 1000) × 6 = 24000; tarani 1000 × 4 = 4000.
    assert pick(out, supplier_id="ksg")["share_pct"] == pytest.approx(2600000 / 28000)  # 92.857
    assert pick(out, supplier_id="vit")["share_pct"] == pytest.approx(200000 / 28000)   # 7.143


def test_matrix_shows_mid_year_supplier_as_zero_and_missing_month_as_gap():
    sob = pd.DataFrame([
        ("2026-09", "nav", "kes", "tarani", "sidelite", "kestrel", 80),   # out of order
        ("2026-09", "nav", "kes", "tarani", "sidelite", "clarity", 20),   # appears mid-year
        ("2026-07", "nav", "kes", "tarani", "sidelite", "kestrel", 100),
    ], columns=SOB_COLUMNS)
    wide = share_matrix(sob, our_company="kestrel")
    assert list(wide.columns) == ["2026-07", "2026-08", "2026-09"]
    suppliers = wide.index.get_level_values("supplier_id").tolist()
    assert suppliers == ["kestrel", "clarity"]          # ours first
    assert wide.iloc[0].tolist()[0] == 100 and wide.iloc[0].tolist()[2] == 80
    assert wide.iloc[1].tolist()[0] == 0 and wide.iloc[1].tolist()[2] == 20
    assert wide.iloc[:, 1].isna().all()                 # August: no data at all


def test_share_change_between_months_in_points():
    out = share_change(sob_table(), volume_table(), GLASS, from_period="2026-08",
                       to_period="2026-09", our_company="ksg")
    ksg = pick(out, supplier_id="ksg")
    # September: (4000×40 + 18000×100 + 6000×50) / 28000 = 2260000 / 28000 = 80.714
    assert ksg["from_pct"] == pytest.approx(85.0)
    assert ksg["to_pct"] == pytest.approx(2260000 / 28000)
    assert ksg["change_pts"] == pytest.approx(2260000 / 28000 - 85.0)   # −4.286
    assert pick(out, supplier_id="vit")["change_pts"] == pytest.approx(120000 / 28000)
    assert pick(out, supplier_id="sun")["change_pts"] == pytest.approx(0.0)


def test_share_change_over_a_quarter_weights_months_by_volume():
    # September volumes doubled: month weights 28000 (Aug) and 56000 (Sep).
    out = share_change(sob_table(), volume_table(2.0), GLASS, from_period="2026-08",
                       to_period="FY2026-27 Q2", our_company="ksg")
    ksg = pick(out, supplier_id="ksg")
    # (85 × 28000 + 80.714 × 56000) / 84000 = (85 + 2 × 80.714) / 3 = 82.143
    assert ksg["to_pct"] == pytest.approx((85.0 + 2 * 2260000 / 28000) / 3)
    assert ksg["to_weighting"] == "volume×pieces"


def test_share_change_period_without_data_is_nan():
    out = share_change(sob_table(), from_period="2026-07", to_period="2026-09",
                       our_company="ksg")
    assert out["from_pct"].isna().all()
    assert out["change_pts"].isna().all()


def test_share_moves_by_model_and_part_family_in_points_and_pieces():
    out = share_moves(sob_table(), volume_table(), GLASS, from_period="2026-08",
                      to_period="2026-09", our_company="ksg")
    # Only Tarani moved; Vela stays at ksg 87.5 / sun 12.5 across both plants.
    assert out["model"].tolist() == ["tarani", "tarani"]
    won, lost = out.iloc[0], out.iloc[1]
    assert (won["supplier_id"], won["outcome"], won["is_ours"]) == ("vit", "won", False)
    assert (won["from_pct"], won["to_pct"], won["change_pts"]) == (30, 60, 30)
    assert won["pieces_per_month"] == pytest.approx(1200.0)   # 30 % of 1000 × 4 pieces
    assert (lost["supplier_id"], lost["outcome"]) == ("ksg", "lost")
    assert lost["pieces_per_month"] == pytest.approx(-1200.0)


def test_share_moves_without_volumes_have_no_pieces():
    out = share_moves(sob_table(), from_period="2026-08", to_period="2026-09",
                      our_company="ksg")
    assert len(out) == 2
    assert out["pieces_per_month"].isna().all()


def test_share_moves_threshold_filters_small_changes():
    out = share_moves(sob_table(), from_period="2026-08", to_period="2026-09",
                      our_company="ksg", min_change_pts=30)
    assert out.empty   # the only moves are exactly 30 points


def test_duplicate_share_rows_are_rejected():
    sob = pd.concat([sob_table(), sob_table().iloc[[0]]])
    with pytest.raises(AnalysisInputError, match="repeat"):
        aggregate_share(sob)


def test_share_outside_0_100_is_rejected():
    sob = sob_table()
    sob.loc[0, "share_pct"] = 120
    with pytest.raises(AnalysisInputError, match="share_pct"):
        aggregate_share(sob)


def test_cannot_group_by_unknown_column():
    with pytest.raises(AnalysisInputError, match="group"):
        aggregate_share(sob_table(), by=["supplier_id"])


def test_empty_share_table():
    assert aggregate_share(pd.DataFrame()).empty
    assert share_matrix(pd.DataFrame(columns=SOB_COLUMNS)).empty
    moves = share_moves(pd.DataFrame(), from_period="2026-08", to_period="2026-09",
                        our_company="ksg")
    assert moves.empty


def test_detail_matrix_has_one_row_per_plant_model_part_supplier():
    wide = share_matrix(sob_table())
    assert len(wide) == 5
    value = wide.loc[("nav", "amb", "vela", "sidelite", "sun"), "2026-09"]
    assert value == 50
    assert not math.isnan(wide.loc[("nav", "kes", "tarani", "sidelite", "vit"), "2026-08"])
