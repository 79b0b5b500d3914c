"""Contract scenario: Kassa's sandbox driven by Mollie's official Python client.

Usage: python scenario.py http://127.0.0.1:PORT

The client is `mollie-api-python==4.0.0` (see requirements.txt). The expectations are what
Mollie documents for its Orders API (docs/reference: /work/shared/reference/mollie-orders-api.md,
sections 3-5): statuses, amounts, quantities, and the error status/field/detail that the
client's error classes expose.

The scenario is split into independent sections; a section stops at its first failing step,
the others still run. The exit status is 0 only if every step passed.
"""

import copy
import sys
import traceback

import requests
from mollie.api.client import Client
from mollie.api.error import Error, NotFoundError, ResponseError, UnauthorizedError, UnprocessableEntityError

API_KEY = "test_dHar4XY7LxsDOtmnkVtjNVWXLSlXsM"
EMBEDS = "payments,refunds,shipments"


def eur(value):
    return {"currency": "EUR", "value": value}


# Mollie's documented create-order example (the "Lego cars" order), without webhookUrl.
LEGO_ORDER = {
    "amount": eur("1027.99"),
    "orderNumber": "1337",
    "locale": "nl_NL",
    "redirectUrl": "https://example.org/redirect",
    "method": "klarnapaylater",
    "consumerDateOfBirth": "1958-01-31",
    "metadata": {"order_id": "1337", "description": "Lego cars"},
    "billingAddress": {
        "organizationName": "Mollie B.V.",
        "streetAndNumber": "Keizersgracht 126",
        "city": "Amsterdam",
        "region": "Noord-Holland",
        "postalCode": "1234AB",
        "country": "NL",
        "title": "Dhr.",
        "givenName": "Piet",
        "familyName": "Mondriaan",
        "email": "piet@mondriaan.com",
        "phone": "+31309202070",
    },
    "lines": [
        {
            "type": "physical",
            "category": "gift",
            "sku": "5702016116977",
            "name": "LEGO 42083 Bugatti Chiron",
            "productUrl": "https://shop.lego.com/nl-NL/Bugatti-Chiron-42083",
            "imageUrl": "https://sh-s7-live-s.legocdn.com/is/image//LEGO/42083_alt1?$main$",
            "metadata": {"order_id": "1337", "description": "Bugatti Chiron"},
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

TRACKING = {
    "carrier": "PostNL",
    "code": "3SKABA000000000",
    "url": "http://postnl.nl/tracktrace/?B=3SKABA000000000&P=1015CW&D=NL&T=C",
}


class StepFailed(Exception):
    pass


def check(condition, message):
    if not condition:
        raise StepFailed(message)


def eq(actual, expected, what):
    if actual != expected:
        raise StepFailed(f"{what}: expected {expected!r}, got {actual!r}")


def amount(obj, expected, what):
    """An amount object equal to EUR `expected`, compared as Mollie renders it (string value)."""
    eq(obj, eur(expected), what)


def expect_error(call, status, error_class=None, field=None, detail=None, detail_contains=None):
    """Runs `call`, which must raise the client's ResponseError with these properties."""
    try:
        result = call()
    except ResponseError as e:
        if error_class is not None:
            check(
                isinstance(e, error_class),
                f"expected {error_class.__name__}, got {type(e).__name__} (status {e.status}: {e})",
            )
        if isinstance(status, tuple):
            check(e.status in status, f"error status: expected one of {status}, got {e.status} ({e})")
        else:
            eq(e.status, status, "error status")
        if field is not None:
            eq(e.field, field, "error field")
        if detail is not None:
            eq(str(e), detail, "error detail")
        if detail_contains is not None:
            check(
                detail_contains.lower() in str(e).lower(),
                f"error detail {str(e)!r} should contain {detail_contains!r}",
            )
        return e
    raise StepFailed(f"expected a {status} error, but the call succeeded: {dict(result) if result else result!r}")


class Scenario:
    def __init__(self, base_url):
        self.base_url = base_url.rstrip("/")
        self.client = Client(api_endpoint=self.base_url, timeout=(5, 30), retry=0)
        self.client.set_api_key(API_KEY)
        self.passed = 0
        self.failed = []
        self.created_ids = []

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
        except Error as e:
            self.passed -= 1 if current != "(start)" else 0
            detail = f"{type(e).__name__}: {e}"
            if isinstance(e, ResponseError):
                detail += f" (status {e.status}, field {e.field!r})"
            self.fail(name, current, detail)
        except Exception as e:  # noqa: BLE001 - anything else is a failure of this section too
            self.passed -= 1 if current != "(start)" else 0
            self.fail(name, current, f"{type(e).__name__}: {e}\n{traceback.format_exc()}")

    def fail(self, section, step, message):
        print(f"    FAILED: {message}", flush=True)
        self.failed.append(f"{section} / {step}: {message}")

    # -- helpers -----------------------------------------------------------------------------

    def create_order(self, order_number, method="klarnapaylater"):
        data = copy.deepcopy(LEGO_ORDER)
        data["orderNumber"] = order_number
        data["method"] = method
        order = self.client.orders.create(data)
        self.created_ids.append(order.id)
        return order

    def get(self, order_id):
        return self.client.orders.get(order_id, embed=EMBEDS)

    def checkout(self, order, outcome, method):
        """Completes the hosted checkout as the customer would: a form POST to _links.checkout."""
        href = order.checkout_url
        check(href, f"order {order.id} has no _links.checkout")
        resp = requests.post(href, data={"outcome": outcome, "method": method}, allow_redirects=False, timeout=30)
        eq(resp.status_code, 303, f"checkout POST {href} status (body: {resp.text[:200]!r})")
        eq(resp.headers.get("Location"), order.redirect_url, "checkout redirect Location")

    # -- sections ----------------------------------------------------------------------------

    def authorized_flow(self):
        """Order 1: create, embeds, updates, Klarna authorization, partial cancel, two shipments."""
        yield "create the Lego order (201, status created)"
        order = self.create_order("1337")
        eq(order.resource, "order", "resource")
        check(order.id.startswith("ord_"), f"order id {order.id!r} should start with ord_")
        eq(order.status, "created", "status")
        eq(order.mode, "test", "mode")
        amount(order.amount, "1027.99", "amount")
        eq(order.order_number, "1337", "orderNumber")
        eq(order.method, "klarnapaylater", "method")
        check(order.webhook_url is None, f"webhookUrl was not sent, got {order.webhook_url!r}")
        check(order.expires_at, "expiresAt should be set on a created order")
        check(order.checkout_url, "_links.checkout should be present while created")
        lines = order["lines"]
        eq(len(lines), 2, "number of lines")
        for i, line in enumerate(lines):
            check(line["id"].startswith("odl_"), f"line {i} id {line['id']!r}")
            eq(line["resource"], "orderline", f"line {i} resource")
            eq(line["orderId"], order.id, f"line {i} orderId")
            eq(line["status"], "created", f"line {i} status")
            eq(line["isCancelable"], False, f"line {i} isCancelable")
            for counter in ("shippableQuantity", "refundableQuantity", "cancelableQuantity"):
                eq(line[counter], 0, f"line {i} {counter} while created")
        amount(lines[0]["totalAmount"], "698.00", "line 0 totalAmount")
        amount(lines[0]["vatAmount"], "121.14", "line 0 vatAmount")
        amount(lines[0]["discountAmount"], "100.00", "line 0 discountAmount")
        amount(lines[1]["totalAmount"], "329.99", "line 1 totalAmount")
        eq(lines[0]["_links"]["productUrl"]["href"], LEGO_ORDER["lines"][0]["productUrl"], "line 0 productUrl")
        bugatti, porsche = lines[0]["id"], lines[1]["id"]

        yield "get it with embed=payments,refunds,shipments"
        got = self.get(order.id)
        eq(got.id, order.id, "id")
        eq(got.status, "created", "status")
        embedded = got.get("_embedded") or {}
        for payment in embedded.get("payments", []):
            eq(payment["resource"], "payment", "embedded payment resource")
            eq(payment.get("orderId"), order.id, "embedded payment orderId")
            amount(payment["amount"], "1027.99", "embedded payment amount")
        eq(embedded.get("refunds", []), [], "embedded refunds")
        eq(embedded.get("shipments", []), [], "embedded shipments")

        yield "update the Porsche line while created (quantity 2 -> order amount 1357.98)"
        line = order.lines.update(
            porsche,
            {
                "quantity": 2,
                "unitPrice": eur("329.99"),
                "totalAmount": eur("659.98"),
                "vatRate": "21.00",
                "vatAmount": eur("114.54"),
            },
        )
        eq(line.id, porsche, "updated line id")
        eq(line.quantity, 2, "updated line quantity")
        amount(line.total_amount, "659.98", "updated line totalAmount")
        amount(line.vat_amount, "114.54", "updated line vatAmount")
        amount(self.get(order.id).amount, "1357.98", "order amount after the line update")

        yield "update the order (orderNumber, billingAddress)"
        billing = dict(LEGO_ORDER["billingAddress"], streetAndNumber="Keizersgracht 313", postalCode="1016EE")
        updated = self.client.orders.update(order.id, {"orderNumber": "1337-A", "billingAddress": billing})
        eq(updated.order_number, "1337-A", "orderNumber")
        eq(updated.billing_address["streetAndNumber"], "Keizersgracht 313", "billingAddress.streetAndNumber")
        eq(updated.billing_address["postalCode"], "1016EE", "billingAddress.postalCode")
        eq(updated.status, "created", "status")
        eq(self.get(order.id).order_number, "1337-A", "orderNumber after a fresh get")

        yield "checkout: the customer authorizes with klarnapaylater (303 to redirectUrl)"
        self.checkout(self.get(order.id), "authorized", "klarnapaylater")
        order = self.get(order.id)
        eq(order.status, "authorized", "status")
        eq(order.method, "klarnapaylater", "method")
        check(order.authorized_at, "authorizedAt should be set")
        check(order.checkout_url is None, "_links.checkout should be gone once authorized")
        eq(order.is_cancelable, True, "isCancelable")
        for i, line in enumerate(order["lines"]):
            eq(line["status"], "authorized", f"line {i} status")
        eq(order["lines"][1]["shippableQuantity"], 2, "Porsche shippableQuantity")
        eq(order["lines"][1]["cancelableQuantity"], 2, "Porsche cancelableQuantity")

        yield "cancel 1 of the discounted Bugatti line without amount (422 lines.0.amount)"
        expect_error(
            lambda: order.lines.delete_lines({"lines": [{"id": bugatti, "quantity": 1}]}),
            422,
            UnprocessableEntityError,
            field="lines.0.amount",
            detail_contains="An amount is required",
        )

        yield "cancel 1 of the 2 Porsches (cancel lines with quantity, 204)"
        order.lines.delete_lines({"lines": [{"id": porsche, "quantity": 1}]})
        order = self.get(order.id)
        line = order["lines"][1]
        eq(line["status"], "authorized", "Porsche status after a partial cancel")
        eq(line["quantityCanceled"], 1, "Porsche quantityCanceled")
        amount(line["amountCanceled"], "329.99", "Porsche amountCanceled")
        eq(line["cancelableQuantity"], 1, "Porsche cancelableQuantity")
        eq(line["shippableQuantity"], 1, "Porsche shippableQuantity")
        eq(order.status, "authorized", "order status")

        yield "ship 1 Bugatti (amount 299.00) with PostNL tracking (201)"
        shipment = order.shipments.create(
            {"lines": [{"id": bugatti, "quantity": 1, "amount": eur("299.00")}], "tracking": TRACKING}
        )
        eq(shipment.resource, "shipment", "resource")
        check(shipment.id.startswith("shp_"), f"shipment id {shipment.id!r}")
        eq(shipment.order_id, order.id, "orderId")
        eq(shipment.tracking, TRACKING, "tracking")
        eq(len(shipment["lines"]), 1, "shipment lines")
        shipped = shipment["lines"][0]
        eq(shipped["id"], bugatti, "shipped line id")
        eq(shipped["quantity"], 1, "shipped quantity")
        amount(shipped["totalAmount"], "299.00", "shipped totalAmount")
        amount(shipped["vatAmount"], "51.89", "shipped vatAmount")
        eq(shipped["status"], "shipping", "shipped line status")
        check(
            shipment["_links"]["order"]["href"].endswith(f"/v2/orders/{order.id}"),
            f"shipment _links.order {shipment['_links']['order']}",
        )
        first_shipment = shipment.id
        order = self.get(order.id)
        eq(order.status, "shipping", "order status")
        bug = order["lines"][0]
        eq(bug["status"], "shipping", "Bugatti status")
        eq(bug["quantityShipped"], 1, "Bugatti quantityShipped")
        amount(bug["amountShipped"], "299.00", "Bugatti amountShipped")
        eq(bug["shippableQuantity"], 1, "Bugatti shippableQuantity")
        amount(order.amount_captured, "299.00", "amountCaptured")

        yield "ship 2 Porsches when 1 is left (422 lines.0.quantity)"
        expect_error(
            lambda: order.shipments.create({"lines": [{"id": porsche, "quantity": 2}]}),
            422,
            UnprocessableEntityError,
            field="lines.0.quantity",
            detail="Line 0 contains invalid data. The quantity is higher than the maximum quantity. "
            "The maximum quantity is 1.",
        )

        yield "get, list and update the shipment"
        got = order.shipments.get(first_shipment)
        eq(got.id, first_shipment, "get shipment id")
        eq(got.tracking, TRACKING, "get shipment tracking")
        listed = order.shipments.list()
        eq(listed.count, 1, "shipments count")
        eq([s.id for s in listed], [first_shipment], "listed shipment ids")
        new_tracking = dict(TRACKING, code="3SKABA000000001")
        updated = order.shipments.update(first_shipment, {"tracking": new_tracking})
        eq(updated.tracking["code"], "3SKABA000000001", "updated tracking code")
        eq(order.shipments.get(first_shipment).tracking["code"], "3SKABA000000001", "tracking code on a fresh get")

        yield "ship the rest (lines omitted): order completed"
        shipment = order.shipments.create()
        rest = {line["id"]: line for line in shipment["lines"]}
        eq(sorted(rest), sorted([bugatti, porsche]), "lines in the second shipment")
        eq(rest[bugatti]["quantity"], 1, "Bugatti quantity in the second shipment")
        amount(rest[bugatti]["totalAmount"], "399.00", "Bugatti amount in the second shipment")
        eq(rest[porsche]["quantity"], 1, "Porsche quantity in the second shipment")
        amount(rest[porsche]["totalAmount"], "329.99", "Porsche amount in the second shipment")
        check("tracking" not in shipment or shipment["tracking"] is None, "no tracking was sent")
        order = self.get(order.id)
        eq(order.status, "completed", "order status")
        check(order.completed_at, "completedAt should be set")
        eq([line["status"] for line in order["lines"]], ["completed", "completed"], "line statuses")
        amount(order.amount, "1357.98", "order amount (unchanged)")
        amount(order.amount_captured, "1027.99", "amountCaptured")
        eq(len(order["_embedded"]["shipments"]), 2, "embedded shipments")

        yield "another shipment on the completed order (422 no lines can be shipped)"
        expect_error(
            lambda: order.shipments.create(),
            422,
            UnprocessableEntityError,
            detail="Cannot create a shipment. No lines can be shipped.",
        )

        yield "a new payment for the completed order (422)"
        expect_error(
            lambda: order.payments.create({"method": "ideal"}),
            422,
            UnprocessableEntityError,
            detail=f'Cannot create a new payment for order {order.id} when the order status is "completed".',
        )

    def paid_flow(self):
        """Order 2: iDEAL paid, partial refund, list refunds, paid orders cannot be canceled."""
        yield "create a second order for iDEAL"
        order = self.create_order("1338", method="ideal")
        eq(order.status, "created", "status")

        yield "a shipment on the created order (422 This order cannot be shipped.)"
        expect_error(
            lambda: order.shipments.create(),
            422,
            UnprocessableEntityError,
            detail="This order cannot be shipped.",
        )

        yield "checkout: the customer pays with iDEAL"
        self.checkout(order, "paid", "ideal")
        order = self.get(order.id)
        eq(order.status, "paid", "status")
        eq(order.method, "ideal", "method")
        check(order.paid_at, "paidAt should be set")
        eq([line["status"] for line in order["lines"]], ["paid", "paid"], "line statuses")
        eq(order["lines"][1]["refundableQuantity"], 1, "Porsche refundableQuantity")
        payments = order["_embedded"]["payments"]
        check(any(p["status"] == "paid" for p in payments), f"a paid payment should be embedded: {payments}")
        porsche = order["lines"][1]["id"]

        yield "a refund without lines (422 The 'lines' field is missing.)"
        expect_error(
            lambda: order.refunds.create({"description": "no lines"}),
            422,
            UnprocessableEntityError,
            field="lines",
            detail="The 'lines' field is missing.",
        )

        yield "refund the Porsche line, quantity 1 (201)"
        refund = order.refunds.create({"lines": [{"id": porsche, "quantity": 1}], "description": "Porsche returned"})
        eq(refund.resource, "refund", "resource")
        check(refund.id.startswith("re_"), f"refund id {refund.id!r}")
        amount(refund.amount, "329.99", "refund amount")
        eq(refund.order_id, order.id, "refund orderId")
        check((refund.payment_id or "").startswith("tr_"), f"refund paymentId {refund.payment_id!r}")
        eq(refund.description, "Porsche returned", "refund description")
        check(refund.status in ("pending", "queued", "processing", "refunded"), f"refund status {refund.status!r}")
        eq([(line["id"], line["quantity"]) for line in refund["lines"]], [(porsche, 1)], "refund lines")
        refund_id = refund.id
        order = self.get(order.id)
        amount(order.amount_refunded, "329.99", "order amountRefunded")
        eq(order["lines"][1]["quantityRefunded"], 1, "Porsche quantityRefunded")
        amount(order["lines"][1]["amountRefunded"], "329.99", "Porsche amountRefunded")
        eq(order["lines"][1]["refundableQuantity"], 0, "Porsche refundableQuantity")
        eq(order.status, "paid", "order status after a refund")
        eq([r["id"] for r in order["_embedded"]["refunds"]], [refund_id], "embedded refunds")

        yield "list the order's refunds"
        refunds = order.refunds.list()
        eq(refunds.count, 1, "refunds count")
        eq([r.id for r in refunds], [refund_id], "listed refund ids")

        yield "cancel the paid order (not cancelable: 400/422)"
        # Mollie documents that paid orders cannot be canceled (refund instead); the exact
        # status is not documented: 400 as for "cannot be canceled from state: canceled", or 422.
        e = expect_error(lambda: self.client.orders.delete(order.id), (400, 422), detail_contains="cancel")
        print(f"    ({e.status}: {e})")

    def cancel_flow(self):
        """Order 3: authorized, then canceled as a whole."""
        yield "create a third order and authorize it"
        order = self.create_order("1339")
        self.checkout(order, "authorized", "klarnapaylater")
        eq(self.get(order.id).status, "authorized", "status")

        yield "cancel it with orders.delete (200, canceled)"
        canceled = self.client.orders.delete(order.id)
        eq(canceled.id, order.id, "id")
        eq(canceled.status, "canceled", "status")
        eq(canceled.is_cancelable, False, "isCancelable")
        check(canceled.canceled_at, "canceledAt should be set")
        amount(canceled.amount, "1027.99", "amount (unchanged)")
        for i, line in enumerate(canceled["lines"]):
            eq(line["status"], "canceled", f"line {i} status")
            eq(line["quantityCanceled"], line["quantity"], f"line {i} quantityCanceled")
            eq(line["amountCanceled"], line["totalAmount"], f"line {i} amountCanceled")
        eq(self.get(order.id).status, "canceled", "status on a fresh get")

        yield "cancel it again (400 cannot be canceled from state canceled)"
        expect_error(
            lambda: self.client.orders.delete(order.id),
            400,
            detail="The order cannot be canceled from state: canceled.",
        )

    def payment_flow(self):
        """Order 4: a failed payment, then a new order payment."""
        yield "create a fourth order; the iDEAL payment fails"
        order = self.create_order("1340", method="ideal")
        self.checkout(order, "failed", "ideal")
        order = self.get(order.id)
        eq(order.status, "created", "order status after a failed payment")

        yield "create a new order payment (201 payment, open)"
        payment = order.payments.create({"method": "ideal"})
        eq(payment.resource, "payment", "resource")
        check(payment.id.startswith("tr_"), f"payment id {payment.id!r}")
        eq(payment.status, "open", "payment status")
        eq(payment.order_id, order.id, "payment orderId")
        amount(payment.amount, "1027.99", "payment amount")
        eq(payment.method, "ideal", "payment method")
        check(payment.checkout_url, "the new payment should have _links.checkout")
        order = self.get(order.id)
        statuses = [p["status"] for p in order["_embedded"]["payments"]]
        eq(sorted(statuses), ["failed", "open"], "embedded payment statuses")

    def errors(self):
        """Documented error cases."""
        yield "get an unknown order (404)"
        expect_error(
            lambda: self.client.orders.get("ord_doesnotexist"),
            404,
            NotFoundError,
            detail="No order exists with token ord_doesnotexist.",
        )

        yield "create with a wrong VAT amount on line 1 (422 lines.1.vatAmount)"
        bad = copy.deepcopy(LEGO_ORDER)
        bad["lines"][1]["vatAmount"] = eur("57.28")
        e = expect_error(
            lambda: self.client.orders.create(bad),
            422,
            UnprocessableEntityError,
            field="lines.1.vatAmount",
            detail_contains="Order line 1 is invalid. VAT amount is off.",
        )
        print(f"    ({e})")

        yield "a bad credential (401)"
        bad_client = Client(api_endpoint=self.base_url, timeout=(5, 30), retry=0)
        # An access token Mollie does not know; API keys the client accepts all look valid here.
        bad_client.set_access_token("access_invalidtoken")
        expect_error(
            lambda: bad_client.orders.get(self.created_ids[0] if self.created_ids else "ord_x"),
            401,
            UnauthorizedError,
            detail="Missing authentication, or failed to authenticate",
        )

    def idempotency(self):
        """Idempotency-Key: a replay gets the first answer; other parameters get a 400."""
        yield "create twice with the same idempotency key: one order"
        data = copy.deepcopy(LEGO_ORDER)
        data["orderNumber"] = "1342"
        first = self.client.orders.create(data, idempotency_key="kassa-contract-python-1")
        self.created_ids.append(first.id)
        again = self.client.orders.create(data, idempotency_key="kassa-contract-python-1")
        eq(again.id, first.id, "order id of the replayed create")

        yield "the same key with other parameters (400)"
        data["orderNumber"] = "1343"
        expect_error(
            lambda: self.client.orders.create(data, idempotency_key="kassa-contract-python-1"),
            400,
        )

    def listing(self):
        """Lists every order created above, two per page, following the next links."""
        yield "create one more order, left created"
        self.create_order("1341")

        yield "list orders with limit=2 and follow get_next()"
        page = self.client.orders.list(limit=2)
        check(page.get("_links", {}).get("previous") is None, "the first page has no previous link")
        seen, pages, first_ids = [], 0, [o.id for o in page]
        while True:
            pages += 1
            if pages == 2:
                check(page.has_previous(), "the second page has a previous link")
                eq([o.id for o in page.get_previous()], first_ids, "get_previous() from the second page")
            check(pages <= 10, "more than 10 pages")
            check(page.count <= 2, f"page {pages} count {page.count} exceeds limit 2")
            eq(page.count, len(page["_embedded"]["orders"]), f"page {pages} count vs items")
            seen.extend(o.id for o in page)
            if not page.has_next():
                break
            check(page.count == 2, f"page {pages} is not full but has a next link")
            page = page.get_next()
        eq(len(seen), len(set(seen)), "no order listed twice")
        eq(seen, list(reversed(self.created_ids)), "all orders, newest first")
        expected_pages = (len(self.created_ids) + 1) // 2
        eq(pages, expected_pages, "number of pages")

    def run(self):
        print(f"mollie-api-python contract scenario against {self.base_url}", flush=True)
        self.section("authorized order: update, cancel a line, ship in two parts", self.authorized_flow)
        self.section("paid order: refund, list refunds, cannot cancel", self.paid_flow)
        self.section("authorized order canceled as a whole", self.cancel_flow)
        self.section("failed payment, new order payment", self.payment_flow)
        self.section("errors", self.errors)
        self.section("idempotent create", self.idempotency)
        self.section("list orders, two per page", self.listing)
        print()
        if self.failed:
            print(f"python scenario: {self.passed} steps ok, {len(self.failed)} FAILED:")
            for failure in self.failed:
                print(f"  * {failure}")
            return 1
        print(f"python scenario: all {self.passed} steps ok")
        return 0


def main(argv):
    if len(argv) != 2:
        print("usage: scenario.py BASE_URL (e.g. http://127.0.0.1:9090)", file=sys.stderr)
        return 2
    return Scenario(argv[1]).run()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
