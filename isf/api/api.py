"""The REST API root (/api/v1/). Each app contributes an `api.py` with a `router`."""

import json
import re

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.db import DataError, IntegrityError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser

from isf.api import endpoints
from isf.api.auth import SessionUserAuth, TokenAuth
from isf.calls import api as calls_api
from isf.campaigns import api as campaigns_api
from isf.core.params import ParamError
from isf.core.text import json_pattern
from isf.customers.api import router as accounts_router
from isf.segmentation import api as segmentation_api
from isf.service import api as service_api
from isf.targets import api as targets_api


class BodyError(ValueError):
    """A request body that is not one JSON object in valid UTF-8 (answered 400 with ``field: "body"``)."""


# A JSON escape of a UTF-16 surrogate (\\ud800-\\udfff); only then can the parsed body hold an unpaired one.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


class ObjectBodyParser(Parser):
    """Every request body of the API is one JSON object: no array, no ``null``, no unpaired surrogate.

    ninja's own parser hands a list or ``null`` to the schema, which reads it as ``{}`` (a PATCH with
    ``[null, null]`` changed nothing and answered 200), and ``"\\ud800"`` reached the database (500).
    """

    def parse_body(self, request):
        try:
            data = json.loads(request.body)
        except ValueError as exc:  # also UnicodeDecodeError: the bytes are not UTF-8
            raise BodyError(f"body: not valid JSON ({exc})") from exc
        if not isinstance(data, dict):
            raise BodyError(f"body: expected a JSON object, got {_json_type(data)}")
        if _SURROGATE_ESCAPE.search(request.body):
            try:
                json.dumps(data, ensure_ascii=False).encode("utf-8")
            except UnicodeEncodeError as exc:
                bad = exc.object[exc.start:exc.end]
                raise BodyError(f"body: invalid Unicode escape \\u{ord(bad[0]):04x} (an unpaired surrogate)") from exc
        return data


def _json_type(value) -> str:
    return {list: "an array", str: "a string", bool: "a boolean", type(None): "null"}.get(type(value), "a number")


ERROR_SCHEMA = {
    "title": "Error",
    "type": "object",
    "properties": {
        "message": {"title": "Message", "type": "string"},
        "field": {"title": "Field", "anyOf": [{"type": "string"}, {"type": "null"}]},
    },
    "required": ["message"],
}

#: The error answers every operation can give, by what the operation takes (documented by ``document_errors``).
ERROR_RESPONSES = {
    "400": ("body_or_query", "Bad Request: the body is not one JSON object in UTF-8, or a query parameter is invalid"),
    "401": ("always", "Unauthorized: no valid token or session"),
    "403": ("always", "Forbidden: the role may not use this operation"),
    "404": ("path", "Not Found: no such object, or not visible to the caller"),
    "413": ("body", "Payload Too Large: the body exceeds the limit (see the API description)"),
    "422": ("input", "Unprocessable Content: a parameter or body field breaks the schema; `field` names it"),
}


def document_errors(schema):
    """Add the 4xx answers (``{message, field}``) to every operation of the spec, by what it takes.

    A mechanism, not a list: an operation added later gets its 401/403, its 404 if it has a path parameter, its
    400 if it takes a body or a query, its 413 if it takes a body and its 422 if it takes any input. A status the operation documents itself with
    another schema (e.g. the bulk result for 400) accepts either body.
    """
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault("RequestError", ERROR_SCHEMA)
    ref = {"$ref": "#/components/schemas/RequestError"}
    for methods in schema.get("paths", {}).values():
        for operation in methods.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            params = operation.get("parameters", [])
            for param in params:  # no query text may hold a control character (isf.core.params.QueryTextMiddleware)
                schema_of = param.get("schema", {})
                if param.get("in") == "query" and schema_of.get("type") == "string" and "enum" not in schema_of:
                    schema_of.setdefault("pattern", json_pattern(multiline=False))
            takes = {"always": True, "body": "requestBody" in operation,
                     "body_or_query": "requestBody" in operation or any(p.get("in") == "query" for p in params),
                     "path": any(p.get("in") == "path" for p in params),
                     "input": bool(params) or "requestBody" in operation}
            # ninja keys the statuses it generated by int; JSON and this mapping by str
            responses = operation["responses"] = {str(k): v for k, v in operation["responses"].items()}
            for status, (when, description) in ERROR_RESPONSES.items():
                if not takes[when]:
                    continue
                documented = responses.get(status)
                if documented is None:
                    responses[status] = {"description": description,
                                         "content": {"application/json": {"schema": ref}}}
                    continue
                content = documented.get("content", {}).get("application/json", {})
                own = content.get("schema")
                if own is not None and own != ref and "anyOf" not in own:
                    # new dicts: ninja shares one response object between statuses with the same schema
                    responses[status] = {**documented, "content": {
                        **documented["content"], "application/json": {**content, "schema": {"anyOf": [own, ref]}}}}
    return schema


class IsfNinjaAPI(NinjaAPI):
    """The API root; its OpenAPI spec documents the errors every operation can return (``document_errors``)."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return document_errors(schema)


def _description() -> str:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return (
        "ISF - internal service firm. Authenticate with `Authorization: Bearer <token>` (`isf token create USER`).\n\n"
        "**Errors** are JSON `{\"message\": ..., \"field\": ...}`; `field` names the offending parameter or body "
        "field.\n\n"
        f"**Request bodies** are one JSON object in UTF-8 of at most {limit:,} bytes "
        f"({limit / 1024 / 1024:g} MiB, setting `DATA_UPLOAD_MAX_MEMORY_SIZE`); larger bodies answer 413. "
        "An array, `null` or an unpaired surrogate escape (`\\ud800`) answers 400.\n\n"
        "**Texts** have a maximum length per field (`maxLength` in each schema) and may not contain control "
        "characters (U+0000-U+001F, U+007F-U+009F); multi-line texts (notes, messages, descriptions) may contain "
        "tab and line breaks. **Dates** lie between 1900-01-01 and 2099-12-31. A field with a fixed set of values "
        "is an `enum`; an unknown value in a body answers 422, in a query parameter (a list filter) 400, naming the field. "
        "See docs/api.md."
    )


api = IsfNinjaAPI(
    title="ISF API",
    version="1",
    description=_description(),
    auth=[TokenAuth(), SessionUserAuth()],
    urls_namespace="api",
    parser=ObjectBodyParser(),
)


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    if exc.errors and all(err.get("loc", ["body"])[0] == "query" for err in exc.errors):
        # a query parameter of the wrong type: 400 like every other invalid query value (isf/core/params.py)
        err = exc.errors[0]
        field = ".".join(str(p) for p in err.get("loc", [])[1:])
        return api.create_response(request, {"message": f"{field}: {err.get('msg', 'invalid')}", "field": field},
                                   status=400)
    errors = []
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", []) if p not in ("body", "query", "path", "payload")]
        msg = err.get("msg", "invalid")
        # our own rules (isf.api.types) raise ValueError: pydantic prefixes their text with "Value error, "
        msg = msg.removeprefix("Value error, ")
        errors.append({"field": ".".join(loc), "message": msg})
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


@api.exception_handler(ParamError)
def invalid_parameter(request, exc: ParamError):
    return api.create_response(request, {"message": exc.message, "field": exc.field}, status=400)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"message": str(exc) or "not found"}, status=404)


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    return api.create_response(request, {"message": str(exc) or "permission denied"}, status=403)


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    # ninja wraps any failure of the body parser in HttpError(400, "Cannot parse request body"); ours says why.
    if isinstance(exc.__cause__, BodyError):
        return api.create_response(request, {"message": str(exc.__cause__), "field": "body"}, status=400)
    field = getattr(exc, "field", None) or ("body" if exc.status_code == 400 and "parse request body" in str(exc) else None)
    return api.create_response(request, {"message": str(exc), "field": field}, status=exc.status_code)


@api.exception_handler(RequestDataTooBig)
def too_big(request, exc):
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return api.create_response(
        request, {"message": f"body: larger than the limit of {limit:,} bytes", "field": "body"}, status=413)


@api.exception_handler(AuthenticationError)
def unauthorized(request, exc):
    return api.create_response(request, {"message": "authentication required"}, status=401)


# The API's own endpoints (tokens, master-data writes, contacts, quotes, tasks, order bulk) - isf/api/endpoints.py.
api.add_router("/", endpoints.router)
# POST /accounts and PATCH /accounts/{id} join the customers router that serves GET on the same paths.
endpoints.attach_account_writes(accounts_router)

# The apps' routers, listed (no discovery), in INSTALLED_APPS order: a new app with an `api.py` adds it here.
for router in (accounts_router, segmentation_api.router, calls_api.router, service_api.router, campaigns_api.router,
               targets_api.router):
    api.add_router("/", router)
