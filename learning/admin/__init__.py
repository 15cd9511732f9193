from learning.admin import catalog, learners, users  # noqa: F401  (registers the ModelAdmins)
