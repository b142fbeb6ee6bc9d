"""Index changes of big tables that never lock readers out: concurrent on PostgreSQL, plain elsewhere.

Django's ``AddIndexConcurrently`` / ``RemoveIndexConcurrently`` (``CREATE`` / ``DROP INDEX CONCURRENTLY``) exist for
PostgreSQL only; these run them there and the ordinary ``AddIndex`` / ``RemoveIndex`` on SQLite, whose migrations
run while nobody else writes. A migration using them sets ``atomic = False`` (PostgreSQL refuses concurrent index
builds inside a transaction). Without them an index change of the order lines in one transaction holds an ACCESS
EXCLUSIVE lock from its first ``DROP INDEX`` until the commit: readers of the table wait for the whole build
(docs/operations-data.md, measured lock times).
"""

from django.contrib.postgres.operations import AddIndexConcurrently, RemoveIndexConcurrently
from django.db.migrations import AddIndex, RemoveIndex


class AddIndexWithoutLocking(AddIndexConcurrently):
    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            return super().database_forwards(app_label, schema_editor, from_state, to_state)
        return AddIndex.database_forwards(self, app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            return super().database_backwards(app_label, schema_editor, from_state, to_state)
        return AddIndex.database_backwards(self, app_label, schema_editor, from_state, to_state)


class RemoveIndexWithoutLocking(RemoveIndexConcurrently):
    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            return super().database_forwards(app_label, schema_editor, from_state, to_state)
        return RemoveIndex.database_forwards(self, app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            return super().database_backwards(app_label, schema_editor, from_state, to_state)
        return RemoveIndex.database_backwards(self, app_label, schema_editor, from_state, to_state)
