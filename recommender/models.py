"""Training history of the recommender: one row per training run, the active one serving."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class ModelVersion(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        ACTIVE = "active", "Active (serving)"
        RETIRED = "retired", "Retired"
        REJECTED = "rejected", "Rejected (did not beat the baseline)"
        FAILED = "failed", "Failed"

    class Trigger(models.TextChoices):
        COMMAND = "command", "Command"
        ADMIN = "admin", "Admin"
        AUTO = "auto", "New interactions"

    version = models.CharField(max_length=40, unique=True, null=True, blank=True)
    algorithm = models.CharField(max_length=40, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    trigger = models.CharField(max_length=16, choices=Trigger.choices, default=Trigger.COMMAND)
    # Who asked for this run from the admin (the audit trail); empty for commands and automatic runs.
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    data_until = models.DateTimeField(
        null=True, blank=True, help_text="Interactions received up to this moment were used."
    )
    parameters = models.JSONField(default=dict, blank=True)
    data_counts = models.JSONField(default=dict, blank=True)
    metrics = models.JSONField(default=dict, blank=True)
    library_versions = models.JSONField(default=dict, blank=True)
    reason = models.TextField(blank=True, help_text="Why the run was rejected or failed.")
    artifact_path = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["status"], condition=Q(status="active"), name="one_active_model_version"),
        ]

    def __str__(self) -> str:
        return self.version or f"run #{self.pk} ({self.status})"

    @property
    def ndcg(self) -> float | None:
        """NDCG@10 of this run's own model on its holdout (the metrics row named after its algorithm)."""
        # Imported here: the estimators bring scikit-learn and SciPy, about a second at every process start.
        from recommender.core.estimators import DEFAULT_MODEL

        row = self.metrics.get(self.algorithm or DEFAULT_MODEL, {})
        return row.get("ndcg") if isinstance(row, dict) else None

    @property
    def learned_blend(self) -> dict:
        """What the model learned at fit time about this data (blend weights, validation figures), if anything."""
        learned = self.parameters.get("learned") if isinstance(self.parameters, dict) else None
        return learned if isinstance(learned, dict) else {}
