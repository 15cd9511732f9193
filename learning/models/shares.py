"""A learner's public link to a path they follow or a plan they saved, with their progress on it."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from learning.models.catalog import LearningPath


class PathShare(models.Model):
    """Anyone with the link sees the path's steps and the learner's progress; the learner's name only if they chose
    to show it. The token is random (`secrets.token_urlsafe(32)`: 256 bits), so links cannot be guessed; revoking
    deletes the row, so an old link is a 404."""

    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="path_shares")
    path = models.ForeignKey(LearningPath, on_delete=models.CASCADE, related_name="shares")
    token = models.CharField(max_length=64, unique=True, editable=False)
    show_name = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["learner", "path"], name="path_share_learner_path_unique")]

    def __str__(self) -> str:
        return f"{self.learner} shares {self.path}"

    def get_absolute_url(self) -> str:
        return reverse("learning:shared-path", kwargs={"token": self.token})
