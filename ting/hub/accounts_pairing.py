"""Device pairing on the ``pairings`` table: the OAuth 2.0 device authorization grant (RFC 8628).

A pairing row goes ``pending`` → ``approved`` → ``consumed`` (the speaker collected its token),
or ``pending`` → ``denied``; past ``expires_at`` it is dead whatever its status, and a day later
it is deleted. Each function here runs inside a write transaction that ``AccountStore`` opened,
with the instant ``now`` it read from its clock; none commits, awaits or raises ``PairingError``
(a refusal is returned, so that the caller commits the recorded failure before raising it).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta

from ting.errors import InputError, StoreError
from ting.hub.accounts_records import (
    Device,
    PairingError,
    PairingPoll,
    device_from_row,
    new_user_code,
)
from ting.store.sqlite_rows import db_time, parse_time, parse_time_or_none

SLOW_DOWN_STEP_S = 5
"""Seconds added to a pairing's polling interval each time it answers ``slow_down``."""
KEEP_EXPIRED_S = 86400
"""Seconds an expired pairing still answers ``expired_token`` before it is deleted."""
_USER_CODE_TRIES = 20  # 20**8 codes: even one collision with a live code is one in millions


@dataclass(frozen=True, slots=True)
class AttemptLimit:
    """A member may enter ``max_failed_codes`` wrong codes within ``failure_window_s``
    seconds; any further attempt in the window, right or wrong, is refused."""

    max_failed_codes: int
    failure_window_s: int


def open_pairing(
    conn: sqlite3.Connection,
    *,
    device_code_sha256: str,
    name: str,
    room: str | None,
    now: datetime,
    ttl_s: int,
    interval_s: int,
) -> str:
    """Insert a pending pairing and return its user code (stored form, no dash), unique
    among the pairings kept (so among the live ones)."""
    forget_old_pairings(conn, now)
    for _ in range(_USER_CODE_TRIES):
        user_code = new_user_code()
        if conn.execute("SELECT 1 FROM pairings WHERE user_code = ?", (user_code,)).fetchone():
            continue
        conn.execute(
            "INSERT INTO pairings (device_code_sha256, user_code, name, room, created_at, "
            "expires_at, interval_s) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                device_code_sha256,
                user_code,
                name,
                room,
                db_time(now),
                db_time(now + timedelta(seconds=ttl_s)),
                interval_s,
            ),
        )
        return user_code
    raise StoreError("could not find a free pairing code; try again")


def poll(conn: sqlite3.Connection, device_code_sha256: str, now: datetime) -> PairingPoll:
    """One poll of the speaker holding the device code (RFC 8628 §3.4, §3.5)."""
    row = conn.execute(
        "SELECT * FROM pairings WHERE device_code_sha256 = ?", (device_code_sha256,)
    ).fetchone()
    if row is None:
        return PairingPoll("invalid_grant")
    status, pairing_id = row["status"], row["id"]
    last_poll_at = parse_time_or_none(row["last_poll_at"])
    conn.execute("UPDATE pairings SET last_poll_at = ? WHERE id = ?", (db_time(now), pairing_id))
    if status == "consumed" or now >= parse_time(row["expires_at"]):
        _consume(conn, pairing_id)
        return PairingPoll("expired_token")
    if status == "denied":
        return PairingPoll("access_denied")
    if status == "approved":
        _consume(conn, pairing_id)
        device = conn.execute(
            "SELECT * FROM devices WHERE id = ? AND revoked_at IS NULL", (row["device_id"],)
        ).fetchone()
        if device is None or row["access_token"] is None:
            return PairingPoll("access_denied")
        return PairingPoll("approved", row["access_token"], device_from_row(device))
    if last_poll_at is not None and now - last_poll_at < timedelta(seconds=row["interval_s"]):
        conn.execute(
            "UPDATE pairings SET interval_s = interval_s + ? WHERE id = ?",
            (SLOW_DOWN_STEP_S, pairing_id),
        )
        return PairingPoll("slow_down")
    return PairingPoll("authorization_pending")


def find_pending(
    conn: sqlite3.Connection,
    user_code: str | None,
    member_id: str,
    now: datetime,
    limit: AttemptLimit,
) -> tuple[sqlite3.Row, str] | PairingError:
    """The pending pairing with ``user_code`` (stored form; ``None`` for a malformed one) and
    the member's household id, read from the database, never from the caller; or the refusal,
    recorded as one failure of the member unless it is ``too_many_attempts``."""
    member = conn.execute("SELECT household_id FROM members WHERE id = ?", (member_id,))
    member_row = member.fetchone()
    if member_row is None:
        raise InputError(f"there is no member {member_id!r}")
    refusal = _too_many_attempts(conn, member_id, now, limit)
    if refusal is not None:
        return refusal
    forget_old_pairings(conn, now)
    pairing = None
    if user_code is not None:
        query = conn.execute("SELECT * FROM pairings WHERE user_code = ?", (user_code,))
        pairing = query.fetchone()
    checked = _usable(pairing, now)
    if isinstance(checked, PairingError):
        conn.execute(
            "INSERT INTO pairing_failures (member_id, at) VALUES (?, ?)", (member_id, db_time(now))
        )
        return checked
    return checked, member_row["household_id"]


def approve(
    conn: sqlite3.Connection,
    pairing: sqlite3.Row,
    *,
    household_id: str,
    member_id: str,
    device_id: str,
    token: str,
    token_sha256: str,
    name: str | None,
    room: str | None,
    keep_room: bool,
    now: datetime,
) -> Device:
    """Create the device in ``household_id`` and leave ``token`` for the speaker's next poll.
    ``name`` replaces the proposed name unless ``None``; the room is kept if ``keep_room``."""
    conn.execute(
        "INSERT INTO devices (id, household_id, name, room, token_sha256, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (
            device_id,
            household_id,
            name or pairing["name"],
            pairing["room"] if keep_room else room,
            token_sha256,
            db_time(now),
        ),
    )
    conn.execute(
        "UPDATE pairings SET status = 'approved', decided_by = ?, device_id = ?, "
        "access_token = ? WHERE id = ?",
        (member_id, device_id, token, pairing["id"]),
    )
    return device_from_row(
        conn.execute("SELECT * FROM devices WHERE id = ?", (device_id,)).fetchone()
    )


def deny(conn: sqlite3.Connection, pairing: sqlite3.Row, member_id: str) -> None:
    """Refuse the pairing: the speaker's next poll answers ``access_denied``."""
    conn.execute(
        "UPDATE pairings SET status = 'denied', decided_by = ? WHERE id = ?",
        (member_id, pairing["id"]),
    )


def drop_uncollected_tokens(conn: sqlite3.Connection, device_id: str) -> None:
    """A revoked or re-keyed device's first token must not be collected afterwards."""
    conn.execute(
        "UPDATE pairings SET status = 'consumed', access_token = NULL "
        "WHERE device_id = ? AND status = 'approved'",
        (device_id,),
    )


def forget_old_pairings(conn: sqlite3.Connection, now: datetime) -> None:
    """Clear uncollected tokens of expired pairings; delete those expired a day ago."""
    conn.execute(
        "UPDATE pairings SET access_token = NULL, status = iif(status = 'approved', "
        "'consumed', status) WHERE access_token IS NOT NULL AND expires_at <= ?",
        (db_time(now),),
    )
    keep_after = now - timedelta(seconds=KEEP_EXPIRED_S)
    conn.execute("DELETE FROM pairings WHERE expires_at <= ?", (db_time(keep_after),))


def _too_many_attempts(
    conn: sqlite3.Connection, member_id: str, now: datetime, limit: AttemptLimit
) -> PairingError | None:
    window_start = now - timedelta(seconds=limit.failure_window_s)
    conn.execute("DELETE FROM pairing_failures WHERE at <= ?", (db_time(window_start),))
    failures = [
        parse_time(row["at"])
        for row in conn.execute(
            "SELECT at FROM pairing_failures WHERE member_id = ? ORDER BY at", (member_id,)
        )
    ]
    if len(failures) < limit.max_failed_codes:
        return None
    # Refusals are not recorded, so the block ends a window after the failure that started it.
    started_by = failures[len(failures) - limit.max_failed_codes]
    retry_after = started_by + timedelta(seconds=limit.failure_window_s) - now
    return PairingError(
        "too_many_attempts",
        "too many wrong pairing codes: wait a few minutes, then try again",
        retry_after_s=max(retry_after.total_seconds(), 1.0),
    )


def _usable(pairing: sqlite3.Row | None, now: datetime) -> sqlite3.Row | PairingError:
    """``pairing`` (looked up by the code a member typed) if it awaits a decision, else why
    not."""
    if pairing is None:
        return PairingError(
            "invalid_code", "no speaker is pairing with that code: check the code on the speaker"
        )
    if pairing["status"] != "pending":
        return PairingError(
            "code_used", "that code was already used: start pairing on the speaker again"
        )
    if now >= parse_time(pairing["expires_at"]):
        return PairingError(
            "expired_code", "that code has expired: start pairing on the speaker again"
        )
    return pairing


def _consume(conn: sqlite3.Connection, pairing_id: int) -> None:
    conn.execute(
        "UPDATE pairings SET status = iif(status = 'approved', 'consumed', status), "
        "access_token = NULL WHERE id = ?",
        (pairing_id,),
    )
