"""Updates: what changed for you since you last looked (issue 16 part 4).

Every email the app sends about an event (`outbox.email(..., update=...)`) records an `Update`
for its recipient in the same call: the kind, a sentence of names and dates, and a link. Never
what anyone wrote. The list is newest first; read state is per update and changes only by a
POST ("Mark as read"), so a plain GET writes nothing. The header's unread count is read within
a request with the person's roles and links, in their one query (`access_memo.facts`, forgotten
on any write, so marking updates read shows at once); outside a request it is one COUNT.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from scopegrowth import access, access_memo
from scopegrowth.outbox.models import Update

#: The list shows this many, newest first (older ones stay, and are counted).
PAGE_SIZE = 50


def updates_for(user) -> QuerySet[Update]:
    """The person's updates, through `access` (only the recipient may see one)."""
    return access.scope(user, "view", Update.objects.all()).order_by("-created_at", "-pk")


def unread_count(user) -> int:
    known = access_memo.facts(user) if access.is_person(user) else None
    if known is not None:
        return known.unread_updates
    return updates_for(user).filter(read_at__isnull=True).count()


@login_required
@require_GET
def update_list(request: HttpRequest) -> HttpResponse:
    items = list(updates_for(request.user)[:PAGE_SIZE])
    return render(
        request,
        "scopegrowth/updates.html",
        {
            "items": items,
            "unread": [item for item in items if item.read_at is None],
            "newest": items[0].pk if items else 0,
        },
    )


@login_required
@require_POST
def updates_mark_read(request: HttpRequest) -> HttpResponse:
    """Mark as read what the page showed (up to `newest`): one arriving meanwhile stays new."""
    try:
        newest = int(request.POST.get("newest", "0"))
    except ValueError:
        newest = 0
    access.scope(request.user, "mark_read", Update.objects.all()).filter(
        pk__lte=newest, read_at__isnull=True
    ).update(read_at=timezone.now())
    return redirect("updates")
