"""The one domain error, with its problems keyed by the input they are about."""

NON_FIELD = "non_field_errors"


class LearningError(Exception):
    """A rule of the catalog, the topic graph or a learner's data was broken.

    `fields` maps each input (a form or API field, or a catalog import's row label) to every message about it, so
    each interface can show all problems at once, each beside its input: a form error, a JSON 4xx, a list of lines.
    Problems about no single input go under `NON_FIELD`.
    """

    def __init__(self, message: str, fields: dict[str, list[str]] | None = None, *, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.fields = {name: list(messages) for name, messages in (fields or {}).items() if messages}
        self.code = code

    @property
    def problems(self) -> list[str]:
        """Every problem as one line of text, "input: message" (just the message when about no input)."""
        return [
            message if name == NON_FIELD else f"{name}: {message}"
            for name, messages in self.fields.items()
            for message in messages
        ]

    def __str__(self) -> str:
        return "\n".join([self.message, *(f"  - {problem}" for problem in self.problems)])


def add_problem(fields: dict[str, list[str]], name: str, message: str) -> None:
    """Collect one problem about input `name` into a `LearningError.fields` mapping being built."""
    fields.setdefault(name, []).append(message)
