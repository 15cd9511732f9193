"""Model versions with their metrics, and "retrain now"."""

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from learning.admin.read_only import ReadOnlyAdmin
from recommender.models import ModelVersion
from recommender.retraining import training_enqueue_unless_in_flight


@admin.register(ModelVersion)
class ModelVersionAdmin(ReadOnlyAdmin):
    list_display = [
        "__str__",
        "status",
        "trigger",
        "model_ndcg",
        "popularity_ndcg",
        "learners",
        "interactions",
        "created_at",
        "finished_at",
    ]
    list_filter = ["status", "trigger"]
    readonly_fields = [*(field.name for field in ModelVersion._meta.fields), "learned_blend"]
    change_list_template = "admin/recommender/modelversion/change_list.html"

    @admin.display(description="model NDCG@10")
    def model_ndcg(self, run: ModelVersion):
        return "–" if run.ndcg is None else run.ndcg

    @admin.display(description="learned blend (fit time)")
    def learned_blend(self, run: ModelVersion):
        """The blend weights the model learned from this data and the validation figures behind them."""
        learned = run.learned_blend
        if not learned:
            return "–"
        if not learned.get("learned"):
            return f"not learned ({learned.get('reason', 'no reason given')}): the default weights were used"
        validation = learned.get("validation", {})
        weights = format_html_join("", "<tr><td>{}</td><td>{}</td></tr>", sorted(learned.get("weights", {}).items()))
        shape = format_html_join(", ", "{}={}", sorted(learned.get("structure_shape", {}).items()))
        alone = format_html_join(", ", "{} {}", sorted(validation.get("component_alone_ndcg@10", {}).items()))
        return format_html(
            "<table><tr><th>component</th><th>weight</th></tr>{}</table>"
            "<p>structure shape: {}; EASE l2 ratio {}</p>"
            "<p>validation (each learner's last training item, {} of {} learners): NDCG@10 {} (default weights {}), "
            "HR@10 {}; each component alone: {}; {} settings tried</p>",
            weights,
            shape,
            learned.get("ease_l2_ratio", "–"),
            validation.get("learners", "–"),
            validation.get("held_out_learners", "–"),
            validation.get("ndcg@10", "–"),
            validation.get("prior_ndcg@10", "–"),
            validation.get("hr@10", "–"),
            alone,
            validation.get("settings_tried", "–"),
        )

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
        run = training_enqueue_unless_in_flight(trigger=ModelVersion.Trigger.ADMIN, requested_by=request.user)
        if run is None:
            messages.warning(request, "A training run is already queued or running.")
        else:
            messages.success(request, f"Retraining queued as run #{run.pk}; `manage.py db_worker` will run it.")
        return HttpResponseRedirect(changelist)
