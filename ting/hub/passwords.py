"""Password hashing with scrypt, and the random tokens given to people and devices.

A password hash is one ASCII string, ``scrypt$<n>$<r>$<p>$<salt b64>$<hash b64>``, so the cost
parameters travel with it: raising them later leaves old hashes verifiable. scrypt is
memory-hard (``128 * r * n`` bytes, 16 MiB with the defaults), which makes guessing on GPUs
expensive; one hash takes some tens of milliseconds of CPU, so callers on an event loop run it
in a thread (``asyncio.to_thread``).

Passwords are NFKC-normalised before hashing (NIST SP 800-63B §5.1.1.2), so a password typed
with full-width Latin letters from a Chinese input method matches its half-width form.

Tokens (console sessions, device access tokens, pairing device codes) are 256-bit random
strings; only their SHA-256 is stored, so a copy of the database does not let anyone sign in.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import logging
import secrets
import unicodedata

from ting.errors import InputError

logger = logging.getLogger(__name__)

MIN_PASSWORD_CHARS = 8
"""The shortest password accepted, in characters (after NFKC normalisation)."""
MAX_PASSWORD_CHARS = 1024
"""The longest password accepted, in characters: a bound on the work one request can cause."""

SCRYPT_N = 2**14
"""scrypt CPU/memory cost (a power of two)."""
SCRYPT_R = 8
"""scrypt block size; memory use is ``128 * SCRYPT_R * SCRYPT_N`` bytes (16 MiB)."""
SCRYPT_P = 1
"""scrypt parallelisation."""
SALT_BYTES = 16
HASH_BYTES = 32
_MAX_MEMORY_BYTES = 2**30  # refuse stored parameters that would need more to verify
_SCHEME = "scrypt"


def _normalized(password: str) -> str:
    return unicodedata.normalize("NFKC", password)


def check_password(password: str) -> str:
    """The normalised password, or ``InputError`` when it is too short or too long."""
    normalized = _normalized(password)
    if len(normalized) < MIN_PASSWORD_CHARS:
        raise InputError(f"the password is too short: use at least {MIN_PASSWORD_CHARS} characters")
    if len(normalized) > MAX_PASSWORD_CHARS:
        raise InputError(f"the password is too long: use at most {MAX_PASSWORD_CHARS} characters")
    return normalized


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int, length: int) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8"),
        salt=salt,
        n=n,
        r=r,
        p=p,
        maxmem=2 * 128 * r * n * p + 2**20,
        dklen=length,
    )


def hash_password(password: str) -> str:
    """The encoded scrypt hash of ``password`` with a fresh salt.

    Raises ``InputError`` for a password shorter than ``MIN_PASSWORD_CHARS`` or longer than
    ``MAX_PASSWORD_CHARS`` characters. CPU- and memory-heavy: run it off the event loop.
    """
    normalized = check_password(password)
    salt = secrets.token_bytes(SALT_BYTES)
    digest = _scrypt(normalized, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P, HASH_BYTES)
    return f"{_SCHEME}${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, encoded: str) -> bool:
    """Whether ``password`` matches the hash ``encoded`` (compared in constant time).

    Never raises for a wrong, empty or over-long password: those are simply ``False``. A
    malformed hash is logged and is ``False`` too. CPU- and memory-heavy: run it off the loop.
    """
    normalized = _normalized(password)
    if len(normalized) > MAX_PASSWORD_CHARS:
        return False
    parts = encoded.split("$")
    try:
        if len(parts) != 6 or parts[0] != _SCHEME:
            raise ValueError("not an scrypt hash")
        n, r, p = int(parts[1]), int(parts[2]), int(parts[3])
        memory_bytes = 128 * r * n * p
        if not (n > 1 and n & (n - 1) == 0 and r >= 1 and p >= 1) or (
            memory_bytes > _MAX_MEMORY_BYTES
        ):
            raise ValueError(f"scrypt parameters out of range: n={n} r={r} p={p}")
        salt = base64.b64decode(parts[4], validate=True)
        expected = base64.b64decode(parts[5], validate=True)
        if not salt or not 16 <= len(expected) <= 64:
            raise ValueError("bad salt or hash length")
    except (ValueError, binascii.Error) as exc:
        logger.warning("refusing a malformed password hash: %s", exc)
        return False
    actual = _scrypt(normalized, salt, n, r, p, len(expected))
    return hmac.compare_digest(actual, expected)


def new_token() -> str:
    """A fresh secret token: 32 random bytes, URL-safe base64 (43 characters)."""
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """The SHA-256 of ``token`` as 64 hex digits: what the database stores instead of it."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
