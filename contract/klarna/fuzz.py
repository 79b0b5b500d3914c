"""Fuzzing: Kassa's sandbox against Klarna's own OpenAPI files, with Schemathesis.

Usage: python fuzz.py http://127.0.0.1:PORT [more `schemathesis run` options]

(For instance `--report har --report-dir /tmp/fuzz-report` keeps every exchange, `--mode
positive` sends only what the spec allows.)

Runs `schemathesis run` (see requirements.txt) once per vendored spec
(`klarna-payments-v1.openapi.json`, `klarna-ordermanagement-v1.openapi.json`) with all four of
its phases (the specs' examples, coverage of boundary values, random fuzzing, stateful
sequences along inferred links), in positive and negative mode, with HTTP Basic auth, one
worker, at most `MAX_EXAMPLES` random cases per operation, and a hard time limit per run.
Generation is deterministic (Schemathesis' `deterministic` mode, i.e. Hypothesis' derandomize,
and no example database): runs differ only where the answers steer them (stateful sequences,
coverage that learns from rejections; a few cases in some 5000) and in the ids of their fresh
objects. The checks:

- `not_a_server_error`: no 5xx, whatever is sent;
- `content_type_conformance`: a documented response has a documented media type;
- `response_schema_conformance`: a documented response's body matches its schema;
- `response_headers_conformance`: documented headers (`Capture-Id`, `Refund-Id`, `Location`)
  match theirs.

Not `status_code_conformance`: the sandbox answers the 400, 401, 409 and 422 that Klarna
documents elsewhere but not per operation in these files.

Most generated ids name nothing (404s). So that operations on real objects get fuzzed too,
the script first makes some (sessions, authorization tokens, orders in several states,
captures and a refund) through the API and the sandbox's test controls, and binds the path
parameters to those ids through Schemathesis dictionaries: each id parameter takes a real id
most of the time. The exit status is 0 only if both runs pass.
"""

import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import fuzzing  # noqa: E402 (contract/fuzzing.py: the runner the three fuzzers share)

SPECS = ["klarna-payments-v1.openapi.json", "klarna-ordermanagement-v1.openapi.json"]
CREDENTIALS = ("K123456_fuzz", "sharedsecret")
MAX_EXAMPLES = 15
# A run that takes longer has hung (each takes 35-55 s on two busy cores).
RUN_TIMEOUT = 120
CHECKS = [
    "not_a_server_error",
    "content_type_conformance",
    "response_schema_conformance",
    "response_headers_conformance",
]
# Path parameter name -> dictionary of real ids; how often a real id is drawn.
ID_PARAMETERS = {
    "order_id": "orders",
    "capture_id": "captures",
    "refund_id": "refunds",
    "session_id": "sessions",
    "authorizationToken": "tokens",
}
REAL_ID_PROBABILITY = 0.75


def line(name, reference, quantity, unit_price, tax_rate=2500):
    total = quantity * unit_price
    return {
        "type": "physical",
        "reference": reference,
        "name": name,
        "quantity": quantity,
        "unit_price": unit_price,
        "tax_rate": tax_rate,
        "total_amount": total,
        "total_tax_amount": total - total * 10000 // (10000 + tax_rate),
    }


LINES = [line("Running shoe", "shoe-42", 2, 5000), line("Wool socks", "socks-3", 2, 1500)]
CART = {
    "purchase_country": "SE",
    "purchase_currency": "SEK",
    "locale": "sv-SE",
    "order_amount": sum(l["total_amount"] for l in LINES),
    "order_tax_amount": sum(l["total_tax_amount"] for l in LINES),
    "order_lines": LINES,
}


class Seeder:
    """Makes the objects the fuzzer's ids point at."""

    def __init__(self, base_url):
        self.base_url = base_url
        self.http = fuzzing.http(auth=CREDENTIALS)
        self.ids = {name: [] for name in ID_PARAMETERS.values()}

    def post(self, path, body=None, status=200):
        resp = self.http.post(self.base_url + path, json=body, timeout=30)
        return fuzzing.expect(resp, status, f"seeding: POST {path}")

    def session(self, **extra):
        sid = self.post("/payments/v1/sessions", dict(CART, **extra)).json()["session_id"]
        self.ids["sessions"].append(sid)
        return sid

    def token(self, sid, outcome="approved", category="pay_later"):
        body = {"outcome": outcome, "payment_method_category": category}
        return self.post(f"/_sandbox/klarna/sessions/{sid}/authorize", body).json()["authorization_token"]

    def order(self, outcome="approved", category="pay_later"):
        token = self.token(self.session(), outcome, category)
        oid = self.post(f"/payments/v1/authorizations/{token}/order", CART).json()["order_id"]
        self.ids["orders"].append(oid)
        return oid

    def capture(self, oid, amount, lines=None):
        body = {"captured_amount": amount}
        if lines:
            body["order_lines"] = lines
        resp = self.post(f"/ordermanagement/v1/orders/{oid}/captures", body, status=201)
        self.ids["captures"].append(resp.headers["Capture-Id"])

    def refund(self, oid, amount):
        resp = self.post(f"/ordermanagement/v1/orders/{oid}/refunds", {"refunded_amount": amount}, status=201)
        self.ids["refunds"].append(resp.headers["Refund-Id"])

    def seed(self):
        # Unused authorization tokens: a buy session's and a tokenize session's.
        self.ids["tokens"].append(self.token(self.session()))
        self.ids["tokens"].append(self.token(self.session(intent="tokenize")))
        self.order()  # AUTHORIZED, an invoice
        part = self.order()  # PART_CAPTURED, two captures, a refund
        self.capture(part, 10000, [LINES[0]])
        self.capture(part, 1000)
        self.refund(part, 2500)
        self.order(outcome="pending")  # fraud review pending
        card = self.order(category="pay_now")  # CAPTURED in full, a card payment
        self.capture(card, CART["order_amount"])
        return self.ids


def main(argv):
    args = fuzzing.arguments(argv, ["BASE_URL"])
    if args is None:
        return 2
    (base_url,), extra = args
    runs = fuzzing.Runs("klarna", RUN_TIMEOUT)
    ids = Seeder(base_url).seed()
    print(
        "Klarna fuzzing (schemathesis) against "
        f"{base_url}; seeded ids: " + ", ".join(f"{len(v)} {k}" for k, v in ids.items()),
        flush=True,
    )
    config = fuzzing.config(
        base_url,
        max_examples=MAX_EXAMPLES,
        checks=CHECKS,
        parameters=ID_PARAMETERS,
        ids=ids,
        probability=REAL_ID_PROBABILITY,
        basic_auth=CREDENTIALS,
    )
    with runs.workdir("kassa-fuzz-", config):
        for spec in SPECS:
            runs.run(spec, HERE / spec, extra)
    return runs.report()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
