"""The REST API root (/api/v1/). Each app contributes an `api.py` with a `router`."""

from importlib import import_module

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import DataError, IntegrityError
from django.http import Http404
from django.utils.module_loading import module_has_submodule
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from isf.api import endpoints
from isf.api.auth import SessionUserAuth, TokenAuth
from isf.customers.api import router as accounts_router


class IsfNinjaAPI(NinjaAPI):
    """The API root; its OpenAPI spec also documents the 400 every operation with a body can return."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return document_bad_request(schema)


ERROR_SCHEMA = {
    "title": "Error",
    "type": "object",
    "properties": {
        "message": {"title": "Message", "type": "string"},
        "field": {"title": "Field", "anyOf": [{"type": "string"}, {"type": "null"}]},
    },
    "required": ["message"],
}


def document_bad_request(schema):
    """Add ``400 {message, field}`` (a body that is not JSON) to every operation that takes a request body."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault("RequestError", ERROR_SCHEMA)
    for methods in schema.get("paths", {}).values():
        for operation in methods.values():
            if not isinstance(operation, dict) or "requestBody" not in operation:
                continue
            operation.setdefault("responses", {}).setdefault("400", {
                "description": "Bad Request: the body cannot be parsed",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/RequestError"}}},
            })
    return schema


api = IsfNinjaAPI(
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
    nul = "NUL" in str(exc)  # PostgreSQL text cannot hold a NUL character: bad input on any method
    if request.method != "GET" and not nul:
        raise exc
    message = "a text in the request contains a NUL character" if nul else "a number in the request is out of range"
    return api.create_response(request, {"message": message, "field": None}, status=422)


api.add_exception_handler(OverflowError, out_of_range)
api.add_exception_handler(IntegrityError, out_of_range)
api.add_exception_handler(DataError, out_of_range)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"message": str(exc) or "not found"}, status=404)


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    return api.create_response(request, {"message": str(exc) or "permission denied"}, status=403)


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    # ninja raises HttpError(400, "Cannot parse request body") for a body that is not JSON: same shape as ours.
    field = getattr(exc, "field", None) or ("body" if exc.status_code == 400 and "parse request body" in str(exc) else None)
    return api.create_response(request, {"message": str(exc), "field": field}, status=exc.status_code)


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
