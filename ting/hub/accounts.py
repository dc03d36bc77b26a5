"""``AccountStore``: tenants, households, members, console sessions, devices and their pairing.

Pairing follows the OAuth 2.0 device authorization grant (RFC 8628):

1. The speaker calls ``start_pairing`` and gets a secret ``device_code`` it keeps, and a
   ``user_code`` (``XXXX-XXXX``) it shows or speaks, with the console page to enter it on.
2. A signed-in member enters the code: ``approve_pairing`` creates the device in the member's
   household, or ``deny_pairing`` refuses it. Wrong codes count against the member; after
   ``max_failed_codes`` of them within ``failure_window_s`` every attempt is refused for a while.
3. Meanwhile the speaker calls ``poll_pairing(device_code)`` every ``interval_s`` seconds and
   gets ``authorization_pending``, ``slow_down`` (too soon: the interval grows by 5 s),
   ``access_denied``, ``expired_token``, or once, ``approved`` with the device's access token.

Errors: ``InputError`` for refused input (bad names, e-mail addresses, passwords, duplicates),
``PairingError`` (an ``InputError`` with a ``code``) for pairing codes, ``StoreError`` when the
database fails (the transaction was rolled back, nothing is half-written).

sqlite3 runs in one worker thread that owns the connection: each public method is one job
there and each write one ``BEGIN IMMEDIATE`` transaction, so jobs never interleave, and a slow
commit or a wait for another process's lock never blocks the event loop. Password hashing runs
in asyncio's default executor so a sign-in does not hold up the database. A cancelled call still
finishes its job in the worker (it is committed or rolled back as a whole).
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import Self, TypeVar
from uuid import uuid4

from ting.errors import InputError, StoreError
from ting.hub import accounts_pairing as pairing
from ting.hub.accounts_records import (
    MAX_PAIRING_TTL_S,
    PAIRING_PATH,
    AccountSettings,
    Device,
    Household,
    Member,
    PairingError,
    PairingPoll,
    PairingStart,
    Role,
    Tenant,
    clean_name,
    clean_role,
    clean_room,
    device_from_row,
    format_user_code,
    household_from_row,
    member_from_row,
    normalize_email,
    normalize_user_code,
)
from ting.hub.accounts_schema import DEFAULT_TENANT, AccountsDatabase
from ting.hub.passwords import hash_password, new_token, token_digest, verify_password
from ting.store.sqlite_rows import db_time

__all__ = [
    "AccountSettings",
    "AccountStore",
    "Device",
    "Household",
    "Member",
    "PairingError",
    "PairingPoll",
    "PairingStart",
    "Tenant",
]

T = TypeVar("T")

LAST_SEEN_STEP_S = 60
"""A device's ``last_seen_at`` is written at most once per this many seconds."""


def _utc_now() -> datetime:
    return datetime.now(UTC)


class AccountStore:
    """Accounts, households, devices and pairing in one SQLite file (``accounts.db``).

    Create it with ``await AccountStore.open(path)``; close it with ``close()`` or use it as an
    async context manager. All times are aware UTC datetimes from the injected ``clock``.
    """

    def __init__(
        self,
        db: AccountsDatabase,
        executor: ThreadPoolExecutor,
        settings: AccountSettings,
        *,
        clock: Callable[[], datetime],
        dummy_hash: str,
    ) -> None:
        """Use ``AccountStore.open``: the database must be opened in ``executor``'s thread."""
        self._db = db
        self._executor = executor
        self.settings = settings
        self._clock = clock
        self._dummy_hash = dummy_hash
        self._attempt_limit = pairing.AttemptLimit(
            settings.max_failed_codes, settings.failure_window_s
        )
        self._closed = False

    @classmethod
    async def open(
        cls,
        path: Path | str,
        *,
        clock: Callable[[], datetime] | None = None,
        pairing_ttl_s: int = MAX_PAIRING_TTL_S,
        pairing_interval_s: int = 5,
        max_failed_codes: int = 5,
        failure_window_s: int = 900,
        session_ttl_s: int = 30 * 86400,
    ) -> AccountStore:
        """Open (creating and migrating when needed) the accounts database at ``path``.

        The settings are those of ``AccountSettings``; out-of-range ones raise ``ConfigError``,
        an unusable file ``StoreError``. ``clock`` gives aware datetimes (default: UTC now).
        """
        settings = AccountSettings(
            pairing_ttl_s, pairing_interval_s, max_failed_codes, failure_window_s, session_ttl_s
        )
        # Verified against for unknown e-mail addresses, so they take as long as known ones.
        dummy_hash = await asyncio.to_thread(hash_password, new_token())
        executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ting-accounts")
        try:
            loop = asyncio.get_running_loop()
            db = await loop.run_in_executor(executor, AccountsDatabase, Path(path))
        except BaseException:
            executor.shutdown(wait=False)
            raise
        return cls(db, executor, settings, clock=clock or _utc_now, dummy_hash=dummy_hash)

    @property
    def path(self) -> Path:
        """The database file."""
        return self._db.path

    async def close(self) -> None:
        """Finish the queued jobs and close the database; later calls raise ``StoreError``."""
        if self._closed:
            return
        self._closed = True
        await asyncio.get_running_loop().run_in_executor(self._executor, self._db.close)
        self._executor.shutdown(wait=True)

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    # -- plumbing ---------------------------------------------------------------------------

    def _now(self) -> datetime:
        now = self._clock()
        if now.tzinfo is None:
            raise StoreError(f"the clock gave the naive datetime {now.isoformat()}")
        return now.astimezone(UTC)

    async def _run(self, job: Callable[[], T]) -> T:
        if self._closed:
            raise StoreError("the account store is closed")
        return await asyncio.get_running_loop().run_in_executor(self._executor, job)

    async def _write(self, what: str, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``work`` in one write transaction in the worker thread."""

        def job() -> T:
            with self._db.write(what) as conn:
                return work(conn)

        return await self._run(job)

    async def _read(self, what: str, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``work`` in one read transaction (one snapshot) in the worker thread."""

        def job() -> T:
            with self._db.read(what) as conn:
                return work(conn)

        return await self._run(job)

    # -- tenants and households -------------------------------------------------------------

    async def create_tenant(self, name: str) -> Tenant:
        """A new tenant (a device maker); its name must be unique (case-insensitive)."""
        tenant = Tenant(
            id=uuid4().hex, name=clean_name(name, "tenant name"), created_at=self._now()
        )

        def work(conn: sqlite3.Connection) -> Tenant:
            if conn.execute("SELECT 1 FROM tenants WHERE name = ?", (tenant.name,)).fetchone():
                raise InputError(f"a tenant named {tenant.name!r} already exists")
            conn.execute(
                "INSERT INTO tenants (id, name, created_at) VALUES (?, ?, ?)",
                (tenant.id, tenant.name, db_time(tenant.created_at)),
            )
            return tenant

        return await self._write(f"create the tenant {tenant.name!r}", work)

    async def create_household(self, name: str, tenant_id: str = DEFAULT_TENANT) -> Household:
        """A new, empty household of the tenant ``tenant_id`` (``InputError`` if unknown)."""
        household = Household(
            uuid4().hex, tenant_id, clean_name(name, "household name"), self._now()
        )
        return await self._write(
            f"create the household {household.name!r}",
            lambda conn: _insert_household(conn, household),
        )

    async def get_household(self, household_id: str) -> Household | None:
        """The household with this id, or ``None``."""

        def work(conn: sqlite3.Connection) -> Household | None:
            row = conn.execute("SELECT * FROM households WHERE id = ?", (household_id,)).fetchone()
            return None if row is None else household_from_row(row)

        return await self._read(f"read the household {household_id}", work)

    async def list_households(self, tenant_id: str) -> list[Household]:
        """The tenant's households, oldest first (none for an unknown tenant)."""

        def work(conn: sqlite3.Connection) -> list[Household]:
            rows = conn.execute(
                "SELECT * FROM households WHERE tenant_id = ? ORDER BY created_at, id", (tenant_id,)
            )
            return [household_from_row(row) for row in rows]

        return await self._read("list the households", work)

    # -- members and sign-in ----------------------------------------------------------------

    async def create_member(
        self,
        household_id: str,
        email: str,
        password: str,
        display_name: str,
        role: Role = "owner",
    ) -> Member:
        """A new member of ``household_id``; ``InputError`` for a taken e-mail address, an
        unknown household, or a bad address, name, role or password (8 to 1024 characters)."""
        member = Member(
            id=uuid4().hex,
            household_id=household_id,
            email=normalize_email(email),
            display_name=clean_name(display_name, "display name"),
            role=clean_role(role),
            created_at=self._now(),
        )
        password_hash = await asyncio.to_thread(hash_password, password)

        def work(conn: sqlite3.Connection) -> Member:
            if conn.execute("SELECT 1 FROM households WHERE id = ?", (household_id,)).fetchone():
                return _insert_member(conn, member, password_hash)
            raise InputError(f"there is no household {household_id!r}")

        return await self._write(f"add the member {member.email}", work)

    async def signup(
        self,
        email: str,
        password: str,
        household_name: str,
        display_name: str,
        *,
        tenant_id: str = DEFAULT_TENANT,
    ) -> Member:
        """A new household with its owner, in one transaction (``InputError`` as for
        ``create_member``; an unknown tenant too). Nothing is kept when any part fails."""
        now = self._now()
        household = Household(
            uuid4().hex, tenant_id, clean_name(household_name, "household name"), now
        )
        member = Member(
            id=uuid4().hex,
            household_id=household.id,
            email=normalize_email(email),
            display_name=clean_name(display_name, "display name"),
            role="owner",
            created_at=now,
        )
        password_hash = await asyncio.to_thread(hash_password, password)

        def work(conn: sqlite3.Connection) -> Member:
            _insert_household(conn, household)
            return _insert_member(conn, member, password_hash)

        return await self._write(f"sign up {member.email}", work)

    async def authenticate(self, email: str, password: str) -> Member | None:
        """The member with this e-mail address and password, or ``None``.

        Unknown and malformed addresses cost one scrypt verification like known ones, so the
        answer's timing does not tell which addresses have accounts.
        """
        try:
            address: str | None = normalize_email(email)
        except InputError:
            address = None

        def work(conn: sqlite3.Connection) -> tuple[Member, str] | None:
            row = conn.execute("SELECT * FROM members WHERE email = ?", (address,)).fetchone()
            return None if row is None else (member_from_row(row), row["password_hash"])

        found = None if address is None else await self._read("look up a member", work)
        encoded = self._dummy_hash if found is None else found[1]
        matches = await asyncio.to_thread(verify_password, password, encoded)
        return found[0] if matches and found is not None else None

    async def get_member(self, member_id: str) -> Member | None:
        """The member with this id, or ``None``."""

        def work(conn: sqlite3.Connection) -> Member | None:
            row = conn.execute("SELECT * FROM members WHERE id = ?", (member_id,)).fetchone()
            return None if row is None else member_from_row(row)

        return await self._read(f"read the member {member_id}", work)

    # -- console sessions -------------------------------------------------------------------

    async def create_session(self, member_id: str) -> str:
        """A new console session token for the member, valid ``session_ttl_s`` seconds.

        Only the token's SHA-256 is stored: the caller hands the token to the browser (an
        HttpOnly, Secure, SameSite cookie) and cannot read it back later.
        """
        token = new_token()
        now = self._now()
        expires_at = now + timedelta(seconds=self.settings.session_ttl_s)

        def work(conn: sqlite3.Connection) -> str:
            if not conn.execute("SELECT 1 FROM members WHERE id = ?", (member_id,)).fetchone():
                raise InputError(f"there is no member {member_id!r}")
            conn.execute("DELETE FROM sessions WHERE expires_at <= ?", (db_time(now),))
            conn.execute(
                "INSERT INTO sessions (token_sha256, member_id, created_at, expires_at) "
                "VALUES (?, ?, ?, ?)",
                (token_digest(token), member_id, db_time(now), db_time(expires_at)),
            )
            return token

        return await self._write("create a session", work)

    async def member_for_session(self, token: str) -> Member | None:
        """The member signed in with this session token; ``None`` if unknown or expired."""
        digest, now = token_digest(token), db_time(self._now())

        def work(conn: sqlite3.Connection) -> Member | None:
            row = conn.execute(
                "SELECT members.* FROM sessions JOIN members ON members.id = sessions.member_id "
                "WHERE sessions.token_sha256 = ? AND sessions.expires_at > ?",
                (digest, now),
            ).fetchone()
            return None if row is None else member_from_row(row)

        return await self._read("look up a session", work)

    async def delete_session(self, token: str) -> None:
        """Sign out: forget the session (nothing happens for an unknown token)."""
        digest = token_digest(token)
        await self._write(
            "delete a session",
            lambda conn: conn.execute("DELETE FROM sessions WHERE token_sha256 = ?", (digest,)),
        )

    # -- pairing (RFC 8628; the state machine is in ting.hub.accounts_pairing) ----------------

    async def start_pairing(self, name: str, room: str | None = None) -> PairingStart:
        """Open a pairing for a speaker called ``name`` (in ``room``): its codes live
        ``pairing_ttl_s`` seconds. Unauthenticated: the web layer should rate-limit callers."""
        name, room = clean_name(name, "device name"), clean_room(room)
        device_code, now = new_token(), self._now()
        user_code = await self._write(
            f"start pairing {name!r}",
            lambda conn: pairing.open_pairing(
                conn,
                device_code_sha256=token_digest(device_code),
                name=name,
                room=room,
                now=now,
                ttl_s=self.settings.pairing_ttl_s,
                interval_s=self.settings.pairing_interval_s,
            ),
        )
        return PairingStart(
            device_code=device_code,
            user_code=format_user_code(user_code),
            verification_uri_path=PAIRING_PATH,
            expires_in_s=self.settings.pairing_ttl_s,
            interval_s=self.settings.pairing_interval_s,
        )

    async def poll_pairing(self, device_code: str) -> PairingPoll:
        """Where the pairing of ``device_code`` stands (RFC 8628 §3.5).

        ``approved`` carries the device's access token exactly once; the pairing is then
        consumed and later polls answer ``expired_token``. Polling sooner than the interval
        answers ``slow_down`` and adds 5 s to the interval. Unknown codes: ``invalid_grant``.
        """
        digest, now = token_digest(device_code), self._now()
        return await self._write("poll a pairing", lambda conn: pairing.poll(conn, digest, now))

    async def approve_pairing(
        self, user_code: str, member: Member, name: str | None = None, room: str | None = None
    ) -> Device:
        """Pair the speaker showing ``user_code`` into ``member``'s household and return it.

        ``name`` and ``room`` replace what the speaker proposed (``room=""`` clears it). The
        code may be typed in any case, with or without spaces and dashes. Raises
        ``PairingError`` for a wrong, expired or used code (each counts against the member)
        and for too many wrong codes lately, even when this one is right.
        """
        new_name = None if name is None else clean_name(name, "device name")
        new_room = clean_room(room)
        code, now, token = normalize_user_code(user_code), self._now(), new_token()

        def work(conn: sqlite3.Connection) -> Device | PairingError:
            found = pairing.find_pending(conn, code, member.id, now, self._attempt_limit)
            if isinstance(found, PairingError):
                return found
            return pairing.approve(
                conn,
                found[0],
                household_id=found[1],
                member_id=member.id,
                device_id=uuid4().hex,
                token=token,
                token_sha256=token_digest(token),
                name=new_name,
                room=new_room,
                keep_room=room is None,
                now=now,
            )

        result = await self._write("approve a pairing", work)
        if isinstance(result, PairingError):
            raise result
        return result

    async def deny_pairing(self, user_code: str, member: Member) -> None:
        """Refuse the speaker showing ``user_code``: its next poll answers ``access_denied``.
        Raises ``PairingError`` like ``approve_pairing``."""
        code, now = normalize_user_code(user_code), self._now()

        def work(conn: sqlite3.Connection) -> PairingError | None:
            found = pairing.find_pending(conn, code, member.id, now, self._attempt_limit)
            if isinstance(found, PairingError):
                return found
            pairing.deny(conn, found[0], member.id)
            return None

        refused = await self._write("deny a pairing", work)
        if refused is not None:
            raise refused

    # -- devices ----------------------------------------------------------------------------

    async def device_for_token(self, token: str) -> Device | None:
        """The device holding this access token; ``None`` if unknown or revoked. Records the
        visit in ``last_seen_at`` when the last one is ``LAST_SEEN_STEP_S`` or more ago."""
        digest, now = token_digest(token), self._now()
        stale = db_time(now - timedelta(seconds=LAST_SEEN_STEP_S))
        select = "SELECT * FROM devices WHERE token_sha256 = ? AND revoked_at IS NULL"

        def job() -> Device | None:
            with self._db.read("look up a device") as conn:
                row = conn.execute(select, (digest,)).fetchone()
            if row is None or (row["last_seen_at"] is not None and row["last_seen_at"] > stale):
                return None if row is None else device_from_row(row)
            with self._db.write("record that a device was seen") as conn:
                conn.execute(
                    "UPDATE devices SET last_seen_at = ? WHERE token_sha256 = ? "
                    "AND (last_seen_at IS NULL OR last_seen_at <= ?)",
                    (db_time(now), digest, stale),
                )
                row = conn.execute(select, (digest,)).fetchone()  # revoked meanwhile?
            return None if row is None else device_from_row(row)

        return await self._run(job)

    async def list_devices(self, household_id: str) -> list[Device]:
        """The household's devices, revoked ones included, oldest first."""

        def work(conn: sqlite3.Connection) -> list[Device]:
            rows = conn.execute(
                "SELECT * FROM devices WHERE household_id = ? ORDER BY created_at, id",
                (household_id,),
            )
            return [device_from_row(row) for row in rows]

        return await self._read("list the devices", work)

    async def get_device(self, household_id: str, device_id: str) -> Device | None:
        """The device, or ``None`` when it does not exist or is another household's."""
        return await self._read(
            f"read the device {device_id}", lambda conn: _device(conn, household_id, device_id)
        )

    async def update_device(
        self,
        household_id: str,
        device_id: str,
        *,
        name: str | None = None,
        room: str | None = None,
    ) -> Device | None:
        """Rename the device or move it (``room=""`` clears the room); ``None`` leaves a field
        as it is. Returns the device, or ``None`` when it is not in the household."""
        new_name = None if name is None else clean_name(name, "device name")
        new_room = None if room is None else clean_room(room)

        def work(conn: sqlite3.Connection) -> Device | None:
            conn.execute(
                "UPDATE devices SET name = coalesce(?, name), room = iif(?, ?, room) "
                "WHERE id = ? AND household_id = ?",
                (new_name, room is not None, new_room, device_id, household_id),
            )
            return _device(conn, household_id, device_id)

        return await self._write(f"update the device {device_id}", work)

    async def revoke_device(self, household_id: str, device_id: str) -> bool:
        """Revoke the device's access at once; ``False`` when it is not in the household
        (``True`` again for a device already revoked)."""
        now = db_time(self._now())

        def work(conn: sqlite3.Connection) -> bool:
            changed = conn.execute(
                "UPDATE devices SET revoked_at = coalesce(revoked_at, ?) "
                "WHERE id = ? AND household_id = ?",
                (now, device_id, household_id),
            ).rowcount
            pairing.drop_uncollected_tokens(conn, device_id)
            return changed > 0

        return await self._write(f"revoke the device {device_id}", work)

    async def rotate_device_token(self, household_id: str, device_id: str) -> str:
        """A new access token for the device; the old one stops working at once. Raises
        ``InputError`` when the device is not in the household or is revoked."""
        token = new_token()

        def work(conn: sqlite3.Connection) -> str:
            device = _device(conn, household_id, device_id)
            if device is None:
                raise InputError(f"there is no device {device_id!r} in this household")
            if device.revoked:
                raise InputError(f"the device {device.name!r} is revoked: pair it again")
            conn.execute(
                "UPDATE devices SET token_sha256 = ? WHERE id = ?", (token_digest(token), device_id)
            )
            pairing.drop_uncollected_tokens(conn, device_id)
            return token

        return await self._write(f"rotate the token of the device {device_id}", work)


def _insert_household(conn: sqlite3.Connection, household: Household) -> Household:
    if not conn.execute("SELECT 1 FROM tenants WHERE id = ?", (household.tenant_id,)).fetchone():
        raise InputError(f"there is no tenant {household.tenant_id!r}")
    conn.execute(
        "INSERT INTO households (id, tenant_id, name, created_at) VALUES (?, ?, ?, ?)",
        (household.id, household.tenant_id, household.name, db_time(household.created_at)),
    )
    return household


def _insert_member(conn: sqlite3.Connection, member: Member, password_hash: str) -> Member:
    if conn.execute("SELECT 1 FROM members WHERE email = ?", (member.email,)).fetchone():
        raise InputError(f"there is already an account for {member.email}")
    conn.execute(
        "INSERT INTO members (id, household_id, email, display_name, role, password_hash, "
        "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            member.id,
            member.household_id,
            member.email,
            member.display_name,
            member.role,
            password_hash,
            db_time(member.created_at),
        ),
    )
    return member


def _device(conn: sqlite3.Connection, household_id: str, device_id: str) -> Device | None:
    row = conn.execute(
        "SELECT * FROM devices WHERE id = ? AND household_id = ?", (device_id, household_id)
    ).fetchone()
    return None if row is None else device_from_row(row)
