"""Admin: the question bank only.

Journals, sections of journals, answers and pending drafts are never registered here: the admin
role manages accounts and the question bank, and reads nobody's journal.
"""

from django.contrib import admin

from journals.models import Question, Section


class QuestionInline(admin.StackedInline):
    model = Question
    extra = 0
    fields = ["order", "text", "facilitator_text", "hint", "kind", "is_active"]
    ordering = ["order", "pk"]


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "stage", "order", "is_sensitive"]
    list_editable = ["order"]
    ordering = ["order", "pk"]
    readonly_fields = ["slug"]
    fields = ["title", "slug", "stage", "order", "intro", "is_sensitive"]
    inlines = [QuestionInline]

    def has_delete_permission(self, request, obj=None) -> bool:
        # Section slugs are part of the public URL contract; journals keep their sections.
        return False

    def has_add_permission(self, request) -> bool:
        return False
