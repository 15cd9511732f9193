"""My list (/me/list/): the learner's saved and in-progress resources, sortable, with the actions of a card."""

from typing import cast

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from learning.models import ProgressStatus
from learning.selectors.my_list import DEFAULT_LIST_SORT, LIST_SORTS, learner_list


@login_required
@require_GET
def my_list(request: HttpRequest) -> HttpResponse:
    sort = request.GET.get("sort", DEFAULT_LIST_SORT)
    sort = sort if sort in LIST_SORTS else DEFAULT_LIST_SORT
    context = {
        "rows": list(learner_list(learner=cast(User, request.user), sort=sort)),  # login_required: a User
        "sort": sort,
        "saved_status": ProgressStatus.SAVED,
        "sorts": [(key, label) for key, (label, _order) in LIST_SORTS.items()],
    }
    return render(request, "learning/my_list.html", context)
