"""Error reports never carry what people typed.

Every page of this service may hold health notes, journal answers or facilitators' notes, so
the project-wide exception reporter filter (`DEFAULT_EXCEPTION_REPORTER_FILTER`) hides every
frame's local variables and every POST value whenever DEBUG is off: an error email or log shows
where it failed, never the data. Views that take sensitive text also keep Django's
`@sensitive_post_parameters()`, as the security checklist asks.
"""

from django.views.debug import SafeExceptionReporterFilter


class NothingTypedFilter(SafeExceptionReporterFilter):
    def get_traceback_frame_variables(self, request, tb_frame):
        if not self.is_active(request):
            return super().get_traceback_frame_variables(request, tb_frame)
        return [(name, self.cleansed_substitute) for name in tb_frame.f_locals]

    def get_post_parameters(self, request):
        if request is None or not self.is_active(request):
            return super().get_post_parameters(request)
        return {key: self.cleansed_substitute for key in request.POST}
