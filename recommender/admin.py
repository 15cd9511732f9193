"""Model versions with their metrics, and "retrain now"."""

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, gettext_lazy

from learning.admin.read_only import ReadOnlyAdmin
from recommender.models import ModelVersion
from recommender.retraining import training_enqueue_unless_in_flight
from recommender.worker import SEEN_WITHIN, heartbeat_ensure, worker_status

NO_WORKER = gettext_lazy(
    "No worker has been seen in the last minute, so nothing will run this retraining until one starts: "
    "run `make worker` (or `manage.py db_worker`) on the server."
)


@admin.register(ModelVersion)
class ModelVersionAdmin(ReadOnlyAdmin):
    # Few, narrow columns: with the filter panel open the list fits a 1280 px window (tests/browser/).
    list_display = ["__str__", "status", "trigger", "model_ndcg", "popularity_ndcg", "created_at"]
    list_filter = ["status", "trigger"]
    readonly_fields = [
        *(field.name for field in ModelVersion._meta.fields if field.name != "metrics"),
        "metrics_table",
        "learned_blend",
    ]
    fields = tuple(readonly_fields)  # the metrics as a table, not their raw JSON
    change_list_template = "admin/recommender/modelversion/change_list.html"

    def changelist_view(self, request: HttpRequest, extra_context=None):
        heartbeat_ensure()  # a worker that starts later shows up here within HEARTBEAT_EVERY
        extra = {**(extra_context or {}), "worker": worker_status(), "seen_within": SEEN_WITHIN.seconds}
        return super().changelist_view(request, extra_context=extra)

    @admin.display(description="metrics (holdout)")
    def metrics_table(self, run: ModelVersion):
        """HR@10 and NDCG@10 of every model this run evaluated, its own first."""
        rows = sorted(
            ((name, row) for name, row in run.metrics.items() if isinstance(row, dict)),
            key=lambda item: (item[0] != run.algorithm, item[0]),
        )
        if not rows:
            return "–"
        body = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            ((name, row.get("hr", "–"), row.get("ndcg", "–")) for name, row in rows),
        )
        return format_html(
            '<table class="metrics-table"><tr><th>model</th><th>HR@10</th><th>NDCG@10</th></tr>{}</table>', body
        )

    @admin.display(description="NDCG@10")
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
        steps = format_html_join(
            "; ",
            "{} back: {} learners, NDCG@10 {}",
            (
                (back, step.get("learners"), step.get("ndcg@10"))
                for back, step in enumerate(validation.get("steps", []), 1)
            ),
        )
        return format_html(
            "<table><tr><th>component</th><th>weight</th></tr>{}</table>"
            "<p>structure shape: {}; EASE l2 ratio {}</p>"
            "<p>validation (held-out training items, see the steps below; {} of {} learners at the last one): "
            "NDCG@10 {} (default weights {}), "
            "HR@10 {}; each component alone: {}; {} settings tried</p>"
            "<p>held-out steps the blend was chosen on (1 back is the last training item): {}</p>",
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
            steps or "–",
        )

    @admin.display(description="popularity")
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
        alive = worker_status().alive
        if run is None:
            messages.warning(request, "A training run is already queued or running.")
        elif alive:
            messages.success(
                request,
                gettext("Retraining queued as run #%(run)s; the running worker will pick it up.") % {"run": run.pk},
            )
        else:
            messages.success(request, gettext("Retraining queued as run #%(run)s.") % {"run": run.pk})
        if not alive:
            messages.error(request, NO_WORKER)
        return HttpResponseRedirect(changelist)
