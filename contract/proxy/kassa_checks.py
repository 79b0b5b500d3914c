"""Kassa's own Schemathesis check, loaded through `SCHEMATHESIS_HOOKS=kassa_checks` by fuzz.py.

`kassa_error_shape`: every 4xx and 5xx answer under `/api/` is Kassa's one error shape
(docs/proxy-api.md): a JSON object of `code` and `message` strings and an optional `field`
string, nothing else; and an answer that blames the input by name says which field: `validation`
always names its `field`.
"""

import schemathesis

KEYS = {"code", "message", "field"}


@schemathesis.check
def kassa_error_shape(ctx, response, case):
    """4xx and 5xx under /api/ are {code, message, field?}; `validation` names its field."""
    if not case.path.startswith("/api/") or response.status_code < 400:
        return None
    try:
        body = response.json()
    except Exception as exc:  # noqa: BLE001 (any decoding failure is the finding)
        raise AssertionError(
            f"{response.status_code} is not JSON ({response.headers.get('content-type')}): "
            f"{response.text[:200]!r} ({exc})"
        ) from None
    if not isinstance(body, dict):
        raise AssertionError(f"{response.status_code}: not a JSON object: {body!r}"[:300])
    extra = set(body) - KEYS
    if extra:
        raise AssertionError(f"{response.status_code}: keys beyond the error shape: {sorted(extra)}")
    for key in ("code", "message"):
        if not isinstance(body.get(key), str) or not body[key]:
            raise AssertionError(f"{response.status_code}: `{key}` is not a non-empty string: {body!r}"[:300])
    if "field" in body and not isinstance(body["field"], str):
        raise AssertionError(f"{response.status_code}: `field` is not a string: {body!r}"[:300])
    if body["code"] == "validation" and not body.get("field"):
        raise AssertionError(f"422 `validation` without its `field`: {body['message']!r}")
    return None
