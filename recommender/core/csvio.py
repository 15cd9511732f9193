"""Reading the offline inputs (interactions, items, user lists) with the csv module, validating as we go.

Every problem is reported as an OfflineInputError whose message is one line naming the file and, where it
helps, the line: it is shown to a person at a terminal, not to a developer.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np


class OfflineInputError(Exception):
    """An offline input is missing or malformed; str(error) is a one-line message for the user."""


@dataclass
class Interactions:
    """Rows of a `user_id,item_id,timestamp[,score]` file; timestamps are POSIX seconds, missing scores NaN."""

    user_ids: list[str]
    item_ids: list[str]
    timestamps: np.ndarray
    scores: np.ndarray
    has_score: bool

    def __len__(self) -> int:
        return len(self.user_ids)


@dataclass
class Items:
    """Rows of an `item_id,group,position` file (an item may sit in several groups)."""

    item_ids: list[str]
    groups: list[str]
    positions: np.ndarray


def _open_rows(path: Path, required: tuple[str, ...], label: str):
    """(reader, handle) over a CSV whose header has the required columns (names trimmed, BOM tolerated)."""
    path = Path(path)
    if not path.is_file():
        raise OfflineInputError(f"{label} file not found: {path}")
    handle = path.open(newline="", encoding="utf-8-sig")
    reader = csv.reader(handle)
    header = [name.strip() for name in next(reader, [])]
    if not header:
        handle.close()
        raise OfflineInputError(f"{path}: the file is empty (expected a header with {', '.join(required)})")
    missing = [name for name in required if name not in header]
    if missing:
        handle.close()
        found = ", ".join(header)
        raise OfflineInputError(f"{path}: missing column {', '.join(missing)} (the header has: {found})")
    return reader, handle, {name: header.index(name) for name in header}


def parse_timestamp(text: str) -> float:
    """POSIX seconds of an ISO 8601 date or datetime; naive values are taken as UTC. Raises ValueError."""
    moment = datetime.fromisoformat(text.strip())
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def read_interactions(path: Path, label: str = "TRAIN") -> Interactions:
    """The rows of an interactions CSV (columns user_id, item_id, timestamp, optional score; extras ignored)."""
    reader, handle, columns = _open_rows(path, ("user_id", "item_id", "timestamp"), label)
    user_col, item_col, time_col = columns["user_id"], columns["item_id"], columns["timestamp"]
    score_col = columns.get("score")
    users, items, times, scores = [], [], [], []
    parsed: dict[str, float] = {}  # dates repeat a lot; parse each distinct text once
    with handle:
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            line = reader.line_num
            user, item, stamp = (_cell(row, col, path, line) for col in (user_col, item_col, time_col))
            if not user or not item:
                raise OfflineInputError(f"{path}, line {line}: empty user_id or item_id")
            if stamp not in parsed:
                try:
                    parsed[stamp] = parse_timestamp(stamp)
                except ValueError:
                    raise OfflineInputError(f"{path}, line {line}: unparseable timestamp {stamp!r}") from None
            users.append(user)
            items.append(item)
            times.append(parsed[stamp])
            scores.append(_score(row, score_col, path, line))
    return Interactions(
        users, items, np.asarray(times, np.float64), np.asarray(scores, np.float64), score_col is not None
    )


def read_items(path: Path, label: str = "ITEMS") -> Items:
    """The rows of an items CSV (columns item_id, group, integer position; extras ignored).

    Positions may start anywhere (0-based files are common) and may be negative: only their order within a group
    matters, and `offline.prepare` shifts each group to start at 1.
    """
    reader, handle, columns = _open_rows(path, ("item_id", "group", "position"), label)
    item_ids, groups, positions = [], [], []
    with handle:
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            line = reader.line_num
            item, group, position = (_cell(row, columns[name], path, line) for name in ("item_id", "group", "position"))
            if not item or not group:
                raise OfflineInputError(f"{path}, line {line}: empty item_id or group")
            try:
                value = int(position)
            except ValueError:
                raise OfflineInputError(
                    f"{path}, line {line}: bad position {position!r} (expected an integer)"
                ) from None
            item_ids.append(item)
            groups.append(group)
            positions.append(value)
    return Items(item_ids, groups, np.asarray(positions, dtype=np.int64))


def read_users(path: Path, label: str = "USERS") -> list[str]:
    """User ids, one per line, blank lines ignored, duplicates dropped (first occurrence kept)."""
    path = Path(path)
    if not path.is_file():
        raise OfflineInputError(f"{label} file not found: {path}")
    with path.open(encoding="utf-8-sig") as handle:
        return list(dict.fromkeys(line.strip() for line in handle if line.strip()))


def write_recommendations(path: Path, rows: list[tuple[str, int, str, float]]) -> None:
    """Write `user_id,rank,item_id,score` CSV rows (scores with 6 significant digits)."""
    with Path(path).open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["user_id", "rank", "item_id", "score"])
        writer.writerows((user, rank, item, f"{score:.6g}") for user, rank, item, score in rows)


def _cell(row: list[str], column: int, path: Path, line: int) -> str:
    if column >= len(row):
        raise OfflineInputError(f"{path}, line {line}: expected at least {column + 1} fields, found {len(row)}")
    return row[column].strip()


def _score(row: list[str], column: int | None, path: Path, line: int) -> float:
    """The score cell as a float; a missing column or empty cell is NaN (meaning "completed, no mark")."""
    if column is None or column >= len(row) or not row[column].strip():
        return np.nan
    try:
        return float(row[column])
    except ValueError:
        raise OfflineInputError(f"{path}, line {line}: score {row[column]!r} is not a number") from None
