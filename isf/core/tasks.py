"""Background tasks of the core."""

from django.tasks import task

from isf.core.bulk_load import validate_foreign_keys_now


@task()
def validate_foreign_keys(constraints: list[list[str]]) -> int:
    """Mark the foreign keys a bulk load added back ``NOT VALID`` as validated (see ``pg_foreign_keys_deferred``)."""
    return validate_foreign_keys_now(constraints)
