"""Integer lookups that never hand the database driver a number its column cannot hold.

Since Django 5.0, `exact`, `gt`, `lt`... on an integer column treat a value out of the column's range as matching
nothing (or everything), but `in` passes it on: SQLite's driver then raises OverflowError on 2**63, so a form
field or service looking ids up with `pk__in` answered 500 to a crafted id. Here `in` drops such values, as
`exact` does, so they simply match no row and the caller reports them as unknown ids.
"""

from django.db.models import IntegerField
from django.db.models.lookups import In


@IntegerField.register_lookup
class IntegerFieldIn(In):
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(self.lhs.output_field.get_internal_type())
            self.rhs = [value for value in self.rhs if not _outside(value, low, high)]
        return super().process_rhs(compiler, connection)


def _outside(value, low: int | None, high: int | None) -> bool:
    if not isinstance(value, int):
        return False
    return (low is not None and value < low) or (high is not None and value > high)
