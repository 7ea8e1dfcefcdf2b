"""Evidence weights and the competitor scorecard from signals."""

import math

import pandas as pd
import pytest

from compintel.analysis import (
    AnalysisInputError,
    evidence_weight,
    latest_figures,
    pricing_moves,
    scorecard,
    signal_counts,
    technology_capacity_events,
    visit_frequency,
)

NAN = float("nan")
AS_OF = "2026-10-31"
COLUMNS = ["document_id", "type", "company_id", "customer_id", "plant_id", "technology_id",
           "value", "unit", "observed_at", "grade", "text"]


def signals(rows) -> pd.DataFrame:
    full = [(i + 1, t, c, cust, None, tech, v, u, d, g, f"evidence {i + 1}")
            for i, (t, c, cust, tech, v, u, d, g) in enumerate(rows)]
    return pd.DataFrame(full, columns=COLUMNS)


def test_evidence_weight_grades_and_half_life():
    df = signals([
        ("pricing", "vit", "nav", None, NAN, None, "2026-10-31", "observed"),   # age 0
        ("pricing", "vit", "nav", None, NAN, None, "2026-05-04", "reported"),   # age 180 days
        ("pricing", "vit", "nav", None, NAN, None, "2025-11-05", "rumoured"),   # age 360 days
        ("pricing", "vit", "nav", None, NAN, None, "2026-10-31", None),         # no grade
        ("pricing", "vit", "nav", None, NAN, None, None, "observed"),           # no date
        ("pricing", "vit", "nav", None, NAN, None, "2026-11-15", "observed"),   # after as_of
    ])
    df.index = [10, 11, 12, 13, 14, 15]
    w = evidence_weight(df, as_of=AS_OF)
    assert w.index.tolist() == [10, 11, 12, 13, 14, 15]
    assert w[10] == pytest.approx(1.0)
    assert w[11] == pytest.approx(0.3)      # 0.6 × 0.5^(180/180)
    assert w[12] == pytest.approx(0.075)    # 0.3 × 0.5^(360/180) = 0.3 × 0.25
    assert w[13] == pytest.approx(0.6)      # ungraded counts as reported
    assert math.isnan(w[14])
    assert w[15] == 0


def test_evidence_weight_half_life_and_grade_weights_are_parameters():
    df = signals([("pricing", "vit", "nav", None, NAN, None, "2026-05-04", "reported")])
    assert evidence_weight(df, as_of=AS_OF, half_life_days=90).iloc[0] == pytest.approx(0.15)
    # 0.6 × 0.5^(180/90) = 0.6 × 0.25
    custom = evidence_weight(df, as_of=AS_OF, grade_weights={"reported": 0.5})
    assert custom.iloc[0] == pytest.approx(0.25)   # 0.5 × 0.5
    with pytest.raises(AnalysisInputError, match="half"):
        evidence_weight(df, as_of=AS_OF, half_life_days=0)


def test_unknown_grade_and_bad_date_are_user_errors():
    with pytest.raises(AnalysisInputError, match="grade"):
        evidence_weight(signals([("pricing", "vit", "nav", None, NAN, None, "2026-05-04",
                                  "confirmed")]), as_of=AS_OF)
    with pytest.raises(AnalysisInputError, match="observed_at"):
        evidence_weight(signals([("pricing", "vit", "nav", None, NAN, None, "May 2026",
                                  "observed")]), as_of=AS_OF)


def account_signals() -> pd.DataFrame:
    return signals([
        ("quality_ppm", "vit", "nav", None, 150, "ppm", "2026-02-10", "observed"),
        ("quality_ppm", "vit", "nav", None, 380, "ppm", "2026-08-20", "reported"),
        ("quality_ppm", "vit", "nav", None, 400, "ppm", "2026-11-02", "observed"),  # future
        ("quality_ppm", "ksg", "nav", None, 60, "ppm", "2026-08-01", "rumoured"),
        ("quality_ppm", "ksg", "nav", None, 80, "ppm", "2026-08-01", "observed"),
        ("delivery_performance", "cgw", "dhr", None, 86, "%", "2026-07-15", "observed"),
        ("delivery_performance", "vit", "nav", None, 40, "minutes", "2026-02-12", "observed"),
        ("delivery_performance", "ksg", "nav", None, 97, "%", "2026-09-30", "observed"),
        ("pricing", "vit", "nav", None, -6, "%", "2026-09-01", "observed"),
        ("pricing", "vit", "nav", None, -3, "%", "2026-05-01", "rumoured"),     # 183 days
        ("technology_launch", "vit", "nav", "acoustic", NAN, None, "2026-10-01", "observed"),
        ("customer_engagement", "vit", "nav", None, NAN, None, "2026-08-05", "observed"),
        ("customer_engagement", "vit", "nav", None, NAN, None, "2026-08-20", "observed"),
        ("customer_engagement", "vit", "nav", None, NAN, None, "2026-10-10", "observed"),
        ("customer_engagement", "ksg", "nav", None, NAN, None, "2026-09-15", "observed"),
        ("customer_engagement", "cgw", "dhr", None, NAN, None, "2026-09-15", "observed"),
        ("capacity", "sun", None, None, 1.2, "units", "2026-06-01", "reported"),   # no customer
        ("quality_ppm", None, "nav", None, 999, "ppm", "2026-10-01", "observed"),  # no company
    ])


def test_latest_figures_pick_the_newest_dated_value_ours_first():
    out = latest_figures(account_signals(), our_company="ksg", as_of=AS_OF, customer_id="nav")
    assert out["company_id"].tolist() == ["ksg", "ksg", "vit"]
    assert out["type"].tolist()[:2] == ["delivery_performance", "quality_ppm"]
    ksg_ppm = out.iloc[1]
    assert ksg_ppm["value"] == 80           # same day as 60, but observed beats rumoured
    assert ksg_ppm["figures"] == 2
    assert ksg_ppm["is_ours"]
    vit = out[out["company_id"] == "vit"].set_index("unit")
    assert vit.loc["ppm", "value"] == 380   # 400 is dated after the report date
    assert vit.loc["ppm", "figures"] == 1  # the February 150 is older than 180 days
    assert "minutes" not in vit.index       # 261 days old: outside the 180-day window
    assert "cgw" not in set(out["company_id"])   # another customer's figure
    wider = latest_figures(account_signals(), our_company="ksg", as_of=AS_OF, customer_id="nav",
                           window_days=365)
    assert wider.set_index(["company_id", "unit"]).loc[("vit", "minutes"), "value"] == 40


def test_a_rumour_never_overrides_an_observed_figure_of_the_same_month():
    rows = signals([
        ("quality_ppm", "vit", "nav", None, 100, "ppm", "2026-09-05", "observed"),
        ("quality_ppm", "vit", "nav", None, 900, "ppm", "2026-09-06", "rumoured"),
        ("delivery_performance", "vit", "nav", None, 91, "%", "2026-08-10", "observed"),
        ("delivery_performance", "vit", "nav", None, 70, "%", "2026-09-02", "rumoured"),
    ])
    out = latest_figures(rows, our_company="ksg", as_of=AS_OF, customer_id="nav").set_index("type")
    assert out.loc["quality_ppm", "value"] == 100 and out.loc["quality_ppm", "grade"] == "observed"
    # nor does a newer month's rumour: it is the latest word only where nothing firmer is known
    assert out.loc["delivery_performance", "value"] == 91
    only_rumours = latest_figures(rows[rows["grade"] == "rumoured"], our_company="ksg", as_of=AS_OF,
                                  customer_id="nav").set_index("type")
    assert only_rumours.loc["delivery_performance", "value"] == 70
    assert only_rumours.loc["delivery_performance", "grade"] == "rumoured"


def test_scorecard_prints_grade_and_age_beside_each_latest_figure():
    card = scorecard(account_signals(), customer_id="nav", our_company="ksg", as_of=AS_OF)
    ksg = card.iloc[0]
    assert (ksg["latest_ppm_grade"], ksg["latest_ppm_age_days"]) == ("observed", 91)
    assert (ksg["latest_otif_grade"], ksg["latest_otif_age_days"]) == ("observed", 31)
    assert card.iloc[1]["latest_ppm_grade"] == "reported"


def test_one_document_and_one_event_count_once_as_evidence():
    rows = signals([
        # one note with two PPM signals for Vitreon (two lines): one piece of evidence
        ("quality_ppm", "vit", "nav", None, 380, "ppm", "2026-10-01", "observed"),
        ("quality_ppm", "vit", "nav", None, 150, "ppm", "2026-10-01", "observed"),
        # the same win in a news story and, three days later, a field note: one event
        ("supply_win", "vit", "nav", None, NAN, None, "2026-10-10", "reported"),
        ("supply_win", "vit", "nav", None, NAN, None, "2026-10-13", "observed"),
        # … but a win a month later is another event
        ("supply_win", "vit", "nav", None, NAN, None, "2026-11-20", "observed"),
    ])
    rows.loc[1, "document_id"] = rows.loc[0, "document_id"]
    card = scorecard(rows, customer_id="nav", our_company="ksg", as_of="2026-11-30")
    vit = card.set_index("company_id").loc["vit"]
    assert vit["signals"] == 3
    # heaviest of each: PPM observed 60 days (0.7937), win observed 48 days (0.8312), win observed 10 days (0.9622)
    assert vit["evidence_weight"] == pytest.approx(0.5 ** (60 / 180) + 0.5 ** (48 / 180) + 0.5 ** (10 / 180),
                                                   abs=1e-4)


def test_scorecard_separates_threat_from_trouble():
    rows = signals([
        ("supply_win", "vit", "nav", None, NAN, None, "2026-10-31", "observed"),      # threat 1.0
        ("pricing", "vit", "nav", None, -6, "%", "2026-10-31", "observed"),           # threat 1.0
        ("pricing", "vit", "nav", None, 4, "%", "2026-10-31", "observed"),            # neither
        ("quality_ppm", "vit", "nav", None, 380, "ppm", "2026-10-31", "observed"),    # trouble 1.0
        ("supply_loss", "vit", "nav", None, NAN, None, "2026-10-31", "reported"),     # trouble 0.6
    ])
    vit = scorecard(rows, customer_id="nav", our_company="ksg", as_of=AS_OF).set_index("company_id").loc["vit"]
    assert vit["threat_weight"] == pytest.approx(2.0)
    assert vit["trouble_weight"] == pytest.approx(1.6)
    assert vit["evidence_weight"] == pytest.approx(4.6)


def test_scorecard_per_company():
    card = scorecard(account_signals(), customer_id="nav", our_company="ksg", as_of=AS_OF)
    assert card["company_id"].tolist() == ["ksg", "vit"]
    ksg, vit = card.iloc[0], card.iloc[1]
    assert ksg["latest_ppm"] == 80 and ksg["latest_otif_pct"] == 97
    assert ksg["latest_otif_on"] == pd.Timestamp("2026-09-30")
    assert ksg["visits"] == 1                      # 2026-09-15 is 46 days back
    assert ksg["signals"] == 4
    # ksg weights: ppm 60 rumoured, age 91: 0.3 × 0.5^(91/180) = 0.3 × 0.70439 = 0.21132
    #              ppm 80 observed, age 91: 1.0 × 0.5^(91/180) = 0.70439
    #              OTIF observed, age 31:   1.0 × 0.5^(31/180) = 0.88747
    #              visit observed, age 46:  1.0 × 0.5^(46/180) = 0.83766
    assert ksg["evidence_weight"] == pytest.approx(2.64084, abs=1e-4)
    assert vit["latest_ppm"] == 380
    assert math.isnan(vit["latest_otif_pct"])      # Vitreon's only delivery figure is minutes
    assert vit["pricing_signals"] == 1             # the May quote is older than 90 days
    assert vit["technology_events"] == 1
    assert vit["visits"] == 3                      # 87, 72 and 21 days back: all within 90
    assert vit["capacity_events"] == 0


def test_scorecard_for_a_customer_without_signals_lists_us_only():
    card = scorecard(account_signals(), customer_id="mer", our_company="ksg", as_of=AS_OF)
    assert card["company_id"].tolist() == ["ksg"]
    assert card["signals"].iloc[0] == 0
    assert scorecard(pd.DataFrame(), customer_id="mer", our_company="ksg",
                     as_of=AS_OF)["company_id"].tolist() == ["ksg"]


def test_visit_frequency_per_month_and_company():
    out = visit_frequency(account_signals(), our_company="ksg", as_of=AS_OF, customer_id="nav")
    assert out["company_id"].tolist() == ["ksg"] * 3 + ["vit"] * 3
    assert out["month"].tolist() == ["2026-08", "2026-09", "2026-10"] * 2
    assert out["visits"].tolist() == [0, 1, 0, 2, 0, 1]
    empty = visit_frequency(pd.DataFrame(), our_company="ksg", as_of=AS_OF)
    assert empty.empty


def test_signal_counts_by_quarter():
    out = signal_counts(account_signals(), as_of=AS_OF, customer_id="nav", freq="quarter")
    vit_ppm = out[(out["company_id"] == "vit") & (out["type"] == "quality_ppm")]
    assert vit_ppm["period"].tolist() == ["FY2025-26 Q4", "FY2026-27 Q2"]
    assert vit_ppm["signals"].tolist() == [1, 1]     # the November figure is after as_of
    engagement = out[(out["company_id"] == "vit") & (out["type"] == "customer_engagement")]
    assert engagement["signals"].tolist() == [2, 1]  # Aug (Q2) twice, Oct (Q3) once


def test_pricing_moves_newest_first():
    out = pricing_moves(account_signals(), our_company="ksg", as_of=AS_OF, customer_id="nav")
    assert out["value"].tolist() == [-6, -3]
    assert out["weight"].iloc[0] > out["weight"].iloc[1]


def test_technology_and_capacity_events_include_general_news():
    out = technology_capacity_events(account_signals(), our_company="ksg", as_of=AS_OF,
                                     customer_id="nav")
    assert out["company_id"].tolist() == ["vit", "sun"]
    assert out["technology_id"].iloc[0] == "acoustic"
    only_nav = technology_capacity_events(account_signals(), our_company="ksg", as_of=AS_OF,
                                          customer_id="nav", include_general=False)
    assert only_nav["company_id"].tolist() == ["vit"]


def ratings_table(rows) -> pd.DataFrame:
    return pd.DataFrame([("nav", plant, month, supplier, score, band) for plant, month, supplier, score, band in rows],
                        columns=["customer_id", "plant_id", "month", "supplier_id", "score", "band"])


def test_the_customers_rating_table_is_the_latest_rating_for_its_month():
    rows = signals([
        # a note of 20 October restating our September rating; the table has October's
        ("vendor_rating", "ksg", "nav", None, 86, "%", "2026-10-20", "observed"),
        # a story of November reporting Vitreon's score: a later month than the table's
        ("vendor_rating", "vit", "nav", None, 74, "%", "2026-11-05", "reported"),
    ])
    table = ratings_table([(None, "2026-09", "ksg", 86, "Green"), (None, "2026-10", "ksg", 87, "Green"),
                           (None, "2026-10", "vit", None, "Yellow"), (None, "2026-10", "sun", None, "Red")])
    card = scorecard(rows, customer_id="nav", our_company="ksg", as_of="2026-11-10",
                     ratings=table).set_index("company_id")
    ksg, vit, sun = card.loc["ksg"], card.loc["vit"], card.loc["sun"]
    assert (ksg["latest_rating_pct"], ksg["latest_rating_band"], ksg["latest_rating_source"]) == (87, "green", "rating table")
    assert ksg["latest_rating_on"] == pd.Timestamp("2026-10-31") and ksg["latest_rating_grade"] == "observed"
    assert (vit["latest_rating_pct"], vit["latest_rating_source"]) == (74, "text")     # a newer month
    # a supplier rated by the table alone is listed, with its band
    assert math.isnan(sun["latest_rating_pct"]) and sun["latest_rating_band"] == "red"
    # without the table, the note's figure stands
    plain = scorecard(rows, customer_id="nav", our_company="ksg", as_of="2026-11-10").set_index("company_id")
    assert plain.loc["ksg", "latest_rating_pct"] == 86 and plain.loc["ksg", "latest_rating_source"] == "text"


def test_the_scorecards_recent_counts_count_distinct_evidence_and_no_rumoured_visit():
    rows = signals([
        ("customer_engagement", "vit", "nav", None, NAN, None, "2026-10-10", "reported"),   # a story …
        ("customer_engagement", "vit", "nav", None, NAN, None, "2026-10-12", "observed"),   # … and a note: one visit
        ("customer_engagement", "vit", "nav", None, NAN, None, "2026-09-01", "rumoured"),   # heard: no visit
        ("pricing", "vit", "nav", None, -4, "%", "2026-10-02", "observed"),
        ("pricing", "vit", "nav", None, -4, "%", "2026-10-02", "observed"),                 # the same note line twice
    ])
    rows.loc[4, "document_id"] = rows.loc[3, "document_id"]
    vit = scorecard(rows, customer_id="nav", our_company="ksg", as_of=AS_OF).set_index("company_id").loc["vit"]
    assert vit["visits"] == 1
    assert vit["pricing_signals"] == 1


def test_our_visits_are_the_days_of_our_notes_per_plant_when_given():
    notes = pd.DataFrame({"note_date": ["2026-08-05", "2026-08-05", "2026-08-05", "2026-10-20", "2026-07-01",
                                        "2026-11-02"],
                          "plant_id": ["nav/amb", "nav/amb", "nav/kes", "nav/kes", "nav/kes", "nav/kes"]})
    card = scorecard(account_signals(), customer_id="nav", our_company="ksg", as_of=AS_OF, our_notes=notes)
    # 5 August at two plants and 20 October; 1 July is older than 90 days, 2 November after as_of
    assert card.set_index("company_id").loc["ksg", "visits"] == 3
    assert card.set_index("company_id").loc["vit", "visits"] == 3          # competitors: their signals


def test_the_rating_tables_customer_wide_row_and_a_band_without_a_score():
    rows = signals([("vendor_rating", "ksg", "nav", None, 86, "%", "2026-10-20", "observed")])
    # October: a band without a score for us — the note's score stays, with the table's band
    table = ratings_table([(None, "2026-10", "ksg", None, "Green"),
                           # Vitreon: a customer-wide row beside a plant's: the customer-wide one
                           (None, "2026-10", "vit", 50, "Red"), ("nav/kes", "2026-10", "vit", 90, "Green"),
                           # Sunmarg: one plant gives a band only, another a score: the score's row
                           ("nav/kes", "2026-10", "sun", None, "Green"), ("nav/amb", "2026-10", "sun", 70, None)])
    card = scorecard(rows, customer_id="nav", our_company="ksg", as_of=AS_OF, ratings=table).set_index("company_id")
    assert (card.loc["ksg", "latest_rating_pct"], card.loc["ksg", "latest_rating_band"],
            card.loc["ksg", "latest_rating_source"]) == (86, "green", "text")
    assert (card.loc["vit", "latest_rating_pct"], card.loc["vit", "latest_rating_band"]) == (50, "red")
    assert card.loc["sun", "latest_rating_pct"] == 70 and pd.isna(card.loc["sun", "latest_rating_band"])
