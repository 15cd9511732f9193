"""Link health: the last check of each resource's URL (written by `manage.py check_links` and its task)."""

from django.db import models
from django.db.models import Q

from learning.models.catalog import Resource
from learning.models.choices import choices_check


class LinkHealth(models.TextChoices):
    OK = "ok", "OK"
    REDIRECTED = "redirected", "Redirected"
    BROKEN = "broken", "Broken"


class LinkCheck(models.Model):
    """One row per checked resource; a resource with no row has never been checked."""

    resource = models.OneToOneField(Resource, on_delete=models.CASCADE, primary_key=True, related_name="link_check")
    checked_url = models.URLField(max_length=500, verbose_name="checked URL", help_text="The URL as it was checked.")
    health = models.CharField(max_length=16, choices=LinkHealth.choices)
    checked_at = models.DateTimeField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True, verbose_name="HTTP status")
    error = models.CharField(max_length=300, blank=True, help_text="Timeout, TLS, DNS or redirect error, if any.")
    final_url = models.URLField(max_length=500, blank=True, verbose_name="final URL")
    redirects = models.PositiveSmallIntegerField(default=0)
    consecutive_failures = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "link check"
        constraints = [
            models.CheckConstraint(condition=choices_check("health", LinkHealth), name="link_check_health_valid"),
            models.CheckConstraint(
                condition=Q(consecutive_failures=0) | Q(health=LinkHealth.BROKEN), name="link_check_failures_broken"
            ),
        ]
        indexes = [models.Index(fields=["health", "checked_at"])]

    def __str__(self) -> str:
        return f"link check of {self.resource}"

    @property
    def outcome(self) -> str:
        """One line for a curator: "200", "404", "timed out after 10 s", "301 -> https://..."."""
        if self.error:
            return self.error
        if self.health == LinkHealth.REDIRECTED:
            return f"{self.status_code} after {self.redirects} redirect(s) -> {self.final_url}"
        return str(self.status_code)
