"""Link health writes: check published resources' URLs and record the outcome; adopt a redirect's final URL.

The network work happens outside any transaction (a check can take seconds); each result is then written on its
own, so an interrupted run keeps what it learned. Nothing here unpublishes a resource: a broken link is a fact for
a curator to act on, and a site that is down for an hour must not empty a learner's path.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from learning.audit import acting
from learning.exceptions import LearningError
from learning.linkcheck import LinkChecker, LinkResult
from learning.models import LinkCheck, LinkHealth, Resource


@dataclass
class LinkCheckSummary:
    checked: int = 0
    ok: int = 0
    redirected: int = 0
    broken: list[str] = field(default_factory=list)  # "slug: outcome" lines, for the command's output

    def as_dict(self) -> dict:
        return {"checked": self.checked, "ok": self.ok, "redirected": self.redirected, "broken": len(self.broken)}


def link_checker_from_settings() -> LinkChecker:
    return LinkChecker(
        timeout=settings.DEEPPATH_LINKCHECK_TIMEOUT,
        max_redirects=settings.DEEPPATH_LINKCHECK_MAX_REDIRECTS,
        workers=settings.DEEPPATH_LINKCHECK_WORKERS,
        per_host_interval=settings.DEEPPATH_LINKCHECK_PER_HOST_INTERVAL,
    )


def links_check(*, resource_ids: Iterable[int] | None = None, checker: LinkChecker | None = None) -> LinkCheckSummary:
    """Check the URLs of published resources (all of them, or those among `resource_ids`) and record each outcome."""
    resources = Resource.objects.published().select_related(None).only("pk", "slug", "url")
    if resource_ids is not None:
        resources = resources.filter(pk__in=list(resource_ids))
    by_url: dict[str, list[Resource]] = {}
    for resource in resources:
        by_url.setdefault(resource.url, []).append(resource)
    checker = checker or link_checker_from_settings()
    summary = LinkCheckSummary()
    for result in checker.check_many(list(by_url)):
        for resource in by_url[result.url]:
            health = _link_check_record(resource=resource, result=result)
            summary.checked += 1
            if health == LinkHealth.OK:
                summary.ok += 1
            elif health == LinkHealth.REDIRECTED:
                summary.redirected += 1
            else:
                summary.broken.append(f"{resource.slug}: {result.error or result.status}")
    return summary


@transaction.atomic
def _link_check_record(*, resource: Resource, result: LinkResult) -> str:
    previous = LinkCheck.objects.select_for_update().filter(resource=resource).first()
    if result.ok:
        health = LinkHealth.REDIRECTED if result.redirected else LinkHealth.OK
        failures = 0
    else:
        health = LinkHealth.BROKEN
        failures = (previous.consecutive_failures if previous else 0) + 1
    LinkCheck.objects.update_or_create(
        resource=resource,
        defaults={
            "checked_url": result.url,
            "health": health,
            "checked_at": timezone.now(),
            "status_code": result.status,
            "error": result.error[:300],
            "final_url": result.final_url[:500],
            "redirects": result.redirects,
            "consecutive_failures": failures,
        },
    )
    return health


@transaction.atomic
def resources_use_final_url(*, resource_ids: Iterable[int], user: AbstractBaseUser | AnonymousUser | None) -> int:
    """Replace each redirected resource's URL by where it now ends, recorded in its history as `user`'s link fix;
    returns how many changed.

    Only a check of the resource's current URL counts (a URL edited since its check is left alone), and a final URL
    already used by another resource is refused rather than merged.
    """
    checks = LinkCheck.objects.select_related("resource").filter(
        resource_id__in=list(resource_ids), health=LinkHealth.REDIRECTED
    )
    with acting(user=user, source="link fix: final URL"):
        return _use_final_urls(checks)


def _use_final_urls(checks: Iterable[LinkCheck]) -> int:
    changed = 0
    for check in checks:
        resource = check.resource
        if check.checked_url != resource.url or not check.final_url or check.final_url == resource.url:
            continue
        resource.url = check.final_url
        try:
            resource.full_clean(validate_constraints=False)
        except ValidationError as error:
            raise LearningError(
                f"Cannot use the final URL of {resource.slug!r}: {'; '.join(error.messages)}",
                code="invalid_final_url",
                fields={"url": error.messages},
            ) from None
        resource.save(update_fields=["url", "updated_at"])
        check.checked_url = check.final_url
        check.health = LinkHealth.OK
        check.redirects = 0
        check.save(update_fields=["checked_url", "health", "redirects"])
        changed += 1
    return changed
