"""The tagging pipeline: entities, figures and attributed signals on ``spacy.blank("en")``."""

from .lexicon import SIGNAL_TYPES, Lexicon, load_lexicon
from .pipeline import Mention, Tagger, TagResult, build_pipeline, pipeline_version
from .signals import Signal

__all__ = ["SIGNAL_TYPES", "Lexicon", "Mention", "Signal", "TagResult", "Tagger", "build_pipeline",
           "load_lexicon", "pipeline_version"]
