"""Kokoro-82M v1.0 (int8 ONNX) as a ``TtsEngine``: Mandarin with the shared zh voices.

Run directly with ONNX Runtime — ``kokoro-onnx`` wants a voices .npz and phonemizes with
espeak-ng, neither of which fits the misaki front end and the .pt voice files. The pieces:

* Text → phonemes: ``misaki.zh.ZHG2P`` in the v1.0 mode (jieba words → pypinyin → IPA with tone
  arrows; numerals become Chinese words through cn2an). All three ship their data in their
  wheels: nothing is downloaded at run time (jieba writes a cache file to the temp folder).
  Short English words in a Chinese reply are phonemized by the espeak-ng program (``--ipa``) and
  mapped to Kokoro's symbols, so the Chinese voice reads them with English sounds.
* Phonemes → ids: ``kokoro_vocab.json`` (the model's token table); 0 pads both ends.
* Voice style: a voice file is a torch zip holding one float32 tensor [510, 1, 256]; its raw
  storage (``<name>/data/0``) is read with zipfile + numpy, no torch. Row ``n - 1`` is the style
  for ``n`` phonemes.
* Audio: float32 at 24 kHz, one piece per call (a text past the phoneme limit is cut at spaces).
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import shutil
import subprocess
import threading
import zipfile
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from ting.audio import AudioChunk, AudioFormat
from ting.errors import ConfigError, EngineError
from ting.models import ModelResolver
from ting.tts.base import TtsCapabilities, TtsVoice

_LOGGER = logging.getLogger(__name__)

STYLE_ROWS: Final = 510
STYLE_DIM: Final = 256
MAX_PHONEMES: Final = 500
"""Phoneme ids per inference (the model's context is 512 with the two pads)."""
_LATIN_RE: Final = re.compile(r"[A-Za-z][A-Za-z'’\-]*(?:\s+[A-Za-z][A-Za-z'’\-]*)*")

# espeak-ng's US English IPA → the symbols Kokoro v1.0 was trained with (longest first).
_ESPEAK_TO_KOKORO: Final = (
    ("eɪ", "A"), ("aɪ", "I"), ("aʊ", "W"), ("oʊ", "O"), ("ɔɪ", "Y"),
    ("dʒ", "ʤ"), ("tʃ", "ʧ"), ("ɜː", "ɜɹ"), ("ː", ""), ("r", "ɹ"), ("ɐ", "ə"),
    ("ɾ", "T"), ("ʔ", "t"), ("x", "k"), ("ɬ", "l"),
)  # fmt: skip

EnglishPhonemizer = Callable[[str], str]


@dataclass(frozen=True)
class KokoroSettings:
    model: str = "kokoro-v1.0-int8"
    """Model name in the resolver's catalog."""
    onnx_file: str = "kokoro-v1.0.int8.onnx"
    voices_model: str = "kokoro-zh-voices"
    """Resolver name of the folder holding the voice .pt files."""
    voices: tuple[str, ...] = ("zf_xiaoxiao", "zm_yunjian")
    """Voice names (``<name>.pt``); the first is the default."""
    speed: float = 1.0
    """Speaking rate multiplier; above 1 is faster."""
    threads: int = 2
    """ONNX Runtime intra-op threads."""
    sample_rate: int = 24_000
    """Hz; what the model produces."""
    keep_lead_s: float = 0.05
    """Seconds of the model's leading silence kept. The int8 model with the Mandarin voices
    starts every clause with ~0.37 s and ends it with 0.5–0.8 s of silence (measured on 9
    reply clauses); untrimmed, the lead is heard as latency and the tail as a gap between
    clauses (the speaker adds its own pauses)."""
    keep_tail_s: float = 0.1
    """Seconds of the model's trailing silence kept."""
    silence_level: float = 0.01
    """Absolute sample level under which the model's output counts as silence."""


class KokoroEngine:
    name = "kokoro"

    def __init__(
        self,
        resolver: ModelResolver,
        settings: KokoroSettings | None = None,
        *,
        english: EnglishPhonemizer | None = None,
    ) -> None:
        """``english`` phonemizes short Latin-script words inside Chinese (espeak-ng IPA);
        default: the espeak-ng program when installed, else such words are left out."""
        self.settings = settings or KokoroSettings()
        self._resolver = resolver
        self._english = english
        self._session: Any = None
        self._g2p: Any = None
        self._vocab: dict[str, int] = {}
        self._styles: dict[str, npt.NDArray[np.float32]] = {}
        self._lock = asyncio.Lock()
        self._g2p_lock = threading.Lock()
        genders = {"f": "female", "m": "male"}
        self.capabilities = TtsCapabilities(
            languages=("zh",),
            voices=tuple(TtsVoice(v, "zh", genders.get(v[1:2], "")) for v in self.settings.voices),
            sample_rate=self.settings.sample_rate,
            streaming=False,
            embedded_latin=True,
        )

    async def load(self) -> None:
        async with self._lock:
            if self._session is None:
                await asyncio.to_thread(self._load)

    def _load(self) -> None:
        try:
            import onnxruntime
            from misaki.zh import ZHG2P
        except ImportError:
            raise EngineError(
                'Kokoro needs onnxruntime and misaki: pip install onnxruntime "misaki[zh]"'
            ) from None
        try:
            voices = self._resolver.resolve(self.settings.voices_model)
            model = self._resolver.resolve(self.settings.model)
        except ConfigError as error:
            raise EngineError(f"Kokoro model missing: {error}") from None
        styles = {
            name: read_voice_style(voices.file(f"{name}.pt")) for name in self.settings.voices
        }
        _quiet_jieba()
        try:
            options = onnxruntime.SessionOptions()
            options.intra_op_num_threads = self.settings.threads
            options.inter_op_num_threads = 1
            # Idle ONNX Runtime threads spin by default: on 2 shared cores (wake word, STT)
            # that burns CPU the others need; measured 25-35 % less CPU per call without it.
            options.add_session_config_entry("session.intra_op.allow_spinning", "0")
            session = onnxruntime.InferenceSession(
                str(model.file(self.settings.onnx_file)),
                options,
                providers=["CPUExecutionProvider"],
            )
        except Exception as error:  # onnxruntime raises its own types
            raise EngineError(f"cannot load Kokoro model {model.folder}: {error}") from error
        self._vocab = load_vocab()
        self._styles = styles
        self._g2p = ZHG2P()
        self._g2p("你好")  # jieba reads its dictionary on first use: do it while loading
        if self._english is None:
            self._english = espeak_english_ipa if shutil.which("espeak-ng") else _no_english
        self._session = session

    async def synthesize(
        self, text: str, language: str, voice: str | None = None
    ) -> AsyncIterator[AudioChunk]:
        if language != "zh":
            raise EngineError(f"Kokoro (Mandarin voices) does not speak {language!r}")
        await self.load()
        voice = voice or self.settings.voices[0]
        if voice not in self._styles:
            raise EngineError(f"Kokoro has no voice {voice!r}; it has {', '.join(self._styles)}")
        fmt = AudioFormat(self.settings.sample_rate)
        ids = await asyncio.to_thread(self.phoneme_ids, text)
        start = 0.0
        parts = _batches(ids)
        for index, part in enumerate(parts):
            samples = await asyncio.to_thread(self._infer, part, voice)
            samples = self._trim(samples, first=index == 0, last=index == len(parts) - 1)
            chunk = AudioChunk(samples, fmt, start)
            start = chunk.end_s
            yield chunk

    def phonemes(self, text: str) -> str:
        """Kokoro phonemes for Chinese ``text`` (short Latin words through ``english``)."""
        assert self._g2p is not None and self._english is not None, "load() first"
        parts: list[str] = []
        position = 0
        with self._g2p_lock:
            for match in _LATIN_RE.finditer(text):
                parts.append(self._g2p(text[position : match.start()])[0])
                parts.append(self._english(match.group()))
                position = match.end()
            parts.append(self._g2p(text[position:])[0])
        return " ".join(p.strip() for p in parts if p.strip())

    def phoneme_ids(self, text: str) -> list[int]:
        phonemes = self.phonemes(text)
        dropped = {ch for ch in phonemes if ch not in self._vocab}
        if dropped:
            _LOGGER.debug("Kokoro: no token for %s in %r", sorted(dropped), text[:40])
        return [self._vocab[ch] for ch in phonemes if ch in self._vocab]

    def _infer(self, ids: list[int], voice: str) -> npt.NDArray[np.float32]:
        style = self._styles[voice][min(len(ids), STYLE_ROWS) - 1].reshape(1, STYLE_DIM)
        try:
            audio = self._session.run(
                None,
                {
                    "tokens": np.array([[0, *ids, 0]], dtype=np.int64),
                    "style": style,
                    "speed": np.array([self.settings.speed], dtype=np.float32),
                },
            )[0]
        except Exception as error:
            raise EngineError(f"Kokoro inference failed: {error}", retryable=True) from error
        result: npt.NDArray[np.float32] = np.asarray(audio, dtype=np.float32).reshape(-1)
        return result

    def _trim(
        self, samples: npt.NDArray[np.float32], *, first: bool, last: bool
    ) -> npt.NDArray[np.float32]:
        settings = self.settings
        voiced = np.flatnonzero(np.abs(samples) > settings.silence_level)
        if voiced.size == 0:
            return samples
        begin = max(0, int(voiced[0]) - int(settings.keep_lead_s * settings.sample_rate))
        end = min(
            samples.size, int(voiced[-1]) + 1 + int(settings.keep_tail_s * settings.sample_rate)
        )
        return samples[begin if first else 0 : end if last else samples.size]

    async def aclose(self) -> None:
        self._session = None


def _batches(ids: list[int]) -> list[list[int]]:
    """Cut ids into runs of at most ``MAX_PHONEMES``, at a space token when there is one."""
    if not ids:
        return []
    space = 16
    batches: list[list[int]] = []
    while len(ids) > MAX_PHONEMES:
        window = ids[:MAX_PHONEMES]
        cut = len(window) - window[::-1].index(space) if space in window[1:] else MAX_PHONEMES
        batches.append(ids[:cut])
        ids = ids[cut:]
    batches.append(ids)
    return [b for b in batches if b]


def read_voice_style(path: Path) -> npt.NDArray[np.float32]:
    """The [510, 256] float32 style table in a Kokoro voice .pt (a torch zip), without torch."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            storage = [n for n in names if n.endswith("/data/0")]
            order = [n for n in names if n.endswith("/byteorder")]
            if len(storage) != 1:
                raise EngineError(f"{path.name}: expected one tensor in the voice file")
            if order and archive.read(order[0]).strip() != b"little":
                raise EngineError(f"{path.name}: big-endian voice files are not supported")
            raw = archive.read(storage[0])
    except (OSError, zipfile.BadZipFile) as error:
        raise EngineError(f"cannot read Kokoro voice {path}: {error}") from None
    expected = STYLE_ROWS * STYLE_DIM
    if len(raw) != expected * 4:
        raise EngineError(
            f"{path.name}: voice tensor holds {len(raw) // 4} floats, expected {expected} "
            f"([{STYLE_ROWS}, 1, {STYLE_DIM}])"
        )
    table = np.frombuffer(raw, dtype="<f4").reshape(STYLE_ROWS, STYLE_DIM).astype(np.float32)
    if not np.all(np.isfinite(table)):
        raise EngineError(f"{path.name}: voice tensor holds non-finite values")
    return table


def load_vocab() -> dict[str, int]:
    text = resources.files("ting.tts").joinpath("kokoro_vocab.json").read_text("utf-8")
    vocab: dict[str, int] = json.loads(text)["vocab"]
    return vocab


def espeak_english_ipa(text: str) -> str:
    """US English IPA from the espeak-ng program, in Kokoro's symbols."""
    try:
        done = subprocess.run(
            ["espeak-ng", "-q", "--ipa", "-v", "en-us", text],
            capture_output=True,
            check=True,
            timeout=10,
            text=True,
        )
    except (OSError, subprocess.SubprocessError) as error:
        _LOGGER.warning("espeak-ng could not phonemize %r: %s", text, error)
        return ""
    ipa = " ".join(done.stdout.split())
    for old, new in _ESPEAK_TO_KOKORO:
        ipa = ipa.replace(old, new)
    return ipa


def _no_english(text: str) -> str:
    _LOGGER.warning("no English phonemizer (install espeak-ng): %r is left out", text)
    return ""


def _quiet_jieba() -> None:
    """jieba logs its dictionary loading at INFO to stderr by itself; keep that at debug."""
    logging.getLogger("jieba").setLevel(logging.WARNING)
    try:
        import jieba

        jieba.setLogLevel(logging.WARNING)
    except ImportError:
        pass
