"""Tiny helpers for writing SVG markup safely: every text and attribute value goes through `escape`."""

from django.utils.html import escape


def attrs(**values) -> str:
    """` name="value"` pairs; underscores become dashes and None values are left out."""
    pairs = ((name.rstrip("_").replace("_", "-"), value) for name, value in values.items() if value is not None)
    return "".join(f' {name}="{escape(value)}"' for name, value in pairs)


def tag(name: str, content: str = "", **values) -> str:
    return f"<{name}{attrs(**values)}>{content}</{name}>"


def number(value: float) -> str:
    """A coordinate without needless decimals: 12, 12.5."""
    return f"{value:.1f}".rstrip("0").rstrip(".")
