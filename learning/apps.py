from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "learning"
    verbose_name = "Learning catalog and progress"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from learning import lookups  # noqa: F401  (registers the overflow-safe `in` lookup on integer fields)
        from learning.search_index import restore_after_migrate

        post_migrate.connect(restore_after_migrate, sender=self, dispatch_uid="learning.restore_search_index")
