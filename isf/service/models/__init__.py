"""Models of the internal service firm, split by what they hold."""

from isf.service.models.catalog import ClosingDay, ServiceCatalogEntry
from isf.service.models.contract import ContractLine, SegmentTarget, ServiceContract
from isf.service.models.orders import (
    Decision,
    Notification,
    ServiceOrder,
    ServiceOrderEvent,
    ServiceRating,
    SlaNotice,
)

__all__ = [
    "ClosingDay",
    "ContractLine",
    "Decision",
    "Notification",
    "SegmentTarget",
    "ServiceCatalogEntry",
    "ServiceContract",
    "ServiceOrder",
    "ServiceOrderEvent",
    "ServiceRating",
    "SlaNotice",
]
