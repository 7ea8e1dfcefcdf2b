-- 0005 how a signal was found: "rule" (a cue phrase or cue class of the lexicon) or "model"
-- (the recall layer, compintel/nlp/recall.py, graded one step lower). Rows from before are rules.

ALTER TABLE signals ADD COLUMN method TEXT NOT NULL DEFAULT 'rule';
