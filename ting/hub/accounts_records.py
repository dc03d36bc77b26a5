"""The records of the accounts database, and the rules for the values written to it.

Frozen dataclasses read from the tables of ``ting.hub.accounts_schema``; the cleaning of names,
e-mail addresses and pairing codes (``InputError`` with a message fit for people); and
``PairingError``. ``ting.hub.accounts`` re-exports the public ones.
"""

from __future__ import annotations

import re
import secrets
import sqlite3
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from ting.errors import ConfigError, InputError
from ting.store.sqlite_rows import parse_time, parse_time_or_none

Role = Literal["owner", "member"]
"""A member's role in their household."""

PairingStatus = Literal[
    "authorization_pending",
    "slow_down",
    "expired_token",
    "access_denied",
    "approved",
    "invalid_grant",
]
"""What a speaker's poll answers: RFC 8628 §3.5 error codes, plus ``approved``."""

USER_CODE_ALPHABET = "BCDFGHJKLMNPQRSTVWXZ"
"""Pairing code letters: no vowels (no words), no digits (no 0/O, 1/I), RFC 8628 §6.1."""
USER_CODE_LENGTH = 8
"""Letters in a pairing code: 20**8, about 2.6e10 codes, about 34 bits."""
MAX_PAIRING_TTL_S = 900
"""The longest a pairing may stay open, in seconds (15 minutes)."""
PAIRING_PATH = "/pair"
"""The console page where a member enters a pairing code (RFC 8628 ``verification_uri``)."""
MAX_NAME_CHARS = 64
"""The longest tenant, household, member, device or room name, in characters."""
MAX_EMAIL_CHARS = 254
"""The longest e-mail address, in characters (RFC 5321's path limit less the brackets)."""

_EMAIL_SHAPE = re.compile(r"[^@\s]+@[^@\s.]+(?:\.[^@\s.]+)+")
# Bidirectional embeddings, overrides, isolates and marks: invisible, and able to make a name
# display as something else ("trojan source").
_BIDI_CONTROLS = frozenset("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


@dataclass(frozen=True, slots=True)
class AccountSettings:
    """How long things live and how often they may be tried (``AccountStore.open``)."""

    pairing_ttl_s: int = MAX_PAIRING_TTL_S
    """How long a pairing's codes live, in seconds: 1 to 900 (RFC 8628 suggests minutes)."""
    pairing_interval_s: int = 5
    """The least time between a speaker's polls, in seconds (RFC 8628 default: 5)."""
    max_failed_codes: int = 5
    """Wrong pairing codes a member may enter within ``failure_window_s``."""
    failure_window_s: int = 900
    """The window, in seconds, in which ``max_failed_codes`` are counted."""
    session_ttl_s: int = 30 * 86400
    """How long a console sign-in lasts, in seconds (not extended by use)."""

    def __post_init__(self) -> None:
        if not 0 < self.pairing_ttl_s <= MAX_PAIRING_TTL_S:
            raise ConfigError(
                f"pairing_ttl_s must be 1 to {MAX_PAIRING_TTL_S} s, not {self.pairing_ttl_s}"
            )
        for name in ("pairing_interval_s", "max_failed_codes", "failure_window_s", "session_ttl_s"):
            if getattr(self, name) < 1:
                raise ConfigError(f"{name} must be at least 1, not {getattr(self, name)}")


@dataclass(frozen=True, slots=True)
class Tenant:
    """A device maker; every household belongs to one (``default`` unless told otherwise)."""

    id: str
    name: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Household:
    """A home: its members share its devices, lists and timers."""

    id: str
    tenant_id: str
    name: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Member:
    """A person who signs in to the console (the password hash never leaves the store)."""

    id: str
    household_id: str
    email: str
    display_name: str
    role: Role
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Device:
    """A paired speaker; ``revoked`` devices are refused on their next request."""

    id: str
    household_id: str
    name: str
    room: str | None
    created_at: datetime
    last_seen_at: datetime | None
    """Updated at most once a minute, when the device shows its token."""
    revoked: bool


@dataclass(frozen=True, slots=True)
class PairingStart:
    """What a speaker gets from ``start_pairing`` (RFC 8628 §3.2)."""

    device_code: str = field(repr=False)
    """The speaker's secret for ``poll_pairing``: never show it to anyone."""
    user_code: str
    """``XXXX-XXXX``, shown or spoken to the person, entered on the console."""
    verification_uri_path: str
    """The console page to enter the code on; the web layer makes it a full URI."""
    expires_in_s: int
    """Seconds until both codes expire."""
    interval_s: int
    """Seconds the speaker must wait between polls."""


@dataclass(frozen=True, slots=True)
class PairingPoll:
    """The answer to one ``poll_pairing``: a status, and with ``approved`` the token."""

    status: PairingStatus
    access_token: str | None = field(default=None, repr=False)
    """The device's bearer token: given exactly once, with ``approved``."""
    device: Device | None = None


PairingErrorCode = Literal["invalid_code", "expired_code", "code_used", "too_many_attempts"]
"""Why a pairing code was refused; see ``PairingError``."""


class PairingError(InputError):
    """A member's pairing code was refused; ``code`` says why, the message says it to people.

    - ``invalid_code``: no speaker is pairing with this code (a typo, or a guess);
    - ``expired_code``: the code is older than the pairing lifetime;
    - ``code_used``: the code was already approved or denied;
    - ``too_many_attempts``: too many wrong codes lately; ``retry_after_s`` says when to retry.

    All but ``too_many_attempts`` count as one wrong code for the member.
    """

    def __init__(
        self, code: PairingErrorCode, message: str, *, retry_after_s: float | None = None
    ) -> None:
        super().__init__(message)
        self.code = code
        self.retry_after_s = retry_after_s
        """Seconds until the member may try again (``too_many_attempts`` only)."""


def clean_name(value: str, what: str) -> str:
    """``value`` NFC-normalised and stripped; ``InputError`` when empty, longer than
    ``MAX_NAME_CHARS`` characters, or holding control characters. ``what`` names it."""
    if not isinstance(value, str):
        raise InputError(f"the {what} must be text")
    text = unicodedata.normalize("NFC", value).strip()
    if not text:
        raise InputError(f"the {what} is empty")
    if len(text) > MAX_NAME_CHARS:
        raise InputError(f"the {what} is too long: use at most {MAX_NAME_CHARS} characters")
    if any(_is_control(char) for char in text):
        raise InputError(f"the {what} contains control characters")
    return text


def clean_room(value: str | None) -> str | None:
    """A cleaned room name; ``None`` or blank means no room."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return clean_name(value, "room")


def clean_role(value: str) -> Role:
    """``owner`` or ``member``; ``InputError`` otherwise."""
    if value == "owner":
        return "owner"
    if value == "member":
        return "member"
    raise InputError(f"the role must be 'owner' or 'member', not {value!r}")


def normalize_email(value: str) -> str:
    """The address lower-cased and stripped; ``InputError`` unless it looks like
    ``name@domain.tld`` within ``MAX_EMAIL_CHARS`` characters (deliverability is not checked)."""
    if not isinstance(value, str):
        raise InputError("the e-mail address must be text")
    email = unicodedata.normalize("NFC", value).strip().lower()
    if not email:
        raise InputError("the e-mail address is empty")
    if len(email) > MAX_EMAIL_CHARS:
        raise InputError(f"the e-mail address is too long: at most {MAX_EMAIL_CHARS} characters")
    if not _EMAIL_SHAPE.fullmatch(email) or any(_is_control(char) for char in email):
        raise InputError(f"{email!r} is not an e-mail address")
    return email


def _is_control(char: str) -> bool:
    return unicodedata.category(char) in ("Cc", "Zl", "Zp") or char in _BIDI_CONTROLS


def new_user_code() -> str:
    """A random pairing code of ``USER_CODE_LENGTH`` letters, as stored (no dash)."""
    return "".join(secrets.choice(USER_CODE_ALPHABET) for _ in range(USER_CODE_LENGTH))


def format_user_code(code: str) -> str:
    """A stored code as people see it: ``BCDF-GHJK``."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"


def normalize_user_code(text: str) -> str | None:
    """The stored form of a typed code (any case, spaces, dashes, full-width letters), or
    ``None`` when it cannot be a code at all."""
    if not isinstance(text, str):
        return None
    folded = unicodedata.normalize("NFKC", text).upper()
    code = "".join(c for c in folded if not c.isspace() and unicodedata.category(c) != "Pd")
    if len(code) != USER_CODE_LENGTH or any(c not in USER_CODE_ALPHABET for c in code):
        return None
    return code


def tenant_from_row(row: sqlite3.Row) -> Tenant:
    return Tenant(id=row["id"], name=row["name"], created_at=parse_time(row["created_at"]))


def household_from_row(row: sqlite3.Row) -> Household:
    return Household(
        id=row["id"],
        tenant_id=row["tenant_id"],
        name=row["name"],
        created_at=parse_time(row["created_at"]),
    )


def member_from_row(row: sqlite3.Row) -> Member:
    return Member(
        id=row["id"],
        household_id=row["household_id"],
        email=row["email"],
        display_name=row["display_name"],
        role=clean_role(row["role"]),
        created_at=parse_time(row["created_at"]),
    )


def device_from_row(row: sqlite3.Row) -> Device:
    return Device(
        id=row["id"],
        household_id=row["household_id"],
        name=row["name"],
        room=row["room"],
        created_at=parse_time(row["created_at"]),
        last_seen_at=parse_time_or_none(row["last_seen_at"]),
        revoked=row["revoked_at"] is not None,
    )
