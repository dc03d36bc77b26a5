"""Settings, parsed once into frozen dataclasses and passed down.

Sources, last wins: built-in defaults, environment (``TING_DATA_DIR``, ``TING_TIMEZONE``,
``TING_LANGUAGE``, ``TING_MODELS_DIR``), command-line options.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ting.dialog.turns import DialogSettings
from ting.errors import ConfigError
from ting.lang import normalize_language_tag


@dataclass(frozen=True)
class AssistantSettings:
    data_dir: Path
    """Where the database and the trained NLU models live."""
    timezone: str
    """IANA name of the device's time zone; relative times resolve in it."""
    dialog: DialogSettings = field(default_factory=DialogSettings)
    seed: int | None = None
    """Seed for choosing among reply variants; fixed in tests, None in use."""
    models_dir: Path | None = None
    """Where trained NLU models are cached; default ``<data_dir>/cache``. Several data
    directories (tests, a fleet of simulated devices) may share one."""

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def database_path(self) -> Path:
        return self.data_dir / "ting.db"

    @property
    def cache_dir(self) -> Path:
        return self.models_dir or self.data_dir / "cache"


def default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "ting"


def system_timezone() -> str:
    """The machine's IANA zone name, else UTC."""
    configured = os.environ.get("TZ", "").lstrip(":")
    if configured and _valid_zone(configured):
        return configured
    localtime = Path("/etc/localtime")
    if localtime.is_symlink():
        target = str(localtime.resolve())
        if "zoneinfo/" in target:
            name = target.split("zoneinfo/", 1)[1]
            if _valid_zone(name):
                return name
    timezone_file = Path("/etc/timezone")
    if timezone_file.is_file():
        name = timezone_file.read_text(encoding="utf-8").strip()
        if _valid_zone(name):
            return name
    return "UTC"


def _valid_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def load_settings(
    *,
    data_dir: str | Path | None = None,
    timezone: str | None = None,
    language: str | None = None,
    seed: int | None = None,
) -> AssistantSettings:
    """Settings from the environment with explicit values on top; bad values raise ConfigError."""
    directory = Path(data_dir or os.environ.get("TING_DATA_DIR") or default_data_dir())
    zone = timezone or os.environ.get("TING_TIMEZONE") or system_timezone()
    if not _valid_zone(zone):
        raise ConfigError(f"unknown time zone {zone!r}: use an IANA name like 'Asia/Shanghai'")
    tag = language or os.environ.get("TING_LANGUAGE") or "en"
    normalized = normalize_language_tag(tag)
    if normalized is None:
        raise ConfigError(f"unsupported language {tag!r}: Ting speaks 'en' and 'zh'")
    models = os.environ.get("TING_MODELS_DIR")
    return AssistantSettings(
        data_dir=directory.expanduser(),
        models_dir=Path(models).expanduser() if models else None,
        timezone=zone,
        dialog=DialogSettings(default_language=normalized),
        seed=seed,
    )
