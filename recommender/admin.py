"""Model versions with their metrics, and "retrain now"."""

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import path, reverse

from learning.admin.read_only import ReadOnlyAdmin
from recommender.models import ModelVersion
from recommender.retraining import training_enqueue_unless_in_flight


@admin.register(ModelVersion)
class ModelVersionAdmin(ReadOnlyAdmin):
    list_display = [
        "__str__",
        "status",
        "trigger",
        "hybrid_ndcg",
        "popularity_ndcg",
        "learners",
        "interactions",
        "created_at",
        "finished_at",
    ]
    list_filter = ["status", "trigger"]
    readonly_fields = [field.name for field in ModelVersion._meta.fields]
    change_list_template = "admin/recommender/modelversion/change_list.html"

    @admin.display(description="hybrid NDCG@10")
    def hybrid_ndcg(self, run: ModelVersion):
        return run.metrics.get("hybrid", {}).get("ndcg", "–")

    @admin.display(description="popularity NDCG@10")
    def popularity_ndcg(self, run: ModelVersion):
        return run.metrics.get("popularity", {}).get("ndcg", "–")

    @admin.display(description="learners")
    def learners(self, run: ModelVersion):
        return run.data_counts.get("learners", "–")

    @admin.display(description="interactions")
    def interactions(self, run: ModelVersion):
        return run.data_counts.get("interactions", "–")

    def get_urls(self):
        retrain = self.admin_site.admin_view(self.retrain_view)
        return [path("retrain/", retrain, name="recommender_modelversion_retrain"), *super().get_urls()]

    def retrain_view(self, request: HttpRequest):
        changelist = reverse("admin:recommender_modelversion_changelist")
        if request.method != "POST" or not request.user.is_superuser:
            messages.error(request, "Only a superuser can start a retraining, with the button below.")
            return HttpResponseRedirect(changelist)
        run = training_enqueue_unless_in_flight(trigger=ModelVersion.Trigger.ADMIN)
        if run is None:
            messages.warning(request, "A training run is already queued or running.")
        else:
            messages.success(request, f"Retraining queued as run #{run.pk}; `manage.py db_worker` will run it.")
        return HttpResponseRedirect(changelist)
