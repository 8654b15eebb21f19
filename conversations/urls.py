from django.urls import path

from conversations import views

app_name = "conversations"
# Included at the site root: full paths here.
urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("conversations/", views.conversation_list, name="mine"),
    path("conversations/new/<int:person_pk>/", views.conversation_schedule, name="schedule"),
    path("conversations/<int:pk>/", views.conversation_detail, name="detail"),
    path("conversations/<int:pk>/edit/", views.conversation_reschedule, name="reschedule"),
    path("conversations/<int:pk>/cancel/", views.conversation_cancel, name="cancel"),
    path("conversations/<int:pk>/preparation/", views.preparation_edit, name="prepare"),
    path("conversations/<int:pk>/stage/<int:stage>/", views.stage_edit, name="stage"),
    path("conversations/<int:pk>/complete/", views.conversation_complete, name="complete"),
    path("conversations/<int:pk>/reflection/", views.reflection_edit, name="reflection"),
    path("conversations/<int:pk>/invite.ics", views.invite_download, name="invite"),
]
