"""Ting's own replies (not understood, cancelled, unsupported language ...): the system skill's."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from ting.lang import language_name
from ting.skills.responses import ResponseRenderer

_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


class SystemReplies:
    def __init__(self, renderer: ResponseRenderer, foreign: dict[str, str] | None = None) -> None:
        self._renderer = renderer
        self._foreign = foreign or {}

    def render(self, language: str, key: str, **values: Any) -> str:
        return self._renderer.render(language, key, values, _EPOCH)

    def unsupported_language(self, language: str, detected: str) -> str:
        """The reply in the conversation's language, then the same in the detected one if known."""
        reply = self.render(
            language, "unsupported_language", name=language_name(detected, language)
        )
        foreign = self._foreign.get(detected)
        return f"{reply} {foreign}" if foreign else reply
