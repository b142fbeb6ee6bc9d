"""Small display helpers shared by templates and the API."""

from decimal import Decimal


def share(part, total) -> float:
    """part/total as a fraction 0..1; 0 when the total is 0."""
    total = Decimal(total or 0)
    if total == 0:
        return 0.0
    return float(Decimal(part or 0) / total)
