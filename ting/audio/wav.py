"""RIFF/WAVE header parsing and a PCM reader in plain Python + numpy.

Why our own rather than ``wave``: it checks every header field against the file before reading
(zero channels, absurd rates, sizes past the end of the file), reads 8/16/24/32-bit integer and
32/64-bit float PCM including WAVE_FORMAT_EXTENSIBLE (``wave`` in 3.11 takes neither float nor
extensible), and streams in blocks, so memory stays bounded on a 10-minute file.

Header policy: a data size larger than the file is a truncated recording (a recorder that died,
or one streaming to a pipe that writes 0 or 0xFFFFFFFF as the size): we read the whole frames that
are there and set ``truncated``. A header with no whole frame of data, zero channels, a rate
outside 4–384 kHz or a block size that does not match its sample size is refused (InputError).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np

from ting.audio.format import MAX_CHANNELS, MAX_SAMPLE_RATE, MIN_SAMPLE_RATE, Samples
from ting.errors import InputError

_PCM = 0x0001
_FLOAT = 0x0003
_EXTENSIBLE = 0xFFFE
_STREAMING_SIZES = (0, 0xFFFFFFFF)


@dataclass(frozen=True)
class WavHeader:
    sample_rate: int
    """Hz."""
    channels: int
    bits: int
    """Bits per sample as stored (8, 16, 24, 32 or 64)."""
    is_float: bool
    data_offset: int
    """Byte offset of the first frame in the file."""
    frames: int
    """Whole frames actually present (may be fewer than the header claims)."""
    truncated: bool
    """The header claimed more data than the file holds."""

    @property
    def block_align(self) -> int:
        return self.channels * self.bits // 8


def is_wav(head: bytes) -> bool:
    return len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WAVE"


def parse_header(handle: BinaryIO, file_size: int, name: str) -> WavHeader | None:
    """Walk the chunks of a RIFF/WAVE file; None when it is WAVE but not PCM/float (ask
    libsndfile), InputError when it is broken."""
    handle.seek(12)
    fmt: tuple[int, int, int, int, int] | None = None
    position = 12
    while position + 8 <= file_size:
        handle.seek(position)
        chunk_id, size = struct.unpack("<4sI", handle.read(8))
        body = position + 8
        if chunk_id == b"fmt ":
            fmt = _parse_fmt(handle.read(min(size, 40)), name)
        elif chunk_id == b"data":
            if fmt is None:
                raise InputError(f"{name}: WAV data comes before its format chunk")
            return _data_header(fmt, body, size, file_size, name)
        position = body + size + (size & 1)
    if fmt is None:
        raise InputError(f"{name}: WAV file without a format chunk (not audio, or cut short)")
    raise InputError(f"{name}: WAV file without audio data (cut short?)")


def _parse_fmt(raw: bytes, name: str) -> tuple[int, int, int, int, int]:
    if len(raw) < 16:
        raise InputError(f"{name}: WAV format chunk is cut short")
    code, channels, rate, _byte_rate, block_align, bits = struct.unpack("<HHIIHH", raw[:16])
    if code == _EXTENSIBLE and len(raw) >= 26:
        code = struct.unpack("<H", raw[24:26])[0]
    if channels == 0 or channels > MAX_CHANNELS:
        raise InputError(f"{name}: WAV header says {channels} channels")
    if not MIN_SAMPLE_RATE <= rate <= MAX_SAMPLE_RATE:
        raise InputError(f"{name}: WAV header says a sample rate of {rate} Hz")
    return code, channels, rate, block_align, bits


def _data_header(
    fmt: tuple[int, int, int, int, int], offset: int, size: int, file_size: int, name: str
) -> WavHeader | None:
    code, channels, rate, block_align, bits = fmt
    if code not in (_PCM, _FLOAT):
        return None
    valid = (code == _PCM and bits in (8, 16, 24, 32)) or (code == _FLOAT and bits in (32, 64))
    if not valid:
        raise InputError(f"{name}: unsupported WAV sample size of {bits} bits")
    if block_align != channels * bits // 8:
        raise InputError(
            f"{name}: WAV header is inconsistent (block of {block_align} bytes for "
            f"{channels} × {bits}-bit samples)"
        )
    available = max(0, file_size - offset)
    claimed = available if size in _STREAMING_SIZES else size
    truncated = claimed > available and size not in _STREAMING_SIZES
    frames = min(claimed, available) // block_align
    if frames == 0:
        raise InputError(f"{name}: WAV file holds no audio")
    return WavHeader(rate, channels, bits, code == _FLOAT, offset, frames, truncated)


class WavReader:
    """Reads frames of a parsed WAV file as float32 ``(frames, channels)`` blocks."""

    def __init__(self, path: Path, handle: BinaryIO, header: WavHeader) -> None:
        self._path = path
        self._handle = handle
        self.header = header
        self._next = 0
        handle.seek(header.data_offset)

    def read(self, frames: int) -> Samples:
        """Up to ``frames`` frames; an empty array at the end."""
        header = self.header
        count = min(frames, header.frames - self._next)
        if count <= 0:
            return np.zeros((0, header.channels), np.float32)
        raw = self._handle.read(count * header.block_align)
        count = len(raw) // header.block_align
        self._next += count
        return decode_pcm(raw[: count * header.block_align], header.bits, header.is_float).reshape(
            count, header.channels
        )


def decode_pcm(raw: bytes, bits: int, is_float: bool) -> Samples:
    """Little-endian PCM bytes to float32 in [-1, 1] (non-finite floats become 0)."""
    if is_float:
        values = np.frombuffer(raw, dtype="<f4" if bits == 32 else "<f8").astype(np.float32)
        values = np.nan_to_num(values, nan=0.0, posinf=1.0, neginf=-1.0)
        return np.clip(values, -1.0, 1.0)
    if bits == 8:
        return (np.frombuffer(raw, dtype=np.uint8).astype(np.float32) - 128.0) / 128.0
    if bits == 16:
        return np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32768.0
    if bits == 24:
        triples = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 3).astype(np.int32)
        ints = triples[:, 0] | (triples[:, 1] << 8) | (triples[:, 2] << 16)
        ints = np.where(ints >= 1 << 23, ints - (1 << 24), ints)
        return ints.astype(np.float32) / float(1 << 23)
    return (np.frombuffer(raw, dtype="<i4").astype(np.float64) / float(1 << 31)).astype(np.float32)
