from django import forms
from django.contrib.admin.widgets import FilteredSelectMultiple

from learning.graph import describe_cycle
from learning.models import Topic
from learning.services import prerequisite_cycle_after


class TopicAdminForm(forms.ModelForm):
    """Edits prerequisites through the topic-graph service, so the admin refuses a cycle as a field error."""

    prerequisite_topics = forms.ModelMultipleChoiceField(
        queryset=Topic.objects.all(),
        required=False,
        widget=FilteredSelectMultiple("prerequisites", is_stacked=False),
        help_text="Topics to learn before this one. The graph must stay acyclic.",
    )

    class Meta:
        model = Topic
        fields = ["name", "slug", "summary"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["prerequisite_topics"].initial = list(self.instance.prerequisites.all())
            self.fields["prerequisite_topics"].queryset = Topic.objects.exclude(pk=self.instance.pk)

    def clean_prerequisite_topics(self):
        prerequisites = self.cleaned_data["prerequisite_topics"]
        if self.instance.pk:
            cycle = prerequisite_cycle_after(topic=self.instance, prerequisites=prerequisites)
            if cycle is not None:
                raise forms.ValidationError(f"This would make a prerequisite cycle: {describe_cycle(cycle)}.")
        return prerequisites


class CatalogImportForm(forms.Form):
    file = forms.FileField(
        help_text="A catalog .json (topics, resources, paths) or a .csv of resources. Nothing is written unless "
        "the whole file is valid."
    )

    max_upload_bytes = 10 * 1024 * 1024

    def clean_file(self):
        upload = self.cleaned_data["file"]
        suffix = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        if suffix not in {"json", "csv"}:
            raise forms.ValidationError("Choose a .json catalog or a .csv of resources.")
        if upload.size > self.max_upload_bytes:
            raise forms.ValidationError("The file is larger than 10 MB.")
        try:
            self.cleaned_data["text"] = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError("The file is not UTF-8 text.") from None
        self.cleaned_data["file_format"] = suffix
        return upload
