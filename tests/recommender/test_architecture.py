"""recommender/core is pure: numpy, scipy, scikit-learn and the standard library, nothing from the app."""

import ast
import sys
from pathlib import Path

import pytest

CORE = Path(__file__).resolve().parents[2] / "recommender" / "core"
ALLOWED_THIRD_PARTY = {"numpy", "scipy", "sklearn"}


def _imports(path: Path) -> list[str]:
    """Absolute module names a file imports (relative imports resolved against recommender.core)."""
    names = []
    package = ".".join(path.relative_to(CORE.parent.parent).with_suffix("").parts[:-1])
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                names.append(".".join([*base, node.module] if node.module else base))
            else:
                names.append(node.module)
    return names


CORE_FILES = sorted(CORE.rglob("*.py"))


def test_there_are_core_modules_to_check():
    assert len(CORE_FILES) > 5


@pytest.mark.parametrize("path", CORE_FILES, ids=lambda path: str(path.relative_to(CORE)))
def test_core_imports_neither_django_nor_the_app(path):
    for name in _imports(path):
        top = name.split(".")[0]
        assert top not in {"django", "learning", "config"}, f"{path.name} imports {name}"
        if top == "recommender":
            assert name == "recommender.core" or name.startswith("recommender.core."), f"{path.name} imports {name}"
        else:
            assert top in ALLOWED_THIRD_PARTY or top in sys.stdlib_module_names, f"{path.name} imports {name}"
