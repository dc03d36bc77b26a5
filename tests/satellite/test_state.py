"""The satellite's state machine: every allowed move, and refusals of the rest."""

from __future__ import annotations

import pytest

from ting.satellite.state import TRANSITIONS, InvalidTransition, State, StateMachine


def test_a_whole_run() -> None:
    seen: list[tuple[str, str]] = []
    machine = StateMachine()
    machine.subscribe(lambda old, new: seen.append((old.value, new.value)))
    for state in (State.LISTENING, State.THINKING, State.SPEAKING, State.LISTENING, State.IDLE):
        assert machine.to(state)
    assert seen == [
        ("idle", "listening"),
        ("listening", "thinking"),
        ("thinking", "speaking"),
        ("speaking", "listening"),
        ("listening", "idle"),
    ]


def test_same_state_is_no_change() -> None:
    seen: list[object] = []
    machine = StateMachine(State.SPEAKING)
    machine.subscribe(lambda old, new: seen.append(new))
    assert machine.to(State.SPEAKING) is False
    assert seen == []


@pytest.mark.parametrize(
    ("start", "target"),
    [
        (State.IDLE, State.THINKING),
        (State.MUTED, State.LISTENING),
        (State.MUTED, State.SPEAKING),
        (State.THINKING, State.LISTENING),
    ],
)
def test_invalid_moves_raise(start: State, target: State) -> None:
    machine = StateMachine(start)
    with pytest.raises(InvalidTransition, match=f"{start.value} cannot go to {target.value}"):
        machine.to(target)
    assert machine.state is start


def test_every_state_can_be_muted_and_mute_only_leads_to_idle() -> None:
    for state in State:
        if state is not State.MUTED:
            assert State.MUTED in TRANSITIONS[state]
    assert TRANSITIONS[State.MUTED] == {State.IDLE}
    assert set(TRANSITIONS) == set(State)
