"""Domain errors of the service firm: each names the field or the rule that refused the action."""


class ServiceOrderError(Exception):
    """A service-order action the input or the current state does not allow."""

    def __init__(self, message: str, *, field: str = "", rule: str = ""):
        super().__init__(message)
        self.message = message
        self.field = field
        self.rule = rule


class DecisionRightsError(ServiceOrderError):
    """A decision above the delegated rights without the owner's approval."""


class ContractError(ServiceOrderError):
    """A contract or catalog change that is not allowed."""
