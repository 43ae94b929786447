"""stance: find quoted statements in news, say who said them, and classify the response each
advocates in its dispute: dialogue, pressure or neutral.

>>> from stance import classify
>>> result = classify(article_text)          # doctest: +SKIP
>>> [(u.speaker, u.label) for u in result]   # doctest: +SKIP
"""

from stance.api import classify, classify_statements, default_model_path
from stance.artifact import ModelLoadError
from stance.model import StanceClassifier, StatementTooLongWarning
from stance.quotes import Quote, extract_quotes
from stance.results import ArticleResult, ScoredUnit, SpeakerSummary

__version__ = "0.1.0"

__all__ = [
    "ArticleResult",
    "ModelLoadError",
    "Quote",
    "ScoredUnit",
    "SpeakerSummary",
    "StanceClassifier",
    "StatementTooLongWarning",
    "__version__",
    "classify",
    "classify_statements",
    "default_model_path",
    "extract_quotes",
]
