"""The tagging pipeline, component by component (fictional demo world and sourced facts only)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import REPO

from compintel import Workbench
from compintel.catalog import load_catalog
from compintel.cli import main
from compintel.documents import DocumentIn, upsert_document
from compintel.nlp import Tagger, load_lexicon, pipeline_version
from compintel.nlp.figures import read_figures

NOTE = {"customer": "navika-motors", "plant": "navika-motors/kesarpur", "grade": "observed",
        "date": "2026-08-20"}


@pytest.fixture(scope="module")
def tagger(catalog) -> Tagger:
    return Tagger(catalog, recall=False)     # the rules (the recall layer: test_recall.py)


@pytest.fixture(scope="module")
def pack_tagger() -> Tagger:
    """The built-in domain pack alone (AIS is our company)."""
    return Tagger(load_catalog(), recall=False)


def entities(tagger: Tagger, text: str, context: dict | None = None) -> list[tuple[str, str, str | None]]:
    return [(m.text, m.label, m.entity_id) for m in tagger.tag(text, context).mentions]


def signals(tagger: Tagger, text: str, context: dict | None = None) -> list[tuple]:
    return sorted((s.type, s.company_id, s.customer_id, s.value, s.unit)
                  for s in tagger.tag(text, context).signals)


# -- catalog entities: case rules ------------------------------------------------------------

def test_abbreviations_match_case_sensitively_and_names_do_not(pack_tagger) -> None:
    assert entities(pack_tagger, "AIS makes laminated windshields at Bawal.") == [
        ("AIS", "OWN_COMPANY", "asahi-india-glass"),
        ("laminated windshields", "TECHNOLOGY", "laminated_windshield"),
        ("Bawal", "PLANT", "asahi-india-glass/bawal")]
    assert entities(pack_tagger, "the ais of the matter") == []
    assert ("asahi india glass", "OWN_COMPANY", "asahi-india-glass") in \
        entities(pack_tagger, "asahi india glass is listed on the NSE")
    assert entities(pack_tagger, "SGSIL and MSIL, TKM and M&M")[::2] == [
        ("SGSIL", "COMPETITOR", "saint-gobain-sekurit"), ("TKM", "CUSTOMER", "toyota-kirloskar")]
    assert entities(pack_tagger, "sgsil msil tkm m&m") == []


def test_common_words_that_are_names_only_match_capitalised(tagger) -> None:
    assert entities(tagger, "Clarity sent a trial lot.")[0] == ("Clarity", "COMPETITOR",
                                                               "clarity-glassworks")
    assert entities(tagger, "The optical clarity was good; 5 mg of dust.") == []
    assert ("MG", "CUSTOMER", "jsw-mg") in entities(tagger, "MG builds at Halol.")


def test_longest_name_wins(tagger) -> None:
    assert entities(tagger, "Vitreon Auto Glass Ltd showed an acoustic windshield.") == [
        ("Vitreon Auto Glass Ltd", "COMPETITOR", "vitreon"),
        ("acoustic windshield", "TECHNOLOGY", "acoustic_glass")]


def test_a_company_name_takes_the_legal_form_written_after_it(tagger) -> None:
    assert entities(tagger, "Sunmarg Glass Pvt. Ltd. met the buyer; Navika Motors Limited agreed.") == [
        ("Sunmarg Glass Pvt. Ltd.", "COMPETITOR", "sunmarg"),
        ("Navika Motors Limited", "CUSTOMER", "navika-motors")]
    # a plant or a technology does not: "Kesarpur Ltd" would be another company
    assert ("Kesarpur", "PLANT", "navika-motors/kesarpur") in entities(tagger, "Kesarpur Ltd was hiring.")


def test_our_company_follows_the_workspace(tagger, pack_tagger) -> None:
    assert entities(tagger, "AIS and Kestrel")[0][1] == "COMPETITOR"
    assert entities(tagger, "AIS and Kestrel")[1] == ("Kestrel", "OWN_COMPANY", "kestrel-glass")
    assert entities(pack_tagger, "AIS")[0][1] == "OWN_COMPANY"


# -- plants point at their owner -------------------------------------------------------------

def test_a_customer_plant_gives_the_signal_its_customer(tagger, pack_tagger) -> None:
    # real plants, in sourced facts only: the plant points at its OEM
    assert ("Manesar", "PLANT", "maruti-suzuki/manesar") in entities(
        pack_tagger, "Maruti Suzuki builds cars at Gurugram and Manesar.")
    found = signals(pack_tagger, "The Tapukara plant can make 1.8 lakh cars a year.")
    assert found == [("capacity", "honda-cars", "honda-cars", 180000.0, "units")]
    # invented events only at the fictional demo customers' plants
    assert signals(tagger, "Line rejections at Kesarpur rose to 300 ppm in May.") == [
        ("quality_ppm", None, "navika-motors", 300.0, "ppm")]
    assert signals(tagger, "Short supply of backlites stopped the line at Mirajganj for 3 hours.") == [
        ("delivery_performance", None, "dhruva-auto", 3.0, "hours")]


def test_a_shared_plant_name_is_resolved_by_the_company_named_beside_it(pack_tagger) -> None:
    assert ("Chakan", "PLANT", "saint-gobain-sekurit/chakan") in entities(
        pack_tagger, "SGSIL makes its laminated windshields at Chakan.")
    assert ("Chakan", "PLANT", "mahindra/chakan") in entities(pack_tagger, "Visited Chakan today.")
    assert ("Halol", "PLANT", "sisecam/halol") in entities(pack_tagger, "Şişecam runs a float line at Halol.")
    assert ("Halol", "PLANT", "jsw-mg/halol") in entities(pack_tagger, "Halol output rose.")


# -- figures ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "value", "unit"), [
    ("PPM was 380 ppm", 380, "ppm"),
    ("at 380PPM", 380, "ppm"),
    ("OTIF 91% in July", 91, "%"),
    ("a cut of 6 per cent", 6, "%"),
    ("quoted Rs 410 a piece", 410, "INR"),
    ("quoted Rs. 410", 410, "INR"),
    ("capex of ₹2,000 cr", 2e10, "INR"),
    ("INR 3.5 crore", 3.5e7, "INR"),
    ("a debit of Rs 12 lakh", 1.2e6, "INR"),
    ("freight of Rs 6.5 lac", 6.5e5, "INR"),
    ("revenue of 4,162 crore", 4.162e10, "INR"),
    ("₹12,45,000 debit note", 1245000, "INR"),
    ("5,00,000 units", 500000, "units"),
    ("1,200,000 sets", 1200000, "units"),
    ("2.3 million laminated windshields", 2300000, "units"),
    ("3,000 tempered sets a day", 3000, "units"),
    ("550 tpd", 550, "tpd"),
    ("650 tonnes per day", 650, "tpd"),
    ("a 600 tonnes-per-day float glass furnace", 600, "tpd"),     # hyphened
    ("putting EUR 137 million (INR 8.5 billion) into expansion", 8.5e9, "INR"),   # one sum, in rupees
    ("28 Vela BL rejected", 28, "units"),                        # a note's part shorthand
    ("capacity 1,20,000 WS per annum", 120000, "units"),
    ("late by 6 days", 6, "days"),
    ("for two days", 2, "days"),
    ("2 weeks", 14, "days"),
    ("stopped 40 min", 40, "minutes"),
    ("down 3 hrs", 3, "hours"),
    ("stood 4 h", 4, "hours"),
    ("asked suppliers to lower prices by four per cent", 4, "%"),   # a percentage in words
    ("up three percent", 3, "%"),
    ("line down 2 h 05 min", 125, "minutes"),                 # hours and minutes: one duration
    ("Prayan line stop 1 hr 20 min on 3rd Nov", 80, "minutes"),
    ("stopped for 2 hours and 15 minutes", 135, "minutes"),
    ("opened a Rs 231-crore factory", 2.31e9, "INR"),        # a hyphened scale
    ("invested more than INR7500 crores", 7.5e10, "INR"),    # a currency glued to its number
    ("will invest about Rs.1,000 crore", 1e10, "INR"),
    ("Kestrel is calling back 184 minivans", 184, "units"),
    # a number recalled counts what is recalled, whatever names follow it
    ("Navika has recalled 62,811 Vela and Vela Hybrid cars", 62811, "units"),
    ("Vitreon had 7 rejections on Vela door glass", 7, "units"),
    ("an order for 100 e-buses", 100, "units"),
    ("sealant squeeze-out on the pano roof: 2 rejected at Ambeli", 2, "units"),
])
def test_figure_formats(text: str, value: float, unit: str) -> None:
    found = [f for f in read_figures(text) if f.unit is not None]
    assert len(found) == 1, found
    assert found[0].value == pytest.approx(value)
    assert found[0].unit == unit


@pytest.mark.parametrize("prefix", ["", "İzmir note: "])   # "İ" lower-cases to two characters
def test_figures_read_the_same_in_any_case_and_keep_their_offsets(prefix: str) -> None:
    text = prefix + "VAGL PPM 380 PPM, RS. 4 LAKH p.a., 3 Lakh Units A Year, 7 Crore Windshields"
    found = [(text[f.start:f.end], f.value, f.unit, f.per) for f in read_figures(text)]
    assert found == [("380 PPM", 380, "ppm", None), ("RS. 4 LAKH", 400000, "INR", "year"),
                     ("3 Lakh Units", 300000, "units", "year"), ("7 Crore Windshields", 7e7, "units", None)]


@pytest.mark.parametrize("text, expected", [
    ("Rſ 5 lakh quote", ("Rſ 5 lakh", 500000, "INR")),         # "ſ" lower-cases to itself
    ("5 crore wındshields", ("5 crore wındshields", 5e7, "units")),
])
def test_figures_read_letters_that_case_folding_takes_for_ascii(text: str, expected: tuple) -> None:
    assert [(text[f.start:f.end], f.value, f.unit) for f in read_figures(text)] == [expected]


@pytest.mark.parametrize("text, expected", [
    ("bubbles in the PVB on six parts", [("six parts", 6, "units")]),
    ("two more chipped parts were found", [("two more chipped parts", 2, "units")]),
    ("one glass maker said", []),                  # "one" is no count
    ("six of the parts", []),
])
def test_counts_written_in_words(text: str, expected: list) -> None:
    assert [(f.text, f.value, f.unit) for f in read_figures(text)] == expected


def test_rates_are_kept_with_counts() -> None:
    (figure,) = read_figures("2.5 lakh units a year")
    assert (figure.value, figure.unit, figure.per) == (250000, "units", "year")


@pytest.mark.parametrize("text", ["in 2025", "on 25 Feb", "Feb 12 review", "8D pending", "Q3FY26 results",
                                  "380 on Vela backlites", "an RFQ for its 2027 electric SUV",
                                  "named a 2021 General Motors Supplier of the Year"])
def test_dates_codes_and_stray_numbers_are_not_unit_figures(text: str) -> None:
    assert [f for f in read_figures(text) if f.unit is not None] == []


def test_a_bare_number_after_ppm_is_read_as_ppm(tagger) -> None:
    assert signals(tagger, "VAGL PPM at Kesarpur up to 380 this month.") == [
        ("quality_ppm", "vitreon", "navika-motors", 380.0, "ppm")]


@pytest.mark.parametrize("text, expected", [
    # a bare number after OTIF, a month name before a number no day can be
    ("CGW OTIF Aug 88 at Mirajganj, still below target.",
     [("delivery_performance", "clarity-glassworks", "dhruva-auto", 88.0, "%")]),
    # the range is read from the text even where "→" leaves it one token
    ("CGW OTIF 92→86% in Jul at Mirajganj.",
     [("delivery_performance", "clarity-glassworks", "dhruva-auto", 86.0, "%")]),
    # a rating score after the company
    ("Sep scorecard at Kesarpur: VAGL 61, red band.",
     [("vendor_rating", "vitreon", "navika-motors", 61.0, "%")]),
    # a price after "@"
    ("word is SSGL is L1 on the Vistar backlite @ 3850.",
     [("pricing", "sunmarg", "dhruva-auto", 3850.0, "INR")]),
])
def test_bare_numbers_a_signal_type_claims(tagger, text: str, expected: list) -> None:
    assert signals(tagger, text) == expected


def test_a_month_before_a_day_number_is_still_a_date() -> None:
    assert [f.unit for f in read_figures("OTIF review on Aug 12")] == []


@pytest.mark.parametrize("text, expected", [
    ("Navika has taken the Vela windshield off Vitreon and handed it to Kestrel.",
     [("supply_loss", "vitreon", "navika-motors", None, None),
      ("supply_win", "kestrel-glass", "navika-motors", None, None)]),
    ("VAGL de-sourced from Sanchar SL; volume moving to us and SSGL.",
     [("supply_loss", "vitreon", "meridian-mobility", None, None),
      ("supply_win", "kestrel-glass", "meridian-mobility", None, None),
      ("supply_win", "sunmarg", "meridian-mobility", None, None)]),
])
def test_business_moving_between_companies(tagger, text: str, expected: list) -> None:
    assert signals(tagger, text) == expected


@pytest.mark.parametrize("text, expected", [
    ("our Kavya BL for the FL gone to SSGL (SOP Mar).",
     [("supply_loss", "kestrel-glass", "meridian-mobility", None, None),
      ("supply_win", "sunmarg", "meridian-mobility", None, None)]),
    ("buzz: SSGL at ₹6,100/set on the Vistar backlite.",
     [("pricing", "sunmarg", "dhruva-auto", 6100.0, "INR")]),
    ("Navika wants 1.5% off on Koru glass from April.",
     [("pricing", None, "navika-motors", -1.5, "%")]),
])
def test_note_shorthand_for_losses_and_prices(tagger, text: str, expected: list) -> None:
    assert signals(tagger, text) == expected


@pytest.mark.parametrize("text", [
    "Kestrel shares closed 2.3% higher on Monday in a firm market.",
    "A credit rating agency reaffirmed Sunmarg's bank facilities at A-minus.",
])
def test_stock_moves_and_credit_ratings_are_not_signals(tagger, text: str) -> None:
    assert signals(tagger, text) == []


@pytest.mark.parametrize("text, expected", [
    ("Sunmarg lost the Kavya sidelite nomination.",
     [("supply_loss", "sunmarg", "meridian-mobility", None, None)]),
    ("Customer: Meridian\nPrice discussion: none\nNext RFQ: not known", []),
    ("Delighted to share that Sunmarg has signed a technology partnership with Aravali Interlayers Pvt Ltd.",
     [("partnership", "sunmarg", None, None, None)]),
    ("Kavya got a five-star crash-test rating.", []),
    ("QE Kesarpur: glass rejection rate across all suppliers was normal this week.", []),
    ("Vitreon Auto Glass has started supplying backlites for the Navika Vela.",
     [("supply_win", "vitreon", "navika-motors", None, None)]),
    ("Vitreon's chairman said he would share the stage with Meridian Mobility's founder.", []),
    ("Vitreon has won the contract to supply acoustic windshields for the Aarohi facelift at "
     "Chandrapura, displacing Kestrel, which had held the business since launch.",
     [("supply_loss", "kestrel-glass", "meridian-mobility", None, None),
      ("supply_win", "vitreon", "meridian-mobility", None, None)]),
    ("Heard that Vitreon lost money in the last quarter.",
     [("financial_result", "vitreon", None, None, None)]),
    ("Kestrel said reports of a plant closure at Kestrel Dharuhera were untrue.", []),
    ("On 9 July the Ekam line at Mirajganj stood for 55 minutes waiting for Clarity windshields.",
     [("delivery_performance", "clarity-glassworks", "dhruva-auto", 55.0, "minutes")]),
    ("SSGL quoted 3850/pc for the Aarohi HUD windshield.",
     [("pricing", "sunmarg", "meridian-mobility", 3850.0, "INR")]),
    ("Gas prices for glass processors have gone up by 12 percent.", []),   # about no one, at no one's end
    ("Sunmarg won its appeal against a duty demand on imported PVB.", []),
    ("Meridian's SQA says Sunmarg has dropped to amber on their rating.",
     [("vendor_rating", "sunmarg", "meridian-mobility", None, None)]),
    ("Call w/ Dhruva PPC: Prayan SL split from Sep — us 50, Clarity 50.",
     [("share_of_business", "clarity-glassworks", "dhruva-auto", 50.0, "%"),
      ("share_of_business", "kestrel-glass", "dhruva-auto", 50.0, "%")]),
])
def test_words_that_look_like_cues_and_note_layouts(tagger, text: str, expected: list) -> None:
    assert signals(tagger, text) == expected


@pytest.mark.parametrize("text, expected", [
    # a neutral phrase speaks only for its own clause
    ("No movement on the Koru RFQ, but Vitreon cut prices by 4% at Navika.",
     [("pricing", "vitreon", "navika-motors", -4.0, "%")]),
    ("Vitreon is adding 2 lakh units of windshield capacity as Navika ramps up the Koru.",
     [("capacity", "vitreon", "navika-motors", 200000.0, "units")]),
    # everyday verbs move business only when business is what moves
    ("Navika handed the PPM report to Vitreon.", [("quality_ppm", "vitreon", "navika-motors", None, None)]),
    ("Our engineers are going to Vitreon Sanaswadi to benchmark.", []),
    ("Dhruva takes all its windshields from Sunmarg.", []),
    ("Our KAM heard that Dhruva gave the Ekam sunroof to Sunmarg.",
     [("supply_win", "sunmarg", "dhruva-auto", None, None)]),
    ("If Navika moves the Koru windshield to Vitreon, our Ambeli volumes drop.", []),
    # a loss cancels only the win it governs, and a list does not run into the next clause
    ("Vitreon lost the Vela but won the Koru.",
     [("supply_loss", "vitreon", "navika-motors", None, None),
      ("supply_win", "vitreon", "navika-motors", None, None)]),
    ("Navika has shifted the Koru backlite to us, and Vitreon is unhappy.",
     [("supply_win", "kestrel-glass", "navika-motors", None, None)]),
    # counts and names are no scores
    ("Navika rated Vitreon 4 out of 5.", [("vendor_rating", "vitreon", "navika-motors", None, None)]),
    ("Vitreon OTIF at Plant 2 in Kesarpur was poor.",
     [("delivery_performance", "vitreon", "navika-motors", None, None)]),
])
def test_rules_stay_inside_what_they_are_about(tagger, text: str, expected: list) -> None:
    assert signals(tagger, text) == expected


@pytest.mark.parametrize("text", ["ran at 3/set", "Seven glass makers bid for it"])
def test_small_per_set_numbers_and_counted_makers_are_no_figures(text: str) -> None:
    assert [f.unit for f in read_figures(text)] == []


def test_a_transfer_verb_far_from_the_company_moves_nothing(tagger) -> None:
    text = ("QE shift report, Sagarpet: Vistar sunroof glass, fitment trial of the new encapsulation "
            "design from Kestrel done on a pilot batch, no water leak.")
    assert [s for s in signals(tagger, text) if s[0] in ("supply_loss", "supply_win")] == []


def test_an_opening_if_clause_gives_no_signal_but_what_follows_does(tagger) -> None:
    assert signals(tagger, "If Navika went single source on the Tarani windshield, Sunmarg would gain.") == []
    assert signals(tagger, "If true, Navika has nominated Sunmarg for the Tarani windshield.") == [
        ("supply_win", "sunmarg", "navika-motors", None, None)]


# -- negation and hedging --------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "No complaints from Navika this month.",
    "Vitreon did not revise prices.",
    "Prices held at the half-yearly review.",
    "No competitor visits seen at Kesarpur.",
    "The Koru RFQ is not floated yet.",
    "Zero rejections on our Tarani windshields.",
])
def test_negated_and_neutral_statements_give_no_signal(tagger, text: str) -> None:
    assert signals(tagger, text, NOTE) == []


def test_a_negated_goal_is_itself_the_problem(tagger) -> None:
    found = signals(tagger, "Clarity could not deliver on time to Mirajganj.")
    assert found == [("delivery_performance", "clarity-glassworks", "dhruva-auto", None, None)]


def test_hedges_make_the_grade_rumoured(tagger) -> None:
    (hedged,) = tagger.tag("Vitreon has reportedly cut backlite prices by 6%.", NOTE).signals
    (plain,) = tagger.tag("Vitreon cut backlite prices by 6%.", NOTE).signals
    assert (hedged.type, hedged.grade) == ("pricing", "rumoured")
    assert plain.grade == "observed"
    assert plain.observed_at == "2026-08-20"


# -- attribution -----------------------------------------------------------------------------

def test_customer_and_competitor_come_from_context_when_the_text_is_silent(tagger) -> None:
    context = {**NOTE, "competitor": "vitreon"}
    assert signals(tagger, "their PPM up to 380 this month", context) == [
        ("quality_ppm", "vitreon", "navika-motors", 380.0, "ppm")]


def test_we_and_our_mean_our_company(tagger) -> None:
    assert signals(tagger, "Our OTIF was 99% in September.", NOTE) == [
        ("delivery_performance", "kestrel-glass", "navika-motors", 99.0, "%")]


def test_each_compared_party_gets_its_own_figure(tagger) -> None:
    assert signals(tagger, "VAGL PPM @ Kesarpur 380 this mth vs ours 72", NOTE) == [
        ("quality_ppm", "kestrel-glass", "navika-motors", 72.0, "ppm"),
        ("quality_ppm", "vitreon", "navika-motors", 380.0, "ppm")]


def test_a_company_named_between_two_figures_makes_the_second_its_own(tagger) -> None:
    text = "Navika said Kestrel's OTIF on Koru was 97% in September and Vitreon's 89%."
    assert signals(tagger, text) == [("delivery_performance", "kestrel-glass", "navika-motors", 97.0, "%"),
                                     ("delivery_performance", "vitreon", "navika-motors", 89.0, "%")]
    # (with no name between, the first is still where the second came from)
    assert [(s.value, s.previous_value) for s in tagger.tag("Vitreon PPM was 450 in May, now 380.").signals] \
        == [(380.0, 450.0)]


@pytest.mark.parametrize("text, signal_type", [
    ("Chandrapura stores: Vitreon ASN mismatch on 3 trucks this week, late by a day.", "delivery_performance"),
    ("Navika called us in for a trial of the acoustic windshield on two Vela cars next week.",
     "customer_engagement"),
    ("Ekam facelift RFQ floated 3 Oct: windshield, backlite, 4 door glass. Clarity invited.", "rfq"),
    ("Navika Motors has de-sourced Clarity Glassworks from two quarter glass parts.", "supply_loss"),
])
def test_a_handful_of_trucks_cars_or_parts_is_no_figure_of_a_delivery_visit_enquiry_or_loss(
        tagger, text, signal_type) -> None:
    found = [s for s in tagger.tag(text, NOTE).signals if s.type == signal_type]
    assert found and all(s.value is None for s in found)
    # (a volume is: "an RFQ for 36,000 sets a year")
    assert [s.value for s in tagger.tag("Received the Vela RFQ from Navika for 36,000 sets.", NOTE).signals
            if s.type == "rfq"] == [36000.0]


def test_up_to_a_share_is_the_amount_moved_not_a_level(tagger) -> None:
    assert signals(tagger, "Clarity Glassworks could lose up to 50% of its Prayan sidelite volumes at Dhruva.") \
        == [("supply_loss", "clarity-glassworks", "dhruva-auto", 50.0, "%")]
    # (a level stays one: "down to 40%")
    assert signals(tagger, "Clarity Glassworks lost the Prayan backlite, its share down to 40%.") == [
        ("supply_loss", "clarity-glassworks", "dhruva-auto", None, None)]


def test_listed_companies_each_get_the_signal(tagger) -> None:
    found = signals(tagger, "Meridian Mobility has shortlisted Kestrel, Vitreon and Sunmarg for the "
                            "Aarohi camera windshield.")
    assert found == [("rfq", company, "meridian-mobility", None, None)
                     for company in ("kestrel-glass", "sunmarg", "vitreon")]


def test_business_moving_from_one_supplier_to_another(tagger) -> None:
    found = signals(tagger, "Prayan sidelites: Dhruva shifting 20% from Clarity to Kestrel from Sept.")
    assert [s[:3] for s in found] == [("supply_loss", "clarity-glassworks", "dhruva-auto"),
                                      ("supply_win", "kestrel-glass", "dhruva-auto")]


def test_the_company_said_refers_back(tagger) -> None:
    found = signals(tagger, "Sunmarg Safety Glass met analysts on Monday. The company will invest "
                            "Rs 410 crore in a new tempering line.")
    assert ("capacity", "sunmarg", None, 4.1e9, "INR") in found


# -- organisations the catalog does not know -------------------------------------------------

def test_unknown_organisations_are_labelled_org(tagger) -> None:
    found = entities(tagger, "Meanwhile Deccan Polymers Pvt Ltd said the Western India Glass "
                             "Processors Association had asked Sunmarg for data.")
    assert ("Deccan Polymers Pvt Ltd", "ORG", None) in found
    assert ("Western India Glass Processors Association", "ORG", None) in found
    assert ("Sunmarg", "COMPETITOR", "sunmarg") in found
    assert entities(tagger, "New Acoustic Glass Shown At Expo Today By Several Makers") == [
        ("Acoustic Glass", "TECHNOLOGY", "acoustic_glass")]


def test_catalog_candidates_list_the_unknown_organisations(built_demo) -> None:
    with Workbench.open(built_demo) as wb:
        candidates = wb.candidates()
    row = candidates[candidates["name"].str.startswith("Aravali Interlayers")]
    assert not row.empty
    assert row.iloc[0]["mentions"] >= 2
    assert "Aravali Interlayers" in row.iloc[0]["example"]


def test_candidates_that_differ_only_by_a_legal_form_are_one_organisation(built_demo, capsys) -> None:
    with Workbench.open(built_demo) as wb:
        candidates = wb.candidates()
        written = {row["text"]: row["n"] for row in wb.store.query(
            "SELECT text, COUNT(*) AS n FROM mentions WHERE label = 'ORG' AND entity_id IS NULL "
            "AND text LIKE 'Aravali%' GROUP BY text")}
    assert set(written) == {"Aravali Interlayers", "Aravali Interlayers Pvt Ltd"}   # both in the demo
    aravali = candidates[candidates["name"].str.startswith("Aravali")]
    assert aravali["name"].tolist() == ["Aravali Interlayers Pvt Ltd"]             # the fuller name
    assert aravali.iloc[0]["mentions"] == sum(written.values())
    assert main(["catalog", "candidates", "-w", str(built_demo)]) == 0
    out = capsys.readouterr().out
    assert "Aravali Interlayers Pvt Ltd" in out and "Aravali Interlayers " not in out.replace(
        "Aravali Interlayers Pvt Ltd", "")


def test_merged_candidates_count_each_document_once_then_filter(demo_workspace: Path) -> None:
    with Workbench.open(demo_workspace) as wb, wb.store.transaction() as db:
        mentions = {  # text: the unknown organisations in it, in order
            "Deccan Polymers said so. Deccan Polymers Pvt. Ltd. agreed. Orlen Films too.":
                ["Deccan Polymers", "Deccan Polymers Pvt. Ltd.", "Orlen Films"],
            "DECCAN POLYMERS LIMITED wrote. Orlen Films Ltd replied. Orlen Films again.":
                ["DECCAN POLYMERS LIMITED", "Orlen Films Ltd", "Orlen Films"]}
        for number, (text, names) in enumerate(mentions.items()):
            document_id, _ = upsert_document(db, DocumentIn(url=f"https://news.example/{number}",
                                                            kind="article", text=text))
            start = 0
            for name in names:
                start = text.index(name, start)
                db.execute("INSERT INTO mentions (document_id, start, end, text, label) "
                           "VALUES (?, ?, ?, ?, 'ORG')", (document_id, start, start + len(name), name))
                start += len(name)
        frame = wb.candidates()
        assert frame[["name", "mentions", "documents"]].values.tolist() == [
            ["Deccan Polymers Pvt. Ltd.", 3, 2], ["Orlen Films Ltd", 3, 2]]
        assert "Deccan Polymers said so" in frame.iloc[0]["example"]     # the first mention
        assert wb.candidates(limit=1)["name"].tolist() == ["Deccan Polymers Pvt. Ltd."]
        assert wb.candidates(min_count=4).empty
        assert len(wb.candidates(limit=None)) == 2


# -- pipeline version and incremental re-tagging ---------------------------------------------

def test_the_pipeline_version_follows_lexicon_and_catalog(tmp_path: Path, catalog) -> None:
    base = pipeline_version(catalog, load_lexicon())
    signals_file = tmp_path / "signals.toml"
    text = (REPO / "compintel" / "data" / "signals.toml").read_text(encoding="utf-8")
    signals_file.write_text(text.replace('cues = ["ppm",', 'cues = ["ppm", "pee pee em",', 1), encoding="utf-8")
    assert pipeline_version(catalog, load_lexicon(signals_file)) != base
    other = load_catalog(REPO / "sources", "vitreon")
    assert pipeline_version(other, load_lexicon()) != base


def test_a_type_yielding_to_an_unknown_type_is_a_clear_error(tmp_path: Path) -> None:
    from compintel.errors import UserError

    signals_file = tmp_path / "signals.toml"
    text = (REPO / "compintel" / "data" / "signals.toml").read_text(encoding="utf-8")
    signals_file.write_text(text.replace('money_yields_to = ["partnership"]', 'money_yields_to = ["partnershp"]', 1),
                            encoding="utf-8")
    with pytest.raises(UserError, match="partnershp"):
        load_lexicon(signals_file)


def test_tag_only_redoes_new_changed_and_outdated_documents(demo_workspace: Path) -> None:
    with Workbench.open(demo_workspace) as wb:
        wb.gather()
        wb.import_files()
        first = wb.tag()
        assert first.tagged == wb.store.row_counts()["documents"] > 0
        assert wb.tag().tagged == 0
        row = wb.store.query("SELECT url, kind, text, title FROM documents WHERE kind = 'feed_entry' "
                             "LIMIT 1")[0]
        with wb.store.transaction() as db:
            upsert_document(db, DocumentIn(url=row["url"], kind=row["kind"], title=row["title"],
                                           text=row["text"] + " Vitreon also quoted Rs 999 a piece."))
        again = wb.tag()
        assert again.tagged == 1
        texts = [r[0] for r in wb.store.query(
            "SELECT substr(d.text, s.start + 1, s.end - s.start) FROM signals s JOIN documents d "
            "ON d.id = s.document_id WHERE d.url = ?", (row["url"],))]
        assert any("Rs 999" in text for text in texts)
    # a catalog change (a new alias) makes every stored tag outdated
    catalog = demo_workspace / "sources" / "catalog.toml"
    catalog.write_text(catalog.read_text(encoding="utf-8")
                       + '\n[[company]]\nid = "vitreon"\naliases = ["Vitreon Glass"]\n', encoding="utf-8")
    with Workbench.open(demo_workspace) as wb:
        assert wb.tag().tagged == first.tagged


# -- figures belong to the signal the text ties them to (issue 11) ---------------------------

def figures_of(tagger: Tagger, text: str, context: dict | None = None) -> list[tuple]:
    return sorted((s.type, s.company_id, s.value, s.unit, s.previous_value)
                  for s in tagger.tag(text, context).signals)


@pytest.mark.parametrize("text, expected", [
    # the README's example: each clause's figures are its own, "vs ours 72" is ours, and a
    # quote "below ours" is a negative price difference
    ("VAGL PPM @ Kesarpur 380 this mth vs ours 72; their BL quote ~6% below ours",
     [("pricing", "vitreon", -6.0, "%", None), ("quality_ppm", "kestrel-glass", 72.0, "ppm", None),
      ("quality_ppm", "vitreon", 380.0, "ppm", None)]),
    # "to 50 % from 30 %": the share is 50 (it was 30), and neither figure is anyone's win
    ("Clarity's share at Dhruva moved to 50 % from 30 % after the nomination.",
     [("share_of_business", "clarity-glassworks", 50.0, "%", 30.0),
      ("supply_win", "clarity-glassworks", None, None, None)]),
    ("Navika rated Vitreon 78/100 this quarter, down from 84.",
     [("vendor_rating", "vitreon", 78.0, "%", 84.0)]),
    ("Dhruva gave Clarity 96 points in the vendor rating.",
     [("vendor_rating", "clarity-glassworks", 96.0, "%", None)]),
    ("PPM on the Vela line has gone up to 380 at Kesarpur for Vitreon.",
     [("quality_ppm", "vitreon", 380.0, "ppm", None)]),
    # counts inside descriptions and small counts of vehicles are no capacity or order size
    ("Vitreon will supply the windshield for Navika's new seven-seat MPV from its Ambeli plant.",
     [("supply_win", "vitreon", None, None, None)]),
    ("Vitreon will supply the windshield for Navika's new 7-seat MPV.",
     [("supply_win", "vitreon", None, None, None)]),
    ("Vitreon commissioned a new tempering line at Ambeli that will send 2 trucks of sidelites a day to Navika.",
     [("capacity", "vitreon", None, None, None)]),
    # price moves carry their direction; an increase stays positive
    ("Vitreon cut backlite prices by about 6% at Navika.", [("pricing", "vitreon", -6.0, "%", None)]),
    ("Clarity hiked sidelite prices 4% at Dhruva.", [("pricing", "clarity-glassworks", 4.0, "%", None)]),
    # the move word may stand well before the figure, or a minus sign before it
    ("Vitreon has cut its quoted price for Sanchar windshields by about 4% to hold on to Meridian.",
     [("pricing", "vitreon", -4.0, "%", None)]),
    ("Vitreon sent a revised Koru sunroof price (-1.5%) to Navika.", [("pricing", "vitreon", -1.5, "%", None)]),
    ("Vitreon ne Koru BL ke liye naya price diya, humse 6% kam.", [("pricing", "vitreon", -6.0, "%", None)]),
    # a price difference is nobody's share, and a share level is no amount of business moved
    ("We lost the Koru quarter glass to Vitreon; they were ~8% cheaper.",
     [("pricing", "vitreon", -8.0, "%", None), ("supply_loss", "kestrel-glass", None, None, None),
      ("supply_win", "vitreon", None, None, None)]),
    ("Navika is shifting 30% of the Koru backlite volume to Sunmarg from us.",
     [("supply_loss", "kestrel-glass", 30.0, "%", None), ("supply_win", "sunmarg", 30.0, "%", None)]),
])
def test_a_figure_belongs_to_the_signal_its_clause_ties_it_to(tagger, text: str, expected: list) -> None:
    assert figures_of(tagger, text) == expected


@pytest.mark.parametrize("text, expected", [
    # the nearest cue claims a figure even when its type takes another: the 14 % is revenue's
    ("Kestrel Safety Glass reported revenue of Rs 318 crore for the quarter, up 14% from a year "
     "earlier, helped by the Koru launch at Navika Motors and a price revision.",
     [("financial_result", "kestrel-glass", 3180000000.0, "INR", None),
      ("pricing", "kestrel-glass", None, None, None)]),
    # "to 50% from 30%" is the share's, not the delivery misses' figure
    ("Dhruva Automobiles has raised Kestrel Safety Glass's share of Prayan side glass to 50% from 30%, "
     "after repeated delivery misses by incumbent Clarity Glassworks.",
     [("delivery_performance", "clarity-glassworks", None, None, None),
      ("share_of_business", "kestrel-glass", 50.0, "%", 30.0)]),
    # the company after "below that of" is the one compared with
    ("Vitreon Auto Glass won the Koru backlite at Navika with a quote about 6% below that of incumbent "
     "Kestrel Safety Glass.",
     [("pricing", "vitreon", -6.0, "%", None), ("supply_win", "vitreon", None, None, None)]),
    # an ordinal counts nothing
    ("Vitreon is adding a 2nd truck a day to Ambeli from September.", []),
])
def test_figures_other_cues_claim_are_not_taken(tagger, text: str, expected: list) -> None:
    assert [row for row in figures_of(tagger, text) if row[0] != "supply_loss" or row[2] is not None] \
        == expected


@pytest.mark.parametrize("text, value, previous", [
    ("Vitreon OTIF at Kesarpur Sep 87% (Aug 93%).", 87.0, 93.0),
    ("Vitreon PPM at Kesarpur Sep 310 (Aug 380).", 310.0, 380.0),
    ("Vitreon OTIF at Kesarpur 87% vs 95% last qtr.", 87.0, 95.0),
    ("Navika lifting Kesarpur output to 16,000 cars a month from 12,000 in March.", 16000.0, 12000.0),
    # in press: ", up from" in the next clause, "from" far behind or past a hedge, "against … a year earlier"
    ("Sunmarg Safety Glass now supplies about 45 per cent of Navika Motors' windshields, up from 30 per cent "
     "two years ago.", 45.0, 30.0),
    ("Clarity Glassworks lifted its share of Dhruva's sidelites to 35 percent from just 8 percent.", 35.0, 8.0),
    ("Sunmarg Safety Glass's net sales fell 12% to Rs 61.4 crore in the June 2024 quarter from Rs 69.8 crore "
     "a year before.", 614_000_000.0, 698_000_000.0),
    ("Vitreon Auto Glass slipped to the yellow band in Meridian Mobility's vendor rating, scoring 76 points "
     "against 83 a year earlier.", None, 83.0),
    # a share moving between bare numbers: the level after "to" is a share too
    ("Koru backlite: we lost the facelift to Vitreon, our share goes from 70 to 40 in Sept.", 40.0, 70.0),
])
def test_previous_values_in_brackets_against_last_period_and_from(tagger, text: str, value, previous) -> None:
    (found,) = [row for row in figures_of(tagger, text) if row[4] is not None]
    assert found[4] == previous and (value is None or found[2] == value)


DHRUVA_NOTE = {"customer": "dhruva-auto", "plant": "dhruva-auto/sagarpet", "competitor": "clarity-glassworks",
               "grade": "observed", "kind": "note"}
PARTS = {"dhruva-auto/vistar|windshield": ["kestrel-glass"], "dhruva-auto/vistar|sunroof": ["kestrel-glass"],
         "dhruva-auto/vistar|backlite": ["clarity-glassworks"]}


def test_a_note_line_naming_parts_we_alone_supply_is_ours(tagger) -> None:
    line = "- Vistar WS + sunroof running fine, PPM 0 last 2 months."
    assert figures_of(tagger, line, DHRUVA_NOTE) == [("quality_ppm", "clarity-glassworks", 0.0, "ppm", None)]
    assert figures_of(tagger, line, {**DHRUVA_NOTE, "parts": PARTS}) == [("quality_ppm", "kestrel-glass", 0.0, "ppm", None)]
    # a part the competitor supplies stays the competitor's
    assert figures_of(tagger, "- Vistar BL PPM 120 this month.", {**DHRUVA_NOTE, "parts": PARTS}) == [
        ("quality_ppm", "clarity-glassworks", 120.0, "ppm", None)]


def test_a_note_loss_naming_only_who_gained_is_ours(tagger) -> None:
    rows = figures_of(tagger, "Koru BL: lost 30% to VAGL frm Sep.", DHRUVA_NOTE)
    assert ("supply_loss", "kestrel-glass", 30.0, "%", None) in rows
    assert not [row for row in rows if row[0] == "supply_loss" and row[1] == "vitreon"]
    # naming the loser, it is the loser's
    assert ("supply_loss", "sunmarg", None, None, None) in figures_of(
        tagger, "Sunmarg lost the Vela windshield to Clarity in March.", DHRUVA_NOTE)


def test_money_a_delivery_problem_costs_is_no_financial_result(tagger) -> None:
    rows = figures_of(tagger, "Sir, we air-shipped Kavya windshields last week; the premium freight bill "
                              "came to about Rs 6.2 lakh.")
    assert [row[0] for row in rows] == ["delivery_performance"]
    # without a delivery cue, "came to" still reads a result
    assert [row[0] for row in figures_of(tagger, "Vitreon's revenue came to Rs 1,090 crore in FY26.")] \
        == ["financial_result"]


@pytest.mark.parametrize("text, value, unit", [
    # a percentage "to" a sum of money is the sum's change: the sum is the result
    ("Vitreon Auto Glass's revenue rose about 55% to Rs 476 crore in fiscal 2026, while its margin "
     "held at roughly 7%.", 4.76e9, "INR"),
    # with several cues, the first one's figure: the profit, not the revenue after it
    ("Sunmarg Safety Glass posted a net profit of Rs 48.6 crore for the June quarter, up 12 per cent, "
     "on revenue of Rs 612 crore.", 4.86e8, "INR"),
])
def test_a_result_takes_its_headline_amount(tagger, text: str, value: float, unit: str) -> None:
    (row,) = [row for row in figures_of(tagger, text) if row[0] == "financial_result"]
    assert row[2:4] == (pytest.approx(value), unit)


def parties(tagger: Tagger, text: str) -> list[tuple]:
    return sorted((s.type, s.company_id or s.company_name, s.customer_id or s.customer_name, s.value)
                  for s in tagger.tag(text).signals)


def test_who_floats_a_tender_is_its_buyer(tagger) -> None:
    assert parties(tagger, "Kaveri Transport Corporation (KTC), a state-run bus operator, has floated a tender "
                           "for 450 electric buses.") == [
        ("rfq", None, "Kaveri Transport Corporation", 450.0)]
    assert parties(tagger, "Navika Motors has floated an RFQ for the Vela facelift windshield.") == [
        ("rfq", None, "navika-motors", None)]
    # the bidders named after the cue are the signals' companies
    assert [row[1] for row in parties(tagger, "Meridian Mobility had invited quotations from Kestrel Safety "
                                              "Glass and Vitreon Auto Glass.")] == ["kestrel-glass", "vitreon"]
    # negated, there is no tender
    assert parties(tagger, "Navika Motors said it had not floated any RFQ for the windshield.") == []


def test_a_share_level_is_no_price_change(tagger) -> None:
    assert figures_of(tagger, "Kestrel's share of Koru backlites fell to 40% as Vitreon's lower price "
                              "took effect.", DHRUVA_NOTE) == [
        ("pricing", "vitreon", None, None, None), ("share_of_business", "kestrel-glass", 40.0, "%", None)]


def test_a_level_named_before_its_company_is_the_company_before_it(tagger) -> None:
    assert figures_of(tagger, "Vitreon leads the backlite segment with a 41 percent share, followed by "
                              "Sunmarg Safety Glass at 23 percent, according to industry data.") == [
        ("share_of_business", "sunmarg", 23.0, "%", None), ("share_of_business", "vitreon", 41.0, "%", None)]


def test_a_launch_takes_no_figure(tagger) -> None:
    assert figures_of(tagger, "Navika Motors' new Prayan SUV gets an acoustic windshield and UV-cut glass "
                              "on all four doors, launched in Mumbai.") == [
        ("technology_launch", "navika-motors", None, None, None)]


def test_they_who_ask_in_a_note_are_the_customer_not_a_competitor(tagger) -> None:
    note = {**DHRUVA_NOTE, "competitor": None}
    text = "- VAGL supplies 60% of the Vistar WS.\n- FY27 price-down settled at 1.5% (they asked 3%)."
    assert ("pricing", None, -1.5, "%", None) in figures_of(tagger, text, note)


def test_a_note_rating_naming_no_one_is_ours(tagger) -> None:
    assert figures_of(tagger, "Vendor rating Sep 86 green.", DHRUVA_NOTE) == [
        ("vendor_rating", "kestrel-glass", 86.0, "%", None)]
    # naming the competitor, it is the competitor's
    assert figures_of(tagger, "Clarity vendor rating Sep 71 yellow.", DHRUVA_NOTE) == [
        ("vendor_rating", "clarity-glassworks", 71.0, "%", None)]


def test_a_note_keeps_each_figure_a_document_gives_for_one_company(tagger) -> None:
    text = ("- Clarity OTIF Aug 91%, better than July.\n"
            "- Clarity deliveries late by 3 days on Prayan SL this week.")
    assert figures_of(tagger, text, DHRUVA_NOTE) == [
        ("delivery_performance", "clarity-glassworks", 3.0, "days", None),
        ("delivery_performance", "clarity-glassworks", 91.0, "%", None)]


def test_a_customer_paying_late_is_no_delivery_signal(tagger) -> None:
    assert figures_of(tagger, "They are paying 60-90 days late consistently.", DHRUVA_NOTE) == []


def test_tag_text_prints_the_previous_value(tagger) -> None:
    from compintel.tagtext import result_json

    result = result_json("n1", tagger.tag("Navika rated Vitreon 78/100 this quarter, down from 84."),
                         tagger.catalog)
    assert [(s["value"], s["unit"], s["previous_value"]) for s in result["signals"]] == [(78, "%", 84)]


# -- measured quality on the held-out split --------------------------------------------------

# Floors set a little under what the tagger measured on the held-out splits when it was last
# tuned. They are held out: never tune the rules on their errors.
# test.jsonl / test2.jsonl (notes and news in the demo world's voice), with the recall layer:
# entity F1 0.985 / 0.992, signal F1 0.877 / 0.862, attribution 0.957 / 0.912. Figures (issue 11:
# right value, unit and company; a figure where gold has none is wrong): 0.924 / 0.903, against
# 0.823 / 0.788 for the figure binding before issue 11; after stop 18's figure work 0.924 / 0.889
# (signal F1 0.874 / 0.857, attribution 0.973 / 0.927); after stop 19's 0.924 / 0.873 (signal F1
# 0.867 / 0.858, attribution 0.978 / 0.927); after stop 20's 0.925 / 0.873 (signal F1 0.877 /
# 0.853, attribution 0.973 / 0.918).
HELD_OUT = {
    "test.jsonl": ["--min-entity-f1", "0.97", "--min-signal-f1", "0.85", "--min-attribution", "0.93",
                   "--min-figure", "0.91"],
    "test2.jsonl": ["--min-entity-f1", "0.97", "--min-signal-f1", "0.83", "--min-attribution", "0.89",
                    "--min-figure", "0.87"],
}
# press-test1.jsonl / press-test2.jsonl (press-voice, issue 10), measured once at the end:
# rules alone: signal F1 0.739 / 0.724, organisations 0.951 / 0.920, technologies 0.899 / 0.818,
# attribution 0.879 / 0.873, lowest type recall 0.333 / 0.091; with the recall layer: signal F1
# 0.762 / 0.746, lowest type recall 0.333 / 0.182 (the rest as with the rules); with press8 in the
# recall layer's training (and notes-figures) and issue 11's figure binding, 0.757 / 0.750.
# Figures (issue 11):
# 0.746 / 0.700, against 0.677 / 0.643 before. After stop 18's figure and attribution work, with the
# recall layer (press10 and press11 in its training): signal F1 0.762 / 0.746, attribution 0.921 /
# 0.862, figures 0.803 / 0.712; rules alone: attribution 0.916 / 0.864, figures 0.831 / 0.720.
# After stop 19's rules (press13 to press15 in the recall layer's training): with the recall
# layer signal F1 0.806 / 0.788, lowest type recall 0.500 / 0.417, attribution 0.913 / 0.870,
# figures 0.831 / 0.709; rules alone signal F1 0.758 / 0.759, lowest type recall 0.417 / 0.364.
# After stop 20's rules (press16 in the recall layer's training, word pairs, threshold 0.4): with
# the recall layer signal F1 0.821 / 0.789, lowest type recall 0.538 / 0.417, attribution 0.923 /
# 0.856, figures 0.833 / 0.709, organisations 0.958 / 0.928; rules alone signal F1 0.774 / 0.769,
# lowest type recall 0.462 / 0.417, attribution 0.921 / 0.856, figures 0.847 / 0.717.
# After stop 21's rules and its review's fixes (press17 and press18 in the recall layer's
# training): with the recall layer signal F1 0.834 / 0.780, lowest type recall 0.692 / 0.417,
# attribution 0.918 / 0.873, figures 0.817 / 0.717, organisations 0.960 / 0.935; rules alone
# signal F1 0.777 / 0.762, attribution 0.913 / 0.863, figures 0.845 / 0.712. At the end of stop 21
# (press19 in the recall layer's training too): with the recall layer signal F1 0.841 / 0.789,
# lowest type recall 0.692 / 0.417, attribution 0.912 / 0.882, figures 0.817 / 0.750,
# organisations 0.960 / 0.935; rules alone signal F1 0.780 / 0.767, figures 0.845 / 0.745; the
# notes' splits 0.879 / 0.866 (figures 0.925 / 0.873). After stop 22 (press20 in the recall
# layer's training too): with the recall layer signal F1 0.834 / 0.782, lowest type recall
# 0.615 / 0.417, attribution 0.911 / 0.882, figures 0.817 / 0.750; rules alone 0.780 / 0.767;
# the notes' splits 0.882 / 0.868. After stop 23 (press21 in the recall layer's training,
# partnerships and quality at threshold 0.5): with the recall layer signal F1 0.834 / 0.783,
# lowest type recall 0.615 / 0.417, attribution 0.917 / 0.881, figures 0.817 / 0.750; rules alone
# 0.781 / 0.770; the notes' splits 0.882 / 0.871. After stop 24 (press22 in the recall layer's
# training): with the recall layer signal F1 0.813 / 0.776, lowest type recall 0.500 / 0.417,
# attribution 0.913 / 0.880, figures 0.817 / 0.750; rules alone 0.784 / 0.770; the notes' splits
# 0.879 / 0.871. After stop 25 (press23 in the recall layer's training): with the recall layer
# signal F1 0.837 / 0.781, lowest type recall 0.538 / 0.417, attribution 0.917 / 0.880, figures
# 0.817 / 0.750, organisations 0.960 / 0.935; rules alone 0.784 / 0.770; the notes' splits 0.884
# / 0.875. After stop 26 (press24 in the recall layer's training): with the recall layer signal
# F1 0.837 / 0.783, lowest type recall 0.538 / 0.417, attribution 0.917 / 0.873, figures 0.817 /
# 0.736, organisations 0.960 / 0.935; rules alone 0.784 / 0.770; the notes' splits 0.879 / 0.875.
# After stop 27 (press25 in the recall layer's training): with the recall layer signal F1 0.838 /
# 0.784, lowest type recall 0.538 / 0.417, attribution 0.924 / 0.880, figures 0.817 / 0.750,
# organisations 0.960 / 0.935; rules alone 0.809 / 0.770 (press-test1's rules floor raised to 0.79);
# the notes' splits 0.882 / 0.871. The other floors stay.
PRESS_HELD_OUT = {
    "press-test1.jsonl": ["--min-organisation-f1", "0.95", "--min-technology-f1", "0.88",
                          "--min-attribution", "0.90", "--min-figure", "0.80"],
    "press-test2.jsonl": ["--min-organisation-f1", "0.92", "--min-technology-f1", "0.80",
                          "--min-attribution", "0.84", "--min-figure", "0.70"],
}
PRESS_RULES = {"press-test1.jsonl": ["--min-signal-f1", "0.79", "--min-type-recall", "0.44"],
               "press-test2.jsonl": ["--min-signal-f1", "0.75", "--min-type-recall", "0.40"]}
PRESS_WITH_RECALL = {"press-test1.jsonl": ["--min-signal-f1", "0.80", "--min-type-recall", "0.50"],
                     "press-test2.jsonl": ["--min-signal-f1", "0.77", "--min-type-recall", "0.40"]}


def _eval_held_out(tmp_path: Path, capsys, split: str, options: list[str]) -> None:
    workspace = tmp_path / "ws"
    workspace.mkdir()
    shutil.copy2(REPO / "compintel.toml", workspace / "compintel.toml")
    shutil.copytree(REPO / "sources", workspace / "sources")
    status = main(["eval", str(REPO / "tests" / "data" / "labelled" / split), "-w", str(workspace), *options])
    output = capsys.readouterr()
    assert status == 0, output.err
    assert "all signals (micro)" in output.out


@pytest.mark.parametrize("split", sorted(HELD_OUT))
def test_held_out_split_stays_above_its_floors(capsys, tmp_path: Path, split: str) -> None:
    _eval_held_out(tmp_path, capsys, split, HELD_OUT[split])


@pytest.mark.parametrize("split", sorted(PRESS_HELD_OUT))
def test_press_held_out_split_stays_above_its_floors_with_the_rules(capsys, tmp_path: Path, split: str) -> None:
    _eval_held_out(tmp_path, capsys, split, ["--rules-only", *PRESS_HELD_OUT[split], *PRESS_RULES[split]])


@pytest.mark.parametrize("split", sorted(PRESS_HELD_OUT))
def test_press_held_out_split_stays_above_its_floors_with_the_recall_layer(capsys, tmp_path: Path,
                                                                          split: str) -> None:
    from compintel.nlp.recall import load_model

    if load_model() is None:
        pytest.skip("no trained recall layer: `make test` trains it (compintel train-recall)")
    _eval_held_out(tmp_path, capsys, split, [*PRESS_HELD_OUT[split], *PRESS_WITH_RECALL[split]])


def test_changing_a_sources_tags_tags_its_documents_again(demo_workspace: Path) -> None:
    with Workbench.open(demo_workspace) as wb:
        wb.gather()
        wb.tag()
        assert wb.tag().tagged == 0
        documents = wb.store.query("SELECT COUNT(*) FROM documents WHERE source_id = 'motorwire-india'")[0][0]
    definitions = demo_workspace / "sources" / "sources.toml"
    text = definitions.read_text(encoding="utf-8")
    start = text.index('name = "motorwire-india"')
    tags_at = text.index("tags = ", start)
    line_end = text.index("\n", tags_at)
    definitions.write_text(text[:tags_at] + 'tags = ["navika-motors"]' + text[line_end:], encoding="utf-8")
    with Workbench.open(demo_workspace) as wb:
        wb.gather()
        assert wb.tag().tagged == documents > 0


@pytest.mark.parametrize("text, expected", [
    ("OTIF Sept:\n* KSG 97%\n* CGW 88%\n(target 95% for all)",
     [("delivery_performance", "kestrel-glass", 97.0), ("delivery_performance", "clarity-glassworks", 88.0)]),
    # the heading may name the customer
    ("NML vendor rating Q1\n- KSG 82/100 (down from 86)\n- VAGL 74",
     [("vendor_rating", "kestrel-glass", 82.0), ("vendor_rating", "vitreon", 74.0)]),
    # a bullet with a cue of another type takes both, and the bullets after it the heading's
    ("NML vendor rating Q1\n- KSG 82/100, PPM 40\n- VAGL 74",
     [("quality_ppm", "kestrel-glass", 40.0), ("vendor_rating", "kestrel-glass", 82.0),
      ("vendor_rating", "vitreon", 74.0)]),
])
def test_a_notes_bullets_take_the_cue_of_their_heading(tagger, text, expected) -> None:
    assert sorted((s.type, s.company_id, s.value) for s in tagger.tag(text).signals) == sorted(expected)


def test_a_heading_lends_only_what_the_lines_figure_measures(tagger) -> None:
    # "Monthly visit" says what we did; the PPM line under it is Vitreon's quality, no visit
    text = "Monthly visit, Kesarpur.\n\n- VAGL PPM Sep 310, down from 380 after 100% inspection."
    assert [(s.type, s.company_id) for s in tagger.tag(text).signals] == [("quality_ppm", "vitreon")]


def test_a_heading_that_names_a_supplier_lends_no_cue(tagger) -> None:
    # the heading is about Vitreon; the lines under it are someone else's plain facts
    text = "Vitreon OTIF review:\n* KSG 97%"
    assert [(s.company_id, s.value) for s in tagger.tag(text).signals if s.company_id == "kestrel-glass"] == []



def test_whose_estimate_it_is_is_no_party(tagger) -> None:
    text = ("Sunmarg's order book, by our estimate, now covers about 30% of Meridian's sidelite requirement, mostly "
            "for the Aarohi.")
    assert [(s.type, s.company_id, s.customer_id, s.value) for s in tagger.tag(text).signals] == [
        ("share_of_business", "sunmarg", "meridian-mobility", 30)]


@pytest.mark.parametrize("text, expected", [
    ("Vela SL mein ab hamara share 65% hai, pehle 50 tha.", [("share_of_business", "kestrel-glass", 65.0, "%")]),
    ("Koru BL pe hamari PPM 45 thi, Vitreon ki 300.",
     [("quality_ppm", "kestrel-glass", 45.0, "ppm"), ("quality_ppm", "vitreon", 300.0, "ppm")]),
])
def test_hindi_english_notes_say_ours_with_hamara(tagger, text: str, expected) -> None:
    assert [row[:4] for row in figures_of(tagger, text)] == expected
