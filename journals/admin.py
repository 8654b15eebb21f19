"""Admin: the question bank only.

Journals, sections of journals, answers and pending drafts are never registered here: the admin
role manages accounts and the question bank, and reads nobody's journal.
"""

from django.contrib import admin
from django.db.models import Count
from django.utils.html import format_html_join

from journals.models import Question, Section


class QuestionInline(admin.StackedInline):
    model = Question
    extra = 0
    fields = ["order", "text", "facilitator_text", "hint", "kind", "is_active", "answer_wordings"]
    readonly_fields = ["answer_wordings"]
    ordering = ["order", "pk"]

    @admin.display(description="Answers kept under each wording")
    def answer_wordings(self, obj: Question) -> str:
        """How many answers carry each wording of this question (an answer keeps the wording
        it was given under, and every screen shows it under that wording). Counts only: the
        admin reads nobody's answers."""
        if obj is None or obj.pk is None:
            return "None yet"
        rows = list(
            obj.answers.order_by()
            .values_list("question_text")
            .annotate(n=Count("pk"))
            .order_by("-n", "question_text")
        )
        if not rows:
            return "None yet"
        return format_html_join(
            "\n",
            "<p>{}: {} answer{}</p>",
            (
                (
                    f"\u201c{text}\u201d" + (" (today\u2019s wording)" if text == obj.text else ""),
                    n,
                    "" if n == 1 else "s",
                )
                for text, n in rows
            ),
        )


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
