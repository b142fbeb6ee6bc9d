import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_asgi_application()

from isf.core.security import require_own_secret_key  # noqa: E402 - needs the settings loaded above

require_own_secret_key()
