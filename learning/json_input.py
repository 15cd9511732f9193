"""JSON from outside (API bodies, catalog files) read with limits: a bounded nesting depth and valid Unicode only.

Python's json module recurses once per level, so a 2 KB body of `[` x 1000 exhausts the interpreter's stack
(RecursionError), and it decodes an escaped lone surrogate ("\\ud800") into a str that no UTF-8 codec can write
back out, to a database, a log or a response. Both are refused here, before any code looks at the data.
"""

import json
import re
from typing import Any

MAX_DEPTH = 32  # deepest document DeepPath reads is 5 levels (a catalog path's steps); room for clients to grow
_SURROGATE = re.compile("[\ud800-\udfff]")


class UnreadableJsonError(ValueError):
    """The text is not JSON DeepPath will read; the message names the problem without echoing the input."""


def json_loads_checked(text: str | bytes, *, max_depth: int = MAX_DEPTH, parse_constant=None) -> Any:
    """`json.loads`, refusing documents nested deeper than `max_depth` or holding strings that are not valid
    Unicode (lone surrogates); raises `UnreadableJsonError` for those and `ValueError` for malformed JSON."""
    try:
        document = json.loads(text, parse_constant=parse_constant)
    except RecursionError:
        raise UnreadableJsonError(f"JSON nested more than {max_depth} levels deep is not accepted.") from None
    check_json_document(document, max_depth=max_depth)
    return document


def check_json_document(document: Any, *, max_depth: int = MAX_DEPTH) -> None:
    """Walk a parsed document without recursion; raise `UnreadableJsonError` at the first level or string too many."""
    pending: list[tuple[Any, int]] = [(document, 0)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, str):
            _check_text(value)
        elif isinstance(value, dict | list):
            if depth >= max_depth:
                raise UnreadableJsonError(f"JSON nested more than {max_depth} levels deep is not accepted.")
            if isinstance(value, dict):
                for key in value:
                    _check_text(key)
                pending.extend((item, depth + 1) for item in value.values())
            else:
                pending.extend((item, depth + 1) for item in value)


def _check_text(text: str) -> None:
    if not text.isascii() and _SURROGATE.search(text):
        raise UnreadableJsonError(
            "A string in the JSON is not valid Unicode: it holds a lone surrogate (an escape from \\ud800 to \\udfff "
            "that is not half of a pair)."
        )
