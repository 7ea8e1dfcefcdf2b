"""Tagging the voice of trade press, press releases and filings (issue 10).

Sentences use the fictional demo world or invented organisations ("Sigma Electric Pvt Ltd");
real names appear only where a test checks that the catalog knows them, in sentences that
report no event.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from compintel.catalog import load_catalog
from compintel.errors import UserError
from compintel.evaluate import evaluate, load_labelled, organisation_key
from compintel.nlp import Tagger, load_lexicon
from compintel.nlp.figures import read_figures
from compintel.tagtext import tag_lines


@pytest.fixture(scope="module")
def tagger(catalog) -> Tagger:
    return Tagger(catalog, recall=False)     # the rules (the recall layer: test_recall.py)


def orgs(tagger: Tagger, text: str) -> list[tuple[str, str]]:
    return [(m.text, m.label) for m in tagger.tag(text).mentions if m.label != "TECHNOLOGY"]


def technologies(tagger: Tagger, text: str) -> list[str]:
    return [m.text for m in tagger.tag(text).mentions if m.label == "TECHNOLOGY"]


def signals(tagger: Tagger, text: str) -> list[tuple]:
    """(type, company, customer): a catalog id, or the name of an organisation outside it."""
    return sorted((s.type, s.company_id or s.company_name, s.customer_id or s.customer_name)
                  for s in tagger.tag(text).signals)


def signal_figures(tagger: Tagger, text: str) -> list[tuple]:
    """(type, company, customer, value) of each signal, sorted."""
    return sorted((s.type, s.company_id, s.customer_id, s.value) for s in tagger.tag(text).signals)


def types(tagger: Tagger, text: str) -> set[str]:
    return {s.type for s in tagger.tag(text).signals}


# -- organisations ---------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("Toyota Motor Corp. is raising its prices.", ("Toyota Motor Corp.", "CUSTOMER", "toyota-motor")),
    ("Honda Motor Co. said it would.", ("Honda Motor Co.", "CUSTOMER", "honda-motor")),
])
def test_a_catalog_name_matches_with_its_abbreviated_legal_form_stop(tagger, text, expected) -> None:
    assert [(m.text, m.label, m.entity_id) for m in tagger.tag(text).mentions][:1] == [expected]


def test_the_catalog_knows_global_vehicle_makers_suppliers_and_bodies(tagger) -> None:
    found = dict(orgs(tagger, "Bosch, Uno Minda, Webasto, Ford India and SIAM are organisations."))
    assert found == {"Bosch": "ORG", "Uno Minda": "ORG", "Webasto": "ORG", "Ford India": "CUSTOMER",
                     "SIAM": "ORG"}
    assert tagger.catalog["siam"].role == "body"


def test_the_catalog_knows_more_vehicle_makers_and_brands(tagger) -> None:
    found = [(m.text, m.label, m.entity_id) for m in tagger.tag(
        "Olectra, Mazda, Subaru, Yamaha, Cadillac, Chevrolet and Lexus are names.").mentions]
    assert found == [("Olectra", "CUSTOMER", "olectra"), ("Mazda", "CUSTOMER", "mazda"),
                     ("Subaru", "CUSTOMER", "subaru"), ("Yamaha", "CUSTOMER", "india-yamaha"),
                     ("Cadillac", "CUSTOMER", "general-motors"), ("Chevrolet", "CUSTOMER", "general-motors"),
                     ("Lexus", "CUSTOMER", "toyota-motor")]


def test_the_catalog_knows_safety_and_cockpit_suppliers_and_a_former_glass_maker(tagger) -> None:
    found = dict(orgs(tagger, "Takata, Autoliv, Daicel, TRW, Visteon, Harman International and PPG Industries "
                              "are organisations."))
    assert found == {"Takata": "ORG", "Autoliv": "ORG", "Daicel": "ORG", "TRW": "ORG", "Visteon": "ORG",
                     "Harman International": "ORG", "PPG Industries": "COMPETITOR"}


def test_the_catalog_knows_the_big_global_parts_makers_and_a_bus_operator(tagger) -> None:
    # (not bare "Delphi" or "Lear": a forecasting method, a city, a play, a jet as often)
    found = [(m.text, m.entity_id) for m in tagger.tag(
        "Delphi Corp, Johnson Controls, Gestamp, Hyundai Transys, Hanon Systems, Mando and Evey Trans "
        "are organisations.").mentions]
    assert found == [("Delphi Corp", "delphi"), ("Johnson Controls", "johnson-controls"), ("Gestamp", "gestamp"),
                     ("Hyundai Transys", "hyundai-transys"), ("Hanon Systems", "hanon"), ("Mando", "mando"),
                     ("Evey Trans", "evey-trans")]


@pytest.mark.parametrize("text, name", [
    ("Auto component maker Sigma Electric has opened a plant.", "Sigma Electric"),
    ("Pune-based Sigma Electric has opened a plant.", "Sigma Electric"),
    ("German supplier Orlenhof said its sales rose.", "Orlenhof"),
    ("Sales at Orlenhof AG rose.", "Orlenhof AG"),
    ("Marvelli’s plant near Pune makes lamps.", "Marvelli"),
    ("Marvelli“s plant near Pune makes lamps.", "Marvelli"),
    ("Craftline Automation Ltd (CAL) makes gears. CAL's revenue rose.", "CAL"),
    ("IRT opened the bids for 450 buses.", "IRT"),
    ("Trevakor had been awarded a contract by Zorvex Motors.", "Trevakor"),    # opening a sentence
    ("Orlenhof also won its first radar order.", "Orlenhof"),
    ("Kalvora Infratek, which has a bus venture, bagged an order.", "Kalvora Infratek"),
    ("The Pune plant of MTCS makes door seals.", "MTCS"),        # an abbreviation after "of"
    ("A strike at supplier Trelvik-Dorran-Askew Co. could stop the line.", "Trelvik-Dorran-Askew Co."),
    ("Rovena Castings of India Ltd will spend Rs 200 crore.", "Rovena Castings of India Ltd"),
    ("Olvetra Greentech has won a Rs 151 crore order.", "Olvetra Greentech"),   # a company's verb
    ("Trevakor terminated its contract with Zorvex Motors.", "Trevakor"),   # any verb in the past, with its object
    ("Trevakor also terminated its contract with Zorvex Motors.", "Trevakor"),
])
def test_organisations_outside_the_catalog(tagger, text: str, name: str) -> None:
    assert (name, "ORG") in orgs(tagger, text)


@pytest.mark.parametrize("text", [
    "Quality's the word at the plant.",           # an English word with a possessive
    "India's car market grew.",                    # a place
    "PPM at Kesarpur rose to 380.",                # an abbreviation that is no name
    "The company Chairman Ravi Menon said so.",    # a title after a descriptor
    "Analysts said margins would recover.",        # an English word, inflected
    "Ravi Varde said the plant would open.",       # a first and last name before "said"
    "Ravi Varde has said the plant would open.",
    "Ravi Varde heads the unit. Varde said it would grow.",    # a surname seen before
    "Sidelite supplies for the Vela could move to Kestrel.",   # a technology opening a sentence
    "Output at the plant rose to RMB 300 million in sales.",   # a currency code after "to"
    "Sales of HDPE rose 4 per cent.",                          # a material
    "Clarity Glassworks won the Navika Motors Supplier Quality Excellence Award.",   # an award
    "Kestrel showed its HUD glass at the Dhruva Supplier Technology Day.",          # an event
    "Harary noted that the film is used on two models.",      # … but not one a person does
    "Panoramic fixed sunroofs went into 2.8 million cars.",    # an adjective, not a name
    "Menon joined the board of Kestrel Safety Glass.",          # a person's object, not a company's
    "Modi inaugurated the new Navika Motors plant.",
    "Mr Johnson controls the purchase budget at Navika.",       # "Johnson Controls" only as written
])
def test_words_that_only_look_like_names(tagger, text: str) -> None:
    assert [o for o in orgs(tagger, text) if o[1] == "ORG"] == []


def test_a_name_keeps_its_technology_words(tagger) -> None:
    assert orgs(tagger, "Aravali Interlayers Pvt Ltd raised prices.") == [
        ("Aravali Interlayers Pvt Ltd", "ORG")]
    assert technologies(tagger, "Aravali Interlayers Pvt Ltd raised prices.") == []


# -- technologies ----------------------------------------------------------------------------

def test_technologies_match_any_inflection(tagger) -> None:
    assert technologies(tagger, "It makes laminated door glasses, alloy wheels and airbags.") == [
        "laminated door glasses", "alloy wheels", "airbags"]


def test_a_one_word_inflected_name_is_matched_as_written(tagger) -> None:
    assert technologies(tagger, "Both tempered and laminated parts are made here.") == [
        "tempered", "laminated"]
    assert technologies(tagger, "A new tempering furnace was added.") == []


# -- signals about organisations outside the catalog -----------------------------------------

def test_a_signal_may_be_about_an_organisation_outside_the_catalog(tagger) -> None:
    text = "Sigma Electric Pvt Ltd has bagged a Rs 120 crore order from Navika Motors."
    assert signals(tagger, text) == [("supply_win", "Sigma Electric Pvt Ltd", "navika-motors")]
    [out] = tag_lines([json.dumps({"id": 1, "text": text})], tagger)
    assert out["signals"][0]["company"] == "Sigma Electric Pvt Ltd"
    assert out["signals"][0]["company_id"] is None
    assert out["signals"][0]["customer"] == "Navika Motors"


def test_a_body_is_quoted_not_the_subject_of_a_signal(tagger) -> None:
    text = "Orlenhof Glass Ltd has lodged a recall with SIAM over a faulty backlite."
    assert [s[1] for s in signals(tagger, text)] == ["Orlenhof Glass Ltd"]


# -- press phrasing: cue classes on lemmas -----------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("Navika Motors has bagged an order for 1,900 buses from the Deccan Transport Corporation.",
     [("supply_win", "navika-motors", "Deccan Transport Corporation")]),
    ("Dhruva Automobiles placed orders with Sigma Electric Pvt Ltd for wiring harnesses.",
     [("supply_win", "Sigma Electric Pvt Ltd", "dhruva-auto")]),
    ("Meridian Mobility has added Clarity Glassworks to its vendor base for door glass.",
     [("supply_win", "clarity-glassworks", "meridian-mobility")]),
    ("Meridian Mobility said it will stop buying sidelites from Sunmarg Safety Glass.",
     [("supply_loss", "sunmarg", "meridian-mobility")]),
    ("Vitreon Auto Glass has replaced Clarity Glassworks as the door glass supplier for Dhruva Automobiles.",
     [("supply_loss", "clarity-glassworks", "dhruva-auto"), ("supply_win", "vitreon", "dhruva-auto")]),
    ("Sunmarg Safety Glass has opened a Rs 300 crore factory near Sagarpet.",
     [("capacity", "sunmarg", None)]),
    ("Kestrel Safety Glass received the supplier of the year award from Navika Motors.",
     [("vendor_rating", "kestrel-glass", "navika-motors")]),
    ("Navika Motors hosted 180 suppliers at its annual vendor meet in Pune.",
     [("customer_engagement", None, "navika-motors")]),
    ("Navika Motors' refreshed Vela now gets a panoramic sunroof as standard.",
     [("technology_launch", "navika-motors", "navika-motors")]),
    ("Sunmarg Safety Glass and Orlenhof AG have signed an MoU for acoustic glass.",
     [("partnership", "sunmarg", None)]),
    ("Dhruva Automobiles was forced to stop output on one line after backlites from Clarity "
     "Glassworks failed to arrive.", [("delivery_performance", "clarity-glassworks", "dhruva-auto")]),
    ("Navika Motors halted production at two plants after it ran short of parts.",
     [("delivery_performance", None, "navika-motors")]),
])
def test_press_phrasings(tagger, text: str, expected: list) -> None:
    assert signals(tagger, text) == sorted(expected)


def test_each_customer_in_its_own_clause(tagger) -> None:
    text = "Navika Motors raised prices by 2%, while Dhruva Automobiles plans a hike of 3% from April."
    assert signals(tagger, text) == [("pricing", None, "dhruva-auto"), ("pricing", None, "navika-motors")]


def test_a_recall_is_the_carmakers_and_the_part_makers(tagger) -> None:
    text = "Navika Motors is recalling 4,200 Vela cars over faulty sidelites made by Sunmarg Safety Glass."
    assert signals(tagger, text) == [("quality_ppm", "navika-motors", "navika-motors"),
                                     ("quality_ppm", "sunmarg", "navika-motors")]
    # the count of cars recalled is the recall's, the carmaker's: the part maker's signal has none
    assert sorted((s.company_id, s.value) for s in tagger.tag(text).signals) == [
        ("navika-motors", 4200.0), ("sunmarg", None)]


@pytest.mark.parametrize("text", [
    "Navika Motors will call back 4,200 Vela cars to swap out airbag inflators supplied by Tarvik Safety Systems Ltd.",
    "Navika Motors is recalling 4,200 Vela cars to replace airbag inflators from Tarvik Safety Systems Ltd.",
])
def test_a_part_maker_named_after_a_recalls_purpose_is_at_fault_too(tagger, text) -> None:
    # (and a part replaced in a recall is a repair, no business lost)
    assert sorted((s.type, s.company_id or s.company_name, s.customer_id, s.value)
                  for s in tagger.tag(text).signals) == [
        ("quality_ppm", "Tarvik Safety Systems Ltd", "navika-motors", None),
        ("quality_ppm", "navika-motors", "navika-motors", 4200.0)]


def test_a_class_without_its_sentence_words_hides_no_other_cue(tagger) -> None:
    # "cut … production" is lost output only where parts, suppliers or a strike are named: here
    # it is a plan, and the capacity cue it overlaps stands
    text = "Navika Motors has cut its FY27 production forecast by 6%, a move analysts expected."
    assert types(tagger, text) == {"capacity"}
    assert types(tagger, "Navika Motors has cut production at Kesarpur as a supplier missed deliveries.") \
        == {"delivery_performance"}


@pytest.mark.parametrize("text", [
    "Dhruva Automobiles has stretched a planned maintenance shutdown at its Ambeli plant by three days "
    "because Vitreon could not ship backlites in time.",
    "Windshield supplies from Clarity Glassworks to Navika Motors ran short for ten days after a furnace "
    "breakdown at its float line.",
])
def test_a_shutdown_or_a_line_in_a_shortage_is_the_shortages(tagger, text: str) -> None:
    assert types(tagger, text) == {"delivery_performance"}


def test_a_shift_of_work_moves_no_business(tagger) -> None:
    text = ("Dhruva Automobiles cancelled the second shift at its assembly plant on Saturday because "
            "windshields from Clarity Glassworks did not arrive.")
    assert not {"supply_loss", "supply_win"} & types(tagger, text)
    assert "delivery_performance" in types(tagger, text)


def test_output_lost_due_to_a_suppliers_shortfall_moves_no_business(tagger) -> None:
    text = "Ekam production lost 320 vehicles in Aug due to Clarity's shortfall, per Dhruva PPC."
    assert signals(tagger, text) == [("delivery_performance", "clarity-glassworks", "dhruva-auto")]
    assert signals(tagger, "Navika lost patience and moved the Vela backlite to Clarity.") == [
        ("supply_win", "clarity-glassworks", "navika-motors")]


@pytest.mark.parametrize("text", [
    # shares of stock, a stake, a market leader named without a share
    "Clarity Glassworks raised Rs 96.5 crore from nine anchor investors, allotting shares at Rs 310 each.",
    "Vitreon Auto Glass and Dhruva Automobiles agreed to form a joint venture in which Vitreon will hold "
    "74 per cent.",
    "Navika Motors' sales rose in May, after an April launch by market leader Meridian Mobility.",
])
def test_words_that_only_look_like_a_share_of_business(tagger, text: str) -> None:
    assert "share_of_business" not in types(tagger, text)


def test_a_market_leader_with_its_share_is_a_share_of_business(tagger) -> None:
    assert "share_of_business" in types(tagger, "Vitreon is the market leader in backlites with a 41% share.")


@pytest.mark.parametrize("text, expected", [
    ("Sigma Electric Pvt Ltd, which sends around 25 per cent of its output to Navika Motors, is adding a "
     "second line, its chairman said.", ("Sigma Electric Pvt Ltd", "navika-motors", 25.0)),
    ("Meridian Mobility is said to buy more than 60 percent of the backlites Clarity Glassworks makes at "
     "its Halol unit.", ("clarity-glassworks", "meridian-mobility", 60.0)),
    # one share, the supplier's: "requirement" carries on the object, it is no cue of its own
    ("Kestrel Safety Glass now meets about 45 per cent of Navika Motors' windshield requirement, with "
     "Vitreon Auto Glass supplying most of the rest.", ("kestrel-glass", "navika-motors", 45.0)),
])
def test_a_percentage_of_a_buyers_needs_or_a_sellers_sales_is_a_share_of_business(tagger, text, expected) -> None:
    shares = [(s.company_id or s.company_name, s.customer_id, s.value, s.method)
              for s in tagger.tag(text).signals if s.type == "share_of_business" and s.value is not None]
    assert shares == [(*expected, "rule")]


def test_volume_moved_from_one_supplier_to_another_is_no_share_level(tagger) -> None:
    text = "Navika Motors has moved 30% of Koru backlite volume from Kestrel to Vitreon from September."
    assert "share_of_business" not in types(tagger, text)
    assert {(s.type, s.value) for s in tagger.tag(text).signals} >= {("supply_win", 30.0), ("supply_loss", 30.0)}


def test_a_joint_ventures_outlay_is_the_ventures_and_its_output_the_capacity(tagger) -> None:
    outlay = ("Sunmarg Safety Glass is set to form a 51:49 joint venture with Deccan Polymers Ltd to make "
              "PVB interlayer in India, at a cost of about Rs 320 crore.")
    assert [(s.type, s.value) for s in tagger.tag(outlay).signals] == [("partnership", 3200000000.0)]
    output = ("Sunmarg Safety Glass will sign a 70-30 joint venture agreement with Deccan Polymers Ltd to make "
              "800,000 car sets of glass a year at Hosur.")
    assert {(s.type, s.value) for s in tagger.tag(output).signals} >= {("capacity", 800000.0)}
    # an MoU for a plant names the plant's outlay; a sum restated in dollars is the same sum
    mou = ("Sunmarg Safety Glass and the Government of Maharashtra signed an MoU for a float glass plant in "
           "the state worth INR 2,000 crore (US$240 million).")
    assert {(s.type, s.value, s.unit) for s in tagger.tag(mou).signals} == {
        ("capacity", 20000000000.0, "INR"), ("partnership", None, None)}


@pytest.mark.parametrize("text, figure", [
    ("Sunmarg Safety Glass will acquire a 26 per cent stake in Deccan Encapsulation Systems for Rs 48 crore.",
     ("partnership", 480000000.0, "INR")),      # the stake's price, not its size
    ("The board of Kestrel has approved putting Rs 33.5 crore into Orlen Kestrel, its 49.9 per cent "
     "joint venture with Orlenhof.", ("partnership", 335000000.0, "INR")),
    ("Vitreon Auto Glass has acquired a 74% stake in Tapti Sealants Ltd.", ("partnership", 74.0, "%")),
    # a stake is no win's figure
    ("Vitreon has completed its Rs 240 crore purchase of a 74% stake in Aravali Interlayers Pvt Ltd, "
     "securing PVB for the windshields it makes for Navika Motors.", ("partnership", 2400000000.0, "INR")),
])
def test_a_stake_bought_for_a_price_takes_the_price(tagger, text, figure) -> None:
    found = [(s.type, s.value, s.unit) for s in tagger.tag(text).signals if s.value is not None]
    assert found == [figure]


@pytest.mark.parametrize("text, expected", [
    # the sum is the fund-raising's and the contract's: an expansion or a plant with no figure of
    # its own is no capacity signal
    ("Sunmarg Safety Glass has raised Rs 300 crore from Pratham Capital Partners to fund its expansion, "
     "the company said on Monday.", {("financial_result", 3000000000.0)}),
    ("Sigma Electric Pvt Ltd said a leading OEM has awarded it a Rs 750 crore contract to build battery "
     "chargers at its Pune plant.", {("supply_win", 7500000000.0)}),
    # a weak cue beside a signal of its own type with the figure still counts
    ("Navika Motors is likely to take its prices up by as much as 3% in May, while Dhruva Automobiles "
     "has signalled a hike later this month.", {("pricing", 3.0), ("pricing", None)}),
])
def test_a_weak_cue_whose_figure_another_signal_holds_has_none(tagger, text, expected) -> None:
    assert {(s.type, s.value) for s in tagger.tag(text).signals} == expected


def test_volumes_in_an_enquiry_are_the_enquirys(tagger) -> None:
    text = ("Dhruva Automobiles has floated enquiries for the windshield of an electric Prayan derivative, "
            "estimating volumes of 60,000 units a year.")
    assert {(s.type, s.value) for s in tagger.tag(text).signals} == {("rfq", 60000.0)}


def test_showing_a_product_is_a_technology_launch(tagger) -> None:
    text = ("At the Auto Expo, Vitreon is showing a switchable privacy glass roof, while Sunmarg Safety "
            "Glass has a stall on dealer finance.")
    assert [(s.type, s.company_id) for s in tagger.tag(text).signals] == [("technology_launch", "vitreon")]
    # whose product: who is named after the verb ("showed our … glass")
    text = "Showed our UV-cut + solar control glass sample to the Meridian design team today."
    assert [(s.type, s.company_id, s.customer_id) for s in tagger.tag(text).signals] == [
        ("technology_launch", "kestrel-glass", "meridian-mobility")]


@pytest.mark.parametrize("text", [
    "Incoming inspection at Mirajganj: Clarity Ekam windscreens showing PVB bubbles, 0.6% of the lot rejected.",
    "More than 40 production vehicles on show at the motor show in Pune use laminated glass in their "
    "side windows, according to Vitreon.",
])
def test_showing_a_defect_or_a_show_is_no_launch(tagger, text) -> None:
    assert "technology_launch" not in types(tagger, text)


@pytest.mark.parametrize("text", [
    # an order "placed with" the supplier is the order lost, no business moving to it
    "Navika Motors has cancelled a Rs 120 crore order for heated windshields placed with Clarity Glassworks.",
    # "did not identify" negates the naming, not the cancellation; "awarded last year" names the
    # order lost
    "Clarity Glassworks said on Tuesday that an SUV maker it did not identify had scrapped a Rs 120 crore "
    "order for panoramic roof glass awarded last year.",
    # the object six words on
    "Clarity Glassworks said Dhruva Automobiles had cancelled the Rs 120 crore acoustic windshield order "
    "it won last year.",
])
def test_a_cancelled_order_is_a_loss(tagger, text) -> None:
    assert [(s.type, s.company_id, s.value) for s in tagger.tag(text).signals] == [
        ("supply_loss", "clarity-glassworks", 1200000000.0)]


def test_a_customers_meet_is_each_catalog_supplier_named_at_it(tagger) -> None:
    text = ("Navika Motors hosted its annual vendor meet in Pune on Friday, where about 300 suppliers, "
            "including Kestrel Safety Glass and Vitreon Auto Glass, reviewed quality targets.")
    assert sorted((s.type, s.company_id, s.customer_id) for s in tagger.tag(text).signals) == [
        ("customer_engagement", "kestrel-glass", "navika-motors"),
        ("customer_engagement", "vitreon", "navika-motors")]
    # no supplier named: the customer's own meet; an unknown name is no supplier of the catalog
    assert [(s.type, s.company_id, s.customer_id) for s in tagger.tag(
        "Navika Motors will host its annual supplier conference at Kesarpur on 14 March, where the Pune "
        "Glass Forum will speak.").signals] == [("customer_engagement", None, "navika-motors")]


@pytest.mark.parametrize("text, expected", [
    # engineers co-developing a part with a carmaker: engagement at its end
    ("Kestrel Safety Glass engineers are co-developing a camera windshield with Dhruva Automobiles, and "
     "trials are under way at the carmaker's test track.", {"customer_engagement"}),
    ("Vitreon Auto Glass and Navika Motors jointly developed the acoustic windshield of the Tarani.",
     {"customer_engagement", "technology_launch"}),
    # an MoU to co-develop is a partnership
    ("Kestrel Safety Glass and Navika Motors have signed an MoU to co-develop an acoustic windshield.",
     {"partnership"}),
    # "part of the … group" is who owns it, no news of a tie
    ("Sigma Electric Pvt Ltd, part of the Ramdas group, runs a wiring harness plant at Pune that mostly "
     "serves Navika Motors.", set()),
])
def test_co_development_with_a_carmaker_is_engagement_an_agreement_a_partnership(tagger, text, expected) -> None:
    assert types(tagger, text) - {"share_of_business", "capacity", "supply_win"} == expected


@pytest.mark.parametrize("text, expected", [
    # a result cue with its figure is strong: "higher" is the result's growth, no price
    ("Vitreon Auto Glass reported consolidated net sales of Rs 943.64 crore for the quarter, 15.81% higher "
     "than a year earlier.", {"financial_result"}),
    ("Vitreon's PAT for the quarter came to Rs 39.1 crore, 38.3% higher than a year earlier.",
     {"financial_result"}),
    # the price of shares in an issue is no price of glass
    ("Clarity Glassworks raised Rs 96.5 crore from anchor investors a day before its IPO, allotting shares "
     "at Rs 310 each, the top of the price band.", {"financial_result"}),
    # a rate is the capacity's own figure, whatever result cue speaks beside it
    ("Sunmarg Safety Glass says the Hosur plant, which can already make nearly 1.8 million windshields a "
     "year, will be key to executing its order book of about Rs 2,380 crore.", {"capacity", "financial_result"}),
])
def test_a_result_with_its_figure_outweighs_weak_price_and_capacity_cues(tagger, text, expected) -> None:
    assert types(tagger, text) == expected


def test_a_buyer_receiving_bids_is_its_enquiry_not_a_win(tagger) -> None:
    text = "After two attempts drew no result, the Pune Transport Undertaking has received three bids to supply 225 buses."
    assert [(s.type, s.company_name, s.customer_name) for s in tagger.tag(text).signals] == [
        ("rfq", None, "Pune Transport Undertaking")]
    # receiving an order is still a win
    assert types(tagger, "Vitreon Auto Glass has received an order from Navika Motors for Tarani "
                         "windshields.") == {"supply_win"}


@pytest.mark.parametrize("text", [
    "Orlenhof Transport Corporation has invited bids for 200 electric buses, with online bids due by June 14.",
    "The Orlenhof Transport Corporation has called for bids for 263 buses, with offers to be lodged by October 12.",
    # its parent, named before the tender, is no bidder either
    "Orlenhof Transport Corporation, a wholly owned arm of Varenko Energy Services, has floated a tender for "
    "4,675 electric buses, with bids due by February 20.",
])
def test_a_buyers_tender_stays_its_own_when_a_later_cue_reads_it_as_a_bidder(tagger, text) -> None:
    assert signals(tagger, text) == [("rfq", None, "Orlenhof Transport Corporation")]
    # a bidder named after the tender still takes it
    assert signals(tagger, "Navika Motors floated an RFQ and asked Vitreon to quote.") == [
        ("rfq", "vitreon", "navika-motors")]


@pytest.mark.parametrize("text, expected", [
    ("Six bidders took part in the Orlenhof Transport Corporation's tender for 6,465 electric buses.",
     [("rfq", None, "Orlenhof Transport Corporation")]),
    ("Navika Motors went to court after it was disqualified from the Orlenhof Transport Corporation's tender "
     "for 2,100 electric buses.", [("rfq", "navika-motors", "Orlenhof Transport Corporation")]),
    ("Vitreon took part in the Orlenhof Transport Corporation's tender for 6,465 electric buses.",
     [("rfq", "vitreon", "Orlenhof Transport Corporation")]),
])
def test_whose_tender_it_is_buys(tagger, text, expected) -> None:
    assert signals(tagger, text) == expected


@pytest.mark.parametrize("text", [
    "Navika Motors called off Saturday production at Kesarpur after workers at Clarity Glassworks walked out.",
    "Navika Motors has paused output at Kesarpur because windshields from Clarity Glassworks are not arriving.",
])
def test_production_called_off_or_paused_for_want_of_parts_is_the_suppliers_delivery(tagger, text) -> None:
    assert [(s.type, s.company_id, s.customer_id) for s in tagger.tag(text).signals] == [
        ("delivery_performance", "clarity-glassworks", "navika-motors")]


def test_quality_escapes_behind_a_loss_are_the_suppliers_quality(tagger) -> None:
    text = ("Navika Motors has de-sourced Clarity Glassworks from two quarter glass parts after repeated "
            "quality escapes, a company spokesperson said.")
    assert {(s.type, s.company_id) for s in tagger.tag(text).signals} == {
        ("supply_loss", "clarity-glassworks"), ("quality_ppm", "clarity-glassworks")}


def test_a_plant_closed_is_the_closers(tagger) -> None:
    text = ("Sunmarg Safety Glass expects to lose about 18 per cent of its revenue after Meridian Mobility "
            "shuts its Halol assembly plant, a company official said.")
    assert sorted((s.type, s.company_id, s.customer_id) for s in tagger.tag(text).signals) == [
        ("capacity", "meridian-mobility", "meridian-mobility"),
        ("supply_loss", "sunmarg", "meridian-mobility")]
    assert [(s.type, s.company_id) for s in tagger.tag(
        "Sunmarg Safety Glass will shut its Hosur tempering plant by March.").signals] == [("capacity", "sunmarg")]


def test_a_carmakers_former_plant_is_a_place_not_a_customer(tagger) -> None:
    text = ("Sunmarg Safety Glass has spent about Rs 450 crore turning the former Navika Motors factory at "
            "Hosur into its glass hub.")
    assert [(s.type, s.company_id, s.customer_id) for s in tagger.tag(text).signals] == [
        ("capacity", "sunmarg", None)]


@pytest.mark.parametrize("text, company", [
    ("In April 2024, Sunmarg Safety Glass and Vitreon Auto Glass signed an MoU to form a 50-50 joint "
     "venture that would make encapsulated glass in Hosur.", "sunmarg"),
    ("Clarity Glassworks has caught carmakers' eye through a partnership with Vitreon Auto Glass, under "
     "which it will make acoustic windshields itself.", "clarity-glassworks"),
    # no glass maker named: the first named
    ("Sigma Electric Pvt Ltd and Tarang Electronics Pvt Ltd have signed an MoU to form a joint venture "
     "for chargers.", "Sigma Electric Pvt Ltd"),
    # a carmaker named first, a glass maker after: the glass maker's
    ("Navika Motors and Sunmarg Safety Glass have formed a joint venture to assemble encapsulated "
     "windows near Kesarpur.", "sunmarg"),
])
def test_a_partnership_is_the_first_glass_maker_named_before_it(tagger, text, company) -> None:
    assert [s.company_id or s.company_name for s in tagger.tag(text).signals if s.type == "partnership"] == [company]


def test_a_short_shipment_in_a_note_is_a_delivery_with_its_count(tagger) -> None:
    assert [(s.type, s.company_id, s.value, s.unit) for s in tagger.tag(
        "VAGL short-shipped 600 Koru BL on Tue, Ambeli ran on buffer.").signals] == [
        ("delivery_performance", "vitreon", 600.0, "units")]


@pytest.mark.parametrize("text, expected", [
    ("Vitreon Auto Glass is offering its heated windshield to carmakers, and Navika Motors is weighing it "
     "for the Tarani.", ("technology_launch", "vitreon")),
    ("CGW offering Prayan quarter glass ~7% below our price.", ("pricing", "clarity-glassworks")),
    ("Sunmarg Safety Glass engineers are now working with Navika Motors' body team on the Koru facelift.",
     ("customer_engagement", "sunmarg")),
    ("A dispute over rejection rates led to the termination of Clarity Glassworks' backlite contract for "
     "Dhruva Automobiles' Prayan.", ("supply_loss", "clarity-glassworks")),
])
def test_offering_working_with_and_terminating(tagger, text, expected) -> None:
    found = {(s.type, s.company_id) for s in tagger.tag(text).signals}
    assert expected in found
    assert not ({("technology_launch", "clarity-glassworks")} & found)


@pytest.mark.parametrize("text", [
    "Sunmarg Safety Glass expects its net profit for the year to land between Rs 470 crore and Rs 500 crore.",
    "Vitreon Auto Glass and Deccan Polymers Ltd have agreed an MoU that could become a joint venture on "
    "land Vitreon already holds at Sanand.",
])
def test_land_alone_is_no_new_capacity(tagger, text) -> None:
    assert "capacity" not in types(tagger, text)


@pytest.mark.parametrize("text, expected", [
    ("Vitreon Auto Glass said orders from Dhruva Automobiles fell sharply in the quarter after the carmaker "
     "shut its Sanand assembly line.", ("supply_loss", "vitreon", "dhruva-auto")),
    ("Meridian Mobility's decision to stop building cars at Sanand will cut orders for Vitreon Auto Glass.",
     ("supply_loss", "vitreon", "meridian-mobility")),
])
def test_a_suppliers_orders_falling_is_a_loss(tagger, text, expected) -> None:
    assert expected in [(s.type, s.company_id, s.customer_id) for s in tagger.tag(text).signals]


@pytest.mark.parametrize("text", [
    "Vitreon Auto Glass will stop supplying sidelites to Navika Motors from April, its finance head said.",
    "Clarity Glassworks has stopped supplying backlites to Meridian Mobility, its chief executive said.",
])
def test_supplying_that_stops_is_a_loss_not_a_win_nor_a_delivery(tagger, text) -> None:
    assert types(tagger, text) == {"supply_loss"}


@pytest.mark.parametrize("text, expected", [
    ("Sunmarg Safety Glass will idle a tempering line after Dhruva Automobiles chose to move its sidelite "
     "work to another supplier.", ("supply_loss", "sunmarg", "dhruva-auto")),
    ("Navika Motors has offered the quarter glass business it gave Clarity Glassworks to rival suppliers.",
     ("supply_loss", "clarity-glassworks", "navika-motors")),
])
def test_business_moved_to_a_rival_not_named_is_the_named_suppliers_loss(tagger, text, expected) -> None:
    assert expected in signals(tagger, text)


def test_a_suppliers_orders_expected_to_drop_is_a_loss(tagger) -> None:
    text = "Clarity Glassworks expects its orders from Navika Motors to drop sharply once the Kesarpur line closes."
    assert ("supply_loss", "clarity-glassworks", "navika-motors") in signals(tagger, text)


def test_an_order_that_has_been_cancelled_far_from_its_verb_is_a_loss_with_its_buyer(tagger) -> None:
    text = ("Harbinger Dynamics said the Rs 36 crore order from Dhruva Automobiles for seat frames on the "
            "Prayan MPV now stands cancelled.")
    assert [(s.type, s.company_name, s.customer_id, s.value) for s in tagger.tag(text).signals] == [
        ("supply_loss", "Harbinger Dynamics", "dhruva-auto", 360_000_000)]
    text = ("Orlenhof AG said the Rs 70 crore order from the Kaveri State Transport Corporation for 50 "
            "buses has been terminated.")
    assert signals(tagger, text) == [("supply_loss", "Orlenhof AG", "Kaveri State Transport Corporation")]


@pytest.mark.parametrize("text, expected", [
    ("GM also picked Orlenhof AG for two Overdrive Awards, for launch excellence and innovation.",
     [("GM", "CUSTOMER"), ("Orlenhof AG", "ORG")]),
    ("GM purchasing chief Bo Andersson said the carmaker wants lower prices.", [("GM", "CUSTOMER")]),
    # a KAM's general manager: after a department, a seniority or a company, before "-", "(" or a
    # department with a capital
    ("met Dhruva purchase GM re our Prayan SL share", [("Dhruva", "CUSTOMER")]),
    ("Met Navika GM today at Kesarpur.", [("Navika", "CUSTOMER")]),
    ("Sr GM sourcing at Meridian wants a price-down.", [("Meridian", "CUSTOMER")]),
    ("GM-SCM visited Kesarpur.", []),
    ("GM (Purchase) asked Vitreon for a quote.", [("Vitreon", "COMPETITOR")]),
    ("met GM Purchase at Navika.", [("Navika", "CUSTOMER")]),
])
def test_gm_is_general_motors_unless_it_is_a_general_manager(tagger, text, expected) -> None:
    found = [(m.text, m.label) for m in tagger.tag(text).mentions if m.label in ("ORG", "CUSTOMER", "COMPETITOR")]
    assert found == expected
    if ("GM", "CUSTOMER") in expected:
        assert "general-motors" in [m.entity_id for m in tagger.tag(text).mentions]


def test_a_nationality_before_a_suffix_names_an_organisation(tagger) -> None:
    assert signals(tagger, "Indian Railways has floated a tender for 58 train sets.") == [
        ("rfq", None, "Indian Railways")]
    assert orgs(tagger, "Indian glass makers raised prices in March.") == []


def test_a_company_named_in_an_appositive_before_its_verb_is_an_organisation(tagger) -> None:
    assert ("Varuna Greenmotive", "ORG") in orgs(
        tagger, "Varuna Greenmotive, a Sagar Group subsidiary, has won an order for 40 buses.")
    assert orgs(tagger, "Ramesh Iyer, the managing director of the company, has won an award.") == []


@pytest.mark.parametrize("text, expected", [
    ("Navika Motors has handed Sunmarg Safety Glass a Rs 40 crore contract for the Tarani's backlites.",
     [("supply_win", "sunmarg", "navika-motors")]),
    ("Dhruva Automobiles has picked Clarity Glassworks to supply acoustic windshields for its new MPV.",
     [("supply_win", "clarity-glassworks", "dhruva-auto")]),
    ("Meridian Mobility made Vitreon Auto Glass the sole supplier of sunroof glass for the Aarohi.",
     [("supply_win", "vitreon", "meridian-mobility")]),
    ("Varuna Greenmotive Ltd has received a letter of award from the Kaveri Transport Corporation for "
     "120 buses.", [("supply_win", "Varuna Greenmotive Ltd", "Kaveri Transport Corporation")]),
    ("The Kaveri Transport Corporation has placed a Rs 90 crore order with Pune's Varuna Greenmotive Ltd "
     "for 60 buses.", [("supply_win", "Varuna Greenmotive Ltd", "Kaveri Transport Corporation")]),
])
def test_a_buyer_handing_picking_or_placing_business_with_a_supplier_is_its_win(tagger, text, expected) -> None:
    assert signals(tagger, text) == expected


def test_a_preferred_supplier_named_at_vendor_awards_is_a_rating_not_a_win(tagger) -> None:
    text = "Navika Motors named Sunmarg a preferred supplier at its annual vendor awards, with a score of 91%."
    assert types(tagger, text) == {"vendor_rating"}


@pytest.mark.parametrize("text, expected", [
    ("Sunmarg Safety Glass is developing a switchable privacy glass roof for electric SUVs.", {"technology_launch"}),
    ("Orlenhof AG is working on polycarbonate side windows with built-in lighting.", {"technology_launch"}),
    # co-developing with a customer is engagement; under an agreement, a partnership
    ("Clarity Glassworks engineers are co-developing a heated windshield with Navika Motors' R&D team.",
     {"customer_engagement"}),
    ("Vitreon Auto Glass and Deccan Polymers Ltd have signed an MoU to develop acoustic PVB in India.",
     {"partnership"}),
    ("Navika Motors named Sunmarg for its work on a heated windshield.", set()),
])
def test_a_product_being_developed_is_a_launch_unless_co_developed_or_under_an_agreement(tagger, text, expected) -> None:
    assert types(tagger, text) == expected


@pytest.mark.parametrize("text", [
    "Orlenhof AG reported quarterly net income of $84 million, or $0.92 a share, on revenue of $1.9 billion.",
    "Sunmarg Safety Glass's profit rose to Rs 41 crore and its board declared a dividend of 50 paisa a share.",
])
def test_earnings_or_a_dividend_per_share_are_no_share_of_business(tagger, text) -> None:
    assert "share_of_business" not in types(tagger, text)


@pytest.mark.parametrize("text", [
    "Sunmarg Safety Glass shares hit a fresh high of Rs 1,072.95 on Monday, up as much as 9 per cent.",
    "Navika Motors said input costs would rise, a warning that handed it its steepest one-day share fall in years.",
    "Vitreon Auto Glass will buy out its partner's 74 per cent stake in Tapti Sealants through a share swap.",
])
def test_a_companys_stock_is_no_share_of_business(tagger, text) -> None:
    assert "share_of_business" not in types(tagger, text)


def test_a_year_earlier_is_when_not_a_rate() -> None:
    (figure,) = read_figures("scoring 76 points against 83 a year earlier")[1:]
    assert (figure.value, figure.unit, figure.per) == (83.0, None, None)
    (rate,) = read_figures("it will make 20,000 a month")
    assert (rate.value, rate.per) == (20000.0, "month")


@pytest.mark.parametrize("text, expected", [
    ("Orlenhof AG has struck a binding deal to buy the automotive glass operations of Varuna Glazing Ltd "
     "for about $120 million.", {"partnership"}),
    ("Sunmarg Safety Glass will sell its 50 per cent holding in its tempering joint venture to its partner "
     "for Rs 210 crore.", {"partnership"}),
    ("On 4 March Vitreon Auto Glass said it had completed the purchase of 100 per cent of Aravali "
     "Interlayers Pvt Ltd.", {"partnership"}),
    # vehicles sold, a purchase department, a head of purchasing
    ("Navika Motors sold 1,12,400 units in FY2025 to keep second place.", set()),
    ("Vitreon Auto Glass has named Rohan Mehra, previously head of purchasing at a carmaker's Indian arm, "
     "as chief operating officer.", set()),
])
def test_a_business_stake_or_assets_bought_or_sold_is_a_partnership(tagger, text, expected) -> None:
    assert types(tagger, text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Dhruva Automobiles said it idled the Sagarpet line for a shift after Vitreon Auto Glass fell short on "
     "backlite deliveries.", ("delivery_performance", "vitreon", "dhruva-auto")),
    ("Clarity Glassworks held back windshield shipments to Navika Motors for two days amid a dispute.",
     ("delivery_performance", "clarity-glassworks", "navika-motors")),
    ("Meridian Mobility lowered Sunmarg's rating, citing three late sunroof shipments.",
     ("delivery_performance", "sunmarg", "meridian-mobility")),
    ("Navika Motors said supplies of glass and trims from its vendors had all but stopped.",
     ("delivery_performance", None, "navika-motors")),
    ("Navika Motors moved the backlite to Kestrel, citing Clarity Glassworks' failure to meet delivery "
     "schedules.", ("delivery_performance", "clarity-glassworks", "navika-motors")),
])
def test_deliveries_late_held_back_short_or_stopping_are_delivery(tagger, text, expected) -> None:
    assert expected in signals(tagger, text)


def test_a_previous_value_before_a_figure_needs_a_range(tagger) -> None:
    text = ("Meridian Mobility rated Kestrel Safety Glass at 88 points in its annual supplier evaluation, "
            "down from 92, citing two late windshield shipments.")
    assert sorted((s.type, s.previous_value) for s in tagger.tag(text).signals) == [
        ("delivery_performance", None), ("vendor_rating", 92.0)]


@pytest.mark.parametrize("text, expected", [
    ("Dhruva Automobiles' quality certificate went to Sunmarg Safety Glass after it kept rejections at 9 PPM.",
     ("vendor_rating", "sunmarg", "dhruva-auto")),
    ("Vitreon Auto Glass received the silver trophy for delivery at a supplier meet Navika Motors held in Pune.",
     ("vendor_rating", "vitreon", "navika-motors")),
    ("Navika Motors has once more picked Pune parts maker Harbinger Dynamics as one of its Suppliers of the Year.",
     ("vendor_rating", "Harbinger Dynamics", "navika-motors")),
])
def test_a_customers_certificate_trophy_or_supplier_of_the_year_is_a_rating(tagger, text, expected) -> None:
    assert expected in signals(tagger, text)


@pytest.mark.parametrize("text", [
    "Purchase and quality heads of Navika Motors spent a day at Vitreon Auto Glass's Sanand plant for a "
    "technology review of heated windshields.",
    "A quality team from Navika Motors spent two days auditing Vitreon Auto Glass's Sanand plant last week.",
    "Navika Motors said a team of its engineers spent three days at Sanand, checking the line Vitreon Auto "
    "Glass will use for its backlites.",
])
def test_a_customers_team_at_a_suppliers_plant_is_engagement(tagger, text) -> None:
    assert ("customer_engagement", "vitreon", "navika-motors") in signals(tagger, text)


def test_money_spent_at_a_plant_is_no_engagement(tagger) -> None:
    text = "Vitreon Auto Glass has spent Rs 240 crore at its Sanand plant over two years."
    assert "customer_engagement" not in types(tagger, text)


def test_a_part_supplied_by_a_glass_maker_is_its_win_but_not_in_a_recall(tagger) -> None:
    text = "Meridian Mobility's new Aarohi gets a solar control windshield supplied by Vitreon Auto Glass."
    assert ("supply_win", "vitreon", "meridian-mobility") in signals(tagger, text)
    text = ("Meridian Mobility is recalling 2,100 Aarohi units to replace a windshield supplied by Vitreon "
            "Auto Glass that may delaminate.")
    assert "supply_win" not in types(tagger, text)


@pytest.mark.parametrize("text, absent", [
    ("Navika Motors, the country's biggest maker of vans, will lift prices by up to 2.5 per cent from April 1.",
     "share_of_business"),
    ("Dhruva Automobiles raised prices by 1.8 per cent from May 8, following an increase by market leader "
     "Navika Motors.", "share_of_business"),
    ("Vitreon Auto Glass came in roughly 6% under the incumbent on the Koru backlite, a margin-dilutive move.",
     "financial_result"),
])
def test_a_weak_class_cue_whose_figure_another_type_holds_gives_nothing(tagger, text, absent) -> None:
    found = types(tagger, text)
    assert absent not in found and found      # the other type keeps its signal


def test_a_launch_only_cue_reaches_a_technology_further_than_an_offer(tagger) -> None:
    text = ("Clarity Glassworks has developed what it calls the country's lightest and thinnest windshield "
            "for small cars.")
    assert "technology_launch" in types(tagger, text)
    text = "Vitreon Auto Glass is said to have offered Navika Motors a price cut of about 6 per cent on sidelites."
    assert "technology_launch" not in types(tagger, text)


@pytest.mark.parametrize("text, expected", [
    ("Sunmarg Safety Glass is now the largest laminated glass maker in India.", {"share_of_business"}),
    ("Orlenhof AG has quickly grown into Europe's biggest interlayer producer.", {"share_of_business"}),
    ("Pune-based Harbinger Dynamics, which gets roughly a quarter of its yearly revenue from Navika Motors, "
     "said it hoped the relationship would last.", {"share_of_business"}),
    # an aim is no share
    ("Vitreon Auto Glass's new chief executive said he wants to become the country's top glass maker.", set()),
])
def test_a_lead_stated_as_news_or_a_fraction_of_sales_is_a_share(tagger, text, expected) -> None:
    assert types(tagger, text) == expected


def test_the_rest_of_a_buyers_business_is_a_share_without_the_others_figure(tagger) -> None:
    text = ("Vitreon Auto Glass supplies close to 60% of Dhruva Automobiles' windshields, with Clarity "
            "Glassworks and Sunmarg splitting the rest.")
    assert signal_figures(tagger, text) == [
        ("share_of_business", "clarity-glassworks", "dhruva-auto", None),
        ("share_of_business", "sunmarg", "dhruva-auto", None),
        ("share_of_business", "vitreon", "dhruva-auto", 60.0)]
    text = "Laminated windshields make up a third of a car's glass value, with tempered glass accounting for the rest."
    assert types(tagger, text) == set()


@pytest.mark.parametrize("text, expected", [
    ("Clarity Glassworks will idle a laminating line after Dhruva Automobiles moved the business.", True),
    ("Sunmarg will close its tempering unit by the end of the year.", True),
    ("Vitreon Auto Glass plans to add a second tempering furnace next year.", True),
    ("Orlenhof AG will add a new automotive glass factory near Wroclaw in Poland.", True),
    # an adjective, and a clause after "adding that"
    ("Leaving out a write-down on an idle tempering furnace, Vitreon Auto Glass said profit was Rs 312 crore.", False),
    ("Navika Motors is lining up other sources, adding that its Kesarpur plant will see some interruptions.", False),
])
def test_lines_units_and_furnaces_closed_or_added_are_capacity(tagger, text, expected) -> None:
    assert ("capacity" in types(tagger, text)) == expected


@pytest.mark.parametrize("text, expected", [
    ("Vitreon Auto Glass has written to Dhruva Automobiles seeking a 4 percent increase on all windshield "
     "part numbers from April 1.", [("pricing", "vitreon", "dhruva-auto")]),
    ("Navika Motors will lift prices by 3 per cent, while Dhruva Automobiles plans an increase of up to 2 per "
     "cent on select models.", [("pricing", None, "dhruva-auto"), ("pricing", None, "navika-motors")]),
    ("Orlenhof AG expects sunroof sales to grow as demand rises across car segments.", []),
])
def test_an_increase_sought_planned_or_announced_is_a_price(tagger, text, expected) -> None:
    assert signals(tagger, text) == expected


def test_an_indian_arm_named_as_a_subject_is_an_organisation(tagger) -> None:
    assert orgs(tagger, "Orlenhof India has raised prices by up to 3 per cent.") == [("Orlenhof India", "ORG")]
    assert orgs(tagger, "India has raised duties on imported glass.") == []


@pytest.mark.parametrize("text, expected", [
    ("It was the first time in seven years that Navika Motors had met Vitreon Auto Glass for a tech day.",
     ("customer_engagement", "vitreon", "navika-motors")),
    ("Dhruva Automobiles has asked glass suppliers including Sunmarg Safety Glass to localise solar control "
     "glass for its new SUV.", ("customer_engagement", "sunmarg", "dhruva-auto")),
    ("Vitreon Auto Glass developed the acoustic windshield together with Navika Motors' engineers.",
     ("customer_engagement", "vitreon", "navika-motors")),
])
def test_a_customer_meeting_asking_or_developing_with_a_supplier_is_engagement(tagger, text, expected) -> None:
    assert expected in signals(tagger, text)


def test_a_customer_asking_its_suppliers_for_a_price_cut_is_the_price_alone(tagger) -> None:
    text = "Navika Motors has asked its glass suppliers for a 2% price reduction on all Koru parts from April."
    assert types(tagger, text) == {"pricing"}


@pytest.mark.parametrize("text", [
    "Orlenhof AG has agreed to hand its automotive glazing arm to a unit of Varuna Glass Ltd for $310 million.",
    "Orlenhof AG will pass technology to Varuna Motors Ltd so that it can build electric buses locally.",
    "Vitreon Auto Glass and Orlenhof AG have agreed to build an automotive glass factory together near Pune.",
    "Orlenhof AG agreed a framework for strategic cooperation with Varuna Motors Ltd on March 16.",
])
def test_a_business_handed_over_technology_passed_on_or_a_plant_built_together_is_a_partnership(tagger, text) -> None:
    assert "partnership" in types(tagger, text)


@pytest.mark.parametrize("text, expected", [
    ("Navika Motors has made laminated side glazing standard on the top two trims of the Vela.",
     [("technology_launch", "navika-motors", "navika-motors")]),
    ("Meridian Mobility's head-up display comes as standard on the refreshed Aarohi.",
     [("technology_launch", "meridian-mobility", "meridian-mobility")]),
    ("The windshield is a standard part on the Vela.", []),           # a part of the usual kind
    ("Vitreon's windshields meet the new standard at Navika.", []),    # a standard met
])
def test_a_feature_made_standard_is_a_launch(tagger, text, expected) -> None:
    assert signals(tagger, text) == expected


def test_a_product_ready_for_series_production_is_a_launch(tagger) -> None:
    text = ("Vitreon Auto Glass managing director Anil Menon has confirmed that its camera windshield will be "
            "ready for series production from next year.")
    assert types(tagger, text) == {"technology_launch"}


NOTE = {"kind": "note", "customer": "navika-motors"}


@pytest.mark.parametrize("text, context, absent", [
    # review of stop 20: each of these came out wrong before its fix
    ("Navika added 5,000 units to the March schedule for Vitreon.", None, "capacity"),
    ("Navika plans an increase in Prayan production to 8,000 units a month.", None, "pricing"),
    ("Vitreon chose to make the Prayan backlites at Halol instead of Pune.", None, "supply_win"),
    ("Vitreon handed back the Prayan contract to Navika.", None, "supply_win"),
    ("Vitreon plans to shift its PVB sourcing to another supplier.", None, "supply_loss"),
    ("We will send the rejected lot to another vendor for rework.", NOTE, "supply_loss"),
    ("Dhruva purchase asked Vitreon for the business plan.", None, "partnership"),
    ("Vitreon will pass the technology cost to Navika in the new price.", None, "partnership"),
    ("Navika took the rest of the backlites from Sunmarg.", None, "share_of_business"),
    ("Vitreon is the top concern for Navika's supplier quality team.", None, "share_of_business"),
    ("Navika will meet Vitreon's price if they cut 2%.", None, "customer_engagement"),
    ("Dhruva launched a tender last week for 20,000 sets of acoustic laminated windshields.", None,
     "technology_launch"),
    ("Vitreon got fresh orders from Navika last month as Sunmarg PPM was dropping.", None, "supply_loss"),
])
def test_review_misfires_stay_fixed(tagger, text, context, absent) -> None:
    assert absent not in {s.type for s in tagger.tag(text, context).signals}


def test_a_general_manager_in_a_note_is_no_general_motors(tagger) -> None:
    for text in ("Met the GM at Navika today; Vitreon PPM 380 this mth.",
                 "GM quality visited Kesarpur today, unhappy with Vitreon PPM of 380.", "Navika GM's visit went well."):
        result = tagger.tag(text, NOTE)
        assert "general-motors" not in [m.entity_id for m in result.mentions]
        assert not any(s.company_name == "GM" or s.customer_id == "general-motors" for s in result.signals)
    assert signals(tagger, "Lear bagged a contract from Ford and GM for seats.") == [
        ("supply_win", "Lear", "ford-india"), ("supply_win", "Lear", "general-motors")]


@pytest.mark.parametrize("text, value, previous", [
    ("Vitreon PPM at Navika was 450 in May, now 380.", 380.0, 450.0),
    ("Vitreon will supply 40,000 windshields a year to the new Navika plant from 3 locations.", 40000.0, None),
])
def test_previous_values_after_was_and_no_far_count_after_from(tagger, text, value, previous) -> None:
    (found,) = [s for s in tagger.tag(text).signals if s.value is not None]
    assert (found.value, found.previous_value) == (value, previous)


def test_a_month_before_an_event_is_still_a_rate() -> None:
    (figure,) = read_figures("was making 6,500 windshields a month before the fire")
    assert (figure.value, figure.per) == (6500.0, "month")


def test_a_nationality_before_a_product_is_no_organisation(tagger) -> None:
    assert orgs(tagger, "Navika is importing Chinese Glass at 15% below our price.") == [("Navika", "CUSTOMER")]


def test_order_intake_in_a_result_is_no_loss(tagger) -> None:
    text = ("Sigma Electric Pvt Ltd swung to a net profit of Rs 24 crore in the quarter, though order intake "
            "dropped 17.5 percent.")
    assert "supply_loss" not in types(tagger, text)


def test_volumes_behind_a_result_are_no_capacity(tagger) -> None:
    assert types(tagger, "Kestrel Safety Glass's net profit for the quarter rose 18% to Rs 27.4 crore on "
                         "stronger automotive volumes.") == {"financial_result"}


def test_a_plant_named_as_a_place_is_no_new_capacity(tagger) -> None:
    text = "Sigma Electric Pvt Ltd will build chargers at the Pune plant of its subsidiary."
    assert "capacity" not in types(tagger, text)


@pytest.mark.parametrize("text", [
    "Shares of Vitreon Auto Glass rose 4% in early trade on Wednesday.",
    "Vitreon Auto Glass denied reports that it had won the Koru business.",
    "Sunmarg Safety Glass has no plans to set up a float glass line in Gujarat.",
    "Orlenhof Glass Ltd saved 347.5 million won by cutting costs.",
    "Orlenhof Glass Ltd has booked $2 billion of orders from US carmakers.",   # "US" is no "us"
    "Vitreon Auto Glass failed to secure the Koru order from Navika Motors.",
    # a rating agency's action on a company's loans
    "Kaveri Rating Services has reaffirmed its A+ rating on the bank loans of Orlenhof Auto Parts Ltd, whose "
    "rated amount has been raised to Rs 725 crore.",
    # a board or a general meeting is no customer's
    "Orlenhof Auto Parts Ltd's board, meeting on 21 May 2025, cleared the accounts.",
    "Vitreon's annual general meeting re-elected two directors.",
    # the company's own stock
    "Asked about a 20 per cent jump in its stock, Vitreon Auto Glass told the exchanges its shares trade freely.",
    # prices that do not move, a car's launch price, an offer of shares
    "Orlenhof Glass Distribution will buy a fixed volume of windshields from Vitreon at agreed prices.",
    "Clarity Glassworks said its windshield prices to Navika Motors would stay at current levels.",
    "Navika Motors held off on a January price increase so that demand would not suffer.",
    "Meridian Mobility launched the facelifted Aarohi at an introductory price of Rs 8.49 lakh.",
    # capacity as a word, with no figure nor plant
    "Sunmarg Safety Glass did not bid for Navika Motors' sunroof glass enquiry, pointing to tight capacity.",
    "Vitreon said it had been unable to trim capacity and costs quickly enough in the second half.",
    # parts made at home, output against normal
    "Navika Motors says 94 per cent of the parts in its new SUV are now sourced from within India.",
    "Dhruva Automobiles says more than 90 per cent of its parts are now made locally.",
    # a report denied
    "Dhruva Automobiles on Friday rejected a magazine report that its restructuring plan would shut a plant.",
    "Navika Motors has brushed aside talk of an exit, saying reports of plant closures are speculation.",
    # a show stayed away from
    "Navika Motors, Dhruva Automobiles and Meridian Mobility gave the Auto Expo a miss this year.",
])
def test_press_sentences_that_are_no_signal(tagger, text: str) -> None:
    found = signals(tagger, text)
    assert not any(company == "kestrel-glass" for _, company, _ in found)
    if "booked" not in text:
        assert found == []


# -- figures -----------------------------------------------------------------------------------

@pytest.mark.parametrize("text, value, unit", [
    ("sold for $310 million", 310e6, "USD"),
    ("an order book of EUR 17.2 billion", 17.2e9, "EUR"),
    ("net sales of 640.6 billion yen", 640.6e9, "JPY"),
    ("Rs 500 crore", 5e9, "INR"),
    ("850 tonnes of glass daily", 850, "tpd"),
    ("four million glass sets a year", 4e6, "units"),
])
def test_money_in_other_currencies_and_press_capacities(text: str, value: float, unit: str) -> None:
    [figure] = read_figures(text)
    assert (figure.value, figure.unit) == (pytest.approx(value), unit)


# -- the lexicon's cue classes ----------------------------------------------------------------

def test_a_cue_class_with_an_unknown_type_is_a_user_error(tmp_path) -> None:
    broken = tmp_path / "signals.toml"
    broken.write_text('[[class]]\ntype = "wins"\nverbs = ["bag"]\n', encoding="utf-8")
    with pytest.raises(UserError, match="unknown type 'wins'"):
        load_lexicon(broken)


# -- evaluation of press-voice sets ---------------------------------------------------------------

def test_press_items_are_scored_by_overlap_role_and_names(tagger, tmp_path) -> None:
    item = {"id": "p1", "style": "press",
            "text": "Sigma Electric Pvt Ltd has bagged a Rs 120 crore order from Navika Motors.",
            "entities": [{"text": "Sigma Electric", "label": "ORG"},
                         {"text": "Navika Motors", "label": "COMPETITOR"}],
            "signals": [{"type": "supply_win", "company": "Sigma Electric Ltd", "customer": "Navika Motors"}]}
    path = tmp_path / "press.jsonl"
    path.write_text(json.dumps(item) + "\n", encoding="utf-8")
    report = evaluate(tagger, load_labelled(path))
    assert report.organisations.tp == 2 and report.organisations.fp == 0      # overlap counts
    assert report.role_correct == 1                                           # one label wrong
    assert report.signal_micro.f1 == 1.0
    assert report.attribution_correct == 1      # "Sigma Electric Ltd" is "Sigma Electric Pvt Ltd"
    assert not report.entities                  # press items have no strict entity score
    assert organisation_key("The Sigma Electric Pvt. Ltd.") == organisation_key("sigma electric")


def test_a_customers_own_news_counts_with_or_without_it_as_company(tagger, tmp_path) -> None:
    lines = [json.dumps({"id": f"p{n}", "style": "press",
                         "text": "Navika Motors is recalling 4,200 Vela cars over a steering fault.",
                         "signals": [{"type": "quality_ppm", "company": company, "customer": "Navika Motors"}]})
             for n, company in enumerate(["Navika Motors", None])]
    path = tmp_path / "own.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = evaluate(tagger, load_labelled(path))
    assert report.attribution_correct == report.attribution_total == 2


def test_gold_names_resolve_like_the_catalog_and_lone_customers_are_their_own_news(tagger, tmp_path) -> None:
    rows = [{"id": "p1", "style": "press",
             "text": "Fuyao Glass Industry Group Co., Ltd. will add a float line in Fujian.",
             "signals": [{"type": "capacity", "company": "Fuyao Glass Industry Group Co., Ltd."}]},
            {"id": "p2", "style": "press", "text": "Navika Motors has raised the prices of its cars by 2 per cent from April.",
             "signals": [{"type": "pricing", "company": "Navika Motors"}]}]
    path = tmp_path / "names.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    report = evaluate(tagger, load_labelled(path))
    assert report.signal_micro.tp == 2
    assert report.attribution_correct == 2      # "fuyao" by its legal name; Navika's own news
    assert report.attributed_signal_micro.f1 == 1.0
    # a signal of the right type about the wrong company counts for the type, not attributed
    rows[0]["signals"][0]["company"] = "Xinyi Glass"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    report = evaluate(tagger, load_labelled(path))
    assert report.signal_micro.f1 == 1.0
    assert (report.attributed_signal_micro.tp, report.attributed_signal_micro.fp,
            report.attributed_signal_micro.fn) == (1, 1, 1)


@pytest.mark.parametrize("text, expected", [
    ("Meridian Mobility has cancelled its sunroof glass order with Clarity Glassworks after the "
     "programme slipped by a year.", ("supply_loss", "clarity-glassworks", "meridian-mobility")),
    ("Meridian Mobility's new electric MPV gets an acoustic windshield developed by Vitreon Auto Glass.",
     ("technology_launch", "vitreon", "meridian-mobility")),
    # an organisation outside the catalog after "with" is the supplier too
    ("Navika Motors has called off a big order with Sigma Electric Pvt Ltd for door modules.",
     ("supply_loss", "Sigma Electric Pvt Ltd", "navika-motors")),
])
def test_a_customers_act_about_the_glass_maker_it_names_is_the_glass_makers(tagger, text, expected) -> None:
    assert expected in [(s.type, s.company_id or s.company_name, s.customer_id) for s in tagger.tag(text).signals]


def test_who_is_supplied_under_an_order_is_its_buyer(tagger) -> None:
    text = "Tavren Motors has won an order to supply 1,290 buses to KSRTC, its largest this year."
    assert [(s.type, s.company_id or s.company_name, s.customer_id or s.customer_name, s.value, s.unit)
            for s in tagger.tag(text).signals] == [("supply_win", "Tavren Motors", "KSRTC", 1290.0, "units")]


def test_each_buyer_listed_after_from_gets_the_win(tagger) -> None:
    text = ("Tavren Motors said it has bagged orders for 2,400 buses from KSRTC, the Orissa Road "
            "Transport Board and Navika Motors, all due by March.")
    assert sorted((s.type, s.company_name, s.customer_id or s.customer_name)
                  for s in tagger.tag(text).signals if s.type == "supply_win") == [
        ("supply_win", "Tavren Motors", "KSRTC"), ("supply_win", "Tavren Motors", "Orissa Road Transport Board"),
        ("supply_win", "Tavren Motors", "navika-motors")]


def test_each_buyer_listed_with_a_place_after_it_gets_the_win(tagger) -> None:
    text = ("Tavren Motors has bagged orders for 1,400 buses from the Kaveri Road Transport Corporation "
            "in Mysuru, the Orissa Road Transport Board and Navika Motors at Kesarpur.")
    assert sorted(s.customer_id or s.customer_name for s in tagger.tag(text).signals
                  if s.type == "supply_win") == ["Kaveri Road Transport Corporation",
                                                 "Orissa Road Transport Board", "navika-motors"]


def test_a_name_among_other_names_is_no_headline(tagger) -> None:
    text = ("Orders came from the Uttar Pradesh State Roadways Transport Corporation and the "
            "Chandigarh Transport Undertaking, all to be delivered.")
    assert [name for name, label in orgs(tagger, text)] == [
        "Uttar Pradesh State Roadways Transport Corporation", "Chandigarh Transport Undertaking"]
    # a headline still is one, with a name found in it
    assert orgs(tagger, "Sigma Electric Pvt Ltd Unveils New Acoustic Glass Range For Premium Cars") == [
        ("Sigma Electric Pvt Ltd", "ORG")]


def test_bidders_listed_after_from_are_the_enquirys_companies_and_the_subject_its_buyer(tagger) -> None:
    text = ("The Kaveri Road Transport Corporation had invited tenders on June 13, 2011 from Tata "
            "Motors Ltd, Ashok Leyland Ltd and Ruvela Coachworks Ltd for 41-seater buses.")
    assert signals(tagger, text) == [
        ("rfq", "Ruvela Coachworks Ltd", "Kaveri Road Transport Corporation"),
        ("rfq", "ashok-leyland", "Kaveri Road Transport Corporation"),
        ("rfq", "tata-motors", "Kaveri Road Transport Corporation")]


@pytest.mark.parametrize("text, expected", [
    # invited to an event is no enquiry
    ("Meridian Mobility held a suppliers' day to find partners for glazing, and Kestrel and Vitreon "
     "were among the glassmakers invited.",
     [("customer_engagement", "kestrel-glass", "meridian-mobility"),
      ("customer_engagement", "vitreon", "meridian-mobility")]),
    ("Only Kestrel Safety Glass and Vitreon were invited to the closed-door technology show at Dhruva "
     "Automobiles' R&D centre.",
     [("customer_engagement", "kestrel-glass", "dhruva-auto"), ("customer_engagement", "vitreon", "dhruva-auto")]),
    ("Kestrel Safety Glass and Vitreon invited for the Vela backlite bid, Navika said.",
     [("rfq", "kestrel-glass", "navika-motors"), ("rfq", "vitreon", "navika-motors")]),
    # a part no longer fitted is a loss, no launch
    ("Navika Motors said it will stop fitting Sunmarg windshields to any new model now in development.",
     [("supply_loss", "sunmarg", "navika-motors")]),
])
def test_invited_to_an_event_and_a_part_no_longer_fitted(tagger, text, expected) -> None:
    assert signals(tagger, text) == expected


@pytest.mark.parametrize("text", [
    "Navika Motors is ending its relationship with Sunmarg Safety Glass, its sidelite maker since 2015.",
    "Navika Motors has severed ties with Sunmarg Safety Glass.",
    "Navika Motors broke off ties with Sunmarg last month.",
])
def test_a_buyer_ending_its_ties_with_a_supplier_is_the_suppliers_loss(tagger, text) -> None:
    assert signals(tagger, text) == [("supply_loss", "sunmarg", "navika-motors")]


@pytest.mark.parametrize("text", [
    "Last year Navika Motors stopped buying sidelites from Sunmarg and turned to other suppliers, among "
    "them Vitreon and Clarity Glassworks.",
    "Navika Motors moved to rival suppliers such as Vitreon and Clarity Glassworks for its sidelites.",
])
def test_the_suppliers_named_after_other_suppliers_a_buyer_turned_to_win(tagger, text) -> None:
    assert [s for s in signals(tagger, text) if s[0] == "supply_win"] == [
        ("supply_win", "clarity-glassworks", "navika-motors"), ("supply_win", "vitreon", "navika-motors")]


def test_a_share_held_at_a_figure_is_no_negation(tagger) -> None:
    text = "Navika Motors sold 52,511 cars last year for a 14.5 percent share and has held 14.6 percent so far."
    assert signals(tagger, text) == [("share_of_business", None, "navika-motors")]
    assert signals(tagger, "Navika Motors' prices held this month.") == []


@pytest.mark.parametrize("text, company", [
    ("A fire at Orlenhof's interior parts plant in Howell has already slowed work at three Navika Motors plants.",
     "Orlenhof"),
    ("A strike at Orlenhof Components Ltd has halted output at two Navika Motors plants.", "Orlenhof Components Ltd"),
])
def test_a_fire_or_strike_at_a_supplier_is_its_delivery(tagger, text, company) -> None:
    assert signals(tagger, text) == [("delivery_performance", company, "navika-motors")]


def test_a_supply_relationship_terminated_is_a_loss(tagger) -> None:
    text = "Orlenhof Optics Ltd said its procurement relationship with Navika Motors will be terminated."
    assert signals(tagger, text) == [("supply_loss", "Orlenhof Optics Ltd", "navika-motors")]


def test_a_list_of_products_between_a_supply_verb_and_its_buyer_keeps_them_together(tagger) -> None:
    text = ("Orlenhof Safety Systems Pvt Ltd started production at its Gujarat plant, which will feed airbags, "
            "steering wheels and weatherstrips to Dhruva Automobiles.")
    assert ("supply_win", "Orlenhof Safety Systems Pvt Ltd", "dhruva-auto") in signals(tagger, text)
    # (a comma that is no list's still ends the clause)
    cues = [s.cue for s in tagger.tag("Vitreon will supply windshields, said the chairman, to Navika Motors.").signals]
    assert cues == ["will supply"]


def test_the_only_glass_supplier_to_a_carmaker_holds_its_business(tagger) -> None:
    text = "Vitreon is the only glass supplier to Navika Motors and the biggest one to Dhruva, its chairman said."
    assert ("share_of_business", "vitreon", "navika-motors") in signals(tagger, text)


@pytest.mark.parametrize("text, found", [
    ("Navika Motors has set up a glass technology group led by a former Orlenhof engineer.", False),
    ("Navika Motors and Meridian Mobility would set up a framework to carry out a tie-up in safety.", False),
    ("Navika urged its vendors to get their own suppliers to set up in India.", False),
    ("Vitreon will set up a new manufacturing base for windshields in Gujarat.", True),
    ("Vitreon will set up a laminating plant near Sanand.", True),
    ("Navika Motors opened a global procurement unit in Delhi last year.", False),     # an office
    ("Kestrel engineers spent two days at Dhruva Automobiles' technical centre last week.", False),   # a visit
    ("Kestrel Safety Glass today opened a customer technical centre at Oragadam.", True),
    ("Vitreon opened a new unit near Sanand for windshields.", True),
])
def test_set_up_is_capacity_only_with_a_plant(tagger, text, found) -> None:
    assert ("capacity" in types(tagger, text)) is found


@pytest.mark.parametrize("text, expected", [
    ("Navika Motors is now evaluating Indian vendors on quality ahead of its first direct sourcing deal.",
     [("customer_engagement", None, "navika-motors")]),
])
def test_a_customer_evaluating_its_vendors_is_engagement(tagger, text, expected) -> None:
    assert signals(tagger, text) == expected


def test_a_result_takes_the_figure_of_its_first_cues_clause(tagger) -> None:
    text = ("Navika Motors' net profit for the July-September quarter climbed 71 per cent to Rs 294.41 crore from "
            "Rs 172.2 crore, helped by lower costs, although revenue slipped seven per cent to Rs 4,911.62 crore.")
    assert [(s.value, s.previous_value) for s in tagger.tag(text).signals if s.type == "financial_result"] == [
        (2944100000.0, 1722000000.0)]


def test_a_makers_name_before_its_product_does_not_count_against_the_reach(tagger) -> None:
    text = "Navika's new Vela gets Kestrel Safety Glass's acoustic windshield."
    assert signals(tagger, text) == [("technology_launch", "kestrel-glass", "navika-motors")]
    # an event is no organisation, a maker of instruments is
    assert orgs(tagger, "Orlenhof Instruments showed a head-up display prototype at CES.") == [
        ("Orlenhof Instruments", "ORG")]


@pytest.mark.parametrize("text, expected", [
    ("Kestrel Safety Glass will make the acoustic windshield for Navika Motors' new MPV.",
     [("supply_win", "kestrel-glass", "navika-motors")]),
    ("Vitreon Auto Glass's Sanand unit has been given the contract for the backlite on Meridian Mobility's next SUV.",
     [("supply_win", "vitreon", "meridian-mobility")]),
    # a description, no business: a participle after a noun, a value not given
    ("Vitreon said 223 laminated windshields made in 2018 and sent to Navika Motors were mismarked.", []),
])
def test_a_part_made_for_a_carmaker_or_a_contract_given_is_a_win(tagger, text, expected) -> None:
    assert [s for s in signals(tagger, text) if s[0] == "supply_win"] == expected


def test_a_town_with_a_glass_makers_plant_is_a_place_when_another_company_is_named(tagger) -> None:
    text = "Orlenhof Seals Ltd has opened a manufacturing facility at Bawal in Haryana for door seals."
    assert signals(tagger, text) == [("capacity", "Orlenhof Seals Ltd", None)]
    assert orgs(tagger, "Vitreon showed its HUD windshield at the New Delhi Auto Expo.") == [("Vitreon", "COMPETITOR")]


@pytest.mark.parametrize("text, expected", [
    ("Navika Motors terminated its contract with Orlenhof Components Corporation on November 25, 1998.",
     [("supply_loss", "Orlenhof Components Corporation", "navika-motors")]),
    ("Navika Motors cancelled Sunmarg's order for the Vela backlite.", [("supply_loss", "sunmarg", "navika-motors")]),
    ("Vitreon lost its contract with Navika Motors.", [("supply_loss", "vitreon", "navika-motors")]),
])
def test_a_contract_ended_by_a_buyer_is_its_holders_loss(tagger, text, expected) -> None:
    assert signals(tagger, text) == expected


@pytest.mark.parametrize("text", [
    "Orlenhof Auto Parts Ltd will set up a lighting plant in Gujarat at a capital expenditure of Rs 90 crore, "
    "funded through a mix of debt and internal accruals.",
    "Orlenhof Auto Parts Ltd will open a switches plant costing Rs 120 crore, to be completed by Q3 FY27.",
])
def test_a_plants_funding_and_timeline_are_no_result(tagger, text) -> None:
    assert types(tagger, text) == {"capacity"}
    # (a period with a result's sum still is one)
    assert "financial_result" in types(tagger, "Vitreon posted Rs 412 crore of net sales in the third quarter.")


def test_a_number_of_shares_bought_is_no_share_of_business(tagger) -> None:
    text = "Orlenhof AG is buying 4.99 crore shares, or 25.12 per cent, of Vitreon Auto Glass."
    assert "share_of_business" not in types(tagger, text)


def test_an_award_won_is_a_rating_no_win(tagger) -> None:
    text = ("For a third year in a row, Orlenhof Seals Ltd has collected six Supplier of the Year awards "
            "from Navika Motors, the most any supplier has won in one year.")
    assert signals(tagger, text) == [("vendor_rating", "Orlenhof Seals Ltd", "navika-motors")]
    # (a business won stays a win)
    assert ("supply_win", "vitreon", "navika-motors") in signals(tagger, "Vitreon won the Vela backlite at Navika Motors.")


@pytest.mark.parametrize("text, found", [
    ("Orlenhof Chassis Systems Pvt Ltd, the joint venture of Orlenhof AG, has won a Rs 1,000 crore contract.", False),
    ("Navika Motors will raise prices from January, the Indian-Japanese joint venture said in a statement.", False),
    ("Orlenhof Glass Technologies, the joint venture unveiled in October, has settled on Tamil Nadu for a plant.",
     False),
    # news of a tie stays one
    ("Vitreon and Orlenhof AG formed the joint venture to make PVB in Pune.", True),
    ("Orlenhof AG is to take 45 per cent of Vitreon Float Ltd, Vitreon said in a notice on the joint venture.", True),
])
def test_a_joint_venture_named_with_the_is_no_news_of_one(tagger, text, found) -> None:
    assert ("partnership" in types(tagger, text)) is found


def test_an_offer_of_shares_is_fund_raising_no_price(tagger) -> None:
    text = "Sunmarg Safety Glass is planning an initial public offer of up to Rs 1,200 crore to expand capacity."
    assert "pricing" not in types(tagger, text)
    assert [(s.value, s.unit) for s in tagger.tag(text).signals if s.type == "financial_result"] == [
        (12000000000.0, "INR")]


def test_a_share_is_the_buyers_listed_with_the_first_not_those_after_it(tagger) -> None:
    text = ("Dhruva Automobiles is the largest customer of Clarity Glassworks with 34 percent of its business, "
            "followed by Navika Motors and Meridian Mobility.")
    assert signals(tagger, text) == [("share_of_business", "clarity-glassworks", "dhruva-auto")]


def test_a_letter_of_award_is_a_win_no_rating(tagger) -> None:
    text = "Kestrel Safety Glass has received a letter of award from Meridian Mobility for backlites on its new SUV."
    assert signals(tagger, text) == [("supply_win", "kestrel-glass", "meridian-mobility")]


REVIEW_MISFIRES = [json.loads(line) for line in
                   (Path(__file__).parent / "data" / "review_misfires.jsonl").read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize("case", REVIEW_MISFIRES, ids=[case["text"][:50] for case in REVIEW_MISFIRES])
def test_misfires_a_review_of_stop_21_found_stay_fixed(tagger, case) -> None:
    """Sentences a KAM or the press could write on which stop 21's first rules misfired (a plant town
    dropped, "twenty-five" read as 5, "up to" a level read as an amount moved, "make a
    presentation to" a win, a negated termination a loss, "Harman" a first name, "invited to the
    tender" no enquiry, "interest costs" a stake, "is speculation" wiping a clause …): each gives
    what it should."""
    found = sorted([s.type, s.company_id or s.company_name, s.customer_id or s.customer_name, s.value, s.unit,
                    s.previous_value] for s in tagger.tag(case["text"], case["context"]).signals)
    expected = sorted([g["type"], g["company"], g["customer"], g["value"], g["unit"], g["previous_value"]]
                      for g in case["signals"])
    assert found == expected


def test_an_abbreviation_defined_in_brackets_is_the_named_organisation(tagger) -> None:
    text = ("Kaveri Transport Corporation (KTC) runs 4,000 buses in the state. "
            "KTC has floated a tender for 450 electric buses.")
    assert [(s.type, s.customer_name) for s in tagger.tag(text).signals] == [
        ("rfq", "Kaveri Transport Corporation")]
    # the abbreviation of a catalog name is that entry
    assert [(s.type, s.company_id) for s in tagger.tag(
        "Vitreon Auto Glass Ltd (VTRN) said VTRN will invest Rs 240 crore in a new plant.").signals] == [
        ("capacity", "vitreon")]


def test_a_gold_name_the_catalog_gives_to_two_entries_matches_either(tagger, tmp_path) -> None:
    # "Nissan" is the maker's id and its Indian arm's alias: a prediction of either names it
    row = {"id": "p1", "style": "press", "text": "Nissan will raise the prices of its cars by up to 3 percent.",
           "signals": [{"type": "pricing", "company": None, "customer": "Nissan", "value": 3, "unit": "%"}]}
    path = tmp_path / "either.jsonl"
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    predicted = [(s.company_id, s.customer_id) for s in tagger.tag(row["text"]).signals]
    assert predicted == [(None, "nissan-india")]
    report = evaluate(tagger, load_labelled(path))
    assert report.attribution_correct == report.attribution_total == 1
    assert report.figure_correct == 1
    # another company is still wrong
    row["signals"][0]["customer"] = "Renault Group"
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    assert evaluate(tagger, load_labelled(path)).attribution_correct == 0


def test_eval_compares_sets_rules_alone_with_errors_and_floors(tmp_path, capsys) -> None:
    from pathlib import Path

    from compintel.cli import main

    repo = Path(__file__).resolve().parents[1]
    row = {"id": "p1", "style": "press",
           "text": "Sigma Electric Pvt Ltd has bagged an order from Navika Motors.",
           "entities": [{"text": "Sigma Electric Pvt Ltd", "label": "ORG"},
                        {"text": "Navika Motors", "label": "CUSTOMER"}],
           "signals": [{"type": "supply_win", "company": "Orlenhof AG", "customer": "Navika Motors"}]}
    for name in ("a.jsonl", "b.jsonl"):
        (tmp_path / name).write_text(json.dumps(row) + "\n", encoding="utf-8")
    status = main(["eval", str(tmp_path / "a.jsonl"), str(tmp_path / "b.jsonl"), "-w", str(repo),
                   "--rules-only", "--errors", "5", "--min-entity-f1", "0.9",
                   "--min-attributed-signal-f1", "0.5"])
    out, err = capsys.readouterr()
    assert "== a.jsonl" in out and "== b.jsonl" in out          # each file's errors
    assert "attribution supply_win" in out
    assert "—" in out                      # press sets have no strict entity score …
    assert status == 1 and "attributed_signal_f1 0.000 < 0.5 in a.jsonl" in err
    assert "entity_f1 " not in err         # … and no floor on it


def test_the_pack_alone_loads_with_the_new_domain_files() -> None:
    catalog = load_catalog()
    assert catalog["bosch"].role == "org" and catalog["fuyao"].role == "competitor"
    assert catalog["airbag"].kind == "technology"


def test_the_store_keeps_the_name_of_an_organisation_outside_the_catalog(tmp_path) -> None:
    from compintel import Workbench
    from compintel.documents import DocumentIn, upsert_document

    with Workbench.init(tmp_path / "ws") as wb:
        with wb.store.transaction() as db:
            upsert_document(db, DocumentIn(
                url="https://press.example/sigma", kind="article", title="Order",
                text="Sigma Electric Pvt Ltd has bagged a Rs 120 crore order from Dhruv Trucks Ltd."))
        assert wb.tag().tagged == 1
        frame = wb.signals()
    assert frame[["type", "company_id", "company_name", "customer_name"]].values.tolist() == [
        ["supply_win", None, "Sigma Electric Pvt Ltd", "Dhruv Trucks Ltd"]]


@pytest.mark.parametrize("field, value, message", [
    ("label", "PERSON", "unknown label 'PERSON'"),
    ("type", "merger", "unknown signal type 'merger'"),
    ("unit", "USD", None),          # a currency code is a unit
    ("unit", "bucks", "unknown unit 'bucks'"),
])
def test_a_labelled_item_with_an_unknown_label_type_or_unit_names_its_line(tmp_path, field, value,
                                                                          message) -> None:
    from compintel.errors import DataFileError

    item = {"id": "x", "text": "Orlenhof AG won an order worth $5 million.",
            "entities": [{"text": "Orlenhof AG", "label": value if field == "label" else "ORG"}],
            "signals": [{"type": value if field == "type" else "supply_win", "company": "Orlenhof AG",
                         "value": 5000000, "unit": value if field == "unit" else "USD"}]}
    path = tmp_path / "set.jsonl"
    path.write_text("\n" + json.dumps(item) + "\n", encoding="utf-8")
    if message is None:
        assert load_labelled(path)[0].signals[0].unit == "USD"
        return
    with pytest.raises(DataFileError, match=message) as raised:
        load_labelled(path)
    assert ":2" in str(raised.value.format())


@pytest.mark.parametrize("text, expected", [
    ("Vitreon Auto Glass controls over 60% of India's OEM glass market and 30% of its replacement market, with "
     "Navika Motors and Dhruva Automobiles among its clients.", [("share_of_business", "vitreon", None)]),
    ("Orlenhof Climate Systems, which holds 51% of the truck AC and blower market, counts Navika Motors and Dhruva "
     "Automobiles among its customers.", [("share_of_business", "Orlenhof Climate Systems", None)]),
    # a buyer's share stays the buyer's, and a vehicle maker's market share its own
    ("Vitreon holds 40% of Navika's windshield business.", [("share_of_business", "vitreon", "navika-motors")]),
    ("In India, Navika Motors holds more than 50 per cent of the market.",
     [("share_of_business", None, "navika-motors")]),
])
def test_a_share_of_a_market_is_no_share_of_the_clients_listed_beside_it(tagger, text, expected) -> None:
    assert signals(tagger, text) == expected


@pytest.mark.parametrize("text, value, previous", [
    ("Navika Motors has put Kestrel Safety Glass in its top supplier band, with a score of 92 out of 100.", 92, None),
    ("Navika Motors has moved Kestrel Safety Glass into its amber vendor band after its scorecard slid to 71 out "
     "of 100, down from 84.", 71, 84),
    ("Kestrel Safety Glass has been placed in Navika Motors' green band, scoring 88 on the carmaker's supplier "
     "scorecard against 81 a year earlier.", 88, 81),
])
def test_a_score_out_of_100_or_scored_bare_is_the_ratings_figure(tagger, text, value, previous) -> None:
    [signal] = [s for s in tagger.tag(text).signals if s.type == "vendor_rating"]
    assert (signal.company_id, signal.value, signal.unit, signal.previous_value) == (
        "kestrel-glass", value, "%", previous)


def test_a_score_scored_bare_keeps_the_next_companys_score(tagger) -> None:
    # "we scored 88, Sunmarg 91": the second score is Sunmarg's, in the same unit
    found = {(s.company_id, s.value) for s in tagger.tag("Kothvali quarterly supplier review: we scored 88, "
                                                         "Sunmarg 91.").signals if s.type == "vendor_rating"}
    assert found == {("kestrel-glass", 88), ("sunmarg", 91)}


def test_a_scaled_number_recalled_is_a_count_of_vehicles(tagger) -> None:
    [signal] = tagger.tag("Navika Motors recalls 2.5 lakh 'defective' Vela hatchbacks in 2026").signals
    assert (signal.type, signal.customer_id, signal.value, signal.unit) == (
        "quality_ppm", "navika-motors", 250000, "units")


@pytest.mark.parametrize("text", [
    "Vitreon has won an order for 2.1 mm windshields from Navika Motors.",
    "Vitreon has won an order from Navika Motors for a 4.2 kg acoustic windshield.",
])
def test_a_measure_before_a_part_is_no_count_of_parts(tagger, text) -> None:
    [signal] = tagger.tag(text).signals
    assert (signal.type, signal.value, signal.unit) == ("supply_win", None, None)


@pytest.mark.parametrize("text, expected", [
    ("Navika Motors, a Varenko Holdings subsidiary, has won a Rs 151 crore order from the Orlenhof Transport "
     "Corporation for 100 electric buses.", [("supply_win", "navika-motors", "Orlenhof Transport Corporation")]),
    ("Vitreon, a Sunmarg subsidiary, has won a Rs 151 crore order from Navika Motors.",
     [("supply_win", "vitreon", "navika-motors")]),
    ("Vitreon, a unit of Sunmarg, has won a Rs 151 crore order from Navika Motors.",
     [("supply_win", "vitreon", "navika-motors")]),
    ("Navika Motors, the Varenko Group flagship, said on Friday it had secured an order for 1,750 buses from the "
     "Orlenhof Transport Corporation.", [("supply_win", "navika-motors", "Orlenhof Transport Corporation")]),
])
def test_a_name_in_an_aside_on_whose_part_a_company_is_is_no_subject(tagger, text, expected) -> None:
    assert signals(tagger, text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Vitreon Auto Glass has come in lowest in Navika Motors' tender for sunroof glass, undercutting Kestrel "
     "Safety Glass by about 4 per cent.",
     [("pricing", "vitreon", "navika-motors"), ("rfq", "kestrel-glass", "navika-motors"),
      ("rfq", "vitreon", "navika-motors")]),
    ("Kestrel Safety Glass was declared the L1 bidder in Navika Motors' tender for backlites and has been awarded "
     "the business, edging out Sunmarg and two other glass makers.",
     [("rfq", "kestrel-glass", "navika-motors"), ("rfq", "sunmarg", "navika-motors"),
      ("supply_win", "kestrel-glass", "navika-motors")]),
    ("Kestrel Safety Glass emerged L-1 in Dhruva Automobiles' tender for backlites, with Vitreon placed second "
     "and Sunmarg third.",
     [("rfq", "kestrel-glass", "dhruva-auto"), ("rfq", "sunmarg", "dhruva-auto"), ("rfq", "vitreon", "dhruva-auto")]),
    ("Kestrel Safety Glass emerged L1 for the sidelite lot in Meridian Mobility's tender but is L2 behind Sunmarg "
     "Safety Glass for the windshields.",
     [("rfq", "kestrel-glass", "meridian-mobility"), ("rfq", "sunmarg", "meridian-mobility")]),
    ("Kestrel Safety Glass has come out L1 in Navika Motors' RFQ for Vela windshields, ahead of Vitreon and "
     "Sunmarg.",
     [("rfq", "kestrel-glass", "navika-motors"), ("rfq", "sunmarg", "navika-motors"),
      ("rfq", "vitreon", "navika-motors")]),
])
def test_the_supplier_beaten_in_a_tender_is_no_subject_and_bid_too(tagger, text, expected) -> None:
    assert signals(tagger, text) == expected


@pytest.mark.parametrize("text, value", [
    ("Shares of Vitreon, Navika Motors' largest supplier of windshields, fell over 3%.", None),
    ("Vitreon, whose profit climbed 25.8 per cent last year, is the only glass supplier to Navika Motors.", None),
    # a share that moved to a level, or by percentage points, keeps its figure
    ("Vitreon's share at Navika Motors rose to 40% from 30%.", 40),
    ("Kestrel's share of Prayan sidelites at Dhruva jumped 20 percentage points in September.", 20),
    ("In 2025, Navika Motors made up 68 percent of Vitreon's sales.", 68),
])
def test_by_how_much_something_moved_is_no_share(tagger, text, value) -> None:
    [signal] = [s for s in tagger.tag(text).signals if s.type == "share_of_business"]
    assert signal.value == value


@pytest.mark.parametrize("text, value, unit", [
    ("A two-day transporters' strike held up backlite shipments from Sunmarg Safety Glass to Navika Motors' "
     "Kesarpur plant, forcing the carmaker to airlift 1,200 sets.", 1200, "units"),
    ("Last year a 13-day partial strike by Navika's union stopped the carmaker from building 82,000 vehicles.",
     82000, "units"),
    # a duration that is the figure stays it
    ("Sunmarg's backlite shipments to Navika Motors were held up for two days.", 2, "days"),
])
def test_a_duration_describing_the_event_yields_to_the_count_it_cost(tagger, text, value, unit) -> None:
    [signal] = [s for s in tagger.tag(text).signals if s.type == "delivery_performance"]
    assert (signal.value, signal.unit) == (value, unit)


@pytest.mark.parametrize("text, value, unit", [
    ("Shares of Vitreon climbed more than 5.5 per cent to a record Rs 307.75 on Tuesday after the glass maker "
     "disclosed the Rs 750-crore order from Navika Motors.", 7500000000, "INR"),
    ("Navika Motors rose as much as 2.6 per cent on Wednesday after the automaker won orders for more than 2,700 "
     "'urban' buses under the JNNURM-II scheme.", 2700, "units"),
])
def test_a_share_price_or_its_move_is_no_figure_of_the_news_behind_it(tagger, text, value, unit) -> None:
    [signal] = tagger.tag(text).signals
    assert (signal.type, signal.value, signal.unit) == ("supply_win", value, unit)


def test_a_quoted_word_may_stand_between_a_number_and_its_noun(tagger) -> None:
    [signal] = tagger.tag("Vitreon won an order for 3,000 “premium” windshields from Navika Motors.").signals
    assert (signal.value, signal.unit) == (3000, "units")


@pytest.mark.parametrize("text, value, unit", [
    ("Orlenhof Springs Ltd has opened a plant in Howrah that can make more than 1,20,000 air springs a year.",
     120000, "units"),
    ("Vitreon has commissioned a float line at Hosur that turns out 550 tons of float glass a day.", 550, "tpd"),
])
def test_a_rate_of_anything_made_is_a_capacity(tagger, text, value, unit) -> None:
    [signal] = tagger.tag(text).signals
    assert (signal.type, signal.value, signal.unit) == ("capacity", value, unit)


@pytest.mark.parametrize("text, expected", [
    ("The Orlenhof Transport Corporation has awarded Navika Motors a Rs 3,675 crore contract for 2,100 electric "
     "buses.", [("supply_win", "navika-motors", "Orlenhof Transport Corporation")]),
    ("The Orlenhof Transport Corporation has placed a Rs 151 crore order with Pune's Navika Motors for 100 "
     "e-buses.", [("supply_win", "navika-motors", "Orlenhof Transport Corporation")]),
    ("Navika Motors awarded Vitreon the Vela windshield contract.", [("supply_win", "vitreon", "navika-motors")]),
])
def test_a_vehicle_maker_handed_or_placed_business_is_the_supplier(tagger, text, expected) -> None:
    assert signals(tagger, text) == expected


@pytest.mark.parametrize("text, value, unit, signal_type", [
    ("Vitreon is lifting its annual capacity from 3.6 million windshields to 5.4 million by 2028.",
     5400000, "units", "capacity"),
    ("Sunmarg managing director Arvind Rao expects export revenue of about Rs 220 crore last fiscal to rise to "
     "nearly Rs 400 crore this year.", 4000000000, "INR", "financial_result"),
    ("Clarity Glassworks' share of Navika Motors' windshield business, now 30 per cent, should reach 60 per cent "
     "within two years.", 60, "%", "share_of_business"),
    # a level already reached keeps its figure
    ("Vitreon's revenue rose 55% to Rs 476 crore.", 4760000000, "INR", "financial_result"),
])
def test_where_a_figure_rises_to_is_the_figure(tagger, text, value, unit, signal_type) -> None:
    [signal] = [s for s in tagger.tag(text).signals if s.type == signal_type]
    assert (signal.value, signal.unit) == (value, unit)


def test_a_negation_does_not_reach_past_amid(tagger) -> None:
    text = ("Navika Motors has prolonged a shutdown at its Chennai plant because a supplier part could not be had "
            "amid the chip shortage.")
    assert signals(tagger, text) == [("delivery_performance", None, "navika-motors")]
    assert types(tagger, "Navika Motors said its Chennai plant was not hit by the chip shortage.") == set()


@pytest.mark.parametrize("text, expected", [
    ("Navika Motors' domestic sales grew 6 per cent in November, while Dhruva Automobiles and Meridian Mobility "
     "each reported declines of 4-7 per cent.", []),
    # a price each, or each raising prices, stays a price
    ("Vitreon and Sunmarg have each raised what they charge Navika Motors for backlites by 3.5 percent.",
     [("pricing", "sunmarg", "navika-motors"), ("pricing", "vitreon", "navika-motors")]),
])
def test_each_reporting_a_decline_is_no_price(tagger, text, expected) -> None:
    assert signals(tagger, text) == expected


def test_a_cue_is_about_a_name_in_its_own_clause_first(tagger) -> None:
    text = ("Vitreon has cut its backlite prices to Dhruva Automobiles by 3 per cent after the carmaker asked for "
            "an annual giveback, while Clarity Glassworks kept its prices unchanged.")
    assert signals(tagger, text) == [("pricing", "vitreon", "dhruva-auto")]


@pytest.mark.parametrize("text, expected", [
    ("Sahyadri Ratings reaffirmed its A+ rating on Sunmarg's bank facilities, citing the glassmaker's established "
     "position in automotive glass.", []),
    ("Vitreon's stock has lost more than 7 percent since January last year.", []),
    # a plant established, business lost, stay signals
    ("Vitreon has established a new plant at Hosur.", [("capacity", "vitreon", None)]),
    ("Vitreon lost the Vela windshield business at Navika Motors, and its stock has lost 7 percent since.",
     [("supply_loss", "vitreon", "navika-motors")]),
])
def test_an_established_position_or_a_stock_that_lost_is_no_signal(tagger, text, expected) -> None:
    assert signals(tagger, text) == expected


def test_a_new_model_gaining_a_feature_is_a_launch(tagger) -> None:
    text = "Navika's all-new Vela, riding on a fresh chassis and due on October 2, gains cruise control."
    assert signals(tagger, text) == [("technology_launch", "navika-motors", "navika-motors")]


@pytest.mark.parametrize("text, expected", [
    ("Navika Motors has cancelled its sunroof order with Vitreon over sealing defects, and will buy the part from "
     "Clarity Glassworks instead.", [("quality_ppm", "vitreon", "navika-motors"),
                                     ("supply_loss", "vitreon", "navika-motors"),
                                     ("supply_win", "clarity-glassworks", "navika-motors")]),
    ("Navika Motors will stop buying backlites from Vitreon instead of renewing the contract.",
     [("supply_loss", "vitreon", "navika-motors")]),
])
def test_a_buyer_turning_to_buy_from_a_supplier_instead_is_its_win(tagger, text, expected) -> None:
    assert signals(tagger, text) == expected


def test_a_company_bought_past_all_the_shares_of_it_is_a_partnership(tagger) -> None:
    text = "Sunmarg has bought all the shares of Romania's Pietta Glass Working to enlarge its footprint in flat glass."
    assert ("partnership", "sunmarg", None) in signals(tagger, text)


@pytest.mark.parametrize("text, expected", [
    ("Navika Motors has terminated its agreement with Vitreon.", [("supply_loss", "vitreon", "navika-motors")]),
    ("Vitreon admitted the defects, and Dhruva Automobiles has cancelled its orders with the glass maker.",
     [("quality_ppm", "vitreon", "dhruva-auto"), ("supply_loss", "vitreon", "dhruva-auto")]),
])
def test_an_agreement_ended_is_a_loss_and_the_glass_maker_is_the_one_named_before(tagger, text, expected) -> None:
    assert signals(tagger, text) == expected


def test_a_word_of_a_products_name_is_no_cue_and_a_change_by_some_percent_no_share(tagger) -> None:
    text = ("Kestrel Safety Glass has introduced a solar control glass for panoramic roofs which, it says, keeps "
            "cabins cool enough to stretch an electric car's range by up to 5%.")
    assert signals(tagger, text) == [("technology_launch", "kestrel-glass", None)]
    # a share's own figure stays
    assert signals(tagger, "Kestrel keeps 40% of Navika Motors' windshield business.") == [
        ("share_of_business", "kestrel-glass", "navika-motors")]


@pytest.mark.parametrize("text, expected", [
    ("At Navika Motors' annual supplier conference, purchasing head Ritu Khosla singled out Kestrel Safety Glass "
     "for its quality record.", ("vendor_rating", "kestrel-glass", "navika-motors")),
    ("At Navika Motors' yearly event for its parts makers, its purchasing chief praised 78 suppliers for quality "
     "and innovation.", ("vendor_rating", None, "navika-motors")),
])
def test_a_customer_praising_a_supplier_for_its_record_rates_it(tagger, text, expected) -> None:
    assert expected in signals(tagger, text)
    assert "vendor_rating" not in types(tagger, "Analysts praised Vitreon's results.")


def test_a_hall_of_fame_is_no_organisation(tagger) -> None:
    text = ("Orlenhof Transport Ltd, a freight carrier for Navika Motors, achieved Partner-level status and entered "
            "its Supplier Hall of Fame.")
    names = [m.text for m in tagger.tag(text).mentions if m.label == "ORG"]
    assert names == ["Orlenhof Transport Ltd"]
    # ("Service" ends no name: "Dhruva After Sales Service flagged 6 cracks" is no organisation's)


@pytest.mark.parametrize("text, expected", [
    ("Kestrel Safety Glass unveiled a switchable privacy glass sunroof at the Auto Expo in Greater Noida on "
     "Thursday.", {"technology_launch"}),
    # a customer's own show stays an engagement
    ("Navika Motors held a tech expo for its suppliers at Kesarpur.", {"customer_engagement"}),
    ("Orlenhof Mobis and 35 small parts makers staged a Korean auto parts show in Pune, drawing purchasing staff "
     "from Navika Motors.", {"customer_engagement"}),
])
def test_a_public_auto_expo_is_no_customers_engagement(tagger, text, expected) -> None:
    assert types(tagger, text) == expected


@pytest.mark.parametrize("text, engaged", [
    ("Kestrel Safety Glass met 98 per cent of Navika Motors' delivery schedules on time and in full.", False),
    ("Vitreon's Hosur line will cost about Rs 50 crore, to be met through its own funds and a loan.", False),
    ("Vitreon met Navika's purchase head at Kesarpur.", True),
])
def test_meeting_a_target_is_no_meeting(tagger, text, engaged) -> None:
    assert ("customer_engagement" in types(tagger, text)) is engaged


@pytest.mark.parametrize("text, found", [
    ("The board of Vitreon has approved a new unit at Chakan near Pune to meet demand from its carmaker customers.",
     False),
    ("Vitreon is struggling to meet demand at Navika Motors.", True),
    ("Vitreon failed to meet the schedule at Navika Motors.", True),
])
def test_to_meet_demand_is_a_purpose_no_delivery(tagger, text, found) -> None:
    assert ("delivery_performance" in types(tagger, text)) is found


@pytest.mark.parametrize("text, expected", [
    ("Shifts on the Tarani line of Navika Motors were cut short on Tuesday after a furnace breakdown at Sunmarg "
     "Safety Glass left the plant without windshields.", [("delivery_performance", "sunmarg", "navika-motors")]),
    ("Navika Motors sent workers home early from its Kesarpur plant after a blockade at the bridge left the line "
     "without parts.", [("delivery_performance", None, "navika-motors")]),
    ("Navika Motors cut short its investor meeting.", []),
])
def test_a_line_left_without_parts_is_delivery(tagger, text, expected) -> None:
    assert signals(tagger, text) == expected


@pytest.mark.parametrize("text, previous", [
    ("Vitreon's share at Navika Motors rose by 5 percentage points to 45%.", None),
    ("Vitreon's share at Navika Motors rose to 45% from 40%.", 40),
])
def test_by_how_much_a_figure_moved_is_no_previous_value(tagger, text, previous) -> None:
    [signal] = tagger.tag(text).signals
    assert (signal.value, signal.previous_value) == (45, previous)


@pytest.mark.parametrize("text, expected", [
    ("Clarity Glassworks' share of Meridian Mobility's windshield business, now 30 per cent, should reach 60 per "
     "cent as it replaces Vitreon on the carmaker's new SUV.",
     [("share_of_business", "clarity-glassworks", "meridian-mobility", 60.0),
      ("supply_loss", "vitreon", "meridian-mobility", None),
      ("supply_win", "clarity-glassworks", "meridian-mobility", None)]),
    ("Clarity Glassworks displaced Vitreon at Meridian Mobility's Chandrapura plant.",
     [("supply_loss", "vitreon", "meridian-mobility", None), ("supply_win", "clarity-glassworks", "meridian-mobility", None)]),
    ("Sunmarg ousted Vitreon as the sole windshield supplier to Navika Motors.",
     [("supply_loss", "vitreon", "navika-motors", None), ("supply_win", "sunmarg", "navika-motors", None)]),
    ("The new Sunmarg line will displace imports of float glass from China.", []),
])
def test_a_supplier_that_replaces_displaces_or_ousts_another_wins_and_a_level_reached_is_no_loss(
        tagger, text, expected) -> None:
    assert signal_figures(tagger, text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Sunmarg has secured a windshield contract from Navika Motors worth Rs 29 crore and an order for sidelites "
     "from Dhruva Automobiles worth Rs 65 crore.",
     [("supply_win", "sunmarg", "dhruva-auto", 650_000_000.0), ("supply_win", "sunmarg", "navika-motors", 290_000_000.0)]),
    ("Navika Motors said it will stop using Vitreon's backlites, days after Dhruva Automobiles said it would drop "
     "Vitreon as its windshield supplier.",
     [("supply_loss", "vitreon", "dhruva-auto", None), ("supply_loss", "vitreon", "navika-motors", None)]),
    # one customer in both clauses: one signal
    ("Vitreon won the Koru order from Navika Motors, adding to the Tarani business it won from Navika last year.",
     [("supply_win", "vitreon", "navika-motors", None)]),
    # a worth describes the business named before it
    ("Clarity Glassworks said the scrapping of Dhruva Automobiles' hatchback programme had wiped orders worth "
     "Rs 140 crore off its order book.", [("supply_loss", "clarity-glassworks", "dhruva-auto", 1_400_000_000.0)]),
])
def test_each_clause_naming_its_own_customer_is_its_own_win_or_loss_with_its_own_worth(tagger, text, expected) -> None:
    assert signal_figures(tagger, text) == expected


@pytest.mark.parametrize("text, expected", [
    # the next company's own move keeps its own figures (review of stop 22)
    ("Our share goes from 70 to 40 at Navika, and Vitreon's from 30 to 60.",
     [("share_of_business", "kestrel-glass", 40.0, 70.0), ("share_of_business", "vitreon", 60.0, 30.0)]),
    # a rating scale is no rating
    ("Dhruva's vendor rating scale runs from 1 to 5 and Sunmarg got a 3.", [("vendor_rating", "sunmarg", None, None)]),
    # business only tried for has not moved
    ("Sunmarg hopes to dislodge Vitreon at Navika by offering a 5% price cut.", [("pricing", "vitreon", -5.0, None)]),
    ("Vitreon is trying to oust us from the Meridian Kavya backlite.", []),
])
def test_a_second_companys_move_and_a_business_only_tried_for(tagger, text, expected) -> None:
    assert sorted((s.type, s.company_id, s.value, s.previous_value) for s in tagger.tag(text).signals) == expected


def test_a_slump_sale_is_a_deal_and_a_slump_is_none(tagger) -> None:
    assert [(s.type, s.company_id, s.value) for s in tagger.tag(
        "Vitreon has agreed a Rs 120 crore slump sale of its Halol tempering unit to Sunmarg.").signals] \
        == [("partnership", "vitreon", 1_200_000_000.0)]
    assert not tagger.tag("Sunmarg's sales slumped in the quarter.").signals


@pytest.mark.parametrize("text, expected", [
    # a trial at one's own plant is no engagement: engagement is at a customer's end
    ("Sunmarg's new tempering line at Rampura should begin trial runs in March, its plant head said.", []),
    ("Vitreon's sunroof samples passed a trial run last month, the company said.", []),
    # … a trial at a named customer's is
    ("Vitreon ran line trials of its acoustic windshield at Navika Motors last week.",
     [("customer_engagement", "vitreon", "navika-motors")]),
    ("Sigma Electric Pvt Ltd held trials of its lamps at Meridian Mobility's Pune plant, the company said.",
     [("customer_engagement", "Sigma Electric Pvt Ltd", "meridian-mobility")]),
])
def test_customer_engagement_is_at_a_named_customers_end(tagger, text, expected) -> None:
    assert [s for s in signals(tagger, text) if s[0] == "customer_engagement"] == expected


@pytest.mark.parametrize("text, expected", [
    ("In October, Navika Motors took 14.2% of the utility-vehicle market, whereas Dhruva Automobiles "
     "slipped to 9.8% from 11.3%.",
     [("share_of_business", "dhruva-auto", 9.8, 11.3), ("share_of_business", "navika-motors", 14.2, None)]),
    ("Meridian Mobility leads the bus segment with a 41 percent share, with Navika Motors next at 33 percent.",
     [("share_of_business", "meridian-mobility", 41.0, None), ("share_of_business", "navika-motors", 33.0, None)]),
    # the customer whose business is shared holds none of it
    ("Vitreon supplies 38% of Navika Motors' windshields, and Navika's volumes rose 12% in the year.",
     [("share_of_business", "vitreon", 38.0, None)]),
    # a company's growth after a share is no share
    ("Sunmarg holds a 30% share at Dhruva Automobiles, while Vitreon grew its revenue 12%.",
     [("share_of_business", "sunmarg", 30.0, None)]),
])
def test_a_company_named_after_a_share_with_a_percentage_of_its_own_has_its_own_share(tagger, text, expected) -> None:
    assert sorted((s.type, s.company_id or s.customer_id, s.value, s.previous_value) for s in tagger.tag(text).signals
                  if s.type == "share_of_business") == expected


@pytest.mark.parametrize("text, expected", [
    ("KSRTU has put out tenders for 350 electric buses, its managing director said.",
     [("KSRTU", "ORG")]),
    ("MTCS has floated a tender for 200 buses.", [("MTCS", "ORG")]),
    # a two- or three-letter code or a KAM's shorthand before a helping word is no name
    ("QA has flagged two lots of Koru backlites.", [("Koru", "VEHICLE")]),
    ("NPD has started work on the Vistar backlite.", [("Vistar", "VEHICLE")]),
    ("CFT has visited the Halol plant.", [("Halol", "PLANT")]),
    ("VAVE has cut the cost of the Koru backlite.", [("Koru", "VEHICLE")]),
])
def test_an_abbreviation_opening_a_sentence_before_a_helping_word_and_a_verb_is_a_name(tagger, text, expected) -> None:
    assert orgs(tagger, text) == expected


def test_a_tender_floated_by_an_organisation_outside_the_catalog_is_its_enquiry(tagger) -> None:
    assert signals(tagger, "KSRTU has put out tenders for 350 electric buses.") == [("rfq", None, "KSRTU")]


def test_a_recall_named_with_its_kind_is_the_recallers_and_the_part_makers(tagger) -> None:
    # "a voluntary recall … to replace glass from Sunmarg": a repair, no business moved
    assert signals(tagger, "Dhruva Automobiles has begun a voluntary recall of 8,200 Vistar SUVs to replace "
                           "sunroof glass from Sunmarg Safety Glass that may crack.") \
        == [("quality_ppm", "dhruva-auto", "dhruva-auto"), ("quality_ppm", "sunmarg", "dhruva-auto")]


def test_a_supplier_that_has_orders_from_a_customer_has_won_them(tagger) -> None:
    assert signals(tagger, "Sunmarg Safety Glass, which once made only quarter glass, now has orders from "
                           "Navika Motors and Meridian Mobility for heated windshields.") \
        == [("supply_win", "sunmarg", "meridian-mobility"), ("supply_win", "sunmarg", "navika-motors")]


def test_a_contract_walked_away_from_is_a_loss(tagger) -> None:
    assert signals(tagger, "Sunmarg could walk away from its contract to supply backlites to Dhruva Automobiles "
                           "unless losses ease.") == [("supply_loss", "sunmarg", "dhruva-auto")]
    # (an order book at the end of a quarter is no order lost)
    assert "supply_loss" not in types(tagger, "Vitreon's order book stood at Rs 900 crore at the end of the "
                                              "third quarter.")


@pytest.mark.parametrize("text, expected", [
    # a deadline is no result's period
    ("Sunmarg will spend about Rs 55 crore on a new tempering furnace, due to start output by the end of "
     "the third quarter.", set()),
    ("Vitreon will invest Rs 120 crore in a second phase at Chakan, to be completed by Q3 FY27.", set()),
    # … a period with a result is
    ("Vitreon posted Rs 412 crore in the third quarter, its highest ever.", {"financial_result"}),
])
def test_a_quarter_that_is_a_deadline_is_no_financial_result(tagger, text, expected) -> None:
    assert types(tagger, text) & {"financial_result"} == expected


@pytest.mark.parametrize("text, expected", [
    ("Orlen & Hoff said it would cut 300 jobs.", [("Orlen & Hoff", "ORG")]),
    # a reported clause opens like a sentence, for a name of two words or more …
    ("Analysts said on Friday that Orlen & Hoff still has problems with Navika Motors.",
     [("Orlen & Hoff", "ORG"), ("Navika Motors", "CUSTOMER")]),
    # … not a first name alone
    ("The buyer said that Rajesh will visit Navika Motors next week.", [("Navika Motors", "CUSTOMER")]),
    # (two people's names are no company)
    ("Sanjay Labroo said the plant would open in May.", []),
])
def test_partners_names_and_a_reported_clauses_subject_are_names(tagger, text, expected) -> None:
    assert orgs(tagger, text) == expected


def test_a_product_offered_a_few_words_after_the_verb_is_a_launch(tagger) -> None:
    assert "technology_launch" in types(
        tagger, "Vitreon Auto Glass is offering its heated Solara Clearview windshield to carmakers.")
    # (work on something else for a product is none: the product close after "work on" only)
    assert "technology_launch" not in types(tagger, "Sunmarg is working on cost reduction for its windshields.")



@pytest.mark.parametrize("text, expected", [
    # where a share stands against an earlier year is no move from one to the other
    ("Navika Motors took 14.2% of the SUV market, with Dhruva Automobiles at 9.8% compared to 11.3% a year ago.",
     [("share_of_business", "dhruva-auto", 9.8, None), ("share_of_business", "navika-motors", 14.2, None)]),
])
def test_a_later_share_compared_to_another_figure_keeps_its_own_value(tagger, text, expected) -> None:
    assert sorted((s.type, s.company_id or s.customer_id, s.value, s.previous_value) for s in tagger.tag(text).signals
                  if s.type == "share_of_business") == expected


def test_called_back_is_a_recall_and_what_someone_called_a_thing_is_none(tagger) -> None:
    assert signals(tagger, "Dhruva Automobiles has called back 2,300 Vistar SUVs over a sunroof defect.") \
        == [("quality_ppm", None, "dhruva-auto")]
    assert signals(tagger, "Navika Motors has complaints over what it called poor quality of windshields from "
                           "Vitreon.") == [("quality_ppm", "vitreon", "navika-motors")]


@pytest.mark.parametrize("text, expected", [
    ("At the end of the first quarter, Vitreon's cash stood at Rs 120 crore.", {"financial_result"}),
    ("Vitreon hopes to have orders from Navika Motors by March.", set()),
    ("Vitreon used to have orders from Navika Motors for backlites.", set()),
])
def test_results_at_a_quarters_end_and_orders_only_hoped_for(tagger, text, expected) -> None:
    assert types(tagger, text) & {"financial_result", "supply_win"} == expected


@pytest.mark.parametrize("text, value, previous", [
    # a figure compared as an earlier period's is the previous value, a clause away too
    ("Vitreon Auto Glass posted revenue of Rs 540 crore for the June quarter, 12 per cent above the Rs 482 "
     "crore of a year earlier.", 5.4e9, 4.82e9),
    ("Sunmarg's net profit rose to Rs 61 crore in the September quarter, 9 per cent higher than the Rs 56 "
     "crore it earned a year earlier.", 6.1e8, 5.6e8),
    ("Clarity Glassworks reported net sales of Rs 310 crore for the March quarter, 4.2% below the Rs 323.6 "
     "crore of March 2024.", 3.1e9, 3.236e9),
    ("Sunmarg's net profit climbed to Rs 88 crore, against Rs 71 crore a year ago.", 8.8e8, 7.1e8),
    # "was" before a figure compared with another: the current one
    ("Vitreon's OTIF at Navika was 91% against 95% a year earlier.", 91.0, 95.0),
    # (compared with no earlier period: someone else's figure, no previous value)
    ("Sunmarg's net profit was Rs 61 crore, against Rs 75 crore for Vitreon.", 6.1e8, None),
    # … nor when the nearest earlier figure of its unit is another's
    ("Sunmarg's net profit rose to Rs 45 crore in the quarter on revenue of Rs 430 crore, against Rs 380 crore "
     "a year ago.", 4.5e8, None),
    # earlier periods in more words, and far into the clause
    ("Vitreon's revenue rose to Rs 612 crore, against Rs 312 crore in the year-ago quarter.", 6.12e9, 3.12e9),
    ("Vitreon's revenue was Rs 612 crore, against Rs 540 crore in the corresponding quarter of the previous year.",
     6.12e9, 5.4e9),
    ("Vitreon's revenue was Rs 612 crore, against the Rs 540 crore it posted in the same quarter last year.",
     6.12e9, 5.4e9),
    ("Sunmarg earned Rs 294.41 crore in net profit in the September 2024 quarter, 71% more than the Rs 172.21 "
     "crore of a year earlier.", 2.9441e9, 1.7221e9),
    # ", down from" far after a rating
    ("Clarity Glassworks fell to 71 points in Meridian Mobility's supplier scorecard for the second half, "
     "down from 84.", 71.0, 84.0),
])
def test_a_figure_compared_as_an_earlier_periods_is_the_previous_value(tagger, text, value, previous) -> None:
    (found,) = tagger.tag(text).signals
    assert (found.value, found.previous_value) == (value, previous)


@pytest.mark.parametrize("text, expected", [
    # output starting is capacity …
    ("Orlen Glass Industries has started turning out windshields at Bharuch.",
     {("capacity", "Orlen Glass Industries")}),
    ("Sunmarg started up its second line for automotive float glass on April 18.", {("capacity", "sunmarg")}),
    # … a trial run is not
    ("Sunmarg has begun trial production of laminated door glass.", set()),
])
def test_output_starting_is_capacity(tagger, text, expected) -> None:
    assert {(t, c) for t, c, _ in signals(tagger, text) if t == "capacity"} == expected


def test_a_government_is_an_organisation(tagger) -> None:
    assert orgs(tagger, "The Government of Tanzania has given Navika Motors an order for 400 buses.") == [
        ("Government of Tanzania", "ORG"), ("Navika Motors", "CUSTOMER")]


def test_vehicle_makers_listed_as_the_subject_each_have_the_signal(tagger) -> None:
    assert signals(tagger, "Navika Motors, Dhruva Automobiles and Meridian Mobility are among the carmakers "
                           "that have brought out new models with heated windshields.") == [
        ("technology_launch", "dhruva-auto", "dhruva-auto"), ("technology_launch", "meridian-mobility", "meridian-mobility"),
        ("technology_launch", "navika-motors", "navika-motors")]
    # (one named apart from the list is not in it)
    assert [c for t, c, _ in signals(tagger, "Navika Motors has cut production by 10%, said a dealer of "
                                             "Dhruva Automobiles.")] == ["navika-motors"]
    # (each maker's short apposition is skipped)
    assert [c for _, _, c in signals(tagger, "Meridian Mobility, the EV maker, and Dhruva Automobiles, the "
                                             "Prayan maker, both raised prices.")] == ["dhruva-auto", "meridian-mobility"]
    # (but not one that names another company: "a customer of Kestrel" is no kind of maker)
    assert [c for _, _, c in signals(tagger, "Dhruva Automobiles, a customer of Kestrel, and Meridian Mobility "
                                             "raised vehicle prices by 2%.")] == ["dhruva-auto"]


def test_a_short_apposition_keeps_a_vehicle_maker_in_its_clause(tagger) -> None:
    assert signals(tagger, "Navika Motors, the biggest carmaker, recalled 10,311 units of the Prayan, while "
                           "Dhruva Automobiles called back about 4,500 Vistar SUVs.") == [
        ("quality_ppm", None, "dhruva-auto"), ("quality_ppm", None, "navika-motors")]


def test_a_sum_between_a_verb_and_its_object_counts_as_one_word(tagger) -> None:
    (loss,) = tagger.tag("Meridian Mobility cancelled Clarity Glassworks' Rs 95 crore panoramic roof order.").signals
    assert (loss.type, loss.company_id, loss.customer_id, loss.value) == (
        "supply_loss", "clarity-glassworks", "meridian-mobility", 9.5e8)
    # (a share is no sum: "get 50% of" stays too far from what follows for a launch)
    assert "technology_launch" not in types(tagger, "Buzz that Vitreon will get 50% of Vela sidelites from April.")


@pytest.mark.parametrize("text, expected", [
    ("Dhruva's decision to make quarter glass in-house has cost Clarity Glassworks the business.",
     [("supply_loss", "clarity-glassworks", "dhruva-auto")]),
    # (a cost that names no one who lost business: none)
    ("The Deccan Road Transport Corporation has called for bids to run 100 electric buses on a gross cost "
     "contract.", []),
])
def test_what_cost_a_supplier_the_business_is_a_loss(tagger, text, expected) -> None:
    assert [s for s in signals(tagger, text) if s[0] == "supply_loss"] == expected


@pytest.mark.parametrize("text, expected", [
    # ranked lowest in a tender: the tender's outcome, no price …
    ("Orlen Mobility was declared L1 and handed a tender to supply 1,390 electric buses to Deccan Transport.", False),
    ("Named L1, Orlen Mobility landed a Rs 3,675-crore contract for 2,100 electric buses.", False),
    # … a KAM's "L1 @ price" is the price
    ("word is SSGL is L1 @ 3850 on the Aarohi windshield.", True),
])
def test_a_bidder_ranked_l1_in_a_tender_names_no_price(tagger, text, expected) -> None:
    assert ("pricing" in types(tagger, text)) is expected


@pytest.mark.parametrize("text", [
    "Dhruva Automobiles has halted output at its Sagarpet plant between December 13 and 30.",
    "Kestrel expects volumes to fall after Meridian Mobility said it would wind down vehicle assembly at Kothvali.",
])
def test_output_or_assembly_halted_at_a_plant_is_capacity(tagger, text) -> None:
    assert "capacity" in types(tagger, text)


@pytest.mark.parametrize("text, expected", [
    # debt named without a sum is no result: a rating on it, a plan to clear it, "debt-laden"
    ("Crisil has cut its ratings on Dhruva Automobiles' debt instruments to A/Stable.", False),
    ("The CCI has cleared Vitreon's takeover of debt-laden Orlen Glass.", False),
    # … with a sum it is
    ("Sunmarg Safety Glass cut its debt to Rs 420 crore in the year to March.", True),
])
def test_debt_is_a_result_only_with_a_sum(tagger, text, expected) -> None:
    assert ("financial_result" in types(tagger, text)) is expected


@pytest.mark.parametrize("text, expected", [
    ("Dhruva will build no more trucks at Sagarpet, which costs Vitreon Auto Glass a customer.",
     [("supply_loss", "vitreon", "dhruva-auto")]),
    # (stopping taking calls, or bookings, moves no business: "stopped taking" is no cue)
    ("Dhruva Automobiles has stopped taking calls from Clarity's sales team.", []),
    ("Vitreon has stopped taking bookings for backlites until its furnace is rebuilt.", []),
])
def test_what_costs_a_supplier_a_customer_is_a_loss(tagger, text, expected) -> None:
    assert [s for s in signals(tagger, text) if s[0] == "supply_loss"] == expected


def test_an_award_a_supplier_came_away_with_is_a_rating(tagger) -> None:
    assert ("vendor_rating", "kestrel-glass", "navika-motors") in signals(
        tagger, "Kestrel Safety Glass was a finalist at Navika Motors' supplier meet and came away with the "
                "carmaker's Gold award for quality.")


def test_work_begun_on_a_plant_is_capacity(tagger) -> None:
    assert signals(tagger, "Sunmarg Safety Glass has begun work on a Rs 460-crore tempered glass plant at "
                           "Sanand.") == [("capacity", "sunmarg", None)]
    # (a "slice" is no share: a stake, a price cut, a part of a budget)
    assert "share_of_business" not in types(tagger, "Vitreon took a 26% slice of Clarity Glassworks last year.")


@pytest.mark.parametrize("text, expected", [
    # a bid's sum of crores is the tender's, no price …
    ("Deccan Transport was right to disqualify the Rs 2,450-crore e-bus bid of Orlen Mobility.", "rfq"),
    # … a rate or a part's price is a price
    ("Orlen Mobility's lowest bid worked out to Rs 77 lakh per bus.", "pricing"),
    ("Sunmarg quoted Rs 2,150 per windshield to Navika Motors.", "pricing"),
])
def test_a_quote_or_bid_with_a_contracts_sum_is_an_enquiry_not_a_price(tagger, text, expected) -> None:
    assert types(tagger, text) & {"rfq", "pricing"} == {expected}


@pytest.mark.parametrize("text, expected", [
    # a business sold is a deal, no supply
    ("Vitreon Auto Glass said it will sell its architectural glass business to Sunmarg Safety Glass.",
     {"partnership"}),
    # a contract signed after a tender is won
    ("Deccan Transport signed a contract worth Rs 180 crore with Orlen Mobility after a tender.",
     {"supply_win", "rfq"}),
])
def test_a_business_sold_is_no_supply(tagger, text, expected) -> None:
    assert types(tagger, text) & {"partnership", "supply_win", "rfq"} == expected


@pytest.mark.parametrize("text, expected", [
    ("Orlenhof chief executive Andreas Wolf said the supplier has landed a big order.", [("Orlenhof", "ORG")]),
    ("Orlenhof managing director Rajesh Rao said the company has bagged a Rs 200 crore order.",
     [("Orlenhof", "ORG")]),
    # (an English word before a post is no name)
    ("Sales head Rajesh Rao said the order is late.", []),
])
def test_a_name_before_a_post_and_its_holder_is_an_organisation(tagger, text, expected) -> None:
    assert orgs(tagger, text) == expected


def test_a_product_fitted_as_standard_to_a_part_is_a_launch(tagger) -> None:
    assert ("technology_launch", "vitreon", None) in signals(
        tagger, "Vitreon Auto Glass has said its acoustic laminated glass will be fitted as standard to the side "
                "windows of a new pickup.")


def test_a_model_starting_production_is_no_capacity(tagger) -> None:
    assert "capacity" not in types(tagger, "Dhruva said the Vistar MPV would start production at Sagarpet this month.")
    assert "capacity" in types(tagger, "The Noida tool room of Vitreon is due to start production in Q2 FY27.")


def test_the_plant_of_the_sentence_before_is_its_companys(tagger) -> None:
    assert signals(tagger, "Sunmarg Safety Glass will set up a tempered glass plant near Sagarpet. The plant will "
                           "make side glass and backlites, and is expected to begin production in FY27.") == [
        ("capacity", "sunmarg", None)]


def test_a_deal_signed_to_supply_is_a_win(tagger) -> None:
    assert ("supply_win", "Orlen Motor Company") in {(t, c) for t, c, _ in signals(
        tagger, "Orlen Motor Company has signed a multi-year deal to supply Deccan Logistics with 1,500 vans.")}


def test_a_contract_award_is_business_not_an_honour(tagger) -> None:
    assert signals(tagger, "Navika Motors handed Vitreon a contract award for the Prayan backlite.") == [
        ("supply_win", "vitreon", "navika-motors")]
    assert signals(tagger, "Navika Motors handed Vitreon its supplier of the year award.") == [
        ("vendor_rating", "vitreon", "navika-motors")]


@pytest.mark.parametrize("text, company", [
    # "100% ours": the share is ours, not the note's competitor's …
    ("- SOB unchanged: Tarani 100% ours all glass.", "kestrel-glass"),
    ("- WS + sunroof stay 100% ours.", "kestrel-glass"),
])
def test_a_share_that_is_all_ours_is_ours(tagger, text, company) -> None:
    context = {"kind": "note", "customer": "navika-motors", "competitor": "vitreon"}
    (share,) = [s for s in tagger.tag(text, context).signals if s.type == "share_of_business"]
    assert (share.company_id, share.value) == (company, 100.0)
    # … a price "below ours" stays the competitor's
    (price,) = tagger.tag("- VAGL quoted 6% below ours on Tarani BL.", context).signals
    assert (price.company_id, price.value) == ("vitreon", -6.0)


NOTE_AT_NAVIKA = {"kind": "note", "customer": "navika-motors", "competitor": "vitreon"}


@pytest.mark.parametrize("text, context, expected", [
    # a stoppage of hours is the late supplier's delivery, no closing of output
    ("Mirajganj halted production 2 hrs, CGW BL not received.", NOTE_AT_NAVIKA,
     {("delivery_performance", "clarity-glassworks")}),
    # a compound is no object: "production-linked"
    ("Navika Motors halted production-linked incentive payouts to dealers.", None, set()),
    # a company's history is no output starting
    ("Vitreon, which began operations in 1987, supplies windshields to Navika Motors.", None,
     {("supply_win", "vitreon")}),
    # a price beside "declared L1" stays a price
    ("SSGL declared L1 @ 3850, we are L2.", NOTE_AT_NAVIKA, {("pricing", "sunmarg")}),
    ("Vitreon was declared L1 after quoting Rs 3,700 a set.", NOTE_AT_NAVIKA, {("pricing", "vitreon")}),
    # a supplier with a joint venture in the sentence still supplies
    ("Vitreon, which supplies windshields to Navika Motors, has formed a joint venture with Orlen Interlayers.",
     None, {("supply_win", "vitreon"), ("partnership", "vitreon")}),
    # tender documents given out are an enquiry, not an order won; an ultimatum is no contract
    ("Navika Motors gave Kestrel the tender documents for the Koru windshield.", None, set()),
    ("Navika Motors gave Vitreon an ultimatum on the Koru contract.", None, set()),
    # a test facility opened is capacity
    ("Vitreon opened a new test and production facility at Chakan.", None, {("capacity", "vitreon")}),
])
def test_misfires_of_the_stop_24_review_stay_fixed(tagger, text, context, expected) -> None:
    found = {(s.type, s.company_id) for s in tagger.tag(text, context).signals}
    assert found - {t for t in found if t[0] == "rfq"} == expected


def test_makers_named_apart_from_the_subject_share_none_of_its_signal(tagger) -> None:
    for text in ("Unlike Navika Motors and Dhruva Automobiles, Meridian Mobility has opened a new plant.",
                 "Sales of Navika Motors and Dhruva Automobiles rose 12%, while Meridian Mobility opened a new plant."):
        assert len([s for s in tagger.tag(text).signals if s.type == "capacity"]) == 1


def test_an_adverb_before_a_post_is_no_company(tagger) -> None:
    assert orgs(tagger, "Subsequently chief executive Anil Mehra said the company had won a Rs 90 crore order.") == []


def test_a_plant_serving_customers_listed_together_is_capacity_at_each(tagger) -> None:
    assert signals(tagger, "Sunmarg Safety Glass has opened its sixth plant, near Sanand, where it will "
                           "temper sidelites for Navika Motors and Dhruva Automobiles.") == [
        ("capacity", "sunmarg", "dhruva-auto"), ("capacity", "sunmarg", "navika-motors")]
    # (a result is the company's once, whoever its customers are)
    assert signals(tagger, "Sunmarg Safety Glass posted a net profit of Rs 18.6 crore, helped by higher "
                           "windshield volumes to Navika Motors and Meridian Mobility.") == [
        ("financial_result", "sunmarg", "navika-motors")]


@pytest.mark.parametrize("text", [
    "Lost: Ekam rear quarter glass, Clarity wins on price, SOP Jan.",
    "Koru BL: VAGL got it. Lost on price, pure & simple.",
])
def test_business_won_or_lost_on_price_names_no_price(tagger, text: str) -> None:
    assert "pricing" not in {t for t, _, _ in signals(tagger, text)}




@pytest.mark.parametrize("text, expected", [
    ("Dhruva Automobiles submitted the lowest bid in the tender Orvella Transport Corporation ran for 500 "
     "electric buses.", ("rfq", "dhruva-auto", "Orvella Transport Corporation")),
    ("Orvella Transport told the high court that Dhruva Automobiles' bid to supply 1,400 buses had been "
     "thrown out.", ("rfq", "dhruva-auto", "Orvella Transport")),
])
def test_a_vehicle_maker_that_bids_sells_and_the_other_party_buys(tagger, text, expected) -> None:
    [signal] = tagger.tag(text).signals
    assert (signal.type, signal.company_id, signal.customer_id or signal.customer_name) == expected


@pytest.mark.parametrize("text, expected", [
    # "ahead of" in time, or before a possessive, ranks no bidder
    ("Ahead of Diwali, Sunmarg raised windshield prices by 4%.", [("pricing", "sunmarg", None)]),
    ("Sunmarg won the Meridian tender, weeks ahead of Clarity Glassworks' planned price cut.",
     [("pricing", "clarity-glassworks", "meridian-mobility"), ("supply_win", "sunmarg", "meridian-mobility")]),
    # a bidder's own place is its, with no winner named
    ("Vitreon L2 in Navika RFQ.", [("rfq", "vitreon", "navika-motors")]),
    # an ordinal of something else ranks no one
    ("Sunmarg third quarter profit rose 18%, helped by tender wins at Navika.",
     [("financial_result", "sunmarg", "navika-motors"), ("supply_win", "sunmarg", "navika-motors")]),
    # holding prices is a price
    ("Sunmarg has agreed to hold on price for another year, Dhruva said.", [("pricing", "sunmarg", "dhruva-auto")]),
    # a vehicle maker handling the bids buys
    ("Navika Motors' bid evaluation committee met on Monday.", [("rfq", None, "navika-motors")]),
    ("Meridian Mobility will choose the lowest bidder for its Aarohi windshield.",
     [("rfq", None, "meridian-mobility")]),
    # a plant's listed customers are each only when it serves them
    ("Vitreon will add a second furnace at Sanaswadi after losing the Navika Motors and Dhruva Automobiles "
     "windshield business to Kestrel.", None),
])
def test_what_ranks_bidders_and_serves_customers_is_read_narrowly(tagger, text, expected) -> None:
    found = signals(tagger, text)
    if expected is None:
        assert [c for t, _, c in found if t == "capacity"] == ["navika-motors"]
    else:
        assert found == expected



@pytest.mark.parametrize("text, expected", [
    # a public buyer's abbreviation wherever it stands, its bidder the maker
    ("Dhruva Automobiles has gone to the high court after OSRTC disqualified its bid in a tender for about "
     "3,000 buses.", [("rfq", "dhruva-auto", "OSRTC")]),
    # the body's order is the maker's win, the maker named after it
    ("Orvella State Road Transport Corporation has ordered 480 buses, Dhruva Automobiles said.",
     [("supply_win", "dhruva-auto", "Orvella State Road Transport Corporation")]),
    ("Dhruva Automobiles has won an order for 600 buses from Orvella State Roadways.",
     [("supply_win", "dhruva-auto", "Orvella State Roadways")]),
    # trials of a maker's buses are the maker's engagement with the body
    ("OSRTC has started trial runs of electric buses, beginning with 12-metre buses from Meridian Mobility.",
     [("customer_engagement", "meridian-mobility", "OSRTC")]),
    # with no maker in the clause, the body's own tender
    ("The Orvella Army floated the tender in 2024 and finished trials last month.", [("rfq", None, "Orvella Army")]),
])
def test_a_public_buyer_buys_from_the_vehicle_maker(tagger, text, expected) -> None:
    assert signals(tagger, text) == expected


def test_names_joined_by_an_ampersand_are_an_organisation(tagger) -> None:
    mentions = {(m.text, m.label) for m in tagger.tag(
        "Kolwade & Ashtekar stopped shipping door trims to Navika Motors, and prices at K&T rose.").mentions}
    assert {("Kolwade & Ashtekar", "ORG"), ("K&T", "ORG")} <= mentions
    # English words, posts and common abbreviations are none
    assert not [m for m in tagger.tag("Our Quality & Delivery scores and R&D spend rose after the M&A, "
                                      "Chairman & MD said.").mentions if m.label == "ORG"]


@pytest.mark.parametrize("text, expected", [
    # a part of the seller's own output is a share, no win
    ("Sunmarg Safety Glass ships around 60 per cent of its output to Navika Motors.",
     ("share_of_business", "sunmarg", "navika-motors")),
    # a buyer moving its work out of a supplier
    ("Navika Motors will shift the Koru sidelite tooling out of Vitreon Auto Glass by March.",
     ("supply_loss", "vitreon", "navika-motors")),
    ("Dhruva Automobiles will move its Prayan backlite tooling out of Sunmarg Safety Glass next month.",
     ("supply_loss", "sunmarg", "dhruva-auto")),
])
def test_shares_of_output_and_work_moved_out_of_a_supplier(tagger, text, expected) -> None:
    found = signals(tagger, text)
    assert expected in found
    assert not [signal for signal in found if signal[0] == "supply_win"]


def test_a_catalog_name_opening_a_longer_name_is_another_company(tagger) -> None:
    mentions = {(m.text, m.label) for m in tagger.tag(
        "A fire at Dhruva Precision Castings halted the line, while Sunmarg Glass kept supplying "
        "Navika Motors Pvt Ltd.").mentions}
    assert {("Dhruva Precision Castings", "ORG"), ("Sunmarg Glass", "COMPETITOR"),
            ("Navika Motors Pvt Ltd", "CUSTOMER")} <= mentions
    assert ("Dhruva", "CUSTOMER") not in mentions


def test_a_steelmaker_in_apposition_and_a_miner_are_organisations(tagger) -> None:
    result = tagger.tag("Tarkesh, the country's second-largest steelmaker, has added a Rs 2,500 surcharge "
                        "per tonne, while iron ore miner Kalindi Ores has held its prices.")
    assert {("Tarkesh", "ORG"), ("Kalindi Ores", "ORG")} <= {(m.text, m.label) for m in result.mentions}
    assert ("pricing", "Tarkesh") in {(s.type, s.company_name) for s in result.signals}


def test_business_awarded_to_an_organisation_is_its_win(tagger) -> None:
    assert ("supply_win", "Deccan Polymers") in {
        (s.type, s.company_name) for s in tagger.tag("The tender had been awarded to Deccan Polymers.").signals}


@pytest.mark.parametrize("text, note, unwanted", [
    # a glass maker's win keeps the vehicle maker named, whom it sells to
    ("Dhruva got KSRTC order for 300 buses, extra windshield volume for Clarity.", False, "KSRTC"),
    # a transporter is no public buyer; a material test certificate is no buyer
    ("Our transporter Ganesh Roadways lost 2 days at the Kesarpur gate, so Vitreon's windshields reached late.",
     False, "Ganesh Roadways"),
    ("Vitreon delivered 500 WS to Kesarpur with MTC.", True, "MTC"),
])
def test_public_buyers_are_read_narrowly(tagger, text, note, unwanted) -> None:
    result = tagger.tag(text, {"kind": "note"} if note else None)
    assert result.signals
    assert unwanted not in {s.customer_name for s in result.signals}


@pytest.mark.parametrize("text, note", [
    ("Met Joshi & Nair at Meridian; Sunmarg quoted 4% lower.", False),
    ("Sales & Mktg review: Vitreon & Sunmarg both quoted for Koru.", True),
    ("S&OP meeting: Navika cut the Koru schedule by 10%.", False),
])
def test_people_and_office_shorthand_joined_by_an_ampersand_are_no_organisation(tagger, text, note) -> None:
    assert not [m for m in tagger.tag(text, {"kind": "note"} if note else None).mentions
                if m.label == "ORG" and "&" in m.text]


def test_a_lot_taken_out_of_a_suppliers_stock_and_a_division_are_no_business_moved(tagger) -> None:
    assert not tagger.tag("Took 5 samples out of Vitreon lot for the audit.", {"kind": "note"}).signals
    mentions = {(m.text, m.label) for m in tagger.tag(
        "Navika Commercial Vehicles asked Vitreon Acoustic Glass for LCV windshield quotes.").mentions}
    assert ("Navika", "CUSTOMER") in mentions and not [m for m in mentions if m[1] == "ORG"]


@pytest.mark.parametrize("text, expected", [
    # a person or money moving out of a company moves no business
    ("Rakesh Menon moved out of Vitreon Auto Glass to join Kestrel.", []),
    # a company's own words are never a public buyer's
    ("Mission Glass Industries has won an order from Dhruva Automobiles.",
     [("supply_win", "Mission Glass Industries", "dhruva-auto")]),
    # vehicle makers listed as bidders each bid; a maker's bid named with a possessive is its
    ("Navika Motors, Dhruva Automobiles and Meridian Mobility have submitted bids for the Orvella Army's "
     "contract for 500 light vehicles.",
     [("rfq", "dhruva-auto", "Orvella Army"), ("rfq", "meridian-mobility", "Orvella Army"),
      ("rfq", "navika-motors", "Orvella Army")]),
    ("Meridian Mobility's e-bus bid for the Orvella Municipal Corporation was rejected.",
     [("rfq", "meridian-mobility", "Orvella Municipal Corporation")]),
    # a glass maker sells to the vehicle maker whose model the body ordered
    ("Orvella Police ordered 400 Navika Koru; Vitreon supplies backlite.", [("supply_win", "vitreon", "navika-motors")]),
    # an award goes to the maker after "to", not to the one challenging it
    ("Dhruva Automobiles has challenged the Orvella Army's decision to award the contract to Navika Motors.",
     [("supply_win", "navika-motors", "Orvella Army")]),
    # an auditor appointed is no supplier; a catalog company's division is the company
    ("Kestrel Safety Glass has appointed Kolwade & Ashtekar as its statutory auditor.", []),
    ("Vitreon Auto Glass Replacement Products has cut prices by 7%.", [("pricing", "vitreon", None)]),
])
def test_public_buyers_and_new_names_after_the_press_review(tagger, text, expected) -> None:
    assert signals(tagger, text) == expected


def test_a_product_the_catalog_names_is_no_company_even_written_like_one(tagger) -> None:
    mentions = {(m.text, m.label) for m in tagger.tag(
        "At the show, Vitreon displayed a windshield made with Corning's Gorilla Glass, and GM demonstrated "
        "smart windows.").mentions}
    assert {("Gorilla Glass", "TECHNOLOGY"), ("smart windows", "TECHNOLOGY")} <= mentions
    assert ("Gorilla Glass", "ORG") not in mentions


def test_a_name_runs_on_over_an_arm_after_its_suffix(tagger) -> None:
    mentions = {(m.text, m.label) for m in tagger.tag(
        "Deccan Polymers India has raised interlayer prices by 4%, while Kolwade Industries Sanjay Patil "
        "said sales of Aravali Interlayers India and abroad rose.").mentions}
    assert {("Deccan Polymers India", "ORG"), ("Kolwade Industries", "ORG"), ("Aravali Interlayers", "ORG")} <= mentions


@pytest.mark.parametrize("text, name", [
    ("Sharma, a BJP lawmaker, said glass prices would rise.", "Sharma"),
    ("A miner Suresh Yadav was injured at the quarry.", "Suresh Yadav"),
    ("Chipmaker Nexaro Tuesday said its shipments to Navika Motors had resumed.", "Nexaro Tuesday"),
])
def test_people_and_weekdays_after_trade_words_are_no_organisation(tagger, text, name) -> None:
    assert name not in {m.text for m in tagger.tag(text).mentions}


def test_something_other_than_business_awarded_is_no_win(tagger) -> None:
    assert "supply_win" not in {s.type for s in tagger.tag(
        "The trademark was awarded to Vitrox Glass Industries last year.").signals}


@pytest.mark.parametrize("text, names", [
    # one-word names listed with a known organisation
    ("Korvath and Vitreon Auto Glass were among the winners when Navika Motors handed out its supplier awards.",
     ["Korvath"]),
    ("Navika Motors gave awards to Pellano Trims and Kestrel, while Ostrava, Dhruva Automobiles and Velmir "
     "Seating took home delivery awards.", ["Pellano Trims", "Ostrava", "Velmir Seating"]),
    ("Sunmarg Safety Glass and Halvard-Optics have opened a coating line at Bharuch.", ["Halvard-Optics"]),
])
def test_names_listed_with_an_organisation_are_organisations(tagger, text, names) -> None:
    found = {m.text for m in tagger.tag(text).mentions if m.label == "ORG"}
    assert set(names) <= found


@pytest.mark.parametrize("text", [
    # places, models, people, months and codes listed with organisations are none
    "Dhruva Automobiles halted vans at Wendover, Orvella, and Meridian Mobility cut a shift.",
    "The glass goes into the Navika Koru and Dhruva Prayan, and the Meridian Aarohi.",
    "Meridian Mobility and Ravindra Kale, its senior vice-president for purchase, met the suppliers.",
    "Between March and Navika Motors' audit, Sunmarg Safety Glass fixed the line.",
    "The panes, marked DOT 430 for Sunmarg and DOT 628 for Vitreon, failed the test.",
    "Kestrel and Osaka-based Hoshino Interlayer will form a joint venture.",
])
def test_places_models_and_people_listed_with_organisations_are_none(tagger, text) -> None:
    catalog_free = {m.text for m in tagger.tag(text).mentions if m.label == "ORG"}
    assert not catalog_free & {"Wendover", "Orvella", "Koru", "Prayan", "Ravindra Kale", "March", "DOT", "Osaka"}


@pytest.mark.parametrize("text", [
    # vehicle makers and other firms listed together answering a public buyer's tender each bid
    "Dhruva Automobiles, Kalpa Armour Ltd and Navika Motors have answered the Orvella Army's tender.",
    "Kalpa Armour Ltd, Navika Motors and Dhruva Automobiles have bid in the Orvella Army's tender for 400 trucks.",
])
def test_firms_listed_with_vehicle_makers_each_bid_to_a_public_buyer(tagger, text) -> None:
    assert signals(tagger, text) == sorted([("rfq", "dhruva-auto", "Orvella Army"),
                                            ("rfq", "Kalpa Armour Ltd", "Orvella Army"),
                                            ("rfq", "navika-motors", "Orvella Army")])


def test_the_organisation_a_report_comes_from_is_no_party(tagger) -> None:
    found = signals(tagger, "Kalpa Armour Ltd and Tarun Defence Systems have answered the Orvella Army's "
                            "tender, an army source quoted by Varta News Agency said.")
    assert found == [("rfq", "Kalpa Armour Ltd", "Orvella Army"), ("rfq", "Tarun Defence Systems", "Orvella Army")]
    # a remark with no company named stays no one's
    for source in ("according to Varta Research", "Varta Research reported", "The Varta Times reported"):
        assert not signals(tagger, f"Output at the Pune plant will rise to 5,000 units a month, {source}.")


@pytest.mark.parametrize("text, expected", [
    # a plant idled or shut for want of parts; a town and its state inside the phrase
    ("Navika Motors will idle its Kesarpur, Orvella, assembly plant next week because it cannot get enough "
     "semiconductors.", [("delivery_performance", None, "navika-motors")]),
    # each maker whose production the shortage stops, in its own clause
    ("Dhruva Automobiles has slowed Prayan production at Mirajganj, and Meridian Mobility has shut its Ambeli plant, "
     "as the chip shortage reaches their lines.",
     [("delivery_performance", None, "dhruva-auto"), ("delivery_performance", None, "meridian-mobility")]),
    # a negation in a clause of reason does not reach back to the plants shut
    ("Navika Motors and Dhruva Automobiles have each had to shut assembly plants because suppliers could not "
     "deliver enough parts, chiefly chips.",
     [("delivery_performance", None, "dhruva-auto"), ("delivery_performance", None, "navika-motors")]),
    ("Navika Motors halted production at Kesarpur because suppliers could not send enough chips.",
     [("delivery_performance", None, "navika-motors")]),
])
def test_plants_stopped_for_want_of_parts(tagger, text, expected) -> None:
    assert signals(tagger, text) == expected


def test_a_plant_shut_for_business_reasons_is_no_delivery_trouble(tagger) -> None:
    assert not [s for s in signals(tagger, "Meridian Mobility will shut its Ambeli plant by mid-2027 after a "
                                           "client exits, the parts maker said.") if s[0] == "delivery_performance"]


@pytest.mark.parametrize("text, expected", [
    # suppliers called together by a customer
    ("Navika Motors called about 90 key suppliers, Kestrel Safety Glass and Sunmarg Safety Glass among them, to its "
     "Kesarpur plant on Tuesday to walk them through sourcing plans.",
     [("customer_engagement", "kestrel-glass", "navika-motors"), ("customer_engagement", "sunmarg", "navika-motors")]),
    # business given to each firm listed after the verb
    ("Orvella Transport Corporation Limited has given Navika Motors and Dhruva Automobiles a letter of award "
     "covering 100 e-buses.",
     [("supply_win", "dhruva-auto", "Orvella Transport Corporation Limited"),
      ("supply_win", "navika-motors", "Orvella Transport Corporation Limited")]),
    # a bidder that won nothing lost
    ("Newer makers took most of the 900 buses in the tender, while Sunmarg Safety Glass won no contracts at all.",
     [("rfq", "sunmarg", None), ("supply_loss", "sunmarg", None)]),
    # two firms outside the vehicle trade developing a part together
    ("Kestrel began jointly developing a glass antenna with Sunmarg Safety Glass.",
     [("partnership", "kestrel-glass", None)]),
])
def test_suppliers_called_together_awards_listed_wins_of_nothing_and_joint_development(tagger, text, expected) -> None:
    assert signals(tagger, text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Navika's head-up display comes as standard on the redesigned Koru.",
     [("technology_launch", "navika-motors", "navika-motors")]),
    ("This month Dhruva Automobiles has a concept car on show whose smart glass can be overlaid with graphics.",
     [("technology_launch", "dhruva-auto", "dhruva-auto")]),
])
def test_technologies_shown_or_fitted_as_standard_are_launches(tagger, text, expected) -> None:
    assert signals(tagger, text) == expected


@pytest.mark.parametrize("text, loser", [
    ("Clarity Glassworks' share of Navika Motors' windshield purchases fell from 48% to 31 percent, as the carmaker "
     "moved volumes to Kestrel Safety Glass.", "clarity-glassworks"),
    ("Navika Motors has handed the backlite for its next Tarani to Vitreon Auto Glass, ending Clarity Glassworks' "
     "six-year run as sole source for the part.", "clarity-glassworks"),
    ("Our share of Navika Motors' windshield business slipped to 40% this year from 55%, as part of the volume moved "
     "to Vitreon.", "kestrel-glass"),
])
def test_the_supplier_whose_share_fell_or_whose_business_moved_loses_it(tagger, text, loser) -> None:
    assert ("supply_loss", loser, "navika-motors") in signals(tagger, text)


def test_a_share_that_rose_as_business_moved_in_is_no_loss(tagger) -> None:
    found = signals(tagger, "Sunmarg's share of Dhruva's backlites rose to 40% after Dhruva moved the Prayan "
                            "backlite to Sunmarg.")
    assert ("supply_win", "sunmarg", "dhruva-auto") in found
    assert not [s for s in found if s[0] == "supply_loss"]


@pytest.mark.parametrize("text, expected", [
    # the suppliers named after "its glass suppliers," are the ones audited
    ("Meridian Mobility's purchasing team audited the lamination lines of its glass suppliers, Kestrel Safety Glass "
     "and Clarity Glassworks among them, ahead of the next launch.",
     [("customer_engagement", "clarity-glassworks", "meridian-mobility"),
      ("customer_engagement", "kestrel-glass", "meridian-mobility")]),
    ("Navika Motors brought Kestrel Safety Glass and about 40 other suppliers to its technical centre last week.",
     [("customer_engagement", "kestrel-glass", "navika-motors")]),
    ("Navika Motors' quality team is auditing Vitreon Auto Glass this week.",
     [("customer_engagement", "vitreon", "navika-motors")]),
])
def test_suppliers_audited_or_brought_in_by_a_customer(tagger, text, expected) -> None:
    assert signals(tagger, text) == expected


def test_a_negation_in_a_later_clause_leaves_the_first_clause_standing(tagger) -> None:
    assert signals(tagger, "Clarity Glassworks remains the only supplier of sunroof glass for Dhruva's Vistar, and "
                           "the carmaker is not looking for a second source.") == [
        ("share_of_business", "clarity-glassworks", "dhruva-auto")]
    # in a note the negation still cancels its type
    assert not tagger.tag("Buyer mentioned the RFQ for Vela sunroof — not floated yet, expected Nov.",
                          {"kind": "note"}).signals


@pytest.mark.parametrize("text, expected", [
    # campaigns, free repairs and warranty returns are quality
    ("Navika Motors has started a safety campaign covering about 14,000 Koru cars after a sunroof glass panel "
     "came loose.", "quality_ppm"),
    ("Dhruva Automobiles will replace the quarter glass at no charge on Prayan pickups built in March.", "quality_ppm"),
    ("Vitreon Auto Glass met Navika Motors' quality team on warranty returns of its sidelites.", "quality_ppm"),
    # paying more, price rises and commodity costs are pricing
    ("Vitreon Auto Glass warned Dhruva Automobiles that it would stop shipping backlites unless the carmaker agreed "
     "to pay more.", "pricing"),
    ("Sunmarg's managing director said price rises may follow, though he gave no timing.", "pricing"),
    ("Kestrel's chief executive told analysts that the run-up in commodity costs was without precedent.", "pricing"),
])
def test_quality_and_pricing_phrasings_of_press_text(tagger, text, expected) -> None:
    assert expected in {s[0] for s in signals(tagger, text)}


def test_the_carmaker_closing_its_plant_is_the_vehicle_maker_named_before(tagger) -> None:
    found = signals(tagger, "Sunmarg Safety Glass expects its orders from Meridian Mobility to drop sharply after the "
                            "carmaker said it would close its Kothvali plant by December.")
    assert ("capacity", "meridian-mobility", "meridian-mobility") in found
    assert not [s for s in found if s[0] == "capacity" and s[1] == "sunmarg"]


def test_prices_listed_after_a_price_cue_are_each_companys(tagger) -> None:
    result = tagger.tag("Navika Motors will raise prices by 2%, Dhruva Automobiles by 1.5% and Meridian Mobility by "
                        "as much as Rs 50,000.")
    assert sorted((s.customer_id, s.value, s.unit) for s in result.signals if s.type == "pricing") == [
        ("dhruva-auto", 1.5, "%"), ("meridian-mobility", 50000.0, "INR"), ("navika-motors", 2.0, "%")]


@pytest.mark.parametrize("text, unwanted", [
    # people listed with a company or its people
    ("Rohan Patel and Vitreon have been in talks for months.", "Rohan Patel"),
    ("Sanjay Verma and Kestrel Safety Glass chairman Ravi Kapoor inaugurated the line.", "Sanjay Verma"),
    ("Rajesh Kumar and Vitreon's Anil Shah met at the expo.", "Rajesh Kumar"),
])
def test_people_listed_with_an_organisation_are_no_organisation(tagger, text, unwanted) -> None:
    assert unwanted not in {m.text for m in tagger.tag(text).mentions}


@pytest.mark.parametrize("text", [
    "Clarity won nothing but praise for its new acoustic windshield at the expo.",
    "Vitreon, which won no contracts last year, bagged the Koru order from Navika Motors this year.",
])
def test_winning_nothing_outside_a_sourcing_round_is_no_loss(tagger, text) -> None:
    assert "supply_loss" not in {s[0] for s in signals(tagger, text)}


def test_planned_downtime_is_no_delivery_trouble(tagger) -> None:
    assert not signals(tagger, "The downtime at the Ambeli plant was due to a planned software upgrade.")


def test_bidders_named_after_the_bidding_cue_and_bids_received_are_no_win(tagger) -> None:
    assert signals(tagger, "Eight bidders, Navika Motors and Kalpa Armour Ltd among them, answered the Orvella "
                           "Army's tender for 400 trucks.") == [("rfq", "Kalpa Armour Ltd", "Orvella Army"),
                                                                 ("rfq", "navika-motors", "Orvella Army")]
    found = signals(tagger, "Navika Motors and Dhruva Automobiles were among five firms whose bids for the Orvella "
                            "Army's truck contract were received on July 14.")
    assert not [s for s in found if s[0] == "supply_win"]


def test_orders_a_seller_confirms_are_its_wins(tagger) -> None:
    assert signals(tagger, "Dhruva Automobiles has confirmed orders for 2,580 buses from the Orvella State Transport "
                           "Corporation.") == [("supply_win", "dhruva-auto", "Orvella State Transport Corporation")]
    # volumes a buyer is to confirm are no order won
    assert not [s for s in signals(tagger, "Actions: Kestrel to share a roadmap; Navika to confirm FY27 volumes.")
                if s[0] == "supply_win"]


@pytest.mark.parametrize("text, unwanted", [
    ("Navika Motors launched a road safety campaign in schools across Haryana.", "quality_ppm"),
    ("Sunmarg offered sample kits of its acoustic glass free of charge to designers at the expo.", "quality_ppm"),
    ("Suppliers should pay more attention to the safety of their workers, the Navika chairman said.", "pricing"),
    ("Vitreon's share price fell 4% after the carmaker moved part of its business to Kestrel.", "supply_loss"),
    ("Vitreon's share of Navika's glass purchases held steady at 41%, even as the carmaker moved some volumes to "
     "Clarity.", "supply_loss"),
])
def test_campaigns_payments_and_shares_in_other_senses(tagger, text, unwanted) -> None:
    assert unwanted not in {s[0] for s in signals(tagger, text)}


def test_the_carmaker_closing_a_named_plant_is_the_plants_owner(tagger) -> None:
    assert ("capacity", "navika-motors", "navika-motors") in signals(
        tagger, "Navika and Dhruva had a contract-manufacturing deal until the carmaker closed the Ambeli plant.")
