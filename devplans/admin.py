"""The admin site holds the catalogue of development initiatives only.

Plan content (positions, texts, objectives, notes, reviews) is deliberately not registered: the
admin role manages accounts and catalogues, it does not read people's plans.
"""

from django.contrib import admin

from devplans.models import Initiative


@admin.register(Initiative)
class InitiativeAdmin(admin.ModelAdmin):
    list_display = ("name", "description", "order", "is_active")
    list_editable = ("order", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name",)
    ordering = ("order", "name")
    fields = ("name", "description", "order", "is_active")

    def has_delete_permission(self, request, obj=None) -> bool:
        # Objectives refer to initiatives; retire one with "is active" instead of deleting it.
        return False
