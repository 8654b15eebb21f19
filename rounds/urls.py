from django.urls import path

from rounds import views

app_name = "rounds"

urlpatterns = [
    path("hr/rounds/", views.round_list, name="list"),
    path("hr/rounds/new/", views.round_create, name="create"),
    path("hr/rounds/<int:pk>/", views.round_detail, name="detail"),
    path("hr/rounds/<int:pk>/open/", views.round_open, name="open"),
    path("hr/rounds/<int:pk>/extend/", views.round_extend, name="extend"),
    path("hr/rounds/<int:pk>/close/", views.round_close, name="close"),
    path("hr/rounds/<int:pk>/recount/", views.round_recount, name="recount"),
    path("hr/rounds/<int:pk>/teams/<int:team>/", views.round_team, name="team"),
    path("hr/rounds/<int:pk>/completion.csv", views.round_csv, name="csv"),
]
