"""Background tasks of the core."""

from django.tasks import task

from isf.core.bulk_load import validate_foreign_keys_now


@task()
def validate_foreign_keys(constraints: list[list[str]]) -> int:
    """Mark foreign keys left ``NOT VALID`` (by bulk loads of earlier versions, which dropped them) as validated."""
    return validate_foreign_keys_now(constraints)
