"""The REST API root (/api/v1/). Each app contributes an `api.py` with a `router`."""

from importlib import import_module

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import DataError, IntegrityError
from django.http import Http404
from django.utils.module_loading import module_has_submodule
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from isf.api import endpoints
from isf.api.auth import SessionUserAuth, TokenAuth
from isf.customers.api import router as accounts_router

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
    field = errors[0]["field"] if errors else None
    return api.create_response(request, {"message": message, "field": field, "errors": errors}, status=422)


def out_of_range(request, exc):
    # e.g. ?page=10**25: the database cannot take the offset (SQLite raises OverflowError or "datatype
    # mismatch"); found by the schemathesis run. On a read this is always bad input, never a server fault.
    if request.method != "GET":
        raise exc
    return api.create_response(request, {"message": "a number in the request is out of range", "field": None},
                               status=422)


api.add_exception_handler(OverflowError, out_of_range)
api.add_exception_handler(IntegrityError, out_of_range)
api.add_exception_handler(DataError, out_of_range)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"message": str(exc) or "not found"}, status=404)


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    return api.create_response(request, {"message": str(exc) or "permission denied"}, status=403)


@api.exception_handler(AuthenticationError)
def unauthorized(request, exc):
    return api.create_response(request, {"message": "authentication required"}, status=401)


# The API's own endpoints (tokens, master-data writes, contacts, quotes, tasks, order bulk) - isf/api/endpoints.py.
api.add_router("/", endpoints.router)
# POST /accounts and PATCH /accounts/{id} join the customers router that serves GET on the same paths.
endpoints.attach_account_writes(accounts_router)

# Plug-in registry (docs/contributing.md): each ISF app with an `api.py` adds its `router`, in INSTALLED_APPS order.
for config in apps.get_app_configs():
    if config.name.startswith("isf.") and config.name != "isf.api" and module_has_submodule(config.module, "api"):
        api.add_router("/", import_module(f"{config.name}.api").router)
