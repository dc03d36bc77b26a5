"""Ting's one exception hierarchy.

    TingError                      base of everything Ting raises on purpose
    ├── ConfigError                bad settings or files (a skill's YAML, a data directory)
    ├── InputError                 user input Ting refuses (empty, too long, not decodable)
    ├── LanguageError              an unsupported language (carries the detected code)
    ├── NluError                   intent data that does not compile or a model that cannot load
    ├── SkillError                 a skill that fails to load or to handle a request
    │   └── SkillLoadError         handler and declared intents do not match
    ├── StoreError                 storage failures (the transaction was rolled back)
    └── EngineError(retryable)     an engine (STT, TTS ...) failed; ``retryable``: may a retry help

Catch broadly only at task boundaries (a CLI command, a connection handler, a service loop).
"""

from __future__ import annotations


class TingError(Exception):
    """Base of every error Ting raises on purpose; its message is fit for a user."""


class ConfigError(TingError):
    """Bad settings or data files."""


class InputError(TingError):
    """User input that Ting refuses, with a message that says why."""


class LanguageError(TingError):
    """The input is in a language Ting does not speak."""

    def __init__(self, message: str, language: str) -> None:
        super().__init__(message)
        self.language = language


class NluError(TingError):
    """Intent data that does not compile, or a model that cannot be trained or loaded."""


class SkillError(TingError):
    """A skill failed to load or to handle a request."""


class SkillLoadError(SkillError):
    """A skill's handler and its declared intents, responses or tests do not match."""


class StoreError(TingError):
    """A storage operation failed and was rolled back."""


class EngineError(TingError):
    """An engine failed; ``retryable`` tells whether trying again may help."""

    def __init__(self, message: str, *, retryable: bool = False) -> None:
        super().__init__(message)
        self.retryable = retryable
