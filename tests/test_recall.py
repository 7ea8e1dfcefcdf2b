"""The recall layer (compintel/nlp/recall.py): a small classifier trained here, in a temporary
folder, on sentences whose made-up verb no cue phrase knows, so that any signal found for it
comes from the model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from compintel.cli import main
from compintel.nlp import Tagger
from compintel.nlp.recall import THRESHOLD, RecallModel, fit, load_model, train, training_files

# "zorbled" is no English word: the rules cannot know it; the model learns it means capacity.
_POSITIVE = ["Vitreon zorbled at its Kesarpur works last quarter, a number of sources said.",
             "Clarity Glassworks zorbled again in March, its chairman said.",
             "Zorbled output at Vitreon rose after the new line was added.",
             "Vitreon zorbled the Hosur site, the company said in a filing."]
_NEGATIVE = ["Vitreon's chairman spoke at a trade fair in Pune to mark its jubilee.",
             "Clarity Glassworks named a new company secretary on Monday.",
             "The shares of Vitreon closed flat on the exchange.",
             "Navika Motors showed its new hatchback to dealers."]


def _write_set(path: Path) -> None:
    rows = [{"id": f"p{i}", "text": text, "signals": [{"type": "capacity", "company": "vitreon"}]}
            for i, text in enumerate(_POSITIVE)]
    rows += [{"id": f"n{i}", "text": text, "signals": []} for i, text in enumerate(_NEGATIVE)]
    path.write_text("".join(json.dumps(row) + "\n" for row in rows * 4), encoding="utf-8")


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("recall")
    _write_set(folder / "dev-zorble.jsonl")
    # (so few texts leave the types never seen near even odds: 0.5, not the project's threshold)
    train([folder / "dev-zorble.jsonl"], folder / "model-out", epochs=8, threshold=0.5, type_thresholds={})
    return folder / "model-out"


@pytest.fixture(scope="module")
def with_model(catalog, model_dir: Path) -> Tagger:
    return Tagger(catalog, recall=RecallModel(model_dir))


@pytest.fixture(scope="module")
def rules(catalog) -> Tagger:
    return Tagger(catalog, recall=False)


def test_the_weight_table_scores_as_the_spacy_model_does(model_dir: Path, tmp_path: Path) -> None:
    import numpy as np
    from spacy.attrs import ORTH

    _write_set(tmp_path / "dev-zorble.jsonl")
    nlp, textcat, _ = fit([tmp_path / "dev-zorble.jsonl"], epochs=8)     # the same seed as the fixture's
    model = RecallModel(model_dir)
    # "number" and "mark" are spaCy symbols: their ids are no hashes
    for text in [*_POSITIVE, *_NEGATIVE, "A number of zorbled marks at Vitreon."]:
        doc = nlp(text)
        expected = np.array([doc.cats[label] for label in model.labels])
        logits = model.logits(doc.to_array(ORTH), [0])[0]
        assert np.allclose(1 / (1 + np.exp(-logits)), expected, atol=1e-4), text


def test_word_pairs_count_and_none_runs_across_two_sentences(model_dir: Path) -> None:
    import numpy as np
    from spacy.attrs import ORTH

    from compintel.nlp.text import blank_english

    model = RecallModel(model_dir)
    assert len(model.pair_keys) > 0 and model.meta["ngram_size"] == 2
    make = blank_english().make_doc
    first, second = make(_POSITIVE[1]), make(_NEGATIVE[2])
    together = model.logits(np.concatenate([first.to_array(ORTH), second.to_array(ORTH)]), [0, len(first)])
    assert np.allclose(together[0], model.logits(first.to_array(ORTH), [0])[0])
    assert np.allclose(together[1], model.logits(second.to_array(ORTH), [0])[0])
    # a pair the training had weighs on its own: the words' scores alone differ
    words_only = model.weights[np.searchsorted(model.keys, np.sort(first.to_array(ORTH)))].sum(axis=0)
    assert not np.allclose(model.logits(first.to_array(ORTH), [0])[0], words_only + model.bias)


@pytest.mark.parametrize("size", [0, 3])
def test_only_words_or_word_pairs_can_be_trained(tmp_path: Path, size: int) -> None:
    _write_set(tmp_path / "dev-zorble.jsonl")
    with pytest.raises(ValueError, match="ngram_size"):
        train([tmp_path / "dev-zorble.jsonl"], tmp_path / "out", epochs=1, ngram_size=size)


def test_training_uses_the_development_sets_only(tmp_path: Path) -> None:
    for name in ("dev.jsonl", "press1.jsonl", "test.jsonl", "test2.jsonl", "press-test1.jsonl"):
        (tmp_path / name).write_text("", encoding="utf-8")
    assert [path.name for path in training_files(tmp_path)] == ["dev.jsonl", "press1.jsonl"]


def test_no_trained_model_means_rules_alone(tmp_path: Path) -> None:
    assert load_model(tmp_path) is None


def test_the_model_adds_a_type_the_rules_miss_graded_lower(with_model: Tagger, rules: Tagger) -> None:
    text = "Vitreon zorbled at the Sanand site this month."
    assert [s.type for s in rules.tag(text).signals] == []
    found = with_model.tag(text).signals
    assert [(s.type, s.company_id, s.method, s.cue) for s in found] == [("capacity", "vitreon", "model", "")]
    # a rule hit in news without a grade counts as reported; the model's is a step lower
    assert found[0].grade == "rumoured"
    assert with_model.tag(text, {"grade": "observed"}).signals[0].grade == "reported"


def test_model_signals_are_attributed_by_the_entity_logic(with_model: Tagger) -> None:
    found = with_model.tag("Clarity Glassworks zorbled at Navika Motors' Kesarpur plant.").signals
    assert [(s.type, s.company_id, s.customer_id) for s in found] == [
        ("capacity", "clarity-glassworks", "navika-motors")]


def test_a_sentence_naming_no_organisation_gets_nothing_from_the_model(with_model: Tagger) -> None:
    assert with_model.tag("It zorbled at the site this month.").signals == []


def test_negation_holds_for_model_signals(with_model: Tagger) -> None:
    assert with_model.tag("Vitreon has not zorbled at Kesarpur this year.").signals == []
    # the model reads no "not": a negator anywhere in the sentence
    assert with_model.tag("Vitreon, according to people familiar with the matter, has not "
                          "zorbled at Kesarpur.").signals == []


def test_each_sentence_is_scored_on_its_own(with_model: Tagger) -> None:
    text = "Navika Motors showed its new hatchback to dealers. Clarity Glassworks zorbled at Kesarpur."
    found = with_model.tag(text).signals
    assert [(s.type, s.company_id, text[s.start:s.end]) for s in found] == [
        ("capacity", "clarity-glassworks", "Clarity Glassworks zorbled at Kesarpur.")]


def test_rule_hits_keep_their_method_and_are_not_doubled(with_model: Tagger) -> None:
    found = with_model.tag("Vitreon zorbled and commissioned a new float line at Kesarpur.").signals
    assert [(s.type, s.method) for s in found] == [("capacity", "rule")]
    # the model is asked only for types the rules did not find in the sentence: here the rule's
    # capacity is Sunmarg's, and the model's cue (after the first name) would make it Navika's too
    found = with_model.tag("Navika Motors said Sunmarg Safety Glass zorbled and commissioned a "
                           "float line at Kesarpur.").signals
    assert [(s.type, s.company_id, s.method) for s in found] == [("capacity", "sunmarg", "rule")]


def test_the_model_changes_the_pipeline_version(with_model: Tagger, rules: Tagger) -> None:
    assert with_model.version != rules.version


def test_train_recall_command_writes_a_model_the_tagger_loads(tmp_path: Path, catalog, capsys) -> None:
    labelled = tmp_path / "labelled"
    labelled.mkdir()
    _write_set(labelled / "dev-zorble.jsonl")
    (labelled / "test.jsonl").write_text("not json\n", encoding="utf-8")   # held out: never read
    assert main(["train-recall", str(labelled), "--out", str(tmp_path / "out"), "--epochs", "6"]) == 0
    assert "32 texts from 1 sets" in capsys.readouterr().out
    meta = json.loads((tmp_path / "out" / "recall.json").read_text(encoding="utf-8"))
    assert meta["training_sets"] == ["dev-zorble.jsonl"]
    model = load_model(tmp_path / "out")
    assert model.threshold == THRESHOLD
    model.threshold = 0.5       # (see model_dir)
    tagger = Tagger(catalog, recall=model)
    assert [s.method for s in tagger.tag("Vitreon zorbled at the Sanand site.").signals] == ["model"]


def test_train_recall_without_labelled_sets_is_a_clear_error(tmp_path: Path, capsys) -> None:
    assert main(["train-recall", str(tmp_path)]) != 0
    assert "no labelled sets" in capsys.readouterr().err


def test_the_cross_validation_table_names_each_threshold_column() -> None:
    from compintel.cli import _cross_validation_table

    table = _cross_validation_table([{"set": "press1.jsonl", "rules": 0.75, 0.4: 0.78, 0.5: 0.771},
                                     {"set": "press2.jsonl", "rules": 0.7, 0.4: 0.72, 0.5: 0.73}])
    header, _rule, first, second = table.splitlines()
    assert header.split() == ["set", "rules", "threshold", "0.4", "threshold", "0.5"]
    assert first.split() == ["press1.jsonl", "0.750", "0.780", "0.771"]
    assert second.split() == ["press2.jsonl", "0.700", "0.720", "0.730"]


def test_a_model_signal_takes_no_figure_a_rule_signal_holds(with_model: Tagger, rules: Tagger) -> None:
    text = "Vitreon raised Rs 340 crore from investors and zorbled at Kesarpur."
    assert [(s.type, s.value) for s in rules.tag(text).signals] == [("financial_result", 3400000000.0)]
    found = with_model.tag(text).signals
    assert sorted((s.type, s.method, s.value) for s in found) == [
        ("capacity", "model", None), ("financial_result", "rule", 3400000000.0)]
    # a figure no rule signal holds is the model signal's, if its type takes it
    found = with_model.tag("Vitreon zorbled at Kesarpur, adding 2 lakh units a year.").signals
    assert [(s.type, s.method, s.value) for s in found] == [("capacity", "model", 200000.0)]


def test_a_types_own_threshold_overrides_the_default_and_travels_with_the_model(catalog, model_dir: Path,
                                                                               tmp_path: Path) -> None:
    text = "Vitreon zorbled at the Sanand site."
    model = RecallModel(model_dir)
    assert [s.type for s in Tagger(catalog, recall=model).tag(text).signals] == ["capacity"]
    model.set_thresholds(0.5, {"capacity": 0.999})
    assert Tagger(catalog, recall=model).tag(text).signals == []
    model.threshold = 0.5           # one threshold for all again
    assert [s.type for s in Tagger(catalog, recall=model).tag(text).signals] == ["capacity"]
    with pytest.raises(ValueError, match="no such signal type"):
        model.set_thresholds(0.5, {"capacty": 0.6})
    out = tmp_path / "model"
    train([model_dir.parent / "dev-zorble.jsonl"], out, epochs=8, threshold=0.5,
          type_thresholds={"capacity": 0.999})
    saved = RecallModel(out)
    assert saved.type_thresholds == {"capacity": 0.999}
    assert Tagger(catalog, recall=saved).tag(text).signals == []


def test_cross_validation_measures_each_threshold_and_the_model_as_built(catalog, tmp_path: Path,
                                                                         monkeypatch) -> None:
    from compintel.nlp import recall
    from compintel.nlp.recall import cross_validate

    labelled = tmp_path / "labelled"
    labelled.mkdir()
    _write_set(labelled / "dev-a.jsonl")
    _write_set(labelled / "dev-b.jsonl")
    # as built, capacity (what "zorbled" is) has a threshold of its own the model never reaches
    monkeypatch.setattr(recall, "TYPE_THRESHOLDS", {"capacity": 0.999})
    rows = cross_validate(labelled, catalog, thresholds=(0.5,), folds=["dev-a.jsonl"], work=tmp_path)
    assert [list(row) for row in rows] == [["set", "rules", 0.5, "as built"]]
    row = rows[0]
    # the rules cannot know "zorbled"; the model trained on the other set can …
    assert row["rules"] < row[0.5]
    # … but not as built, with capacity's own threshold
    assert row["as built"] < row[0.5]
