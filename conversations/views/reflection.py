"""After a completed conversation: the facilitator's private stop / start / continue."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from conversations import services
from conversations.forms.reflection import ReflectionForm
from conversations.policies import own_reflection
from conversations.views.common import fetch_conversation
from scopegrowth.exceptions import RuleError


@sensitive_post_parameters()
@login_required
@require_http_methods(["GET", "POST"])
def reflection_edit(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = fetch_conversation(request, "reflect", pk)
    reflection = own_reflection(request.user, conversation)
    initial = (
        {
            "stop": reflection.stop_doing,
            "start": reflection.start_doing,
            "carry_on": reflection.continue_doing,
        }
        if reflection
        else {}
    )
    form = ReflectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.conversation_reflection_save(
                actor=request.user, conversation=conversation, **form.cleaned_data
            )
        except RuleError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Your reflection has been saved. Only you can read it.")
            return redirect("conversations:reflection", pk=conversation.pk)
    return render(
        request,
        "conversations/reflection_edit.html",
        {"conversation": conversation, "form": form, "reflection": reflection},
    )
