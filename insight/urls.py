from django.urls import path

from insight import views

app_name = "insight"

urlpatterns = [
    path("me/equality/", views.equality_edit, name="equality"),
    path("me/equality/withdraw/", views.equality_withdraw, name="equality_withdraw"),
    path("hr/insight/", views.hr_insight, name="hr_insight"),
    path("hr/insight/snapshot/", views.hr_insight_snapshot, name="hr_insight_snapshot"),
    path("hr/insight/export.csv", views.hr_insight_csv, name="hr_insight_csv"),
]
