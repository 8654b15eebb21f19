"""Equality self-declaration (issue 10): a person's own, voluntary answers.

Only the person may save, change or withdraw them (`policies.can_declare_equality`); nothing here
shows them to anyone else. They are counted, never listed, in HR's insight
(`insight.selectors`), where counts under the threshold are hidden. Withdrawing deletes the
row, so the next report counts the person as "not declared".

Saving and withdrawing are not written to the audit trail: an audit row would record that a
person made a declaration, which is itself more than anyone else needs to know.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from insight import policies
from insight.models import EqualityDeclaration
from scopegrowth.exceptions import RuleError
from scopegrowth.models import User

FIELDS = ("ethnicity", "disability", "sex", "age_band")


def declaration_for(person: User) -> EqualityDeclaration | None:
    """The person's own answers (for their own page only)."""
    return EqualityDeclaration.objects.filter(person=person).first()


def equality_declaration_save(
    *,
    actor: User,
    person: User,
    ethnicity: str = "",
    disability: str = "",
    sex: str = "",
    age_band: str = "",
) -> EqualityDeclaration:
    """Save or change the person's answers (blank = not answered; at least one answer)."""
    if not policies.can_declare_equality(actor, person):
        raise PermissionDenied("only the person can change their equality answers")
    answers = {
        "ethnicity": ethnicity,
        "disability": disability,
        "sex": sex,
        "age_band": age_band,
    }
    if not any(answers.values()):
        raise RuleError(
            "Answer at least one question, or remove your answers: every question is optional."
        )
    with transaction.atomic():
        declaration = EqualityDeclaration.objects.select_for_update().filter(
            person=person
        ).first() or EqualityDeclaration(person=person)
        for name, value in answers.items():
            setattr(declaration, name, value)
        declaration.updated_at = timezone.now()
        declaration.full_clean()
        declaration.save()
    return declaration


def equality_declaration_withdraw(*, actor: User, person: User) -> bool:
    """Remove all the person's answers. True if there were any."""
    if not policies.can_declare_equality(actor, person):
        raise PermissionDenied("only the person can withdraw their equality answers")
    deleted, _ = EqualityDeclaration.objects.filter(person=person).delete()
    return deleted > 0
