"""Admin: accounts, organisation structure and links. No journal content is registered here.

Every deletion confirmation in the admin (one object, the "delete selected" action, and what
cascades from a team or organisation) lists counts by kind only, never the objects themselves:
their names would be objective texts and the journal questions someone answered. The project's
app config puts `CountsOnlyDeletion` on every registered ModelAdmin, ours and third parties'.
"""

from collections import Counter

from django.contrib import admin
from django.contrib.admin.utils import NestedObjects
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.db import router

from scopegrowth.models import (
    AuditEvent,
    CoachLink,
    Directorate,
    ImpactLevel,
    ManagerLink,
    Organisation,
    Team,
    User,
)


class CountsOnlyDeletion:
    """Deletion confirmations say how many of each kind go (or block the deletion), and what."""

    def get_deleted_objects(self, objs, request):
        _, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        summary = [f"{kind.capitalize()}: {n}" for kind, n in model_count.items()]
        if protected:
            collector = NestedObjects(using=router.db_for_write(self.model))
            collector.collect(objs)
            kinds = Counter(str(obj._meta.verbose_name_plural) for obj in collector.protected)
            protected = [f"{kind.capitalize()}: {n}" for kind, n in sorted(kinds.items())]
        return summary, model_count, perms_needed, protected


def counts_only_deletion_everywhere(site: admin.AdminSite) -> None:
    """Re-register every ModelAdmin on `site` with CountsOnlyDeletion mixed in (run once all
    admin modules are imported: `ScopeGrowthConfig.ready`)."""
    for model, model_admin in list(site._registry.items()):
        if isinstance(model_admin, CountsOnlyDeletion):
            continue
        cls = type(model_admin)
        site.unregister(model)
        site.register(model, type(f"CountsOnly{cls.__name__}", (CountsOnlyDeletion, cls), {}))


class ManagerLinkInline(admin.TabularInline):
    model = ManagerLink
    fk_name = "report"
    extra = 0
    autocomplete_fields = ["manager"]
    verbose_name = "line manager"
    verbose_name_plural = "line managers (leave one link open: the current manager)"


class CoachLinkInline(admin.TabularInline):
    model = CoachLink
    fk_name = "coachee"
    extra = 0
    autocomplete_fields = ["coach"]
    verbose_name = "assigned coach"
    verbose_name_plural = "assigned coaches"


class ScopeGrowthUserCreationForm(UserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name")


class ScopeGrowthUserChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = ("email", "full_name")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = ScopeGrowthUserChangeForm
    add_form = ScopeGrowthUserCreationForm
    ordering = ["full_name"]
    list_display = ["full_name", "email", "job_title", "team", "is_hr", "is_staff", "is_active"]
    list_filter = ["is_hr", "is_staff", "is_active", "organisation", "team__directorate"]
    search_fields = ["full_name", "email", "job_title"]
    list_select_related = ["team"]
    autocomplete_fields = ["team"]
    inlines = [ManagerLinkInline, CoachLinkInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Person", {"fields": ("full_name", "job_title", "organisation", "team", "left_on")}),
        ("Roles", {"fields": ("is_active", "is_hr", "is_staff", "is_superuser")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "full_name", "password1", "password2"),
            },
        ),
    )
    readonly_fields = ["last_login", "date_joined"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Directorate)
class DirectorateAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation"]
    list_filter = ["organisation"]
    search_fields = ["name"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "directorate"]
    list_filter = ["directorate__organisation", "directorate"]
    search_fields = ["name", "directorate__name"]
    list_select_related = ["directorate"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "action", "object_type", "object_id", "detail", "subject"]
    list_filter = ["action", "object_type"]
    list_select_related = ["actor", "subject"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ImpactLevel)
class ImpactLevelAdmin(admin.ModelAdmin):
    list_display = ["name", "order", "organisation"]
    list_filter = ["organisation"]
