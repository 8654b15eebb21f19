"""What the conversation views share: fetching through `access`, conflict versions, and keeping
typed notes out of error reports."""

from __future__ import annotations

from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.views.debug import SafeExceptionReporterFilter

from conversations import selectors
from conversations.models import Conversation
from scopegrowth import access


class NotesHiddenFilter(SafeExceptionReporterFilter):
    """Error reports of these requests show no local variables at all: any frame (ours, a
    form's, a service's, the ORM's) may hold the notes someone typed. `sensitive_post_parameters`
    hides the POST itself."""

    def get_traceback_frame_variables(self, request, tb_frame):
        if not self.is_active(request):
            return super().get_traceback_frame_variables(request, tb_frame)
        return [(name, self.cleansed_substitute) for name in tb_frame.f_locals]


def hide_notes_in_error_reports(view):
    """Mark the request so an error report about it shows no local variables."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        request.exception_reporter_filter = NotesHiddenFilter()
        return view(request, *args, **kwargs)

    return wrapper


def fetch_conversation(request: HttpRequest, action: str, pk: int) -> Conversation:
    return access.get_or_404(request.user, action, selectors.conversations_qs(), pk=pk)


def with_version(form, field: str, version: int) -> None:
    """After a conflict the next save should win: post the saved version with it."""
    data = form.data.copy()
    data[field] = str(version)
    form.data = data
