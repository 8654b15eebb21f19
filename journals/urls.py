from django.urls import path

from journals import views

app_name = "journals"
urlpatterns = [
    path("", views.journal_current, name="current"),
    path("new/", views.journal_new, name="new"),
    path("history/", views.journal_history, name="history"),
    path("<int:pk>/", views.journal_overview, name="overview"),
    path("<int:pk>/ready/", views.journal_ready, name="ready"),
    path("<int:pk>/readers/", views.journal_access_log, name="access_log"),
    path("<int:pk>/<slug:section>/", views.section_edit, name="section"),
    path("<int:pk>/<slug:section>/share/", views.section_share, name="share"),
    path("<int:pk>/<slug:section>/autosave/", views.section_autosave, name="autosave"),
]
