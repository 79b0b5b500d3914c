// Contract scenario: Kassa's sandbox driven by Mollie's official Node client.
//
// Usage: NODE_TLS_REJECT_UNAUTHORIZED=0 node scenario.mjs https://127.0.0.1:PORT/v2/
//
// The client is @mollie/api-client 4.6.0 (package-lock.json). It only speaks HTTPS and trusts
// only its bundled CA list, so the sandbox serves a self-signed certificate and this process
// (only this one) runs with NODE_TLS_REJECT_UNAUTHORIZED=0.
//
// The expectations are what Mollie documents for its Orders API (statuses, amounts, quantities,
// error status/field/detail as the client's MollieApiError exposes them). The scenario is split
// into independent sections; a section stops at its first failing step, the others still run.
// The exit status is 0 only if every step passed.

import https from 'node:https';
import http from 'node:http';
import mollie from '@mollie/api-client';

const { createMollieClient, MollieApiError } = mollie;

const API_KEY = 'test_dHar4XY7LxsDOtmnkVtjNVWXLSlXsM';
const EMBEDS = ['payments', 'refunds', 'shipments'];

const eur = (value) => ({ currency: 'EUR', value });

// Mollie's documented create-order example (the "Lego cars" order), without webhookUrl.
const LEGO_ORDER = {
  amount: eur('1027.99'),
  orderNumber: '1337',
  locale: 'nl_NL',
  redirectUrl: 'https://example.org/redirect',
  method: 'klarnapaylater',
  consumerDateOfBirth: '1958-01-31',
  metadata: { order_id: '1337', description: 'Lego cars' },
  billingAddress: {
    organizationName: 'Mollie B.V.',
    streetAndNumber: 'Keizersgracht 126',
    city: 'Amsterdam',
    region: 'Noord-Holland',
    postalCode: '1234AB',
    country: 'NL',
    title: 'Dhr.',
    givenName: 'Piet',
    familyName: 'Mondriaan',
    email: 'piet@mondriaan.com',
    phone: '+31309202070',
  },
  lines: [
    {
      type: 'physical',
      category: 'gift',
      sku: '5702016116977',
      name: 'LEGO 42083 Bugatti Chiron',
      productUrl: 'https://shop.lego.com/nl-NL/Bugatti-Chiron-42083',
      imageUrl: 'https://sh-s7-live-s.legocdn.com/is/image//LEGO/42083_alt1?$main$',
      metadata: { order_id: '1337', description: 'Bugatti Chiron' },
      quantity: 2,
      vatRate: '21.00',
      unitPrice: eur('399.00'),
      discountAmount: eur('100.00'),
      totalAmount: eur('698.00'),
      vatAmount: eur('121.14'),
    },
    {
      type: 'physical',
      sku: '5702015594028',
      name: 'LEGO 42056 Porsche 911 GT3 RS',
      quantity: 1,
      vatRate: '21.00',
      unitPrice: eur('329.99'),
      totalAmount: eur('329.99'),
      vatAmount: eur('57.27'),
    },
  ],
};

const TRACKING = {
  carrier: 'PostNL',
  code: '3SKABA000000000',
  url: 'http://postnl.nl/tracktrace/?B=3SKABA000000000&P=1015CW&D=NL&T=C',
};

class StepFailed extends Error {}

const show = (v) => JSON.stringify(v);

function check(condition, message) {
  if (!condition) throw new StepFailed(message);
}

function eq(actual, expected, what) {
  // Compares plain data (the client's objects carry helper prototypes; JSON drops them).
  if (show(actual) !== show(expected)) {
    throw new StepFailed(`${what}: expected ${show(expected)}, got ${show(actual)}`);
  }
}

function amount(obj, expected, what) {
  eq(obj && { currency: obj.currency, value: obj.value }, eur(expected), what);
}

/** Awaits `call`, which must reject with the client's MollieApiError with these properties. */
async function expectError(call, { status, field, detail, detailContains }) {
  let result;
  try {
    result = await call();
  } catch (e) {
    check(e instanceof MollieApiError, `expected a MollieApiError, got ${e && e.name}: ${e && e.message}`);
    const statuses = Array.isArray(status) ? status : [status];
    check(statuses.includes(e.statusCode), `error status: expected ${statuses.join(' or ')}, got ${e.statusCode} (${e.message})`);
    if (field !== undefined) eq(e.field, field, 'error field');
    if (detail !== undefined) eq(e.message, detail, 'error detail');
    if (detailContains !== undefined) {
      check(
        e.message.toLowerCase().includes(detailContains.toLowerCase()),
        `error detail ${show(e.message)} should contain ${show(detailContains)}`,
      );
    }
    return e;
  }
  throw new StepFailed(`expected a ${status} error, but the call succeeded: ${show(result)}`);
}

/** A form POST that does not follow redirects; resolves to {status, location, body}. */
function postForm(href, form) {
  const url = new URL(href);
  const body = new URLSearchParams(form).toString();
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = transport.request(
      url,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(body) },
        rejectUnauthorized: false,
        timeout: 30_000,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode, location: res.headers.location, body: text }));
      },
    );
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error(`POST ${href} timed out`)));
    req.end(body);
  });
}

class Scenario {
  constructor(apiEndpoint) {
    this.apiEndpoint = apiEndpoint;
    this.mollie = createMollieClient({ apiKey: API_KEY, apiEndpoint });
    this.passed = 0;
    this.failed = [];
    this.createdIds = [];
  }

  async section(name, steps) {
    console.log(`\n== ${name}`);
    let current = null;
    const step = (title) => {
      if (current !== null) this.passed += 1;
      current = title;
      console.log(`  - ${title}`);
    };
    try {
      await steps.call(this, step);
      if (current !== null) this.passed += 1;
    } catch (e) {
      let message = `${e && e.name}: ${e && e.message}`;
      if (e instanceof MollieApiError) message += ` (status ${e.statusCode}, field ${show(e.field)})`;
      else if (!(e instanceof StepFailed)) message += `\n${e && e.stack}`;
      console.log(`    FAILED: ${message}`);
      this.failed.push(`${name} / ${current}: ${message}`);
    }
  }

  // -- helpers -----------------------------------------------------------------------------

  async createOrder(orderNumber, method = 'klarnapaylater') {
    const data = structuredClone(LEGO_ORDER);
    data.orderNumber = orderNumber;
    data.method = method;
    const order = await this.mollie.orders.create(data);
    this.createdIds.push(order.id);
    return order;
  }

  get(orderId) {
    return this.mollie.orders.get(orderId, { embed: EMBEDS });
  }

  /** Completes the hosted checkout as the customer would: a form POST to _links.checkout. */
  async checkout(order, outcome, method) {
    const href = order._links.checkout && order._links.checkout.href;
    check(href, `order ${order.id} has no _links.checkout`);
    const res = await postForm(href, { outcome, method });
    eq(res.status, 303, `checkout POST ${href} status (body: ${show(res.body.slice(0, 200))})`);
    eq(res.location, order.redirectUrl, 'checkout redirect Location');
  }

  // -- sections ----------------------------------------------------------------------------

  async authorizedFlow(step) {
    step('create the Lego order (201, status created)');
    let order = await this.createOrder('1337');
    eq(order.resource, 'order', 'resource');
    check(order.id.startsWith('ord_'), `order id ${order.id}`);
    eq(order.status, 'created', 'status');
    eq(order.mode, 'test', 'mode');
    amount(order.amount, '1027.99', 'amount');
    eq(order.orderNumber, '1337', 'orderNumber');
    eq(order.method, 'klarnapaylater', 'method');
    check(order.webhookUrl == null, `webhookUrl was not sent, got ${show(order.webhookUrl)}`);
    check(order.expiresAt, 'expiresAt should be set on a created order');
    check(order.getCheckoutUrl(), '_links.checkout should be present while created');
    eq(order.lines.length, 2, 'number of lines');
    order.lines.forEach((line, i) => {
      check(line.id.startsWith('odl_'), `line ${i} id ${line.id}`);
      eq(line.resource, 'orderline', `line ${i} resource`);
      eq(line.orderId, order.id, `line ${i} orderId`);
      eq(line.status, 'created', `line ${i} status`);
      eq(line.isCancelable, false, `line ${i} isCancelable`);
      for (const counter of ['shippableQuantity', 'refundableQuantity', 'cancelableQuantity']) {
        eq(line[counter], 0, `line ${i} ${counter} while created`);
      }
    });
    amount(order.lines[0].totalAmount, '698.00', 'line 0 totalAmount');
    amount(order.lines[0].vatAmount, '121.14', 'line 0 vatAmount');
    amount(order.lines[0].discountAmount, '100.00', 'line 0 discountAmount');
    amount(order.lines[1].totalAmount, '329.99', 'line 1 totalAmount');
    eq(order.lines[0]._links.productUrl.href, LEGO_ORDER.lines[0].productUrl, 'line 0 productUrl');
    const [bugatti, porsche] = order.lines.map((l) => l.id);
    const orderId = order.id;

    step('get it with embed=payments,refunds,shipments');
    let got = await this.get(orderId);
    eq(got.id, orderId, 'id');
    eq(got.status, 'created', 'status');
    const embedded = got._embedded || {};
    for (const payment of embedded.payments || []) {
      eq(payment.resource, 'payment', 'embedded payment resource');
      eq(payment.orderId, orderId, 'embedded payment orderId');
      amount(payment.amount, '1027.99', 'embedded payment amount');
    }
    eq(embedded.refunds || [], [], 'embedded refunds');
    eq(embedded.shipments || [], [], 'embedded shipments');

    step('update the Porsche line while created (quantity 2 -> order amount 1357.98)');
    order = await this.mollie.orderLines.update(porsche, {
      orderId,
      quantity: 2,
      unitPrice: eur('329.99'),
      totalAmount: eur('659.98'),
      vatRate: '21.00',
      vatAmount: eur('114.54'),
    });
    eq(order.resource, 'order', 'update line answers with the order');
    amount(order.amount, '1357.98', 'order amount after the line update');
    eq(order.lines[1].quantity, 2, 'Porsche quantity');
    amount(order.lines[1].totalAmount, '659.98', 'Porsche totalAmount');
    amount(order.lines[1].vatAmount, '114.54', 'Porsche vatAmount');

    step('update the order (orderNumber, billingAddress)');
    const billingAddress = { ...LEGO_ORDER.billingAddress, streetAndNumber: 'Keizersgracht 313', postalCode: '1016EE' };
    const updated = await this.mollie.orders.update(orderId, { orderNumber: '1337-A', billingAddress });
    eq(updated.orderNumber, '1337-A', 'orderNumber');
    eq(updated.billingAddress.streetAndNumber, 'Keizersgracht 313', 'billingAddress.streetAndNumber');
    eq(updated.billingAddress.postalCode, '1016EE', 'billingAddress.postalCode');
    eq(updated.status, 'created', 'status');
    eq((await this.get(orderId)).orderNumber, '1337-A', 'orderNumber after a fresh get');

    step('checkout: the customer authorizes with klarnapaylater (303 to redirectUrl)');
    await this.checkout(await this.get(orderId), 'authorized', 'klarnapaylater');
    order = await this.get(orderId);
    eq(order.status, 'authorized', 'status');
    eq(order.method, 'klarnapaylater', 'method');
    check(order.authorizedAt, 'authorizedAt should be set');
    check(order.getCheckoutUrl() == null, '_links.checkout should be gone once authorized');
    eq(order.isCancelable, true, 'isCancelable');
    eq(order.lines.map((l) => l.status), ['authorized', 'authorized'], 'line statuses');
    eq(order.lines[1].shippableQuantity, 2, 'Porsche shippableQuantity');
    eq(order.lines[1].cancelableQuantity, 2, 'Porsche cancelableQuantity');

    step('cancel 1 of the discounted Bugatti line without amount (422 lines.0.amount)');
    await expectError(() => this.mollie.orderLines.cancel({ orderId, lines: [{ id: bugatti, quantity: 1 }] }), {
      status: 422,
      field: 'lines.0.amount',
      detailContains: 'An amount is required',
    });

    step('cancel 1 of the 2 Porsches (cancel lines with quantity, 204)');
    const canceled = await this.mollie.orderLines.cancel({ orderId, lines: [{ id: porsche, quantity: 1 }] });
    eq(canceled, true, 'cancel lines resolves true (204)');
    order = await this.get(orderId);
    eq(order.lines[1].status, 'authorized', 'Porsche status after a partial cancel');
    eq(order.lines[1].quantityCanceled, 1, 'Porsche quantityCanceled');
    amount(order.lines[1].amountCanceled, '329.99', 'Porsche amountCanceled');
    eq(order.lines[1].cancelableQuantity, 1, 'Porsche cancelableQuantity');
    eq(order.lines[1].shippableQuantity, 1, 'Porsche shippableQuantity');
    eq(order.status, 'authorized', 'order status');

    step('ship 1 Bugatti (amount 299.00) with PostNL tracking (201)');
    let shipment = await this.mollie.orderShipments.create({
      orderId,
      lines: [{ id: bugatti, quantity: 1, amount: eur('299.00') }],
      tracking: TRACKING,
    });
    eq(shipment.resource, 'shipment', 'resource');
    check(shipment.id.startsWith('shp_'), `shipment id ${shipment.id}`);
    eq(shipment.orderId, orderId, 'orderId');
    eq(shipment.tracking, TRACKING, 'tracking');
    eq(shipment.lines.length, 1, 'shipment lines');
    eq(shipment.lines[0].id, bugatti, 'shipped line id');
    eq(shipment.lines[0].quantity, 1, 'shipped quantity');
    amount(shipment.lines[0].totalAmount, '299.00', 'shipped totalAmount');
    amount(shipment.lines[0].vatAmount, '51.89', 'shipped vatAmount');
    eq(shipment.lines[0].status, 'shipping', 'shipped line status');
    check(shipment._links.order.href.endsWith(`/v2/orders/${orderId}`), `shipment _links.order ${show(shipment._links.order)}`);
    eq((await shipment.getOrder()).id, orderId, 'shipment.getOrder() follows _links.order');
    const firstShipment = shipment.id;
    order = await this.get(orderId);
    eq(order.status, 'shipping', 'order status');
    eq(order.lines[0].status, 'shipping', 'Bugatti status');
    eq(order.lines[0].quantityShipped, 1, 'Bugatti quantityShipped');
    amount(order.lines[0].amountShipped, '299.00', 'Bugatti amountShipped');
    eq(order.lines[0].shippableQuantity, 1, 'Bugatti shippableQuantity');
    amount(order.amountCaptured, '299.00', 'amountCaptured');

    step('ship 2 Porsches when 1 is left (422 lines.0.quantity)');
    await expectError(() => this.mollie.orderShipments.create({ orderId, lines: [{ id: porsche, quantity: 2 }] }), {
      status: 422,
      field: 'lines.0.quantity',
      detail: 'Line 0 contains invalid data. The quantity is higher than the maximum quantity. The maximum quantity is 1.',
    });

    step('get, list and update the shipment');
    got = await this.mollie.orderShipments.get(firstShipment, { orderId });
    eq(got.id, firstShipment, 'get shipment id');
    eq(got.tracking, TRACKING, 'get shipment tracking');
    const listed = await this.mollie.orderShipments.list({ orderId });
    eq(listed.map((s) => s.id), [firstShipment], 'listed shipment ids');
    const newTracking = { ...TRACKING, code: '3SKABA000000001' };
    const updatedShipment = await this.mollie.orderShipments.update(firstShipment, { orderId, tracking: newTracking });
    eq(updatedShipment.tracking.code, '3SKABA000000001', 'updated tracking code');
    eq((await this.mollie.orderShipments.get(firstShipment, { orderId })).tracking.code, '3SKABA000000001', 'tracking code on a fresh get');

    step('ship the rest (lines omitted): order completed');
    shipment = await this.mollie.orderShipments.create({ orderId });
    const rest = Object.fromEntries(shipment.lines.map((l) => [l.id, l]));
    eq(Object.keys(rest).sort(), [bugatti, porsche].sort(), 'lines in the second shipment');
    eq(rest[bugatti].quantity, 1, 'Bugatti quantity in the second shipment');
    amount(rest[bugatti].totalAmount, '399.00', 'Bugatti amount in the second shipment');
    eq(rest[porsche].quantity, 1, 'Porsche quantity in the second shipment');
    amount(rest[porsche].totalAmount, '329.99', 'Porsche amount in the second shipment');
    check(shipment.tracking == null, 'no tracking was sent');
    order = await this.get(orderId);
    eq(order.status, 'completed', 'order status');
    check(order.completedAt, 'completedAt should be set');
    eq(order.lines.map((l) => l.status), ['completed', 'completed'], 'line statuses');
    amount(order.amount, '1357.98', 'order amount (unchanged)');
    amount(order.amountCaptured, '1027.99', 'amountCaptured');
    eq(order._embedded.shipments.length, 2, 'embedded shipments');

    step('another shipment on the completed order (422 no lines can be shipped)');
    await expectError(() => this.mollie.orderShipments.create({ orderId }), {
      status: 422,
      detail: 'Cannot create a shipment. No lines can be shipped.',
    });

    step('a new payment for the completed order (422)');
    await expectError(() => this.mollie.orderPayments.create({ orderId, method: 'ideal' }), {
      status: 422,
      detail: `Cannot create a new payment for order ${orderId} when the order status is "completed".`,
    });
  }

  async paidFlow(step) {
    step('create a second order for iDEAL');
    let order = await this.createOrder('1338', 'ideal');
    const orderId = order.id;
    eq(order.status, 'created', 'status');

    step('a shipment on the created order (422 This order cannot be shipped.)');
    await expectError(() => this.mollie.orderShipments.create({ orderId }), {
      status: 422,
      detail: 'This order cannot be shipped.',
    });

    step('checkout: the customer pays with iDEAL');
    await this.checkout(order, 'paid', 'ideal');
    order = await this.get(orderId);
    eq(order.status, 'paid', 'status');
    eq(order.method, 'ideal', 'method');
    check(order.paidAt, 'paidAt should be set');
    eq(order.lines.map((l) => l.status), ['paid', 'paid'], 'line statuses');
    eq(order.lines[1].refundableQuantity, 1, 'Porsche refundableQuantity');
    check(order._embedded.payments.some((p) => p.status === 'paid'), 'a paid payment should be embedded');
    const porsche = order.lines[1].id;

    step("a refund without lines (422 The 'lines' field is missing.)");
    await expectError(() => this.mollie.orderRefunds.create({ orderId }), {
      status: 422,
      field: 'lines',
      detail: "The 'lines' field is missing.",
    });

    step('refund the Porsche line, quantity 1 (201)');
    const refund = await this.mollie.orderRefunds.create({
      orderId,
      lines: [{ id: porsche, quantity: 1 }],
      description: 'Porsche returned',
    });
    eq(refund.resource, 'refund', 'resource');
    check(refund.id.startsWith('re_'), `refund id ${refund.id}`);
    amount(refund.amount, '329.99', 'refund amount');
    eq(refund.orderId, orderId, 'refund orderId');
    check((refund.paymentId || '').startsWith('tr_'), `refund paymentId ${refund.paymentId}`);
    eq(refund.description, 'Porsche returned', 'refund description');
    check(['pending', 'queued', 'processing', 'refunded'].includes(refund.status), `refund status ${refund.status}`);
    eq(refund.lines.map((l) => [l.id, l.quantity]), [[porsche, 1]], 'refund lines');
    order = await this.get(orderId);
    amount(order.amountRefunded, '329.99', 'order amountRefunded');
    eq(order.lines[1].quantityRefunded, 1, 'Porsche quantityRefunded');
    amount(order.lines[1].amountRefunded, '329.99', 'Porsche amountRefunded');
    eq(order.lines[1].refundableQuantity, 0, 'Porsche refundableQuantity');
    eq(order.status, 'paid', 'order status after a refund');
    eq(order._embedded.refunds.map((r) => r.id), [refund.id], 'embedded refunds');

    step('list the order\'s refunds (page and iterate)');
    const page = await this.mollie.orderRefunds.page({ orderId });
    eq(page.map((r) => r.id), [refund.id], 'refund ids on the page');
    eq(page.nextPage, undefined, 'no next page');
    const all = [];
    for await (const r of this.mollie.orderRefunds.iterate({ orderId })) all.push(r.id);
    eq(all, [refund.id], 'iterated refund ids');

    step('cancel the paid order (not cancelable: 400/422)');
    // Mollie documents that paid orders cannot be canceled (refund instead); the exact status is
    // not documented: 400 as for "cannot be canceled from state: canceled", or 422.
    const e = await expectError(() => this.mollie.orders.cancel(orderId), { status: [400, 422], detailContains: 'cancel' });
    console.log(`    (${e.statusCode}: ${e.message})`);
  }

  async cancelFlow(step) {
    step('create a third order and authorize it');
    const order = await this.createOrder('1339');
    const orderId = order.id;
    await this.checkout(order, 'authorized', 'klarnapaylater');
    eq((await this.get(orderId)).status, 'authorized', 'status');

    step('cancel it with orders.cancel (200, canceled)');
    const canceled = await this.mollie.orders.cancel(orderId);
    eq(canceled.id, orderId, 'id');
    eq(canceled.status, 'canceled', 'status');
    eq(canceled.isCancelable, false, 'isCancelable');
    check(canceled.canceledAt, 'canceledAt should be set');
    amount(canceled.amount, '1027.99', 'amount (unchanged)');
    canceled.lines.forEach((line, i) => {
      eq(line.status, 'canceled', `line ${i} status`);
      eq(line.quantityCanceled, line.quantity, `line ${i} quantityCanceled`);
      eq(line.amountCanceled, line.totalAmount, `line ${i} amountCanceled`);
    });
    eq((await this.get(orderId)).status, 'canceled', 'status on a fresh get');

    step('cancel it again with orders.delete (400 cannot be canceled from state canceled)');
    await expectError(() => this.mollie.orders.delete(orderId), {
      status: 400,
      detail: 'The order cannot be canceled from state: canceled.',
    });
  }

  async paymentFlow(step) {
    step('create a fourth order; the iDEAL payment fails');
    let order = await this.createOrder('1340', 'ideal');
    const orderId = order.id;
    await this.checkout(order, 'failed', 'ideal');
    order = await this.get(orderId);
    eq(order.status, 'created', 'order status after a failed payment');

    step('create a new order payment (201 payment, open)');
    const payment = await this.mollie.orderPayments.create({ orderId, method: 'ideal' });
    eq(payment.resource, 'payment', 'resource');
    check(payment.id.startsWith('tr_'), `payment id ${payment.id}`);
    eq(payment.status, 'open', 'payment status');
    eq(payment.orderId, orderId, 'payment orderId');
    amount(payment.amount, '1027.99', 'payment amount');
    eq(payment.method, 'ideal', 'payment method');
    check(payment.getCheckoutUrl(), 'the new payment should have _links.checkout');
    order = await this.get(orderId);
    eq(order._embedded.payments.map((p) => p.status).sort(), ['failed', 'open'], 'embedded payment statuses');
  }

  async errors(step) {
    step('get an unknown order (404)');
    await expectError(() => this.mollie.orders.get('ord_doesnotexist'), {
      status: 404,
      detail: 'No order exists with token ord_doesnotexist.',
    });

    step('create with a wrong VAT amount on line 1 (422 lines.1.vatAmount)');
    const bad = structuredClone(LEGO_ORDER);
    bad.lines[1].vatAmount = eur('57.28');
    const e = await expectError(() => this.mollie.orders.create(bad), {
      status: 422,
      field: 'lines.1.vatAmount',
      detailContains: 'Order line 1 is invalid. VAT amount is off.',
    });
    console.log(`    (${e.message})`);

    step('a bad API key (401)');
    const badClient = createMollieClient({ apiKey: 'invalid_key', apiEndpoint: this.apiEndpoint });
    const unauthorized = await expectError(() => badClient.orders.get(this.createdIds[0] || 'ord_x'), {
      status: 401,
      detail: 'Missing authentication, or failed to authenticate',
    });
    eq(unauthorized.title, 'Unauthorized Request', 'error title');
  }

  async idempotency(step) {
    step('create twice with the same idempotency key: one order');
    const data = { ...structuredClone(LEGO_ORDER), orderNumber: '1342', idempotencyKey: 'kassa-contract-node-1' };
    const first = await this.mollie.orders.create(data);
    this.createdIds.push(first.id);
    const again = await this.mollie.orders.create(data);
    eq(again.id, first.id, 'order id of the replayed create');

    step('the same key with other parameters (400)');
    await expectError(() => this.mollie.orders.create({ ...data, orderNumber: '1343' }), { status: 400 });
  }

  async listing(step) {
    step('create one more order, left created');
    await this.createOrder('1341');

    step('list orders with limit=2 and follow nextPage()');
    let page = await this.mollie.orders.page({ limit: 2 });
    check(page.links.previous == null, 'the first page has no previous link');
    const seen = [];
    const firstIds = page.map((o) => o.id);
    let pages = 0;
    for (;;) {
      pages += 1;
      if (pages === 2) {
        check(page.previousPage !== undefined, 'the second page has a previous link');
        eq((await page.previousPage()).map((o) => o.id), firstIds, 'previousPage() from the second page');
      }
      check(pages <= 10, 'more than 10 pages');
      check(page.length <= 2, `page ${pages} has ${page.length} orders, limit 2`);
      seen.push(...page.map((o) => o.id));
      if (page.nextPage === undefined) break;
      check(page.length === 2, `page ${pages} is not full but has a next link`);
      page = await page.nextPage();
    }
    eq(new Set(seen).size, seen.length, 'no order listed twice');
    eq(seen, [...this.createdIds].reverse(), 'all orders, newest first');
    eq(pages, Math.ceil(this.createdIds.length / 2), 'number of pages');

    step('iterate over all orders');
    const all = [];
    for await (const o of this.mollie.orders.iterate()) all.push(o.id);
    eq(all, [...this.createdIds].reverse(), 'iterated orders, newest first');
  }

  async run() {
    console.log(`@mollie/api-client contract scenario against ${this.apiEndpoint}`);
    await this.section('authorized order: update, cancel a line, ship in two parts', this.authorizedFlow);
    await this.section('paid order: refund, list refunds, cannot cancel', this.paidFlow);
    await this.section('authorized order canceled as a whole', this.cancelFlow);
    await this.section('failed payment, new order payment', this.paymentFlow);
    await this.section('errors', this.errors);
    await this.section('idempotent create', this.idempotency);
    await this.section('list orders, two per page', this.listing);
    console.log();
    if (this.failed.length > 0) {
      console.log(`node scenario: ${this.passed} steps ok, ${this.failed.length} FAILED:`);
      for (const f of this.failed) console.log(`  * ${f}`);
      return 1;
    }
    console.log(`node scenario: all ${this.passed} steps ok`);
    return 0;
  }
}

const [, , endpoint] = process.argv;
if (!endpoint) {
  console.error('usage: node scenario.mjs API_ENDPOINT (e.g. https://127.0.0.1:9443/v2/)');
  process.exit(2);
}
process.exitCode = await new Scenario(endpoint).run();
