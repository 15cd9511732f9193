"""Model artifacts: a versioned folder of `arrays.npz` + `manifest.json`, made active by an atomic pointer switch.

Nothing here unpickles: arrays load with allow_pickle=False and the manifest is JSON, so an artifact file cannot
run code. Writes go to a temporary sibling first and are moved into place with os.replace, so a reader sees the
old version or the new one, never half of one.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from recommender.core.models import MODELS

MANIFEST_FILE = "manifest.json"
ARRAYS_FILE = "arrays.npz"
ACTIVE_FILE = "ACTIVE"


def _plain_array(name: str, value: np.ndarray) -> np.ndarray:
    """`value` as an array that loads without pickle; strings become unicode ('<U..') arrays."""
    array = np.asarray(value)
    if array.dtype == object:
        if not all(isinstance(item, str) for item in array.reshape(-1).tolist()):
            raise ValueError(f"array {name!r} holds Python objects; only numbers and strings can be saved")
        array = array.astype(str)
    return array


def save_artifact(root: Path, version: str, manifest: dict[str, Any], arrays: dict[str, np.ndarray]) -> Path:
    """Write root/version/{arrays.npz, manifest.json} atomically and return the folder.

    Raises FileExistsError if the version already exists (versions are immutable) and ValueError for a version
    that is not a plain folder name or for object arrays that are not strings.
    """
    root = Path(root)
    if not version or Path(version).name != version or version.startswith("."):
        raise ValueError(f"invalid artifact version {version!r}")
    target = root / version
    if target.exists():
        raise FileExistsError(f"artifact version {version!r} already exists in {root}")
    root.mkdir(parents=True, exist_ok=True)
    plain = {name: _plain_array(name, value) for name, value in arrays.items()}
    staging = Path(tempfile.mkdtemp(prefix=f".{version}.", dir=root))
    try:
        np.savez_compressed(staging / ARRAYS_FILE, **plain)
        (staging / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2, sort_keys=True), encoding="utf-8")
        staging.chmod(0o755)  # mkdtemp makes it owner-only; a served model must be readable by the web workers
        os.replace(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


def load_artifact(path: Path) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """(manifest, arrays) of an artifact folder; arrays are loaded eagerly and without pickle."""
    path = Path(path)
    manifest = json.loads((path / MANIFEST_FILE).read_text(encoding="utf-8"))
    with np.load(path / ARRAYS_FILE, allow_pickle=False) as stored:
        arrays = {name: stored[name] for name in stored.files}
    return manifest, arrays


def activate(root: Path, version: str) -> None:
    """Point root/ACTIVE at an existing version, atomically (temp file + os.replace)."""
    root = Path(root)
    if not (root / version / MANIFEST_FILE).is_file():
        raise FileNotFoundError(f"no artifact version {version!r} in {root}")
    handle, temp_name = tempfile.mkstemp(prefix=f".{ACTIVE_FILE}.", dir=root)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as temp:
            temp.write(version + "\n")
        os.chmod(temp_name, 0o644)
        os.replace(temp_name, root / ACTIVE_FILE)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def active_version(root: Path) -> str | None:
    """The version root/ACTIVE names, or None when nothing is active yet."""
    try:
        version = (Path(root) / ACTIVE_FILE).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    return version or None


def estimator_to_artifact(estimator) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """(manifest, arrays) describing a fitted estimator: its algorithm name, parameters and learned arrays.

    Callers add their own manifest keys (data snapshot, metrics, library versions) before saving.
    """
    if type(estimator).name not in MODELS:
        raise ValueError(f"{type(estimator).__name__} is not a registered estimator")
    manifest = {"algorithm": type(estimator).name, "params": estimator.get_params()}
    return manifest, estimator.to_arrays()


def estimator_from_artifact(manifest: dict[str, Any], arrays: dict[str, np.ndarray]):
    """The fitted estimator an artifact describes, dispatching on its "algorithm".

    `manifest` is either what `estimator_to_artifact` returned or a larger manifest that holds it under the
    "estimator" key (the app's layout); "parameters" is accepted as a synonym of "params".
    """
    described = manifest.get("estimator") if isinstance(manifest.get("estimator"), dict) else manifest
    algorithm = described.get("algorithm")
    if algorithm not in MODELS:
        raise ValueError(f"unknown algorithm {algorithm!r} in artifact; expected one of {', '.join(MODELS)}")
    params = described.get("params", described.get("parameters", {}))
    return MODELS[algorithm].from_arrays(params, arrays)
