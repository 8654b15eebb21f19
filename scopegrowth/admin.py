"""Admin: accounts, organisation structure and links. No journal content is registered here.

Every deletion confirmation in the admin (one object, the "delete selected" action, and what
cascades from a team or organisation) lists counts by kind only, never the objects themselves:
their names would be objective texts and the journal questions someone answered. The project's
app config puts `CountsOnlyDeletion` on every registered ModelAdmin, ours and third parties'.
"""

from collections import Counter

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import NestedObjects
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import router
from django.forms.models import BaseInlineFormSet
from django.utils import timezone

from scopegrowth import audit, relationships
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


class _NoSelfGrantFormSet(BaseInlineFormSet):
    """Refuses a link that would make the signed-in admin someone's manager or coach."""

    holder_field = ""
    what = ""
    actor = None

    def clean(self):
        super().clean()
        for form in self.forms:
            if not form.has_changed() or form.cleaned_data.get("DELETE"):
                continue
            ended = form.cleaned_data.get("ended_at")
            if ended is not None and ended <= timezone.now():
                continue  # ending a link (one's own too) gives nobody anything
            holder = form.cleaned_data.get(self.holder_field)
            message = relationships.self_grant_refusal(self.actor, self.instance, holder)
            if message:
                form.add_error(self.holder_field, message)


class _LinkInline(admin.TabularInline):
    extra = 0
    formset = _NoSelfGrantFormSet
    holder_field = ""
    what = ""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        return type(
            formset.__name__,
            (formset,),
            {"actor": request.user, "holder_field": self.holder_field, "what": self.what},
        )


class ManagerLinkInline(_LinkInline):
    model = ManagerLink
    fk_name = "report"
    holder_field = "manager"
    what = "line manager"
    autocomplete_fields = ["manager"]
    verbose_name = "line manager"
    verbose_name_plural = "line managers (leave one link open: the current manager)"


class CoachLinkInline(_LinkInline):
    model = CoachLink
    fk_name = "coachee"
    holder_field = "coach"
    what = "coach"
    autocomplete_fields = ["coach"]
    verbose_name = "assigned coach"
    verbose_name_plural = "assigned coaches"


class ScopeGrowthUserCreationForm(forms.ModelForm):
    """No password: the new person is emailed a link to choose their own."""

    class Meta:
        model = User
        fields = ("email", "full_name")


class ScopeGrowthUserChangeForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ("email", "full_name")


ROLE_FIELDS = tuple(relationships.ROLE_FIELDS)


def send_password_link(request, user: User) -> None:
    """allauth's password reset email, as if the person had asked for it (the admin never
    sets or sees a password)."""
    from allauth.account.forms import ResetPasswordForm

    form = ResetPasswordForm(data={"email": user.email})
    if form.is_valid() and user.is_active:
        form.save(request)
        audit.record(request.user, "password_link_sent", user, subject=user)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Accounts without becoming anyone: no password is ever set or changed here (a reset link
    is emailed instead), nobody changes their own roles or makes themselves someone's line
    manager or coach, and every role or link change goes through `scopegrowth.relationships`
    (audited, the people affected told, the relationship hook run)."""

    form = ScopeGrowthUserChangeForm
    add_form = ScopeGrowthUserCreationForm
    add_form_template = None  # Django's asks for a password first
    ordering = ["full_name"]
    list_display = ["full_name", "email", "job_title", "team", "is_hr", "is_staff", "is_active"]
    list_filter = ["is_hr", "is_staff", "is_active", "organisation", "team__directorate"]
    search_fields = ["full_name", "email", "job_title"]
    list_select_related = ["team"]
    autocomplete_fields = ["team"]
    inlines = [ManagerLinkInline, CoachLinkInline]
    actions = ["send_password_links"]
    fieldsets = (
        (None, {"fields": ("email",)}),
        ("Person", {"fields": ("full_name", "job_title", "organisation", "team", "left_on")}),
        ("Roles", {"fields": ("is_active", *ROLE_FIELDS)}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "full_name")}),)
    readonly_fields = ["last_login", "date_joined"]

    def get_urls(self):
        # No "change password" page: Django's would let the admin set anyone's password.
        return [u for u in super().get_urls() if u.name != "auth_user_password_change"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.pk == request.user.pk:
            fields += ["is_active", *ROLE_FIELDS]  # never one's own roles
        elif not request.user.is_superuser:
            fields += list(ROLE_FIELDS)  # roles are a superuser's to give
        return fields

    def save_model(self, request, obj, form, change):
        if not change:
            obj.set_unusable_password()
            super().save_model(request, obj, form, change)
            return
        wanted = {f: getattr(obj, f) for f in ROLE_FIELDS if f in form.changed_data}
        if wanted:
            saved = User.objects.get(pk=obj.pk)
            for field in wanted:
                setattr(obj, field, getattr(saved, field))
        super().save_model(request, obj, form, change)
        for field, value in wanted.items():
            relationships.role_set(
                actor=request.user, person=obj, role=relationships.ROLE_FIELDS[field], value=value
            )

    def response_add(self, request, obj, post_url_continue=None):
        send_password_link(request, obj)
        self.message_user(request, f"{obj.email} was emailed a link to choose a password.")
        return super().response_add(request, obj, post_url_continue)

    def save_formset(self, request, form, formset, change):
        if formset.model not in (ManagerLink, CoachLink):
            return super().save_formset(request, form, formset, change)
        instances = formset.save(commit=False)
        for link in formset.deleted_objects:
            relationships.link_delete(actor=request.user, link=link)
        for link in sorted(instances, key=lambda i: i.pk is None):  # ends before starts
            if link.pk is not None:
                relationships.link_save(actor=request.user, link=link)
            elif isinstance(link, ManagerLink):
                relationships.manager_link_start(
                    actor=request.user,
                    manager=link.manager,
                    report=link.report,
                    started_at=link.started_at,
                    ended_at=link.ended_at,
                )
            else:
                relationships.coach_link_start(
                    actor=request.user,
                    coach=link.coach,
                    coachee=link.coachee,
                    started_at=link.started_at,
                    ended_at=link.ended_at,
                )
        formset.save_m2m()

    @admin.action(description="Email a link to choose a new password")
    def send_password_links(self, request, queryset):
        sent = 0
        for user in queryset.filter(is_active=True):
            send_password_link(request, user)
            sent += 1
        self.message_user(request, f"{sent} password link{'s' if sent != 1 else ''} emailed.")


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
