"""Contract scenario: Kassa's sandbox against Klarna's own OpenAPI files, checked by openapi-core.

Usage: python scenario.py http://127.0.0.1:PORT

Plays the life of Klarna Payments sessions and Order Management orders against the sandbox
over plain HTTP (`requests`), and validates every request the scenario means to be valid and
every response against Klarna's vendored specs (`klarna-payments-v1.openapi.json`,
`klarna-ordermanagement-v1.openapi.json`, see SOURCE.md) with `openapi-core` (see
requirements.txt): a validator nobody in this project wrote. Responses whose status the spec
does not declare for the operation (401, Order Management's 400/409/422) are checked for
Klarna's error shape only. On top of the schemas it checks behaviour: amounts, statuses,
headers (201 with `Capture-Id`/`Refund-Id` and an absolute `Location`, 204 with an empty body),
and error codes and messages from the reference notes (shared/reference/
klarna-order-management-api.md §5-§7) and the sandbox's documented choices.

The sandbox's test-only routes (`/_sandbox/...`) are not Klarna's and are not validated.

The scenario is split into independent sections; a section stops at its first failing step,
the others still run. The exit status is 0 only if every step passed.
"""

import copy
import datetime
import json
import pathlib
import sys
import time
import traceback
import uuid
from urllib.parse import urlsplit

import requests
from openapi_core import Config, OpenAPI
from openapi_core.contrib.requests import RequestsOpenAPIRequest, RequestsOpenAPIResponse
from openapi_core.deserializing.media_types.util import json_loads
from openapi_core.exceptions import OpenAPIError

HERE = pathlib.Path(__file__).resolve().parent
SPECS = {
    "/payments/v1/": HERE / "klarna-payments-v1.openapi.json",
    "/ordermanagement/v1/": HERE / "klarna-ordermanagement-v1.openapi.json",
}
# Any non-empty HTTP Basic credential is a merchant to the sandbox.
CREDENTIALS = ("K123456_contract", "sharedsecret")
TIMEOUT = 30
# Klarna declares most Order Management error bodies as `*/*`, for which openapi-core has no
# deserializer (it would validate the raw bytes against the object schema). They are JSON:
# read them as such. That they are sent as `application/json` is checked separately.
# Schemas are closed: a field Klarna's spec does not name, sent or answered, is an error.
CONFIG = Config(extra_media_type_deserializers={"*/*": json_loads}, additional_properties_default_policy="forbid")


def line(name, reference, quantity, unit_price, tax_rate=2500, kind="physical"):
    """A Klarna order line with consistent arithmetic (Klarna's ±1 tax rule, exact here)."""
    total = quantity * unit_price
    tax = total - total * 10000 // (10000 + tax_rate)
    return {
        "type": kind,
        "reference": reference,
        "name": name,
        "quantity": quantity,
        "quantity_unit": "pcs",
        "unit_price": unit_price,
        "tax_rate": tax_rate,
        "total_amount": total,
        "total_discount_amount": 0,
        "total_tax_amount": tax,
    }


def cart(lines, **extra):
    """A Swedish cart: the amounts follow from the lines."""
    body = {
        "purchase_country": "SE",
        "purchase_currency": "SEK",
        "locale": "sv-SE",
        "order_amount": sum(l["total_amount"] for l in lines),
        "order_tax_amount": sum(l["total_tax_amount"] for l in lines),
        "order_lines": lines,
    }
    body.update(extra)
    return body


SHOES = line("Running shoe", "shoe-42", 2, 5000)  # 10000, tax 2000
SOCKS = line("Wool socks", "socks-3", 1, 1500)  # 1500, tax 300
SHIPPING = line("Shipping", "ship-1", 1, 500, kind="shipping_fee")  # 500, tax 100
ADDRESS = {
    "given_name": "Testperson-se",
    "family_name": "Approved",
    "email": "customer@example.com",
    "street_address": "Stårgatan 1",
    "postal_code": "12345",
    "city": "Ankeborg",
    "phone": "+46765260000",
    "country": "SE",
}
TRACKING = {
    "shipping_company": "PostNord SE",
    "shipping_method": "Home",
    "tracking_number": "00340434161094042557",
    "tracking_uri": "https://tracking.example.com/00340434161094042557",
}


class StepFailed(Exception):
    pass


def check(condition, message):
    if not condition:
        raise StepFailed(message)


def eq(actual, expected, what):
    if actual != expected:
        raise StepFailed(f"{what}: expected {expected!r}, got {actual!r}")


class Klarna:
    """Plain HTTP to the sandbox, every exchange checked against Klarna's specs."""

    def __init__(self, base_url):
        self.base_url = base_url.rstrip("/")
        self.http = requests.Session()
        # Loopback only: no proxy from the environment, no credentials from ~/.netrc (the 401
        # steps send none).
        self.http.trust_env = False
        self.apis = {}
        self.specs = {}
        for prefix, path in SPECS.items():
            spec = json.loads(path.read_text(encoding="utf-8"))
            self.specs[prefix] = spec
            # Klarna's files name https://api.klarna.com as the server; the sandbox is the
            # same API at another base URL. Only this in-memory copy changes.
            served = dict(spec, servers=[{"url": self.base_url}])
            self.apis[prefix] = OpenAPI.from_dict(served, config=CONFIG)
        self.requests_validated = 0
        self.responses_validated = 0
        self.responses_undeclared = 0

    def _spec_for(self, path):
        for prefix in SPECS:
            if path.startswith(prefix):
                return prefix
        raise StepFailed(f"{path} is in neither of Klarna's specs")

    def _declared(self, prefix, prepared, status):
        """Whether Klarna's spec declares `status` for the operation `prepared` calls."""
        path = urlsplit(prepared.url).path
        method = prepared.method.lower()
        for template, item in self.specs[prefix]["paths"].items():
            if method in item and _matches(template, path):
                responses = item[method]["responses"]
                return str(status) in responses or "default" in responses
        raise StepFailed(f"{prepared.method} {path} is not an operation of Klarna's spec")

    def call(self, method, path, body=None, status=200, headers=None, auth=True, valid=True):
        """Sends a request and checks the response's status; validates both with openapi-core.

        `valid=False` skips request validation, for requests that break the spec on purpose.
        """
        url = path if path.startswith("http") else self.base_url + path
        prefix = self._spec_for(urlsplit(url).path)
        request = requests.Request(
            method,
            url,
            json=body,
            headers=headers or {},
            auth=CREDENTIALS if auth else None,
        )
        prepared = self.http.prepare_request(request)
        if not auth:
            prepared.headers.pop("Authorization", None)
        api = self.apis[prefix]
        if valid:
            try:
                api.validate_request(RequestsOpenAPIRequest(prepared))
            except OpenAPIError as e:
                raise StepFailed(f"{method} {path}: the request breaks Klarna's spec: {describe(e)}") from e
            self.requests_validated += 1
        resp = self.http.send(prepared, timeout=TIMEOUT, allow_redirects=False)
        if resp.status_code != status:
            raise StepFailed(f"{method} {path}: expected status {status}, got {resp.status_code}: {resp.text[:300]!r}")
        if self._declared(prefix, prepared, resp.status_code):
            try:
                api.validate_response(RequestsOpenAPIRequest(prepared), RequestsOpenAPIResponse(resp))
            except OpenAPIError as e:
                raise StepFailed(
                    f"{method} {path}: the {resp.status_code} response breaks Klarna's spec: {describe(e)}"
                ) from e
            self.responses_validated += 1
        else:
            self.responses_undeclared += 1
        if resp.status_code >= 400:
            error_shape(resp)
        elif resp.status_code in (201, 204):
            eq(resp.content, b"", f"{method} {path}: body of a {resp.status_code}")
        else:
            check(
                resp.headers.get("Content-Type", "").startswith("application/json"),
                f"{method} {path}: Content-Type {resp.headers.get('Content-Type')!r}",
            )
        return resp

    def json(self, method, path, body=None, status=200, **kwargs):
        return self.call(method, path, body=body, status=status, **kwargs).json()

    def error(self, method, path, body=None, status=400, code=None, message=None, contains=None, **kwargs):
        """A request that must fail with Klarna's error `code` (and `message`, exactly or in part)."""
        err = self.call(method, path, body=body, status=status, **kwargs).json()
        if code is not None:
            eq(err["error_code"], code, f"{method} {path}: error_code")
        if message is not None:
            check(message in err["error_messages"], f"{method} {path}: {message!r} not in {err['error_messages']!r}")
        if contains is not None:
            check(
                any(contains in m for m in err["error_messages"]),
                f"{method} {path}: no message contains {contains!r}: {err['error_messages']!r}",
            )
        return err

    def control(self, path, body):
        """A sandbox test control (not Klarna's API: not validated)."""
        resp = self.http.post(self.base_url + path, json=body, timeout=TIMEOUT)
        if resp.status_code != 200:
            raise StepFailed(f"POST {path}: {resp.status_code} {resp.text[:300]!r}")
        return resp.json()


ONE_DAY = datetime.timedelta(days=1)
THREE_DAYS = 3 * ONE_DAY


def timestamp(text):
    """Klarna's `2022-08-05T00:00:00.000Z`."""
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


def _matches(template, path):
    t, p = template.strip("/").split("/"), path.strip("/").split("/")
    return len(t) == len(p) and all(a == b or (a.startswith("{") and a.endswith("}")) for a, b in zip(t, p))


def describe(error):
    """An openapi-core error, short: what failed and where, without the whole body again."""
    text = f"{type(error).__name__}: {clip(str(error))}"
    cause = error
    while cause is not None:
        for sub in getattr(cause, "schema_errors", None) or []:
            where = "/".join(str(p) for p in sub.absolute_path) or "(the body)"
            text += f"\n      at {where}: {clip(sub.message)}"
        cause = cause.__cause__
    return text


def clip(text, limit=300):
    return text if len(text) <= limit else text[:limit] + "…"


def error_shape(resp):
    """Klarna's one error shape, with the correlation id also in `Klarna-Correlation-Id`."""
    check(
        resp.headers.get("Content-Type", "").startswith("application/json"),
        f"error Content-Type {resp.headers.get('Content-Type')!r}",
    )
    err = resp.json()
    check(isinstance(err, dict), f"error body {err!r} is not an object")
    check(isinstance(err.get("error_code"), str) and err["error_code"], f"error_code in {err!r}")
    messages = err.get("error_messages")
    check(
        isinstance(messages, list) and all(isinstance(m, str) for m in messages),
        f"error_messages in {err!r}",
    )
    check(isinstance(err.get("correlation_id"), str) and err["correlation_id"], f"correlation_id in {err!r}")
    eq(resp.headers.get("Klarna-Correlation-Id"), err["correlation_id"], "Klarna-Correlation-Id header")


class Scenario:
    def __init__(self, base_url):
        self.k = Klarna(base_url)
        self.base_url = self.k.base_url
        self.passed = 0
        self.failed = []

    # -- running -----------------------------------------------------------------------------

    def section(self, name, steps):
        """Runs `steps` (a generator of step names, each yielded before the step runs)."""
        print(f"\n== {name}", flush=True)
        current = "(start)"
        try:
            for current in steps():
                print(f"  - {current}", flush=True)
                self.passed += 1
        except StepFailed as e:
            self.passed -= 1 if current != "(start)" else 0
            self.fail(name, current, str(e))
        except OpenAPIError as e:
            self.passed -= 1 if current != "(start)" else 0
            self.fail(name, current, f"not as Klarna's spec says: {describe(e)}")
        except Exception as e:  # noqa: BLE001 - anything else is a failure of this section too
            self.passed -= 1 if current != "(start)" else 0
            self.fail(name, current, f"{type(e).__name__}: {e}\n{traceback.format_exc()}")

    def fail(self, section, step, message):
        print(f"    FAILED: {message}", flush=True)
        self.failed.append(f"{section} / {step}: {message}")

    # -- helpers -----------------------------------------------------------------------------

    def session(self, body):
        created = self.k.json("POST", "/payments/v1/sessions", body)
        check(created["session_id"], "session_id")
        check(created["client_token"], "client_token")
        return created["session_id"]

    def authorize(self, session_id, outcome="approved", category="pay_later"):
        """What the shopper does in Klarna's widget (the sandbox's test control)."""
        result = self.k.control(
            f"/_sandbox/klarna/sessions/{session_id}/authorize",
            {"outcome": outcome, "payment_method_category": category},
        )
        eq(result["approved"], True, "approved")
        check(result["authorization_token"], "authorization_token")
        return result["authorization_token"]

    def place(self, body, outcome="approved", category="pay_later"):
        """A session, its authorization and the order: the order id."""
        token = self.authorize(self.session(body), outcome, category)
        placed = self.k.json("POST", f"/payments/v1/authorizations/{token}/order", body)
        return placed["order_id"]

    def order(self, order_id):
        return self.k.json("GET", f"/ordermanagement/v1/orders/{order_id}")

    def amounts(self, order_id, **expected):
        order = self.order(order_id)
        for key, value in expected.items():
            eq(order[key], value, key)
        return order

    def created(self, resp, id_header, kind):
        """A 201's id header and absolute `Location`, which answers the new object."""
        new_id = resp.headers.get(id_header)
        check(new_id, f"201 without {id_header}")
        location = resp.headers.get("Location")
        check(location and urlsplit(location).scheme in ("http", "https"), f"Location {location!r} is not absolute")
        check(location.startswith(self.base_url + "/ordermanagement/v1/orders/"), f"Location {location!r}")
        check(location.endswith(f"/{kind}/{new_id}"), f"Location {location!r} does not name {new_id}")
        return new_id, location

    # -- sections ----------------------------------------------------------------------------

    def life(self):
        """One order from session to closed: every Order Management operation that succeeds."""
        first = cart([SHOES, SOCKS, SHIPPING])  # 12000, tax 2400
        socks2 = line("Wool socks", "socks-3", 2, 1500)
        updated = cart([SHOES, socks2, SHIPPING], merchant_reference1="cart-1001")  # 13500

        yield "create a session (200 merchant_session)"
        created = self.k.json("POST", "/payments/v1/sessions", first)
        sid = created["session_id"]
        ids = [c["identifier"] for c in created["payment_method_categories"]]
        check("pay_later" in ids, f"payment_method_categories {ids!r}")

        yield "read the session (incomplete, the cart as sent)"
        read = self.k.json("GET", f"/payments/v1/sessions/{sid}")
        eq(read["status"], "incomplete", "status")
        eq(read["order_amount"], 12000, "order_amount")
        eq(len(read["order_lines"]), 3, "order lines")
        eq(read["intent"], "buy", "intent")

        yield "update the session (204, no body): two pairs of socks"
        self.k.call("POST", f"/payments/v1/sessions/{sid}", updated, status=204)
        read = self.k.json("GET", f"/payments/v1/sessions/{sid}")
        eq(read["order_amount"], 13500, "order_amount after the update")
        eq(read["order_tax_amount"], 2700, "order_tax_amount after the update")
        eq(read["merchant_reference1"], "cart-1001", "merchant_reference1")

        yield "authorize (test control, pay_later)"
        token = self.authorize(sid)

        yield "create the order with another cart: 409 BAD_VALUE Not matching fields"
        self.k.error(
            "POST",
            f"/payments/v1/authorizations/{token}/order",
            first,
            status=409,
            code="BAD_VALUE",
            contains="Not matching fields",
        )

        yield "create the order (200: order_id, fraud ACCEPTED, invoice)"
        order_body = dict(
            updated,
            billing_address=ADDRESS,
            shipping_address=ADDRESS,
            merchant_reference2="web",
            merchant_urls={"confirmation": "https://shop.example.com/thanks?sid={session.id}&oid={order.id}"},
        )
        placed = self.k.json("POST", f"/payments/v1/authorizations/{token}/order", order_body)
        oid = placed["order_id"]
        eq(placed["fraud_status"], "ACCEPTED", "fraud_status")
        eq(placed["authorized_payment_method"]["type"], "invoice", "authorized_payment_method.type")
        check(placed["redirect_url"].startswith("http"), f"redirect_url {placed['redirect_url']!r}")

        yield "the same request again answers the same order"
        again = self.k.json("POST", f"/payments/v1/authorizations/{token}/order", order_body)
        eq(again["order_id"], oid, "order_id of the retry")

        yield "the token used again with another body: 409 BAD_VALUE"
        self.k.error(
            "POST",
            f"/payments/v1/authorizations/{token}/order",
            dict(order_body, merchant_reference2="other"),
            status=409,
            code="BAD_VALUE",
            message="The order has been already completed with different request body",
        )

        yield "the session is complete"
        eq(self.k.json("GET", f"/payments/v1/sessions/{sid}")["status"], "complete", "session status")

        yield "getOrder: AUTHORIZED, 13500 authorized, nothing captured"
        order = self.amounts(
            oid,
            status="AUTHORIZED",
            fraud_status="ACCEPTED",
            order_amount=13500,
            original_order_amount=13500,
            remaining_authorized_amount=13500,
            captured_amount=0,
            refunded_amount=0,
            purchase_currency="SEK",
            purchase_country="SE",
            merchant_reference1="cart-1001",
            merchant_reference2="web",
        )
        eq(len(order["order_lines"]), 3, "order lines")
        eq(order["initial_payment_method"]["type"], "INVOICE", "initial_payment_method.type")
        eq(order["captures"], [], "captures")
        eq(order["refunds"], [], "refunds")
        eq(order["billing_address"]["city"], "Ankeborg", "billing_address.city")
        check(order["klarna_reference"], "klarna_reference")
        check(order["expires_at"] > order["created_at"], "expires_at after created_at")

        yield "acknowledge (204)"
        self.k.call("POST", f"/ordermanagement/v1/orders/{oid}/acknowledge", status=204)

        yield "update merchant references (204)"
        self.k.call(
            "PATCH",
            f"/ordermanagement/v1/orders/{oid}/merchant-references",
            {"merchant_reference1": "order-1001", "merchant_reference2": ""},
            status=204,
        )
        order = self.order(oid)
        eq(order.get("merchant_reference1"), "order-1001", "merchant_reference1")
        eq(order.get("merchant_reference2"), None, 'merchant_reference2 cleared by ""')

        yield "update customer details: the shipping address (204)"
        moved = dict(ADDRESS, street_address="Lillgatan 2", postal_code="54321")
        self.k.call(
            "PATCH",
            f"/ordermanagement/v1/orders/{oid}/customer-details",
            {"shipping_address": moved},
            status=204,
        )
        order = self.order(oid)
        eq(order["shipping_address"]["street_address"], "Lillgatan 2", "shipping street")
        eq(order["billing_address"]["street_address"], ADDRESS["street_address"], "billing street unchanged")

        yield "update the authorization: lines replaced, 13500 -> 14000 (204)"
        wrap = line("Gift wrap", "wrap-1", 1, 500, kind="surcharge")
        new_lines = [SHOES, socks2, SHIPPING, wrap]
        self.k.call(
            "PATCH",
            f"/ordermanagement/v1/orders/{oid}/authorization",
            {"order_amount": 14000, "description": "Gift wrap added", "order_lines": new_lines},
            status=204,
        )
        order = self.amounts(oid, order_amount=14000, original_order_amount=13500, remaining_authorized_amount=14000)
        eq([l["reference"] for l in order["order_lines"]], ["shoe-42", "socks-3", "ship-1", "wrap-1"], "lines")

        yield "order-level shipping info (204)"
        self.k.call(
            "POST",
            f"/ordermanagement/v1/orders/{oid}/shipping-info",
            {"shipping_info": [TRACKING]},
            status=204,
        )
        eq(self.order(oid)["shipping_info"], [TRACKING], "order shipping_info")

        yield "partial capture with shipping info and an idempotency key (201, Capture-Id, Location)"
        key = str(uuid.uuid4())
        capture_body = {
            "captured_amount": 10500,
            "description": "Shoes and shipping",
            "reference": "parcel-1",
            "order_lines": [SHOES, SHIPPING],
            "shipping_info": [TRACKING],
        }
        resp = self.k.call(
            "POST",
            f"/ordermanagement/v1/orders/{oid}/captures",
            capture_body,
            status=201,
            headers={"Klarna-Idempotency-Key": key},
        )
        cid, location = self.created(resp, "Capture-Id", "captures")

        yield "the same Klarna-Idempotency-Key again: the same 201, no second capture"
        # Only the key counts: another body gets the first answer.
        replay = self.k.call(
            "POST",
            f"/ordermanagement/v1/orders/{oid}/captures",
            {"captured_amount": 100},
            status=201,
            headers={"Klarna-Idempotency-Key": key},
        )
        eq(replay.headers.get("Capture-Id"), cid, "Capture-Id of the replay")
        eq(replay.headers.get("Location"), location, "Location of the replay")
        eq(len(self.k.json("GET", f"/ordermanagement/v1/orders/{oid}/captures")), 1, "captures after the replay")

        yield "GET the capture's Location"
        capture = self.k.json("GET", location)
        eq(capture["capture_id"], cid, "capture_id")
        eq(capture["captured_amount"], 10500, "captured_amount")
        eq(capture["reference"], "parcel-1", "reference")
        eq(capture["shipping_info"], [TRACKING], "capture shipping_info")
        eq(capture["refunded_amount"], 0, "capture refunded_amount")
        check(capture["klarna_reference"].startswith(order["klarna_reference"]), "capture klarna_reference")
        self.amounts(oid, status="PART_CAPTURED", captured_amount=10500, remaining_authorized_amount=3500)

        yield "capture over the remaining amount: 403 CAPTURE_NOT_ALLOWED"
        self.k.error(
            "POST",
            f"/ordermanagement/v1/orders/{oid}/captures",
            {"captured_amount": 3501},
            status=403,
            code="CAPTURE_NOT_ALLOWED",
            message="Captured amount is higher than the remaining authorized amount. Capture not possible.",
        )

        yield "update the authorization below the captured amount: 403 NOT_ALLOWED"
        self.k.error(
            "PATCH",
            f"/ordermanagement/v1/orders/{oid}/authorization",
            {"order_amount": 10000},
            status=403,
            code="NOT_ALLOWED",
            message="Resulting authorization amount 10000 cannot be less than the captured amount 10500 "
            "for order. Order authorization cannot be updated",
        )

        yield "cancel an order with captures: 403 CANCEL_NOT_ALLOWED"
        self.k.error(
            "POST",
            f"/ordermanagement/v1/orders/{oid}/cancel",
            status=403,
            code="CANCEL_NOT_ALLOWED",
            message="Order has previous captures. Cancel not possible.",
        )

        yield "capture shipping info (204)"
        more = dict(TRACKING, tracking_number="00340434161094042558", shipping_method="PickUpPoint")
        self.k.call(
            "POST",
            f"/ordermanagement/v1/orders/{oid}/captures/{cid}/shipping-info",
            {"shipping_info": [more]},
            status=204,
        )
        eq(len(self.k.json("GET", location)["shipping_info"]), 2, "capture shipping_info after append")

        yield "trigger send-out (204)"
        self.k.call("POST", f"/ordermanagement/v1/orders/{oid}/captures/{cid}/trigger-send-out", status=204)

        yield "due-date options, then extend the due date (204)"
        options = self.k.json("GET", f"/ordermanagement/v1/orders/{oid}/captures/{cid}/extend-due-date-options")
        eq(options["currency"], "SEK", "currency")
        check(options["options"], "an invoice offers due-date options")
        days = options["options"][0]["number_of_days"]
        self.k.call(
            "PATCH",
            f"/ordermanagement/v1/orders/{oid}/captures/{cid}/extend-due-date",
            {"number_of_days": days},
            status=204,
        )
        later = self.k.json("GET", f"/ordermanagement/v1/orders/{oid}/captures/{cid}/extend-due-date-options")
        eq(later["options"], [], "options once extended")

        yield "refund with lines (201, Refund-Id, Location)"
        one_shoe = line("Running shoe", "shoe-42", 1, 5000)
        resp = self.k.call(
            "POST",
            f"/ordermanagement/v1/orders/{oid}/refunds",
            {
                "refunded_amount": 5000,
                "description": "One shoe returned",
                "reference": "rma-1",
                "order_lines": [one_shoe],
            },
            status=201,
        )
        rid, refund_location = self.created(resp, "Refund-Id", "refunds")

        yield "GET the refund's Location"
        refund = self.k.json("GET", refund_location)
        eq(refund["refund_id"], rid, "refund_id")
        eq(refund["refunded_amount"], 5000, "refunded_amount")
        eq(refund["reference"], "rma-1", "reference")
        eq(len(refund["order_lines"]), 1, "refund lines")

        yield "refund without lines (201)"
        resp = self.k.call("POST", f"/ordermanagement/v1/orders/{oid}/refunds", {"refunded_amount": 500}, status=201)
        rid2, _ = self.created(resp, "Refund-Id", "refunds")
        check(rid2 != rid, "a second refund id")
        order = self.amounts(oid, refunded_amount=5500, captured_amount=10500)
        eq(len(order["refunds"]), 2, "refunds on the order")
        eq(order["captures"][0]["refunded_amount"], 5500, "refunds allocated to the capture")

        yield "get the refund (200)"
        refund = self.k.json("GET", f"/ordermanagement/v1/orders/{oid}/refunds/{rid2}")
        eq(refund["refunded_amount"], 500, "refunded_amount")

        yield "refund more than is left: 403 REFUND_NOT_ALLOWED"
        self.k.error(
            "POST",
            f"/ordermanagement/v1/orders/{oid}/refunds",
            {"refunded_amount": 5001},
            status=403,
            code="REFUND_NOT_ALLOWED",
            message="Over refund is not allowed. Refund not possible.",
        )

        yield "three days later, extend the authorization time (204, expires_at three days later)"
        before = timestamp(self.order(oid)["expires_at"])
        self.k.control("/_sandbox/clock", {"seconds": 3 * 86400})
        self.k.call("POST", f"/ordermanagement/v1/orders/{oid}/extend-authorization-time", status=204)
        after_text = self.order(oid)["expires_at"]
        after = timestamp(after_text)
        # 28 days from the day of the call instead of the day of creation (a fourth day only if
        # the scenario ran across midnight).
        check(after - before in (THREE_DAYS, THREE_DAYS + ONE_DAY), f"expires_at moved by {after - before}")
        check(after_text.endswith("T00:00:00.000Z"), f"expires_at {after_text} at midnight UTC")
        self.k.call("POST", f"/ordermanagement/v1/orders/{oid}/extend-authorization-time", status=204)
        eq(self.order(oid)["expires_at"], after_text, "expires_at after a second extension the same day")

        yield "release the remaining authorization (204): CLOSED, nothing remaining"
        self.k.call("POST", f"/ordermanagement/v1/orders/{oid}/release-remaining-authorization", status=204)
        self.amounts(oid, status="CLOSED", remaining_authorized_amount=0, captured_amount=10500, refunded_amount=5500)

        yield "getCaptures is a bare array; getCapture"
        captures = self.k.json("GET", f"/ordermanagement/v1/orders/{oid}/captures")
        check(isinstance(captures, list), f"getCaptures answered {type(captures).__name__}")
        eq([c["capture_id"] for c in captures], [cid], "capture ids")
        eq(self.k.json("GET", f"/ordermanagement/v1/orders/{oid}/captures/{cid}")["capture_id"], cid, "capture_id")

        yield "unknown capture: 404 NO_SUCH_CAPTURE; unknown refund: 404 NOT_FOUND"
        nobody = str(uuid.uuid4())
        self.k.error(
            "POST",
            f"/ordermanagement/v1/orders/{oid}/captures/{nobody}/trigger-send-out",
            status=404,
            code="NO_SUCH_CAPTURE",
        )
        self.k.error("GET", f"/ordermanagement/v1/orders/{oid}/captures/{nobody}", status=404, code="NO_SUCH_CAPTURE")
        self.k.error(
            "POST",
            f"/ordermanagement/v1/orders/{oid}/captures/{nobody}/shipping-info",
            {"shipping_info": [TRACKING]},
            status=404,
            code="NO_SUCH_CAPTURE",
            message=f"Capture could not be found. Shipping info cannot be added to capture {nobody}",
        )
        self.k.error(
            "GET",
            f"/ordermanagement/v1/orders/{oid}/refunds/{nobody}",
            status=404,
            code="NOT_FOUND",
            message=f"Refund {nobody} cannot be found for order {oid}",
        )

    def cancelled(self):
        """A second order: no refund before a capture, then cancelled."""
        yield "place an order"
        oid = self.place(cart([SHOES]))

        yield "refund before any capture: 403 REFUND_NOT_ALLOWED"
        self.k.error(
            "POST",
            f"/ordermanagement/v1/orders/{oid}/refunds",
            {"refunded_amount": 100},
            status=403,
            code="REFUND_NOT_ALLOWED",
            message="Order has no captures. Refund not possible.",
        )

        yield "cancel (204): CANCELLED, nothing remaining"
        self.k.call("POST", f"/ordermanagement/v1/orders/{oid}/cancel", status=204)
        self.amounts(oid, status="CANCELLED", remaining_authorized_amount=0, captured_amount=0)

        yield "a cancelled order takes no capture: 403 CAPTURE_NOT_ALLOWED"
        self.k.error(
            "POST",
            f"/ordermanagement/v1/orders/{oid}/captures",
            {"captured_amount": 100},
            status=403,
            code="CAPTURE_NOT_ALLOWED",
        )

    def fraud(self):
        """A pending fraud review: no capture until it is accepted."""
        yield "place an order whose fraud review is pending"
        body = cart([SOCKS])
        token = self.authorize(self.session(body), outcome="pending")
        placed = self.k.json("POST", f"/payments/v1/authorizations/{token}/order", body)
        oid = placed["order_id"]
        eq(placed["fraud_status"], "PENDING", "fraud_status at creation")
        self.amounts(oid, status="AUTHORIZED", fraud_status="PENDING")

        yield "capture while pending: 403 CAPTURE_NOT_ALLOWED"
        self.k.error(
            "POST",
            f"/ordermanagement/v1/orders/{oid}/captures",
            {"captured_amount": 1500},
            status=403,
            code="CAPTURE_NOT_ALLOWED",
        )
        self.amounts(oid, captured_amount=0, captures=[])

        yield "the review accepts it (test control), then the capture goes through"
        self.k.control(f"/_sandbox/klarna/orders/{oid}/fraud", {"status": "ACCEPTED"})
        resp = self.k.call("POST", f"/ordermanagement/v1/orders/{oid}/captures", {"captured_amount": 1500}, status=201)
        self.created(resp, "Capture-Id", "captures")
        self.amounts(
            oid, status="CAPTURED", fraud_status="ACCEPTED", captured_amount=1500, remaining_authorized_amount=0
        )

    def rich_session(self):
        """A session with every field Klarna Payments takes, read back as sent."""
        body = cart(
            [SHOES, SOCKS],
            acquiring_channel="ECOMMERCE",
            attachment={
                "content_type": "application/vnd.klarna.internal.emd-v2+json",
                "body": '{"customer_account_info":[{"unique_account_identifier":"customer@example.com"}]}',
            },
            billing_address=ADDRESS,
            shipping_address=dict(ADDRESS, street_address="Lillgatan 2"),
            custom_payment_method_ids=["pay_later_b2b"],
            customer={
                "date_of_birth": "1978-12-31",
                "gender": "female",
                "title": "Ms.",
                "type": "person",
                "national_identification_number": "197812311234",
            },
            design="klarna-sandbox",
            intent="buy_and_tokenize",
            merchant_data='{"order_specific":[{"substore":"Shoes"}]}',
            merchant_reference1="cart-2002",
            merchant_reference2="web",
            merchant_urls={
                "confirmation": "https://shop.example.com/thanks?sid={session.id}",
                "notification": "https://shop.example.com/klarna/notify",
                "push": "https://shop.example.com/klarna/push",
                "authorization": "https://shop.example.com/klarna/authorization",
            },
            options={"color_border": "#FF9900", "radius_border": "5px"},
        )

        yield "create it (200)"
        sid = self.session(body)

        yield "read it back: what was sent, the customer without its national id"
        read = self.k.json("GET", f"/payments/v1/sessions/{sid}")
        for key in (
            "acquiring_channel",
            "attachment",
            "billing_address",
            "shipping_address",
            "custom_payment_method_ids",
            "design",
            "intent",
            "merchant_data",
            "merchant_reference1",
            "merchant_reference2",
            "merchant_urls",
            "options",
            "order_amount",
            "order_tax_amount",
            "order_lines",
            "purchase_country",
            "purchase_currency",
            "locale",
        ):
            eq(read.get(key), body[key], key)
        # `customer_read` has no national_identification_number (nor last_four_ssn).
        expected_customer = {k: v for k, v in body["customer"].items() if k != "national_identification_number"}
        eq(read.get("customer"), expected_customer, "customer")

    def authorizations(self):
        """Klarna Payments: cancelling an authorization, and customer tokens."""
        yield "cancel an authorization (204), then again (404)"
        token = self.authorize(self.session(cart([SOCKS])))
        self.k.call("DELETE", f"/payments/v1/authorizations/{token}", status=204)
        self.k.error("DELETE", f"/payments/v1/authorizations/{token}", status=404, code="NOT_FOUND")

        yield "a cancelled authorization places no order (404)"
        self.k.error(
            "POST",
            f"/payments/v1/authorizations/{token}/order",
            cart([SOCKS]),
            status=404,
            code="NOT_FOUND",
            message="Invalid authorization token",
        )

        yield "customer token for a tokenize session (200 token_id)"
        sid = self.session(cart([SOCKS], intent="tokenize"))
        token = self.authorize(sid)
        request = {
            "description": "Socks every month",
            "intended_use": "SUBSCRIPTION",
            "locale": "sv-SE",
            "purchase_country": "SE",
            "purchase_currency": "SEK",
            "billing_address": ADDRESS,
        }
        made = self.k.json("POST", f"/payments/v1/authorizations/{token}/customer-token", request)
        check(made["token_id"], "token_id")
        eq(made["billing_address"]["city"], "Ankeborg", "billing_address.city")
        eq(self.k.json("GET", f"/payments/v1/sessions/{sid}")["status"], "complete", "session status")

        yield "the same token again: 403 INVALID_OPERATION"
        self.k.error(
            "POST",
            f"/payments/v1/authorizations/{token}/customer-token",
            request,
            status=403,
            code="INVALID_OPERATION",
            message="Authorization token already consumed",
        )

        yield "a buy session gives no customer token: 403 INVALID_OPERATION"
        token = self.authorize(self.session(cart([SOCKS])))
        self.k.error(
            "POST",
            f"/payments/v1/authorizations/{token}/customer-token",
            request,
            status=403,
            code="INVALID_OPERATION",
            message="Not allowed to create customer token for intent buy",
        )

    def errors(self):
        """The documented errors that need no order history."""
        missing = str(uuid.uuid4())

        yield "no credentials: 401"
        self.k.error("GET", f"/ordermanagement/v1/orders/{missing}", status=401, auth=False)
        self.k.error("POST", "/payments/v1/sessions", cart([SOCKS]), status=401, auth=False)

        yield "unknown order: 404 NO_SUCH_ORDER"
        self.k.error(
            "GET",
            f"/ordermanagement/v1/orders/{missing}",
            status=404,
            code="NO_SUCH_ORDER",
            message=f"Order {missing} cannot be found",
        )
        self.k.error(
            "POST",
            f"/ordermanagement/v1/orders/{missing}/captures",
            {"captured_amount": 100},
            status=404,
            code="NO_SUCH_ORDER",
        )
        self.k.error("GET", f"/ordermanagement/v1/orders/{missing}/captures", status=404, code="NO_SUCH_ORDER")

        yield "refund on an unknown order: 404 NOT_FOUND"
        self.k.error(
            "POST",
            f"/ordermanagement/v1/orders/{missing}/refunds",
            {"refunded_amount": 100},
            status=404,
            code="NOT_FOUND",
        )

        yield "a session whose line tax is off: 400 BAD_VALUE order_lines[0].total_tax_amount"
        bad = copy.deepcopy(SHOES)
        bad["total_tax_amount"] += 2
        self.k.error(
            "POST",
            "/payments/v1/sessions",
            cart([bad]),
            status=400,
            code="BAD_VALUE",
            message="Bad value: order_lines[0].total_tax_amount",
        )

        yield "unknown session: 404 NOT_FOUND"
        self.k.error("GET", f"/payments/v1/sessions/{missing}", status=404, code="NOT_FOUND")

    def run(self):
        print(f"Klarna contract scenario (openapi-core) against {self.base_url}", flush=True)
        started = time.monotonic()
        self.section("one order's life: session, order, every Order Management change", self.life)
        self.section("a second order, cancelled", self.cancelled)
        self.section("pending fraud review", self.fraud)
        self.section("a session with every field, read back", self.rich_session)
        self.section("authorizations: cancel, customer tokens", self.authorizations)
        self.section("errors", self.errors)
        k = self.k
        print(
            f"\nopenapi-core validated {k.requests_validated} requests and {k.responses_validated} responses "
            f"({k.responses_undeclared} responses with a status the spec does not declare: error shape only) "
            f"in {time.monotonic() - started:.1f}s"
        )
        if self.failed:
            print(f"klarna scenario: {self.passed} steps ok, {len(self.failed)} FAILED:")
            for failure in self.failed:
                print(f"  * {failure}")
            return 1
        print(f"klarna scenario: all {self.passed} steps ok")
        return 0


def main(argv):
    if len(argv) != 2:
        print("usage: scenario.py BASE_URL (e.g. http://127.0.0.1:9090)", file=sys.stderr)
        return 2
    return Scenario(argv[1]).run()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
