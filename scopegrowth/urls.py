from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from scopegrowth import updates, views

# The admin signs in through allauth (rate limits, MFA), never through its own form.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "ScopeGrowth administration"
admin.site.site_title = "ScopeGrowth admin"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz/", views.healthz, name="healthz"),
    path("preferences/", views.preferences_edit, name="preferences"),
    path("session/keepalive/", views.session_keepalive, name="session_keepalive"),
    path("my-data/", views.my_data, name="my_data"),
    path("my-data/download/", views.my_data_download, name="my_data_download"),
    path("hr/retention/", views.retention, name="retention"),
    path("hr/people/import/", views.people_import, name="people_import"),
    path("hr/people/import/<int:pk>/", views.people_import_detail, name="people_import_detail"),
    path("hr/people/import/<int:pk>/apply/", views.people_import_apply, name="people_import_apply"),
    path("updates/", updates.update_list, name="updates"),
    path("updates/read/", updates.updates_mark_read, name="updates_mark_read"),
    path("framework/", views.framework_guide, name="framework"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("journal/", include("journals.urls")),
    path("", include("conversations.urls")),  # /dashboard/, /conversations/...
    path("", include("devplans.urls")),  # /plans/..., /hr/plans/...
    path("", include("insight.urls")),  # /me/equality/, /hr/insight/
    path("", include("rounds.urls")),  # /hr/rounds/...
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]

handler500 = "scopegrowth.views.server_error"
