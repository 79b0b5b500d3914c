"""Fuzzing: the sandbox's Mollie side against Mollie's own OpenAPI file, with Schemathesis (the
pin in contract/klarna/requirements.txt; the same venv).

Usage: python fuzz.py http://127.0.0.1:PORT SPEC [more `schemathesis run` options]

SPEC is Mollie's official `specs.yaml` at fc86f89 (2025-04-02), the last version with the
Orders API: `../shared/specs/mollie-openapi-fc86f89-orders.yaml` from the repository's root
(the shared material every developer and CI has). Not vendored: the file is licensed
CC BY-NC-SA 4.0 (its `info.license`), which Kassa's MIT repository should not redistribute;
`$KASSA_MOLLIE_SPEC` points the test at another copy. The script reads
it and keeps the operations the sandbox implements (`crates/sandbox/src/mollie/routes`:
orders, order lines, order payments, shipments, order refunds, and creating a refund of a
payment), with one change, said here: Mollie's list `count` is documented as at least 1, but an
empty page counts 0 (Mollie's own answer too), so `minimum: 1` becomes 0 on `count`. The trimmed
document is written, as JSON, into a temporary directory only.

It makes real objects first (an order created; one authorized through the checkout, one line
shipped; one paid, part refunded), so that path ids name them half of the time (Schemathesis
dictionaries), then runs `schemathesis run` once: examples, coverage and fuzzing phases,
positive and negative data, the test API key as a Bearer token, one worker, at most
`KASSA_FUZZ_EXAMPLES` (default 5) random cases per operation, deterministic, stopped and failed
after `KASSA_FUZZ_SECONDS` (default 120). Checks: `not_a_server_error`,
`content_type_conformance` (every answer, errors included, is `application/hal+json`),
`response_schema_conformance`, `response_headers_conformance`. Not `status_code_conformance`:
Mollie documents its errors (400, 401, 404, 422) once for the API, not per operation.
"""

import copy
import json
import pathlib
import sys

import requests
import yaml

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import fuzzing  # noqa: E402 (contract/fuzzing.py: the runner the three fuzzers share)

API_KEY = "test_kassafuzzkassafuzzkassafuzz00"
MAX_EXAMPLES, RUN_TIMEOUT = fuzzing.limits(examples=5, seconds=120)
PHASES = "examples,coverage,fuzzing"
CHECKS = [
    "not_a_server_error",
    "content_type_conformance",
    "response_schema_conformance",
    "response_headers_conformance",
]
# Path (in the spec, below its /v2 server) -> the methods the sandbox routes.
IMPLEMENTED = {
    "/orders": {"get", "post"},
    "/orders/{id}": {"get", "patch", "delete"},
    "/orders/{orderId}/lines": {"patch", "delete"},
    "/orders/{orderId}/lines/{id}": {"patch"},
    "/orders/{orderId}/payments": {"post"},
    "/orders/{orderId}/shipments": {"get", "post"},
    "/orders/{orderId}/shipments/{id}": {"get", "patch"},
    "/orders/{orderId}/refunds": {"get", "post"},
    "/payments/{paymentId}/refunds": {"post"},
}
REAL_ID_PROBABILITY = 0.5


def eur(value):
    return {"currency": "EUR", "value": value}


# Mollie's documented create-order example, as contract/python/scenario.py sends it.
ORDER = {
    "amount": eur("1027.99"),
    "orderNumber": "1337",
    "locale": "nl_NL",
    "redirectUrl": "https://example.org/redirect",
    "method": "klarnapaylater",
    "billingAddress": {
        "streetAndNumber": "Keizersgracht 126",
        "city": "Amsterdam",
        "postalCode": "1234AB",
        "country": "NL",
        "givenName": "Piet",
        "familyName": "Mondriaan",
        "email": "piet@mondriaan.com",
    },
    "lines": [
        {
            "type": "physical",
            "sku": "5702016116977",
            "name": "LEGO 42083 Bugatti Chiron",
            "quantity": 2,
            "vatRate": "21.00",
            "unitPrice": eur("399.00"),
            "discountAmount": eur("100.00"),
            "totalAmount": eur("698.00"),
            "vatAmount": eur("121.14"),
        },
        {
            "type": "physical",
            "sku": "5702015594028",
            "name": "LEGO 42056 Porsche 911 GT3 RS",
            "quantity": 1,
            "vatRate": "21.00",
            "unitPrice": eur("329.99"),
            "totalAmount": eur("329.99"),
            "vatAmount": eur("57.27"),
        },
    ],
}


class Seeder:
    """Makes the objects the fuzzer's ids point at."""

    def __init__(self, base_url):
        self.base_url = base_url
        self.http = fuzzing.http(headers={"Authorization": f"Bearer {API_KEY}"})
        self.ids = {"orders": [], "lines": [], "shipments": [], "payments": []}

    def call(self, method, path, body=None, status=200):
        resp = self.http.request(method, self.base_url + path, json=body, timeout=30)
        return fuzzing.expect(resp, status, f"seeding: {method} {path}").json()

    def order(self, method="klarnapaylater", outcome=None):
        body = copy.deepcopy(ORDER)
        body["method"] = method
        order = self.call("POST", "/v2/orders?embed=payments", body, status=201)
        self.ids["orders"].append(order["id"])
        self.ids["lines"] += [line["id"] for line in order["lines"]]
        self.ids["payments"] += [p["id"] for p in order.get("_embedded", {}).get("payments", [])]
        if outcome:
            href = order["_links"]["checkout"]["href"]
            resp = requests.post(href, data={"outcome": outcome, "method": method}, allow_redirects=False, timeout=30)
            fuzzing.expect(resp, 303, "seeding: checkout")
        return order

    def seed(self):
        self.order()  # created
        authorized = self.order(outcome="authorized")
        line = authorized["lines"][1]["id"]
        shipment = self.call("POST", f"/v2/orders/{authorized['id']}/shipments", {"lines": [{"id": line}]}, status=201)
        self.ids["shipments"].append(shipment["id"])
        paid = self.order(method="ideal", outcome="paid")
        self.call("POST", f"/v2/orders/{paid['id']}/refunds", {"lines": [{"id": paid["lines"][1]["id"]}]}, status=201)
        return self.ids


def trimmed_spec(path):
    """Mollie's document with only the sandbox's operations, and `count` allowed to be 0."""
    with open(path, encoding="utf-8") as f:
        spec = yaml.load(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    paths = {}
    for template, methods in IMPLEMENTED.items():
        item = spec["paths"][template]
        paths[template] = {k: v for k, v in item.items() if k in methods or k == "parameters"}
    spec["paths"] = paths

    def relax(node):
        if isinstance(node, dict):
            count = node.get("properties", {}).get("count") if isinstance(node.get("properties"), dict) else None
            if isinstance(count, dict) and count.get("minimum") == 1:
                count["minimum"] = 0
            for value in node.values():
                relax(value)
        elif isinstance(node, list):
            for value in node:
                relax(value)

    relax(spec)
    return spec


def main(argv):
    args = fuzzing.arguments(argv, ["BASE_URL", "SPEC"])
    if args is None:
        return 2
    (base_url, spec_path), extra = args
    spec_path = pathlib.Path(spec_path)
    if not spec_path.is_file():
        print(f"no Mollie OpenAPI file at {spec_path}", file=sys.stderr)
        return 2
    runs = fuzzing.Runs("mollie", RUN_TIMEOUT)
    ids = Seeder(base_url).seed()
    print(
        f"Mollie fuzzing (schemathesis) against {base_url}/v2 with {spec_path.name}, at most "
        f"{MAX_EXAMPLES} examples per operation; seeded: " + ", ".join(f"{len(v)} {k}" for k, v in ids.items()),
        flush=True,
    )
    config = fuzzing.config(
        base_url + "/v2",
        max_examples=MAX_EXAMPLES,
        checks=CHECKS,
        # `{id}` is an order, a line or a shipment, depending on the path.
        parameters={"orderId": "orders", "paymentId": "payments", "id": "any"},
        ids=dict(ids, any=ids["orders"] + ids["lines"] + ids["shipments"]),
        probability=REAL_ID_PROBABILITY,
    )
    with runs.workdir("kassa-mollie-fuzz-", config) as work:
        spec_file = work / "mollie-orders.json"
        spec_file.write_text(json.dumps(trimmed_spec(spec_path)), encoding="utf-8")
        runs.run(spec_path.name, spec_file, ["--phases", PHASES, "-H", f"Authorization: Bearer {API_KEY}"] + extra)
    return runs.report()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
