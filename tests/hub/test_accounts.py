"""AccountStore on real SQLite files: sign-up, sessions, RFC 8628 pairing, devices, isolation."""

from __future__ import annotations

import asyncio
import hashlib
import re
import sqlite3
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from ting.errors import ConfigError, InputError, StoreError
from ting.hub.accounts import AccountStore, Device, Member, PairingError
from ting.hub.accounts_records import USER_CODE_ALPHABET, normalize_user_code
from ting.hub.passwords import hash_password, verify_password
from ting.store import SqliteStore

T0 = datetime(2025, 1, 31, 7, 0, tzinfo=UTC)
PASSWORD = "correct horse battery"
USER_CODE = re.compile(rf"[{USER_CODE_ALPHABET}]{{4}}-[{USER_CODE_ALPHABET}]{{4}}")


class Clock:
    """A settable clock: ``clock()`` is now; ``advance`` moves it forward."""

    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def store(tmp_path: Path, clock: Clock) -> AsyncIterator[AccountStore]:
    async with await AccountStore.open(tmp_path / "accounts.db", clock=clock) as opened:
        yield opened


@pytest.fixture
async def ann(store: AccountStore) -> Member:
    return await store.signup("Ann@Example.org", PASSWORD, "Ann's home", "Ann")


@pytest.fixture
async def bob(store: AccountStore) -> Member:
    return await store.signup("bob@example.org", PASSWORD, "Bob's flat", "Bob")


def rows(path: Path, sql: str, *params: object) -> list[tuple[object, ...]]:
    """Read the file through a separate connection, as another process would."""
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def execute(path: Path, sql: str) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute(sql)
    finally:
        conn.close()


async def paired(store: AccountStore, member: Member, name: str = "Speaker") -> tuple[Device, str]:
    """A device paired into ``member``'s household, and its access token."""
    start = await store.start_pairing(name)
    device = await store.approve_pairing(start.user_code, member)
    poll = await store.poll_pairing(start.device_code)
    assert poll.status == "approved" and poll.access_token is not None
    return device, poll.access_token


# -- passwords --------------------------------------------------------------------------------


def test_password_hashes_are_salted_scrypt_and_verify() -> None:
    first, second = hash_password(PASSWORD), hash_password(PASSWORD)
    assert re.fullmatch(r"scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}", first)
    assert first != second  # a fresh salt each time
    assert verify_password(PASSWORD, first) and verify_password(PASSWORD, second)
    assert not verify_password(PASSWORD + "!", first)
    assert not verify_password("", first)
    assert not verify_password("x" * 2000, first)
    assert not verify_password(PASSWORD, "scrypt$16384$8$1$bad$hash")
    assert not verify_password(PASSWORD, "md5$abc")


def test_full_width_input_matches_half_width() -> None:
    assert verify_password("ｐａｓｓｗｏｒｄ１２", hash_password("password12"))


@pytest.mark.parametrize(
    ("password", "message"),
    [("short", "too short"), ("1234567", "too short"), ("x" * 1025, "too long")],
)
def test_passwords_out_of_bounds_are_refused(password: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        hash_password(password)


def test_password_bounds_are_inclusive() -> None:
    assert verify_password("8 chars!", hash_password("8 chars!"))
    assert hash_password("y" * 1024).startswith("scrypt$")


# -- tenants, households, members ---------------------------------------------------------------


async def test_tenants_and_households(store: AccountStore, clock: Clock) -> None:
    maker = await store.create_tenant("Acme Speakers")
    with pytest.raises(InputError, match="already exists"):
        await store.create_tenant("ACME speakers")
    home = await store.create_household("Home")
    clock.advance(1)
    cabin = await store.create_household("  Cabin ", tenant_id=maker.id)
    assert home.tenant_id == "default" and cabin.name == "Cabin"
    assert await store.list_households("default") == [home]
    assert await store.list_households(maker.id) == [cabin]
    assert await store.list_households("nobody") == []
    with pytest.raises(InputError, match="no tenant"):
        await store.create_household("Lost", tenant_id="nobody")


async def test_signup_and_authenticate(store: AccountStore, ann: Member, tmp_path: Path) -> None:
    assert ann.email == "ann@example.org" and ann.role == "owner" and ann.display_name == "Ann"
    assert not hasattr(ann, "password_hash")
    assert await store.get_member(ann.id) == ann
    assert await store.authenticate(" ANN@example.org ", PASSWORD) == ann
    assert await store.authenticate("ann@example.org", PASSWORD + "x") is None
    assert await store.authenticate("nobody@example.org", PASSWORD) is None
    assert await store.authenticate("not an address", PASSWORD) is None
    stored = rows(tmp_path / "accounts.db", "SELECT password_hash FROM members")
    assert len(stored) == 1 and str(stored[0][0]).startswith("scrypt$")
    assert PASSWORD not in str(stored)


async def test_a_taken_email_is_refused_and_nothing_is_kept(
    store: AccountStore, ann: Member
) -> None:
    with pytest.raises(InputError, match="already an account"):
        await store.signup("ann@EXAMPLE.org", PASSWORD, "Second home", "Ann again")
    with pytest.raises(InputError, match="already an account"):
        await store.create_member(ann.household_id, "Ann@example.org", PASSWORD, "Ann 2")
    assert [h.name for h in await store.list_households("default")] == ["Ann's home"]


async def test_create_member_joins_a_household(store: AccountStore, ann: Member) -> None:
    cleo = await store.create_member(
        ann.household_id, "cleo@example.org", PASSWORD, "Cleo", "member"
    )
    assert cleo.household_id == ann.household_id and cleo.role == "member"
    assert await store.authenticate("cleo@example.org", PASSWORD) == cleo
    with pytest.raises(InputError, match="no household"):
        await store.create_member("nowhere", "dan@example.org", PASSWORD, "Dan")


@pytest.mark.parametrize(
    ("email", "password", "display_name", "role", "message"),
    [
        ("no-at-sign", PASSWORD, "Eve", "owner", "not an e-mail address"),
        ("eve@localhost", PASSWORD, "Eve", "owner", "not an e-mail address"),
        ("eve@ex ample.org", PASSWORD, "Eve", "owner", "not an e-mail address"),
        ("", PASSWORD, "Eve", "owner", "empty"),
        ("e" * 250 + "@x.org", PASSWORD, "Eve", "owner", "too long"),
        ("eve@example.org", "short", "Eve", "owner", "too short"),
        ("eve@example.org", PASSWORD, "   ", "owner", "empty"),
        ("eve@example.org", PASSWORD, "E" * 65, "owner", "too long"),
        ("eve@example.org", PASSWORD, "Eve\nEvil", "owner", "control characters"),
        ("eve@example.org", PASSWORD, "Eve\u202eevE", "owner", "control characters"),
        ("eve@example.org", PASSWORD, "Eve", "admin", "role"),
    ],
)
async def test_bad_member_input_is_refused(
    store: AccountStore,
    ann: Member,
    email: str,
    password: str,
    display_name: str,
    role: str,
    message: str,
) -> None:
    with pytest.raises(InputError, match=message):
        await store.create_member(ann.household_id, email, password, display_name, role)  # type: ignore[arg-type]
    assert await store.authenticate("eve@example.org", PASSWORD) is None


# -- sessions ------------------------------------------------------------------------------------


async def test_sessions_expire_and_sign_out(
    store: AccountStore, ann: Member, clock: Clock, tmp_path: Path
) -> None:
    token = await store.create_session(ann.id)
    other = await store.create_session(ann.id)
    assert len(token) >= 43 and token != other
    assert await store.member_for_session(token) == ann
    stored = rows(tmp_path / "accounts.db", "SELECT token_sha256 FROM sessions")
    assert (hashlib.sha256(token.encode()).hexdigest(),) in stored
    assert token not in str(stored)

    await store.delete_session(other)
    assert await store.member_for_session(other) is None
    await store.delete_session(other)  # twice is fine

    clock.advance(30 * 86400 - 1)
    assert await store.member_for_session(token) == ann
    clock.advance(1)
    assert await store.member_for_session(token) is None
    assert await store.member_for_session("made-up") is None
    with pytest.raises(InputError, match="no member"):
        await store.create_session("nobody")


# -- pairing ---------------------------------------------------------------------------------------


async def test_the_whole_pairing_flow(
    store: AccountStore, ann: Member, clock: Clock, tmp_path: Path
) -> None:
    start = await store.start_pairing("Kitchen speaker", room="Kitchen")
    assert USER_CODE.fullmatch(start.user_code)
    assert (start.verification_uri_path, start.expires_in_s, start.interval_s) == ("/pair", 900, 5)
    assert start.device_code not in repr(start)

    assert (await store.poll_pairing(start.device_code)).status == "authorization_pending"
    clock.advance(1)
    assert (await store.poll_pairing(start.device_code)).status == "slow_down"  # interval now 10
    clock.advance(9)
    assert (await store.poll_pairing(start.device_code)).status == "slow_down"  # interval now 15
    clock.advance(15)
    assert (await store.poll_pairing(start.device_code)).status == "authorization_pending"
    assert rows(tmp_path / "accounts.db", "SELECT interval_s FROM pairings") == [(15,)]

    device = await store.approve_pairing(start.user_code, ann)
    assert (device.name, device.room, device.household_id) == (
        "Kitchen speaker",
        "Kitchen",
        ann.household_id,
    )
    assert not device.revoked and device.last_seen_at is None

    approved = await store.poll_pairing(start.device_code)
    assert approved.status == "approved" and approved.device == device
    assert approved.access_token is not None and approved.access_token not in repr(approved)
    assert await store.device_for_token(approved.access_token) == replace(
        device, last_seen_at=clock.now
    )

    for _ in range(2):  # the token is given once; the pairing is consumed
        clock.advance(30)
        again = await store.poll_pairing(start.device_code)
        assert (again.status, again.access_token, again.device) == ("expired_token", None, None)
    stored = rows(
        tmp_path / "accounts.db", "SELECT status, access_token, device_code_sha256 FROM pairings"
    )
    assert stored == [("consumed", None, hashlib.sha256(start.device_code.encode()).hexdigest())]
    assert await store.list_devices(ann.household_id) == [
        replace(device, last_seen_at=T0 + timedelta(seconds=25))
    ]


async def test_unknown_device_codes_are_an_invalid_grant(store: AccountStore) -> None:
    assert (await store.poll_pairing("made-up")).status == "invalid_grant"
    assert (await store.poll_pairing("")).status == "invalid_grant"


async def test_user_codes_are_unambiguous_unique_and_normalized(
    store: AccountStore, ann: Member
) -> None:
    starts = [await store.start_pairing(f"Speaker {n}") for n in range(60)]
    codes = [start.user_code for start in starts]
    assert all(USER_CODE.fullmatch(code) for code in codes)
    assert len(set(codes)) == len(codes)
    assert not set("".join(codes)) & set("AEIOUY0123456789")
    assert len(set("".join(codes)) - {"-"}) > 12  # the whole alphabet is in use

    code = codes[0]
    assert normalize_user_code(code) == normalize_user_code(f" {code.lower()} ")
    assert normalize_user_code(code.replace("-", " ")) == code.replace("-", "")
    assert normalize_user_code(code.replace("-", "").lower()) == code.replace("-", "")
    full_width = "".join(chr(ord(c) + 0xFEE0) if c != "-" else "－" for c in code)
    assert normalize_user_code(full_width) == code.replace("-", "")
    for bad in ["", "BCDF-GHJ", "BCDF-GHJKL", "ABCD-EFGH", "BCDF-GHJ1"]:
        assert normalize_user_code(bad) is None

    device = await store.approve_pairing(f"  {code[:4].lower()} {code[5:]} ", ann)
    assert device.name == "Speaker 0"


async def test_pairings_expire_after_15_minutes(
    store: AccountStore, ann: Member, clock: Clock
) -> None:
    late, in_time = await store.start_pairing("Late"), await store.start_pairing("In time")
    clock.advance(899)
    await store.approve_pairing(in_time.user_code, ann)
    assert (await store.poll_pairing(late.device_code)).status == "authorization_pending"
    clock.advance(1)
    assert (await store.poll_pairing(late.device_code)).status == "expired_token"
    assert (await store.poll_pairing(in_time.device_code)).status == "expired_token"  # too late
    with pytest.raises(PairingError) as refused:
        await store.approve_pairing(late.user_code, ann)
    assert refused.value.code == "expired_code" and "expired" in str(refused.value)
    assert [d.name for d in await store.list_devices(ann.household_id)] == ["In time"]


async def test_a_lifetime_over_15_minutes_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="pairing_ttl_s"):
        await AccountStore.open(tmp_path / "accounts.db", pairing_ttl_s=901)
    with pytest.raises(ConfigError, match="max_failed_codes"):
        await AccountStore.open(tmp_path / "accounts.db", max_failed_codes=0)


async def test_wrong_codes_are_limited_per_member(
    store: AccountStore, ann: Member, bob: Member, clock: Clock
) -> None:
    wrong = "BBBB-BBBB"  # no live pairing can have it: none exists yet
    for attempt in range(5):
        with pytest.raises(PairingError) as refused:
            await store.approve_pairing(wrong if attempt % 2 else "nonsense", ann)
        assert refused.value.code == "invalid_code"
        clock.advance(20)
    start = await store.start_pairing("Speaker")
    with pytest.raises(PairingError) as blocked:  # the right code, but too many wrong ones
        await store.approve_pairing(start.user_code, ann)
    assert blocked.value.code == "too_many_attempts"
    assert blocked.value.retry_after_s == pytest.approx(900 - 5 * 20)
    with pytest.raises(PairingError, match="too many"):
        await store.deny_pairing(start.user_code, ann)
    assert (await store.poll_pairing(start.device_code)).status == "authorization_pending"

    clock.advance(900 - 5 * 20)  # the first failure leaves the window
    assert (await store.approve_pairing(start.user_code, ann)).household_id == ann.household_id

    other = await store.start_pairing("Bob's speaker")  # other members are not blocked
    assert (await store.approve_pairing(other.user_code, bob)).household_id == bob.household_id


async def test_deny(store: AccountStore, ann: Member) -> None:
    start = await store.start_pairing("Stranger's speaker")
    await store.deny_pairing(start.user_code, ann)
    denied = await store.poll_pairing(start.device_code)
    assert (denied.status, denied.access_token) == ("access_denied", None)
    with pytest.raises(PairingError) as used:
        await store.approve_pairing(start.user_code, ann)
    assert used.value.code == "code_used"
    assert await store.list_devices(ann.household_id) == []


async def test_approval_can_rename_and_move(store: AccountStore, ann: Member) -> None:
    start = await store.start_pairing("Speaker", room="Hall")
    device = await store.approve_pairing(start.user_code, ann, name="Bedroom speaker", room="卧室")
    assert (device.name, device.room) == ("Bedroom speaker", "卧室")
    moved_out = await store.start_pairing("Speaker", room="Hall")
    assert (await store.approve_pairing(moved_out.user_code, ann, room="")).room is None
    with pytest.raises(InputError, match="control characters"):
        await store.approve_pairing(moved_out.user_code, ann, name="bad\x00name")


async def test_concurrent_approvals_make_exactly_one_device(
    store: AccountStore, ann: Member, tmp_path: Path, clock: Clock
) -> None:
    async with await AccountStore.open(tmp_path / "accounts.db", clock=clock) as second:
        for approvers in ([store, store], [store, second]):  # one connection, then two
            start = await store.start_pairing("Speaker")
            results = await asyncio.gather(
                *(a.approve_pairing(start.user_code, ann) for a in approvers),
                return_exceptions=True,
            )
            devices = [r for r in results if isinstance(r, Device)]
            errors = [r for r in results if isinstance(r, PairingError)]
            assert len(devices) == 1 and [e.code for e in errors] == ["code_used"]
    assert len(await store.list_devices(ann.household_id)) == 2


# -- devices -------------------------------------------------------------------------------------


async def test_revoking_takes_effect_at_once(store: AccountStore, ann: Member) -> None:
    device, token = await paired(store, ann)
    assert await store.device_for_token(token) is not None
    assert await store.revoke_device(ann.household_id, device.id)
    assert await store.device_for_token(token) is None
    assert await store.revoke_device(ann.household_id, device.id)  # already revoked: still there
    assert not await store.revoke_device(ann.household_id, "no-such-device")
    listed = await store.list_devices(ann.household_id)
    assert [(d.id, d.revoked) for d in listed] == [(device.id, True)]
    with pytest.raises(InputError, match="revoked"):
        await store.rotate_device_token(ann.household_id, device.id)


async def test_a_revoked_device_cannot_collect_its_token(store: AccountStore, ann: Member) -> None:
    start = await store.start_pairing("Speaker")
    device = await store.approve_pairing(start.user_code, ann)
    await store.revoke_device(ann.household_id, device.id)
    poll = await store.poll_pairing(start.device_code)
    assert (poll.status, poll.access_token) == ("expired_token", None)


async def test_token_rotation(store: AccountStore, ann: Member, tmp_path: Path) -> None:
    device, old = await paired(store, ann)
    new = await store.rotate_device_token(ann.household_id, device.id)
    assert new != old
    assert await store.device_for_token(old) is None
    assert (await store.device_for_token(new) or device).id == device.id
    stored = rows(tmp_path / "accounts.db", "SELECT token_sha256 FROM devices")
    assert stored == [(hashlib.sha256(new.encode()).hexdigest(),)]

    start = await store.start_pairing("Uncollected")  # rotated before its first poll
    fresh = await store.approve_pairing(start.user_code, ann)
    rotated = await store.rotate_device_token(ann.household_id, fresh.id)
    assert (await store.poll_pairing(start.device_code)).status == "expired_token"
    assert await store.device_for_token(rotated) is not None


async def test_last_seen_is_written_at_most_once_a_minute(
    store: AccountStore, ann: Member, clock: Clock
) -> None:
    device, token = await paired(store, ann)
    seen = await store.device_for_token(token)
    assert seen is not None and seen.last_seen_at == T0
    clock.advance(59)
    seen = await store.device_for_token(token)
    assert seen is not None and seen.last_seen_at == T0
    clock.advance(1)
    seen = await store.device_for_token(token)
    assert seen is not None and seen.last_seen_at == T0 + timedelta(seconds=60)
    assert await store.get_device(ann.household_id, device.id) == seen


async def test_update_device(store: AccountStore, ann: Member) -> None:
    device, _ = await paired(store, ann)
    moved = await store.update_device(ann.household_id, device.id, room=" Living room ")
    assert moved is not None and (moved.name, moved.room) == ("Speaker", "Living room")
    renamed = await store.update_device(ann.household_id, device.id, name="客厅音箱")
    assert renamed is not None and (renamed.name, renamed.room) == ("客厅音箱", "Living room")
    cleared = await store.update_device(ann.household_id, device.id, room="")
    assert cleared is not None and cleared.room is None
    for bad in ["", "x" * 65, "tab\there"]:
        with pytest.raises(InputError):
            await store.update_device(ann.household_id, device.id, name=bad)
    assert await store.get_device(ann.household_id, device.id) == cleared


async def test_households_are_isolated(store: AccountStore, ann: Member, bob: Member) -> None:
    bobs_device, bobs_token = await paired(store, bob, "Bob's speaker")
    a, b = ann.household_id, bob.household_id

    assert await store.list_devices(a) == []
    assert await store.get_device(a, bobs_device.id) is None
    assert await store.update_device(a, bobs_device.id, name="Mine now") is None
    assert not await store.revoke_device(a, bobs_device.id)
    with pytest.raises(InputError, match="no device"):
        await store.rotate_device_token(a, bobs_device.id)
    assert await store.get_device(b, bobs_device.id) == bobs_device
    assert await store.device_for_token(bobs_token) is not None

    # A forged Member claiming Bob's household still pairs into Ann's own household.
    start = await store.start_pairing("Sneaky")
    forged = replace(ann, household_id=b)
    device = await store.approve_pairing(start.user_code, forged)
    assert device.household_id == a
    assert [d.id for d in await store.list_devices(b)] == [bobs_device.id]


# -- the file ------------------------------------------------------------------------------------


async def test_a_failure_mid_transaction_leaves_nothing_half_written(
    store: AccountStore, ann: Member, tmp_path: Path
) -> None:
    path = tmp_path / "accounts.db"
    # A real SQLite trigger that fails the second statement of each transaction below.
    execute(
        path,
        "CREATE TRIGGER fail_member BEFORE INSERT ON members "
        "BEGIN SELECT RAISE(ABORT, 'disk on fire'); END",
    )
    with pytest.raises(StoreError, match=r"nothing was changed.*disk on fire"):
        await store.signup("zoe@example.org", PASSWORD, "Zoe's home", "Zoe")
    assert rows(path, "SELECT name FROM households") == [("Ann's home",)]

    execute(
        path,
        "CREATE TRIGGER fail_approval BEFORE UPDATE OF status ON pairings "
        "BEGIN SELECT RAISE(ABORT, 'disk on fire'); END",
    )
    start = await store.start_pairing("Speaker")
    with pytest.raises(StoreError, match="disk on fire"):
        await store.approve_pairing(start.user_code, ann)
    assert rows(path, "SELECT count(*) FROM devices") == [(0,)]
    assert rows(path, "SELECT status, access_token FROM pairings") == [("pending", None)]

    execute(path, "DROP TRIGGER fail_approval")
    assert (await store.approve_pairing(start.user_code, ann)).name == "Speaker"


async def test_the_file_is_set_up_and_reopens(tmp_path: Path, clock: Clock) -> None:
    path = tmp_path / "data" / "accounts.db"
    async with await AccountStore.open(path, clock=clock) as store:
        member = await store.signup("ann@example.org", PASSWORD, "Home", "Ann")
        token = await store.create_session(member.id)
    assert rows(path, "PRAGMA journal_mode") == [("wal",)]
    assert rows(path, "PRAGMA user_version") == [(1,)]
    async with await AccountStore.open(path, clock=clock) as reopened:
        assert await reopened.member_for_session(token) == member
    with pytest.raises(StoreError, match="closed"):
        await reopened.get_member(member.id)


async def test_the_core_store_file_is_refused(tmp_path: Path) -> None:
    async with SqliteStore(tmp_path / "ting.db"):
        pass
    with pytest.raises(StoreError, match="not a Ting accounts database"):
        await AccountStore.open(tmp_path / "ting.db")
