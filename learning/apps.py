from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "learning"
    verbose_name = "Learning catalog and progress"

    def ready(self) -> None:
        from learning import lookups  # noqa: F401  (registers the overflow-safe `in` lookup on integer fields)
