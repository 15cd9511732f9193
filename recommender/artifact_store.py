"""Model artifacts in Django's storage, so every app server reads the artifact one training run wrote.

The storage is the STORAGES alias named by DEEPPATH_MODEL_STORAGE: a FileSystemStorage under DEEPPATH_MODEL_DIR
by default (one machine, or a shared volume), any S3-compatible bucket through django-storages when configured
(see the README). An artifact is `<version>/arrays.npz` and `<version>/manifest.json`; versions are immutable.
Which version serves is decided in the database (`ModelVersion`), never by a file here.
"""

from typing import Any

import numpy as np
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage, storages

from recommender.core.artifacts import ARRAYS_FILE, MANIFEST_FILE, ArtifactError, artifact_files, check_version_name
from recommender.core.artifacts import read_artifact as read_artifact_bytes

FILE_SYSTEM_STORAGE = "django.core.files.storage.FileSystemStorage"


def model_storage() -> Storage:
    """The configured artifact storage; a file system storage without a `location` lives in DEEPPATH_MODEL_DIR
    (read at call time, so a changed setting takes effect without a restart of the storage registry)."""
    config = settings.STORAGES[settings.DEEPPATH_MODEL_STORAGE]
    options = dict(config.get("OPTIONS", {}))
    if config["BACKEND"] == FILE_SYSTEM_STORAGE and "location" not in options:
        return FileSystemStorage(location=settings.DEEPPATH_MODEL_DIR, **options)
    return storages.create_storage({"BACKEND": config["BACKEND"], "OPTIONS": options})


def artifact_write(version: str, manifest: dict[str, Any], arrays: dict[str, np.ndarray]) -> str:
    """Store a new version's files and return its folder name.

    Raises FileExistsError when the version is already stored (versions are immutable; storages would otherwise
    save under a made-up name). A reader never sees a half-written version as active: the database switch that
    makes it active happens after this returns, and after the stored bytes were read back and checked.
    """
    check_version_name(version)
    storage = model_storage()
    files = artifact_files(manifest, arrays)
    names = {name: f"{version}/{name}" for name in files}
    if any(storage.exists(name) for name in names.values()):
        raise FileExistsError(f"artifact version {version!r} is already stored")
    # Arrays first, manifest last: a folder with a manifest is a complete one.
    for name in (ARRAYS_FILE, MANIFEST_FILE):
        saved = storage.save(names[name], ContentFile(files[name]))
        if saved != names[name]:
            raise FileExistsError(f"artifact file {names[name]!r} was stored as {saved!r}")
    return version


def artifact_read(version: str) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """(manifest, arrays) of a stored version; ArtifactError when a file is missing, unreadable or corrupt."""
    check_version_name(version)
    storage = model_storage()
    files = {}
    for name in (MANIFEST_FILE, ARRAYS_FILE):
        try:
            with storage.open(f"{version}/{name}", "rb") as handle:
                files[name] = handle.read()
        except FileNotFoundError:
            raise ArtifactError(f"{version}/{name} is not in the model storage") from None
        except OSError as error:
            raise ArtifactError(f"{version}/{name} cannot be read from the model storage: {error}") from None
    return read_artifact_bytes(files)
