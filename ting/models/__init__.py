"""Model files: one resolver (explicit path → cache → installed package → hub → clear error)."""

from ting.models.catalog import CATALOG, HubSource, JoinedFile, ModelSpec, PackageDir
from ting.models.hub import Downloader
from ting.models.listing import list_models, print_models
from ting.models.resolver import ModelResolver, ModelSettings, ModelStatus, ResolvedModel

__all__ = [
    "CATALOG",
    "Downloader",
    "HubSource",
    "JoinedFile",
    "ModelResolver",
    "ModelSettings",
    "ModelSpec",
    "ModelStatus",
    "PackageDir",
    "ResolvedModel",
    "list_models",
    "print_models",
]
