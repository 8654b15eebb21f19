"""The signed-in person's row, read on every request, with its SQL built once per process."""

from __future__ import annotations


class PersonByIdMixin:
    """`get(pk=<int>)` alone, which loads the signed-in person on every request
    (`ModelBackend.get_user`), runs SQL built once per process (`scopegrowth.precompiled`):
    building that query cost more than running it. Any other lookup is Django's own."""

    def get(self, *args, **kwargs):
        pk = kwargs.get("pk")
        if args or len(kwargs) != 1 or type(pk) is not int or self._db is not None:
            return super().get(*args, **kwargs)
        from scopegrowth import precompiled

        key = ("person_by_id", self.model._meta.label, type(self).__qualname__)
        found = precompiled.first(key, self._by_id, pk)
        if found is None:
            name = self.model._meta.object_name
            raise self.model.DoesNotExist(f"{name} matching query does not exist.")
        return found

    def _by_id(self, pk: int):
        return self.get_queryset().filter(pk=pk)[:1]
