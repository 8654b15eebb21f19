app_name = "devplans"
urlpatterns: list = []
