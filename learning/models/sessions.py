"""Web sessions that know whose they are, so every session of one learner can be ended at once."""

from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models


class LearnerSession(AbstractBaseSession):
    """Django's database session plus the signed-in user's id (Django's own table cannot be filtered by user).

    A plain column, not a foreign key: a session outlives nothing, and deleting an account deletes its sessions
    through `credentials_revoke`.
    """

    user_id = models.BigIntegerField(null=True, blank=True, db_index=True)

    class Meta:
        db_table = "learning_session"
