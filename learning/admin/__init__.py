from learning.admin import catalog, learners  # noqa: F401  (registers the ModelAdmins)
