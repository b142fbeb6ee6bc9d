"""The REST API root (/api/v1/). Each app contributes an `api.py` with a `router`."""

from importlib import import_module
from importlib.util import find_spec

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from isf.api.auth import SessionUserAuth, TokenAuth

api = NinjaAPI(
    title="ISF API",
    version="1",
    description="ISF - internal service firm. Authenticate with `Authorization: Bearer <token>` (`isf token create USER`).",
    auth=[TokenAuth(), SessionUserAuth()],
    urls_namespace="api",
)


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    errors = []
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", []) if p not in ("body", "query", "path", "payload")]
        errors.append({"field": ".".join(loc), "message": err.get("msg", "invalid")})
    message = "; ".join(f"{e['field']}: {e['message']}" if e["field"] else e["message"] for e in errors)
    return api.create_response(request, {"message": message, "errors": errors}, status=422)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"message": str(exc) or "not found"}, status=404)


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    return api.create_response(request, {"message": str(exc) or "permission denied"}, status=403)


@api.exception_handler(AuthenticationError)
def unauthorized(request, exc):
    return api.create_response(request, {"message": "authentication required"}, status=401)


for app in settings.INSTALLED_APPS:
    if not app.startswith("isf.") or app == "isf.api":
        continue
    if find_spec(f"{app}.api") is None:
        continue
    module = import_module(f"{app}.api")
    router = getattr(module, "router", None)
    if router is not None:
        api.add_router("/", router)
