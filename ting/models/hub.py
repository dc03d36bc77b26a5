"""Download from the Hugging Face hub, when ``huggingface_hub`` is installed and a network is.

Optional by design: Ting runs offline; this path only serves a machine that is online and lacks
the model packages. ``huggingface_hub`` is imported lazily, on the first download.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import tempfile
from pathlib import Path
from typing import Protocol

from ting.errors import EngineError
from ting.models.catalog import HubSource


class Downloader(Protocol):
    def __call__(self, source: HubSource, folder: Path) -> None:
        """Fetch every file of ``source`` into ``folder`` (created), or raise EngineError."""


def hub_available() -> bool:
    return importlib.util.find_spec("huggingface_hub") is not None and not _offline()


def _offline() -> bool:
    return any(os.environ.get(name, "") in ("1", "true", "yes") for name in _OFFLINE_FLAGS)


_OFFLINE_FLAGS = ("TING_OFFLINE", "HF_HUB_OFFLINE")


def download_from_hub(source: HubSource, folder: Path) -> None:
    """Download into a temporary folder beside ``folder``, then move each file in place."""
    try:
        from huggingface_hub import hf_hub_download
    except ImportError as error:  # pragma: no cover - guarded by hub_available
        raise EngineError("huggingface_hub is not installed") from error
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder.parent, prefix=".download-") as scratch:
        for remote, local in source.files:
            try:
                fetched = hf_hub_download(source.repo, remote, local_dir=scratch)
            except Exception as error:  # network, HTTP, disk: all mean "not from the hub"
                raise EngineError(
                    f"download of {source.repo}/{remote} failed: {error}", retryable=True
                ) from error
            shutil.move(fetched, folder / local)
