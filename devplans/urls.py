from django.urls import path

from devplans import views

app_name = "devplans"

# Included at the site root (scopegrowth/urls.py), so paths are written in full.
urlpatterns = [
    path("plans/", views.plan_mine, name="mine"),
    path("plans/<int:pk>/", views.plan_detail, name="detail"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="edit"),
    path("plans/<int:pk>/sign/", views.plan_sign, name="sign"),
    path("plans/<int:pk>/reopen/", views.plan_reopen, name="reopen"),
    path(
        "plans/<int:pk>/complete-conversation/",
        views.plan_conversation_complete,
        name="complete_conversation",
    ),
    path("plans/<int:pk>/progress/", views.plan_progress, name="progress"),
    path("plans/<int:pk>/review/", views.plan_review, name="review"),
    path("plans/<int:pk>/check-in/", views.plan_check_in, name="check_in"),
    path("plans/<int:pk>/pdf/", views.plan_pdf, name="pdf"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("hr/plans/", views.hr_plan_list, name="hr_list"),
    path("hr/plans/export.csv", views.hr_plan_csv, name="hr_csv"),
    path("hr/plans/export/", views.hr_plan_export, name="hr_export"),
    path(
        "hr/plans/export/<int:pk>/download/",
        views.hr_plan_export_download,
        name="hr_export_download",
    ),
]
