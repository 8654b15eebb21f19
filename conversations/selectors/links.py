"""Links for the rows of a list page, from one `reverse` per URL name and request: a template
`{% url %}` per cell was a fifth of a 50-row dashboard."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse


class RowLinks:
    """`url(name, pk)`: the path of `name` with that one integer argument; "" when there is no
    pk or the project does not route `name` (an app that is not installed)."""

    MARK = 2_147_483_647

    def __init__(self) -> None:
        self._patterns: dict[str, str] = {}

    def url(self, name: str, pk: int | None) -> str:
        if not pk:
            return ""
        if name not in self._patterns:
            try:
                self._patterns[name] = reverse(name, args=[self.MARK])
            except NoReverseMatch:
                self._patterns[name] = ""
        pattern = self._patterns[name]
        return pattern.replace(str(self.MARK), str(int(pk))) if pattern else ""

    def parts(self, name: str) -> tuple[str, str] | None:
        """The path of `name` split around its one integer argument (a row writes
        `prefix + pk + suffix`); None when the project does not route `name`."""
        pattern = self._patterns.get(name)
        if pattern is None:
            self.url(name, self.MARK)
            pattern = self._patterns[name]
        if not pattern:
            return None
        prefix, suffix = pattern.split(str(self.MARK), 1)
        return prefix, suffix
