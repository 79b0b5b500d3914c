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

import json
import os
import pathlib
import subprocess
import sys
import tempfile
import time

import requests

HERE = pathlib.Path(__file__).resolve().parent
MAX_EXAMPLES = int(os.environ.get("KASSA_FUZZ_EXAMPLES") or 5)
RUN_TIMEOUT = float(os.environ.get("KASSA_FUZZ_SECONDS") or 120)
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
    """The operator's cookie and CSRF token, and the ids of an order and a saved view."""
    http = requests.Session()
    http.trust_env = False
    resp = http.post(f"{base_url}/api/session", json={"email": email, "password": password}, timeout=30)
    if resp.status_code != 200:
        raise SystemExit(f"login answered {resp.status_code}: {resp.text[:300]}")
    csrf = resp.json()["csrf_token"]
    cookie = "; ".join(f"{c.name}={c.value}" for c in http.cookies)
    headers = {"X-CSRF-Token": csrf}
    resp = http.post(f"{base_url}/api/orders", json=NEW_ORDER, headers=headers, timeout=30)
    if resp.status_code != 201:
        raise SystemExit(f"seeding: POST /api/orders answered {resp.status_code}: {resp.text[:300]}")
    order = resp.json()["order"]["id"]
    resp = http.post(f"{base_url}/api/views", json={"name": "Fuzzed", "filter": {}}, headers=headers, timeout=30)
    if resp.status_code != 201:
        raise SystemExit(f"seeding: POST /api/views answered {resp.status_code}: {resp.text[:300]}")
    view = resp.json()["id"]
    resp = http.post(f"{base_url}/api/pay-links", json={"order": NEW_ORDER}, headers=headers, timeout=30)
    if resp.status_code != 201:
        raise SystemExit(f"seeding: POST /api/pay-links answered {resp.status_code}: {resp.text[:300]}")
    link = resp.json()["reference"]
    return cookie, csrf, {"orders": [order], "views": [str(view)], "links": [link]}


def toml_string(value):
    # A JSON string of printable ASCII is a TOML basic string.
    return json.dumps(str(value), ensure_ascii=True)


def config(base_url, ids):
    """schemathesis.toml: everything about the run but the document and the session."""
    lines = [
        f"base-url = {toml_string(base_url)}",
        "workers = 1",
        "request-timeout = 10",
        "continue-on-failure = true",
        "",
        "[generation]",
        f"max-examples = {MAX_EXAMPLES}",
        "deterministic = true",
        'database = "none"',
        "",
        "[checks]",
        "enabled = false",
    ]
    lines += [f"{check}.enabled = true" for check in CHECKS]
    lines += [
        "",
        "[parameters]",
        f'"path.id" = {{ dictionary = "orders", probability = {REAL_ID_PROBABILITY} }}',
        f'"path.reference" = {{ dictionary = "links", probability = {REAL_ID_PROBABILITY} }}',
    ]
    for dictionary, values in ids.items():
        lines += ["", f"[dictionaries.{dictionary}]", f"values = [{', '.join(toml_string(v) for v in values)}]"]
    return "\n".join(lines) + "\n"


def schemathesis_command():
    """The `schemathesis` entry point installed beside this interpreter."""
    beside = pathlib.Path(sys.executable).parent / "schemathesis"
    if beside.is_file():
        return [str(beside)]
    return [sys.executable, "-c", "import sys; from schemathesis.cli import schemathesis; sys.exit(schemathesis())"]


def run(name, base_url, config_file, work, phases, extra):
    print(f"\n== schemathesis run: {name}", flush=True)
    started = time.monotonic()
    command = (
        schemathesis_command()
        + ["--config-file", str(config_file), "--no-color", "run", f"{base_url}/api/openapi.json"]
        + ["--url", base_url, "--phases", phases]
        + extra
    )
    env = dict(
        os.environ,
        SCHEMATHESIS_TELEMETRY="false",
        SCHEMATHESIS_HOOKS="kassa_checks",
        PYTHONPATH=os.pathsep.join(filter(None, [str(HERE), os.environ.get("PYTHONPATH")])),
    )
    try:
        # The working directory is the temporary one: nothing lands in the repository.
        status = subprocess.run(command, cwd=work, env=env, timeout=RUN_TIMEOUT, check=False).returncode
    except subprocess.TimeoutExpired:
        print(f"schemathesis ran longer than {RUN_TIMEOUT:.0f} s ({name}) and was stopped", flush=True)
        status = "timeout"
    print(f"== {name}: exit {status} after {time.monotonic() - started:.1f}s", flush=True)
    return status


def main(argv):
    if len(argv) < 4 or argv[1].startswith("-"):
        print("usage: fuzz.py BASE_URL EMAIL PASSWORD [schemathesis run options]", file=sys.stderr)
        return 2
    base_url = argv[1].rstrip("/")
    extra = argv[4:]
    started = time.monotonic()
    cookie, csrf, ids = login_and_seed(base_url, argv[2], argv[3])
    print(
        f"proxy fuzzing (schemathesis) against {base_url}/api/openapi.json, at most {MAX_EXAMPLES} "
        f"examples per operation; seeded: order {ids['orders'][0]}, view {ids['views'][0]}, "
        f"pay link {ids['links'][0]}",
        flush=True,
    )
    failed = []
    with tempfile.TemporaryDirectory(prefix="kassa-proxy-fuzz-") as work:
        config_file = pathlib.Path(work) / "schemathesis.toml"
        config_file.write_text(config(base_url, ids), encoding="utf-8")
        runs = [
            (
                "as the operator (session cookie and X-CSRF-Token), all but logout",
                OPERATOR_PHASES,
                ["-H", f"Cookie: {cookie}", "-H", f"X-CSRF-Token: {csrf}", "--exclude-operation-id", LOGOUT],
            ),
            ("as anyone (no session)", ANONYMOUS_PHASES, []),
        ]
        for name, phases, options in runs:
            status = run(name, base_url, config_file, work, phases, options + extra)
            if status != 0:
                failed.append(f"{name} (exit {status})")
    took = time.monotonic() - started
    if failed:
        print(f"\nproxy fuzz: FAILED in {took:.1f}s: {'; '.join(failed)}")
        return 1
    print(f"\nproxy fuzz: both runs passed in {took:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
