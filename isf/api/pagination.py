"""The API's page numbers: bounded in the schema, so no page reaches the database as an offset it cannot hold."""

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

from isf.core.params import INT_MAX


class Pages(PageNumberPagination):
    """ninja's page-number pagination with ``page`` at most 2**31 - 1 (a larger offset overflows PostgreSQL's
    bigint and aborts the transaction); out of range is refused like any invalid query parameter (400)."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=INT_MAX)
        page_size: int | None = Field(None, ge=1, le=INT_MAX)
