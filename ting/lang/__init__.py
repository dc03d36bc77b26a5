"""Text normalization and per-utterance language identification (stdlib only, fast to load).

``clean_text`` and ``strip_punctuation`` prepare text; ``detect_language`` says which language
one utterance is in and whether it mixes Chinese and English; ``normalize_language_tag`` and
``language_name`` read and speak language codes.
"""

from ting.lang.detect import LanguageGuess, detect_language
from ting.lang.names import SUPPORTED_LANGUAGES, language_name, normalize_language_tag
from ting.lang.normalize import clean_text, strip_punctuation

__all__ = [
    "SUPPORTED_LANGUAGES",
    "LanguageGuess",
    "clean_text",
    "detect_language",
    "language_name",
    "normalize_language_tag",
    "strip_punctuation",
]
