"""One resolver for every model file Ting uses.

Order: explicit path → local cache → installed package (split parts joined once into the cache,
size and SHA-256 checked, written to a temporary file and renamed into place) → Hugging Face hub
(when allowed, installed and online) → ``ConfigError`` naming the pip command that installs it.

``status`` only looks (no joining, no network) and is what ``ting models`` prints.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from ting.errors import ConfigError, EngineError
from ting.models.catalog import CATALOG, JoinedFile, ModelSpec, PackageDir
from ting.models.hub import Downloader, download_from_hub, hub_available

_LOGGER = logging.getLogger(__name__)
_COPY_BLOCK = 8 << 20


BUNDLED_VOICES = Path(__file__).resolve().parent.parent / "tts" / "voices" / "kokoro-zh"
"""The Mandarin Kokoro voices shipped in the package (Apache-2.0, see its NOTICE.md)."""


@dataclass(frozen=True)
class ModelSettings:
    cache_dir: Path
    """Folder of joined and downloaded models, one sub-folder per model; ``<data_dir>/models``."""
    paths: Mapping[str, Path] = field(default_factory=dict)
    """Explicit folder per model name; wins over every other source."""
    voices_dir: Path | None = None
    """Folder holding the Mandarin Kokoro voices (``zf_xiaoxiao.pt``, ``zm_yunjian.pt``);
    ``from_env`` defaults to the copy that ships with Ting (``BUNDLED_VOICES``)."""
    download: bool = True
    """Whether the hub may be tried when a model is nowhere local."""

    @classmethod
    def from_env(cls, data_dir: Path, environ: Mapping[str, str] | None = None) -> ModelSettings:
        """``TING_MODEL_CACHE`` (cache folder), ``TING_VOICES_DIR``, ``TING_OFFLINE=1``, and
        ``TING_MODEL_<NAME>`` (e.g. ``TING_MODEL_WHISPER_BASE``) for an explicit folder."""
        env = os.environ if environ is None else environ
        paths = {
            name: Path(env[_env_name(name)]).expanduser()
            for name in CATALOG
            if env.get(_env_name(name))
        }
        cache = env.get("TING_MODEL_CACHE")
        voices = env.get("TING_VOICES_DIR")
        return cls(
            cache_dir=Path(cache).expanduser() if cache else data_dir / "models",
            paths=paths,
            voices_dir=Path(voices).expanduser() if voices else BUNDLED_VOICES,
            download=env.get("TING_OFFLINE", "") not in ("1", "true", "yes"),
        )


def _env_name(model: str) -> str:
    return "TING_MODEL_" + re.sub(r"[^A-Z0-9]+", "_", model.upper()).strip("_")


@dataclass(frozen=True)
class ModelStatus:
    name: str
    kind: str
    description: str
    available: bool
    source: str | None
    """"explicit", "voices-dir", "cache", "package", "hub" (downloadable) or None."""
    path: Path | None
    note: str = ""
    """What happens on first use, or how to install it."""


@dataclass(frozen=True)
class ResolvedModel:
    name: str
    folder: Path
    source: str

    def file(self, name: str) -> Path:
        return self.folder / name


class ModelResolver:
    def __init__(
        self,
        settings: ModelSettings,
        *,
        downloader: Downloader | None = None,
        catalog: Mapping[str, ModelSpec] = CATALOG,
    ) -> None:
        self.settings = settings
        self._downloader = downloader
        self._catalog = catalog

    def resolve(self, name: str) -> ResolvedModel:
        """The folder holding model ``name``, joining or downloading into the cache if needed."""
        spec = self._spec(name)
        located = self._local(spec)
        if located is not None:
            source, folder = located
            if source == "package-parts":
                folder = self._join(spec)
                source = "package"
            return ResolvedModel(name, folder, source)
        downloader = self._hub_downloader()
        if spec.hub is not None and downloader is not None:
            folder = self.settings.cache_dir / spec.name
            try:
                downloader(spec.hub, folder)
            except EngineError as error:
                _LOGGER.warning("%s: %s", spec.name, error)
            else:
                if _complete(spec, folder):
                    return ResolvedModel(name, folder, "hub")
        raise ConfigError(
            f"model {name!r} ({spec.description}) is not installed: {spec.install_hint}"
        )

    def status(self, name: str) -> ModelStatus:
        spec = self._spec(name)
        located = self._local(spec)
        if located is not None:
            source, folder = located
            note = ""
            if source == "package-parts":
                assert spec.joined is not None
                size = spec.joined.size / 1e6
                note = f"parts installed; joined into the cache on first use ({size:.0f} MB)"
                source, folder = "package", self.settings.cache_dir / spec.name
            return ModelStatus(spec.name, spec.kind, spec.description, True, source, folder, note)
        if spec.hub is not None and self._hub_downloader() is not None:
            return ModelStatus(
                spec.name,
                spec.kind,
                spec.description,
                False,
                "hub",
                None,
                f"downloads from {spec.hub.repo} on first use when online; or {spec.install_hint}",
            )
        return ModelStatus(
            spec.name, spec.kind, spec.description, False, None, None, spec.install_hint
        )

    def _local(self, spec: ModelSpec) -> tuple[str, Path] | None:
        explicit = self.settings.paths.get(spec.name)
        if explicit is not None:
            if not _complete(spec, explicit):
                raise ConfigError(
                    f"model {spec.name!r}: {explicit} does not hold {', '.join(spec.files)}"
                )
            return "explicit", explicit
        voices = self.settings.voices_dir
        if spec.voices_setting and voices is not None and _complete(spec, voices):
            return "voices-dir", voices
        cached = self.settings.cache_dir / spec.name
        if _complete(spec, cached):
            return "cache", cached
        if spec.joined is None:
            folder = _package_folder(spec.package) if spec.package else None
            if folder is not None and _complete(spec, folder):
                return "package", folder
            return None
        if _parts_present(spec):
            return "package-parts", cached
        return None

    def _spec(self, name: str) -> ModelSpec:
        try:
            return self._catalog[name]
        except KeyError:
            known = ", ".join(sorted(self._catalog))
            raise ConfigError(f"unknown model {name!r}; known models: {known}") from None

    def _hub_downloader(self) -> Downloader | None:
        if not self.settings.download:
            return None
        if self._downloader is not None:
            return self._downloader
        return download_from_hub if hub_available() else None

    def _join(self, spec: ModelSpec) -> Path:
        joined = spec.joined
        assert joined is not None
        folder = self.settings.cache_dir / spec.name
        try:
            folder.mkdir(parents=True, exist_ok=True)
            if spec.package is not None:
                source = _package_folder(spec.package)
                assert source is not None
                for name in spec.files:
                    if name != joined.name:
                        _place_copy(source / name, folder / name)
            _LOGGER.info("joining %s into %s", spec.name, folder)
            _join_parts(joined, folder / joined.name)
        except OSError as error:
            raise ConfigError(f"cannot prepare model {spec.name!r} in {folder}: {error}") from None
        return folder




def _complete(spec: ModelSpec, folder: Path) -> bool:
    if not all((folder / name).is_file() for name in spec.files):
        return False
    joined = spec.joined
    return joined is None or (folder / joined.name).stat().st_size == joined.size


def _package_folder(package: PackageDir) -> Path | None:
    try:
        found = importlib.util.find_spec(package.module)
    except (ImportError, ValueError):
        return None
    if found is None or not found.submodule_search_locations:
        return None
    return Path(next(iter(found.submodule_search_locations))) / package.folder


def _parts_present(spec: ModelSpec) -> bool:
    assert spec.joined is not None
    for package, part in spec.joined.parts:
        folder = _package_folder(package)
        if folder is None or not (folder / part).is_file():
            return False
    if spec.package is None:
        return True
    source = _package_folder(spec.package)
    others = [name for name in spec.files if name != spec.joined.name]
    return source is not None and all((source / name).is_file() for name in others)


def _join_parts(joined: JoinedFile, target: Path) -> None:
    """Concatenate the parts into a temporary file beside ``target``, check size and SHA-256,
    then rename it into place (atomic: readers see the old state or the whole file)."""
    digest = hashlib.sha256()
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(handle, "wb") as out:
            for package, part in joined.parts:
                folder = _package_folder(package)
                assert folder is not None
                with (folder / part).open("rb") as source:
                    _copy(source, out, digest)
        size = Path(temporary).stat().st_size
        if size != joined.size or digest.hexdigest() != joined.sha256:
            raise ConfigError(
                f"joined {joined.name} is {size} bytes with SHA-256 {digest.hexdigest()[:12]}…, "
                f"expected {joined.size} bytes and {joined.sha256[:12]}… — "
                "reinstall the model packages"
            )
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _copy(source: IO[bytes], out: IO[bytes], digest: hashlib._Hash) -> None:
    while block := source.read(_COPY_BLOCK):
        digest.update(block)
        out.write(block)


def _place_copy(source: Path, target: Path) -> None:
    """Hard-link (same file system) or copy ``source`` to ``target`` via a temporary name."""
    if target.is_file() and target.stat().st_size == source.stat().st_size:
        return
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    temporary.unlink(missing_ok=True)
    try:
        try:
            os.link(source, temporary)
        except OSError:
            shutil.copyfile(source, temporary)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
