"""Admin: accounts, organisation structure and links. No journal content is registered here.

Admins manage accounts without becoming anyone (issue 14 item 4): no password field (they email
a reset link), and every link or HR/admin tick goes through `scopegrowth.relationships`, which
audits it, tells the people affected and refuses a grant to oneself."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.forms.models import BaseInlineFormSet

from scopegrowth import relationships
from scopegrowth.exceptions import RuleError
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


class LinkForm(forms.ModelForm):
    """A link row: a new row starts a link; an open row can only be ended (history is kept)."""

    end_now = forms.BooleanField(required=False, label="End now")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for name in ("manager", "coach"):
                if name in self.fields:
                    self.fields[name].disabled = True
            if self.instance.ended_at is not None:
                self.fields["end_now"].disabled = True


class ManagerLinkForm(LinkForm):
    class Meta:
        model = ManagerLink
        fields = ["manager"]


class CoachLinkForm(LinkForm):
    class Meta:
        model = CoachLink
        fields = ["coach"]


class LinkFormSet(BaseInlineFormSet):
    """Refuses, before anything is saved, a link that would make the admin someone's manager
    or coach, or one on their own account (the service refuses it again)."""

    actor = None
    supporter_field = ""

    def clean(self):
        super().clean()
        new = [
            f
            for f in self.forms
            if f.instance.pk is None
            and f.has_changed()
            and f.cleaned_data.get(self.supporter_field)
        ]
        ending = [f for f in self.forms if f.instance.pk and f.cleaned_data.get("end_now")]
        if self.supporter_field == "manager" and len(new) > 1:
            raise forms.ValidationError("A person has one line manager: add one row.")
        for f in new + ending:
            supporter = f.cleaned_data.get(self.supporter_field) or getattr(
                f.instance, self.supporter_field
            )
            reason = relationships.self_grant_refusal(self.actor, self.instance, supporter)
            if reason:
                raise forms.ValidationError(reason)


class LinkInline(admin.TabularInline):
    formset = LinkFormSet
    extra = 0
    can_delete = False
    readonly_fields = ["started_at", "ended_at"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.actor = request.user
        formset.supporter_field = self.supporter_field
        return formset


class ManagerLinkInline(LinkInline):
    model = ManagerLink
    form = ManagerLinkForm
    fk_name = "report"
    supporter_field = "manager"
    fields = ["manager", "started_at", "ended_at", "end_now"]
    autocomplete_fields = ["manager"]
    verbose_name = "line manager"
    verbose_name_plural = "line managers (a new row replaces the current one from today)"


class CoachLinkInline(LinkInline):
    model = CoachLink
    form = CoachLinkForm
    fk_name = "coachee"
    supporter_field = "coach"
    fields = ["coach", "started_at", "ended_at", "end_now"]
    autocomplete_fields = ["coach"]
    verbose_name = "assigned coach"
    verbose_name_plural = "assigned coaches"


ROLE_FIELDS = {"is_hr": "hr", "is_staff": "admin"}


class PersonForm(forms.ModelForm):
    """No password here: an admin sends a reset link (the action) and never sets one. HR and
    admin ticks go through `relationships.role_set`, which refuses them on one's own account."""

    actor = None

    class Meta:
        model = User
        fields = [
            "email",
            "full_name",
            "employee_number",
            "job_title",
            "staff_group",
            "organisation",
            "team",
            "started_on",
            "left_on",
            "is_active",
            "is_hr",
            "is_staff",
        ]

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and set(ROLE_FIELDS) & set(self.changed_data):
            reason = relationships.self_grant_refusal(self.actor, self.instance)
            if reason:
                raise forms.ValidationError(reason)
        return cleaned


class PersonAddForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["email", "full_name"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = PersonForm
    add_form = PersonAddForm
    ordering = ["full_name"]
    list_display = ["full_name", "email", "job_title", "team", "is_hr", "is_staff", "is_active"]
    list_filter = ["is_hr", "is_staff", "is_active", "organisation", "team__directorate"]
    search_fields = ["full_name", "email", "job_title", "employee_number"]
    list_select_related = ["team"]
    autocomplete_fields = ["team"]
    inlines = [ManagerLinkInline, CoachLinkInline]
    actions = ["send_password_reset"]
    fieldsets = (
        (None, {"fields": ("email", "employee_number")}),
        (
            "Person",
            {
                "fields": (
                    "full_name",
                    "job_title",
                    "staff_group",
                    "organisation",
                    "team",
                    "started_on",
                    "left_on",
                )
            },
        ),
        ("Roles", {"fields": ("is_active", "is_hr", "is_staff")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "full_name")}),)
    readonly_fields = ["last_login", "date_joined"]

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []  # links once the account exists

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.actor = request.user
        return form

    def user_change_password(self, request, id, form_url=""):
        raise PermissionDenied("Admins send a password reset link; they never set a password.")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.set_unusable_password()
            super().save_model(request, obj, form, change)
            relationships.people_invite(actor=request.user, people=[obj])
            return
        wanted = {field: getattr(obj, field) for field in ROLE_FIELDS if field in form.changed_data}
        for field in wanted:
            setattr(obj, field, form.initial[field])
        super().save_model(request, obj, form, change)
        for field, value in wanted.items():
            relationships.role_set(
                actor=request.user, person=obj, role=ROLE_FIELDS[field], value=value
            )

    def save_formset(self, request, form, formset, change):
        if formset.model not in (ManagerLink, CoachLink):
            return super().save_formset(request, form, formset, change)
        person = form.instance
        try:
            for f in formset.forms:
                if f.instance.pk is None and f.has_changed():
                    if formset.model is ManagerLink:
                        relationships.manager_set(
                            actor=request.user, person=person, manager=f.cleaned_data["manager"]
                        )
                    else:
                        relationships.coach_add(
                            actor=request.user, person=person, coach=f.cleaned_data["coach"]
                        )
            for f in formset.forms:
                if f.instance.pk and f.cleaned_data.get("end_now"):
                    if formset.model is CoachLink:
                        relationships.coach_end(actor=request.user, link=f.instance)
                    elif ManagerLink.objects.active().filter(pk=f.instance.pk).exists():
                        relationships.manager_set(actor=request.user, person=person, manager=None)
        except RuleError as exc:
            messages.error(request, str(exc))
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    @admin.action(description="Email a link to set a new password")
    def send_password_reset(self, request, queryset):
        sent = 0
        for person in queryset:
            try:
                relationships.password_reset_send(actor=request.user, person=person)
                sent += 1
            except RuleError as exc:
                messages.error(request, str(exc))
        messages.success(request, f"{sent} password reset link(s) will be emailed.")


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
