"""Forget who was writing on a browser when someone signs in or out there.

The signed author cookie (`journals.views.common.AUTHOR_COOKIE`) lets text posted after a
session ran out be kept for the person who typed it. Once anyone signs in or out on that
browser, whatever is posted next is not theirs: the cookie goes with that response. (Signing out
also sends Clear-Site-Data; this does not depend on the browser honouring it.)
"""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

FLAG = "_journals_forget_author"


@receiver(user_logged_in)
@receiver(user_logged_out)
def _sign_in_or_out(sender, request=None, **kwargs) -> None:
    if request is not None:
        setattr(request, FLAG, True)


class ForgetAuthorOnSignInOutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, FLAG, False):
            from journals.views.common import forget_author

            forget_author(response)
        return response
