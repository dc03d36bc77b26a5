"""Wake arbitration: when several speakers of a household hear the same wake word, the one
that heard it best answers.

The first wake of a household opens a round of ``window_s`` seconds; every wake of that
household inside the round joins it. When the round closes, the loudest (``level_db``, then
the wake model's probability) wins and every contender learns its result. Speakers keep
streaming during the round, so the winner loses no audio; a lone speaker waits ``window_s``
before its command is processed, which the hub does while the user is still speaking.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field


@dataclass
class _Round:
    contenders: dict[str, tuple[float, float]] = field(default_factory=dict)
    """run_id → (level_db, probability)."""
    decided: asyncio.Future[str] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )


class WakeArbiter:
    def __init__(self, window_s: float = 0.3) -> None:
        self.window_s = window_s
        self._rounds: dict[str, _Round] = {}

    async def contend(
        self, household_id: str, run_id: str, level_db: float, probability: float = 0.0
    ) -> bool:
        """Wait for the round to close; True when ``run_id`` won it."""
        if self.window_s <= 0:
            return True
        current = self._rounds.get(household_id)
        if current is None:
            current = self._rounds[household_id] = _Round()
            asyncio.get_running_loop().call_later(self.window_s, self._close, household_id)
        current.contenders[run_id] = (level_db, probability)
        winner = await asyncio.shield(current.decided)
        return winner == run_id

    def _close(self, household_id: str) -> None:
        current = self._rounds.pop(household_id, None)
        if current is None or current.decided.done():
            return
        best = max(current.contenders.items(), key=lambda item: item[1])
        current.decided.set_result(best[0])
