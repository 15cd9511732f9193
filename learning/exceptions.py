class LearningError(Exception):
    """The one domain error: a rule of the catalog, the topic graph or a learner's progress was broken.

    `problems` lists every individual problem found (for example one per row of an import), so callers can show
    them all at once instead of the first only.
    """

    def __init__(self, message: str, *, problems: list[str] | None = None, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.problems = list(problems or [])
        self.code = code

    def __str__(self) -> str:
        if not self.problems:
            return self.message
        return "\n".join([self.message, *(f"  - {problem}" for problem in self.problems)])
