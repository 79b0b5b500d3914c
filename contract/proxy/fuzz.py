"""Fuzzing: Kassa's proxy against its own OpenAPI document (`GET /api/openapi.json`), with
Schemathesis (the pin in contract/klarna/requirements.txt; the same venv).

Usage: python fuzz.py http://127.0.0.1:PORT EMAIL PASSWORD [more `schemathesis run` options]

EMAIL and PASSWORD are an operator's. The script logs in (`POST /api/session`), makes an order
(`POST /api/orders`, the embedded sandbox's Mollie), a saved view and a pay link (Klarna) so
that the `{id}` and `{reference}` paths name something real half of the time, then runs `schemathesis run BASE/api/openapi.json` twice:

1. as the operator: the session cookie and the `X-CSRF-Token` header on every request, every
   operation but `DELETE /api/session` (`logout`: it would end the session the rest of the run
   needs; `tests/security.rs` covers it);
2. as anyone: no cookie, no token, every operation (the guarded ones must answer 401 in the
   error shape, as documented).

Each run: Schemathesis' examples, coverage (the operator's run only: without a session the
guarded operations stop at the guard whatever is sent) and fuzzing phases (not the stateful
one: the document has no links to follow), positive and negative data, one worker, at most
`KASSA_FUZZ_EXAMPLES` (default 5) random cases per operation, deterministic generation (no
example database), and a hard time limit per run (`KASSA_FUZZ_SECONDS`, default 120; a run
that takes longer has hung and fails). The checks:

- `not_a_server_error`: no 5xx, whatever is sent;
- `status_code_conformance`: every status is one the operation documents;
- `content_type_conformance`: a documented answer has its documented media type;
- `response_schema_conformance`: a documented answer's body matches its schema (every error
  under `/api/` is `ApiError`);
- `kassa_error_shape` (kassa_checks.py): every 4xx and 5xx under `/api/` is exactly
  `{code, message, field?}`, and `validation` names its field.

The exit status is 0 only if both runs pass.
"""

import os
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import fuzzing  # noqa: E402 (contract/fuzzing.py: the runner the three fuzzers share)

MAX_EXAMPLES, RUN_TIMEOUT = fuzzing.limits(examples=5, seconds=120)
# The operator's run: the document's examples, coverage of boundary values and random cases.
# The anonymous run skips coverage: without a session the guarded operations stop at the guard
# whatever is sent, and the public ones have had theirs in the operator's run.
OPERATOR_PHASES = "examples,coverage,fuzzing"
ANONYMOUS_PHASES = "examples,fuzzing"
CHECKS = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "kassa_error_shape",
]
# Ends the operator's session mid-run: left out of the operator's run only.
LOGOUT = "logout"
REAL_ID_PROBABILITY = 0.5

ADDRESS = {
    "givenName": "Piet",
    "familyName": "Mondriaan",
    "email": "piet@mondriaan.com",
    "streetAndNumber": "Keizersgracht 126",
    "postalCode": "1234AB",
    "city": "Amsterdam",
    "country": "NL",
}
NEW_ORDER = {
    "currency": "EUR",
    "locale": "nl_NL",
    "billing_address": ADDRESS,
    "lines": [{"name": "Mug", "quantity": 1, "unit_price": 1500, "vat_rate": "21.00"}],
}


def login_and_seed(base_url, email, password):
    """The operator's cookie and CSRF token, and the ids of an order, a saved view and a pay link."""
    http = fuzzing.http()
    resp = http.post(f"{base_url}/api/session", json={"email": email, "password": password}, timeout=30)
    csrf = fuzzing.expect(resp, 200, "login").json()["csrf_token"]
    cookie = "; ".join(f"{c.name}={c.value}" for c in http.cookies)
    headers = {"X-CSRF-Token": csrf}

    def create(path, body):
        resp = http.post(f"{base_url}{path}", json=body, headers=headers, timeout=30)
        return fuzzing.expect(resp, 201, f"seeding: POST {path}").json()

    order = create("/api/orders", NEW_ORDER)["order"]["id"]
    view = create("/api/views", {"name": "Fuzzed", "filter": {}})["id"]
    link = create("/api/pay-links", {"order": NEW_ORDER})["reference"]
    return cookie, csrf, {"orders": [order], "views": [str(view)], "links": [link]}


def main(argv):
    args = fuzzing.arguments(argv, ["BASE_URL", "EMAIL", "PASSWORD"])
    if args is None:
        return 2
    (base_url, email, password), extra = args
    runs = fuzzing.Runs("proxy", RUN_TIMEOUT)
    cookie, csrf, ids = login_and_seed(base_url, email, password)
    print(
        f"proxy fuzzing (schemathesis) against {base_url}/api/openapi.json, at most {MAX_EXAMPLES} "
        f"examples per operation; seeded: order {ids['orders'][0]}, view {ids['views'][0]}, "
        f"pay link {ids['links'][0]}",
        flush=True,
    )
    config = fuzzing.config(
        base_url,
        max_examples=MAX_EXAMPLES,
        checks=CHECKS,
        parameters={"id": "orders", "reference": "links"},
        ids=ids,
        probability=REAL_ID_PROBABILITY,
    )
    # Kassa's own check (kassa_checks.py), loaded by Schemathesis as a hook module.
    hooks = {
        "SCHEMATHESIS_HOOKS": "kassa_checks",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(HERE), os.environ.get("PYTHONPATH")])),
    }
    document = f"{base_url}/api/openapi.json"
    with runs.workdir("kassa-proxy-fuzz-", config):
        runs.run(
            "as the operator (session cookie and X-CSRF-Token), all but logout",
            document,
            ["--url", base_url, "--phases", OPERATOR_PHASES]
            + ["-H", f"Cookie: {cookie}", "-H", f"X-CSRF-Token: {csrf}", "--exclude-operation-id", LOGOUT]
            + extra,
            hooks,
        )
        runs.run("as anyone (no session)", document, ["--url", base_url, "--phases", ANONYMOUS_PHASES] + extra, hooks)
    return runs.report()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
