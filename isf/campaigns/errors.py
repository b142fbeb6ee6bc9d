"""The domain error of this app: a refused write, naming the field or rule."""


class CampaignsError(Exception):
    """A write that a business rule refuses; nothing was saved. ``field`` names the input at fault."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return str(self.message)
