"""The interaction log as arrays, for training and the auto-retrain trigger.

Training reads the log through an incremental, columnar copy kept beside the artifacts (DEEPPATH_MODEL_DIR /
interaction-log/): numbered `.npz` parts of parallel columns and a JSON manifest holding the high-water mark (the
largest event id copied). Each training appends only the events after the mark, so a retrain reads the new
events, not the millions before them. The copy is a cache of the database, never the truth: it is checked against
the database on every read (the count of events up to the mark) and rebuilt from scratch whenever it does not
match (an account deleted with its events, an event committed late under a lower id) or is missing or unreadable.
"""

import json
import logging
import os
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
from django.conf import settings
from django.db import connection

from learning.models import Interaction, InteractionKind

logger = logging.getLogger(__name__)
FOLDER = "interaction-log"
FORMAT = 1
# Events younger than this are read but not yet copied: a transaction that took an id before them may still be
# open, and would otherwise commit under the mark. (The count check rebuilds the copy if one ever does.)
SETTLE = timedelta(minutes=5)
MAX_PARTS = 32  # then the parts are merged into one, so a long-lived copy does not become thousands of files
COLUMNS = ("ids", "learner_ids", "resource_ids", "kind_codes", "values", "times")


@dataclass
class InteractionSnapshot:
    """Every logged event up to a moment, as parallel arrays (times in epoch seconds)."""

    learner_ids: np.ndarray
    resource_ids: np.ndarray
    kind_codes: np.ndarray  # each event's kind as its index in KIND_NAMES (cheap to compare at millions of rows)
    values: np.ndarray
    times: np.ndarray

    def __len__(self) -> int:
        return len(self.learner_ids)

    @property
    def kinds(self) -> np.ndarray:
        """Each event's kind as text."""
        return np.asarray(KIND_NAMES, dtype=str)[self.kind_codes] if len(self.kind_codes) else np.zeros(0, dtype=str)


#: The kind codes of the columnar copy (stored as int8 codes; a change of this list rebuilds the copy).
KIND_NAMES: list[str] = list(InteractionKind.values)


def interaction_snapshot(*, until: datetime, folder: Path | None = None) -> InteractionSnapshot:
    """Events received up to `until`: the columnar copy, brought up to date first, plus the newest events."""
    folder = folder or Path(settings.DEEPPATH_MODEL_DIR) / FOLDER
    stored = _up_to_date_copy(folder, settle_before=until - SETTLE)
    high_water = int(stored["ids"][-1]) if len(stored["ids"]) else 0
    recent = _read_columns(after_id=high_water, received_until=until)
    columns = {name: np.concatenate([stored[name], recent[name]]) for name in COLUMNS}
    return InteractionSnapshot(
        learner_ids=columns["learner_ids"],
        resource_ids=columns["resource_ids"],
        kind_codes=columns["kind_codes"],
        values=columns["values"],
        times=columns["times"],
    )


def interaction_log_export(*, folder: Path | None = None) -> dict[str, np.ndarray]:
    """The columnar copy, brought up to date (events settled before now): what `export_interactions` writes."""
    from django.utils import timezone

    folder = folder or Path(settings.DEEPPATH_MODEL_DIR) / FOLDER
    return _up_to_date_copy(folder, settle_before=timezone.now() - SETTLE)


def _up_to_date_copy(folder: Path, *, settle_before: datetime) -> dict[str, np.ndarray]:
    manifest = _manifest(folder)
    parts = _load_parts(folder, manifest) if manifest else None
    if parts is None or not _matches_database(parts, manifest):
        if manifest is not None:
            logger.warning("Interaction log copy in %s does not match the database: rebuilding it", folder)
        shutil.rmtree(folder, ignore_errors=True)
        manifest, parts = {"format": FORMAT, "kinds": KIND_NAMES, "parts": [], "rows": 0}, []
    high_water = manifest.get("high_water", 0)
    new = _read_columns(after_id=high_water, received_until=settle_before)
    if len(new["ids"]):
        parts.append(new)
        manifest = _append(folder, manifest, parts, new)
    return _joined(parts)


def _manifest(folder: Path) -> dict | None:
    try:
        manifest = json.loads((folder / "manifest.json").read_text())
    except (OSError, ValueError):
        return None
    if manifest.get("format") != FORMAT or manifest.get("kinds") != KIND_NAMES:
        return None  # written by another version, or the kind codes changed: rebuild
    return manifest


def _load_parts(folder: Path, manifest: dict) -> list[dict[str, np.ndarray]] | None:
    parts = []
    try:
        for name in manifest["parts"]:
            with np.load(folder / name, allow_pickle=False) as data:
                parts.append({column: data[column] for column in COLUMNS})
    except (OSError, KeyError, ValueError):
        return None
    return parts


def _matches_database(parts: list[dict[str, np.ndarray]], manifest: dict) -> bool:
    rows = sum(len(part["ids"]) for part in parts)
    if rows != manifest.get("rows"):
        return False
    high_water = manifest.get("high_water", 0)
    return Interaction.objects.filter(pk__lte=high_water).count() == rows


def _append(folder: Path, manifest: dict, parts: list[dict], new: dict[str, np.ndarray]) -> dict:
    folder.mkdir(parents=True, exist_ok=True)
    if len(parts) > MAX_PARTS:
        merged = _joined(parts)
        parts[:] = [merged]
        names, to_write = [], [merged]
    else:
        names, to_write = list(manifest["parts"]), [new]
    for part in to_write:
        name = f"part-{int(part['ids'][-1]):012d}.npz"
        temporary = folder / f".{name}.tmp.npz"
        np.savez(temporary, **part)
        os.replace(temporary, folder / name)
        names.append(name)
    rows = sum(len(part["ids"]) for part in parts)
    manifest = {**manifest, "parts": names, "rows": rows, "high_water": int(new["ids"][-1])}
    temporary = folder / ".manifest.json.tmp"
    temporary.write_text(json.dumps(manifest))
    os.replace(temporary, folder / "manifest.json")  # the switch: a crash before it leaves the old copy whole
    return manifest


def _joined(parts: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    if not parts:
        return _empty()
    return {name: np.concatenate([part[name] for part in parts]) for name in COLUMNS}


def _empty() -> dict[str, np.ndarray]:
    return {
        "ids": np.zeros(0, dtype=np.int64),
        "learner_ids": np.zeros(0, dtype=np.int64),
        "resource_ids": np.zeros(0, dtype=np.int64),
        "kind_codes": np.zeros(0, dtype=np.int8),
        "values": np.zeros(0, dtype=np.float64),
        "times": np.zeros(0, dtype=np.int64),
    }


def _read_columns(*, after_id: int, received_until: datetime, batch_size: int = 500_000) -> dict[str, np.ndarray]:
    """Events with an id above `after_id` received up to `received_until`, in id order, read with a raw cursor
    straight into numbers: kinds as codes and times as epoch seconds computed by the database, because per-row
    Python objects made a 5-million-event read several times slower."""
    kind_codes = " ".join(f"WHEN '{kind}' THEN {code}" for code, kind in enumerate(InteractionKind.values))
    epoch = "CAST(EXTRACT(EPOCH FROM occurred_at) AS BIGINT)"
    if connection.vendor == "sqlite":
        # unixepoch() (SQLite 3.38+) gives the same seconds as strftime('%s') cast to an integer, about 1.5 s
        # sooner over 4.9 million events; older SQLite libraries take the spelled-out form.
        modern = sqlite3.sqlite_version_info >= (3, 38)
        epoch = "unixepoch(occurred_at)" if modern else "CAST(strftime('%%s', occurred_at) AS INTEGER)"
    sql = (
        f"SELECT id, learner_id, resource_id, CASE kind {kind_codes} END, COALESCE(value, 'NaN'), {epoch} "  # noqa: S608
        "FROM learning_interaction WHERE id > %s AND received_at <= %s ORDER BY id"
    )
    parts = []
    with connection.cursor() as cursor:
        cursor.execute(sql, [after_id, received_until])
        while batch := cursor.fetchmany(batch_size):
            parts.append(np.asarray(batch, dtype=np.float64))
    if not parts:
        return _empty()
    table = np.concatenate(parts)
    return {
        "ids": table[:, 0].astype(np.int64),
        "learner_ids": table[:, 1].astype(np.int64),
        "resource_ids": table[:, 2].astype(np.int64),
        "kind_codes": table[:, 3].astype(np.int8),
        "values": table[:, 4],
        "times": table[:, 5].astype(np.int64),
    }


def interactions_received_since(moment: datetime | None) -> int:
    """How many events arrived after `moment` (all of them when None): the auto-retrain trigger."""
    queryset = Interaction.objects.all() if moment is None else Interaction.objects.filter(received_at__gt=moment)
    return queryset.count()
