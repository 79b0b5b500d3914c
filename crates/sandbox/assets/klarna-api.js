/*
 * Kassa sandbox: a stand-in of Klarna's JavaScript library (Klarna Payments, lib v1).
 *
 * Load it instead of https://x.klarnacdn.net/kp/lib/v1/api.js:
 *
 *   <script src="http://127.0.0.1:9090/klarna/lib/v1/api.js" async></script>
 *
 * Same global (window.Klarna.Payments), same calls (init, load, authorize, reauthorize,
 * finalize, on) and the same callback objects, so a checkout page written against it works
 * unchanged with Klarna's real library. No real payment is made: `authorize` opens a dialog
 * where the tester decides what Klarna answers.
 *
 * CSP: the page must allow the sandbox's origin in script-src, connect-src and img-src.
 * Styles go in a constructed stylesheet (document.adoptedStyleSheets), which style-src does
 * not govern; only browsers without constructed stylesheets fall back to a <style> element,
 * which needs style-src 'unsafe-inline' (or the script's nonce, copied onto it).
 *
 * Plain ES2017, no dependencies, served as is.
 */
(function () {
  'use strict';

  const LIB_PATH = '/klarna/lib/v1/api.js';
  const PREFIX = 'ksbx';

  // Where this script came from: the sandbox's origin and mount path (e.g. `/sandbox` inside
  // Kassa's proxy). Read now: document.currentScript is only set while the script first runs.
  const script = document.currentScript ||
    document.querySelector('script[src*="' + LIB_PATH + '"]');
  const scriptBase = script && script.src ? baseOf(script.src) : null;
  const nonce = script ? script.nonce : '';

  const state = {
    clientToken: null,
    tokenBase: null,
    loaded: [],             // categories rendered by load()
    data: {},               // the last data passed to load(): addresses carried to authorize
    dialog: null,           // the open authorization dialog, if any
    listeners: {},
  };

  function baseOf(src) {
    const url = new URL(src, document.baseURI);
    const at = url.pathname.lastIndexOf(LIB_PATH);
    return url.origin + (at >= 0 ? url.pathname.slice(0, at) : '');
  }

  function base() {
    return scriptBase || state.tokenBase || '';
  }

  // -- errors and callbacks --------------------------------------------------------------

  function klarnaError(name, message) {
    const e = new Error(message);
    e.name = name;
    return e;
  }

  // Callbacks run on their own task: an exception in the merchant's callback is reported as
  // the page's own error, never swallowed by a promise here.
  function answer(callback, res) {
    if (typeof callback === 'function') {
      setTimeout(function () { callback(res); }, 0);
    }
  }

  function emit(event, payload) {
    (state.listeners[event] || []).forEach(function (cb) {
      setTimeout(function () { cb(payload); }, 0);
    });
  }

  // (options, data?, callback): data may be left out.
  function args(options, data, callback) {
    if (typeof data === 'function') {
      return { options: options || {}, data: {}, callback: data };
    }
    return { options: options || {}, data: data || {}, callback: callback };
  }

  // -- the sandbox's routes ---------------------------------------------------------------

  async function post(path, body) {
    let resp;
    try {
      resp = await fetch(base() + path, {
        method: 'POST',
        mode: 'cors',
        credentials: 'omit',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    } catch (e) {
      throw { message: 'The Klarna sandbox at ' + base() + ' cannot be reached.' };
    }
    let json = null;
    try {
      json = await resp.json();
    } catch (e) {
      json = null;
    }
    if (!resp.ok || !json) {
      const messages = json && Array.isArray(json.error_messages) ? json.error_messages : [];
      const error = {
        message: messages[0] || 'The Klarna sandbox answered ' + resp.status + '.',
        error_code: json && json.error_code,
        error_messages: messages,
        correlation_id: json && json.correlation_id,
      };
      // "Bad value: billing_address.postal_code": a field the merchant can correct.
      if (error.error_code === 'BAD_VALUE') {
        error.invalid_fields = messages.map(function (m) { return m.replace(/^Bad value: /, ''); });
      }
      throw error;
    }
    return json;
  }

  // Read afresh by each load and authorize: the merchant may have changed the cart between.
  function summary() {
    return post('/klarna/lib/v1/session', { client_token: state.clientToken });
  }

  function categoryOf(session, identifier) {
    return (session.payment_method_categories || []).find(function (c) {
      return c.identifier === identifier;
    });
  }

  function formatAmount(session) {
    const currency = (session.purchase_currency || 'EUR').toUpperCase();
    const locale = session.locale || 'en-US';
    let format;
    try {
      format = new Intl.NumberFormat(locale, { style: 'currency', currency: currency });
    } catch (e) {
      format = new Intl.NumberFormat('en-US', { style: 'currency', currency: currency });
    }
    const digits = format.resolvedOptions().maximumFractionDigits;
    return format.format((session.order_amount || 0) / Math.pow(10, digits));
  }

  // -- DOM --------------------------------------------------------------------------------

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      if (name === 'class') {
        node.className = attrs[name];
      } else if (name === 'text') {
        node.textContent = attrs[name];
      } else {
        node.setAttribute(name, attrs[name]);
      }
    });
    (children || []).forEach(function (child) { node.appendChild(child); });
    return node;
  }

  function badge() {
    return el('img', {
      class: PREFIX + '-badge',
      src: base() + '/klarna/assets/badge.svg',
      alt: 'Klarna',
      width: '64',
      height: '28',
    });
  }

  const CSS = `
.${PREFIX}-widget, .${PREFIX}-dialog {
  --${PREFIX}-bg: #ffffff; --${PREFIX}-fg: #17120f; --${PREFIX}-muted: #5c5552;
  --${PREFIX}-line: #d8d2cf; --${PREFIX}-accent: #17120f; --${PREFIX}-on-accent: #ffffff;
  --${PREFIX}-stripe: #ffb3c7;
  box-sizing: border-box; color: var(--${PREFIX}-fg); background: var(--${PREFIX}-bg);
  font: 15px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; text-align: left;
}
@media (prefers-color-scheme: dark) {
  .${PREFIX}-widget, .${PREFIX}-dialog {
    --${PREFIX}-bg: #1f1b1a; --${PREFIX}-fg: #f4efed; --${PREFIX}-muted: #b9b0ac;
    --${PREFIX}-line: #4a4341; --${PREFIX}-accent: #ffb3c7; --${PREFIX}-on-accent: #17120f;
  }
}
.${PREFIX}-widget *, .${PREFIX}-dialog * { box-sizing: border-box; }
.${PREFIX}-widget {
  display: flex; gap: 12px; align-items: center; padding: 12px 14px;
  border: 1px solid var(--${PREFIX}-line); border-left: 6px solid var(--${PREFIX}-stripe);
  border-radius: 8px;
}
.${PREFIX}-badge { flex: none; display: block; }
.${PREFIX}-name { font-weight: 600; }
.${PREFIX}-amount { font-variant-numeric: tabular-nums; }
.${PREFIX}-note { margin: 2px 0 0; font-size: 13px; color: var(--${PREFIX}-muted); }
.${PREFIX}-tag {
  display: inline-block; margin-left: 2px; padding: 0 6px; border-radius: 4px;
  font-size: 12px; font-weight: 700; letter-spacing: .03em;
  background: var(--${PREFIX}-stripe); color: #17120f;
}
.${PREFIX}-backdrop {
  position: fixed; inset: 0; z-index: 2147483647; display: flex; align-items: center;
  justify-content: center; padding: 16px; background: rgba(0, 0, 0, .55);
}
.${PREFIX}-dialog {
  width: 100%; max-width: 420px; padding: 20px; border-radius: 12px;
  border-top: 6px solid var(--${PREFIX}-stripe); box-shadow: 0 12px 40px rgba(0, 0, 0, .35);
}
.${PREFIX}-dialog:focus { outline: none; }
.${PREFIX}-head { display: flex; align-items: center; gap: 12px; margin-bottom: 12px; }
.${PREFIX}-title { flex: 1; margin: 0; font-size: 18px; font-weight: 700; }
.${PREFIX}-dialog p { margin: 0 0 12px; }
.${PREFIX}-actions { display: flex; flex-direction: column; gap: 8px; }
.${PREFIX}-button {
  appearance: none; width: 100%; min-height: 44px; padding: 10px 14px; border-radius: 8px;
  border: 1px solid var(--${PREFIX}-line); background: var(--${PREFIX}-bg);
  color: var(--${PREFIX}-fg); font: inherit; font-weight: 600; cursor: pointer;
}
.${PREFIX}-button.${PREFIX}-primary {
  background: var(--${PREFIX}-accent); border-color: var(--${PREFIX}-accent);
  color: var(--${PREFIX}-on-accent);
}
.${PREFIX}-button:focus-visible, .${PREFIX}-close:focus-visible {
  outline: 3px solid #0b69ff; outline-offset: 2px;
}
.${PREFIX}-button:disabled { opacity: .6; cursor: progress; }
.${PREFIX}-close {
  appearance: none; width: 36px; height: 36px; border: 0; border-radius: 8px;
  background: transparent; color: var(--${PREFIX}-fg); font: 24px/1 system-ui, sans-serif;
  cursor: pointer;
}
.${PREFIX}-status { min-height: 1.4em; margin: 12px 0 0; font-size: 13px; color: var(--${PREFIX}-muted); }
`;

  let styled = false;

  function addStyles() {
    if (styled) {
      return;
    }
    styled = true;
    if ('adoptedStyleSheets' in Document.prototype && 'replaceSync' in CSSStyleSheet.prototype) {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
    } else {
      const style = el('style', { 'data-klarna-sandbox': '' });
      if (nonce) {
        style.nonce = nonce;
      }
      style.textContent = CSS;
      document.head.appendChild(style);
    }
  }

  function renderWidget(container, session, category) {
    addStyles();
    const widget = el('div', {
      class: PREFIX + '-widget',
      role: 'group',
      'aria-label': 'Klarna ' + category.name + ' (sandbox)',
      'data-testid': 'klarna-widget',
      'data-payment-method-category': category.identifier,
    }, [
      badge(),
      el('div', {}, [
        el('div', {}, [
          el('span', { class: PREFIX + '-name', text: category.name }),
          document.createTextNode(' '),
          el('span', { class: PREFIX + '-tag', text: 'Sandbox' }),
        ]),
        el('div', {
          class: PREFIX + '-amount',
          'data-testid': 'klarna-amount',
          text: formatAmount(session),
        }),
        el('p', {
          class: PREFIX + '-note',
          text: 'Test mode: Kassa\'s stand-in of Klarna. No real payment is made.',
        }),
      ]),
    ]);
    while (container.firstChild) {
      container.removeChild(container.firstChild);
    }
    container.appendChild(widget);
  }

  // -- the authorization dialog -----------------------------------------------------------

  let dialogCount = 0;

  function openDialog(session, category, decide, abort) {
    addStyles();
    dialogCount += 1;
    const id = PREFIX + '-dialog-' + dialogCount;
    const button = function (testid, text, outcome, primary) {
      const b = el('button', {
        type: 'button',
        class: PREFIX + '-button' + (primary ? ' ' + PREFIX + '-primary' : ''),
        'data-testid': testid,
        'data-outcome': outcome,
        text: text,
      });
      b.addEventListener('click', function () { decide(outcome); });
      return b;
    };
    const close = el('button', {
      type: 'button',
      class: PREFIX + '-close',
      'aria-label': 'Close',
      'data-testid': 'klarna-close',
      text: '\u00d7',
    });
    close.addEventListener('click', abort);
    const approve = button('klarna-approve', 'Approve', 'approved', true);
    const status = el('p', { class: PREFIX + '-status', role: 'status', 'aria-live': 'polite' });
    const dialog = el('div', {
      class: PREFIX + '-dialog',
      role: 'dialog',
      'aria-modal': 'true',
      'aria-labelledby': id + '-title',
      'aria-describedby': id + '-text',
      'data-testid': 'klarna-dialog',
      tabindex: '-1',
    }, [
      el('div', { class: PREFIX + '-head' }, [
        badge(),
        el('h2', { class: PREFIX + '-title', id: id + '-title', text: 'Klarna sandbox' }),
        close,
      ]),
      el('p', {
        id: id + '-text',
        text: category.name + ' ' + formatAmount(session) +
          '. Choose what Klarna decides; no real payment is made.',
      }),
      el('div', { class: PREFIX + '-actions' }, [
        approve,
        button('klarna-approve-pending', 'Approve, fraud review pending', 'pending', false),
        button('klarna-reject', 'Reject', 'rejected', false),
      ]),
      status,
    ]);
    const backdrop = el('div', { class: PREFIX + '-backdrop' }, [dialog]);

    // Escape closes; Tab stays inside the dialog.
    dialog.addEventListener('keydown', function (event) {
      if (event.key === 'Escape') {
        event.preventDefault();
        abort();
      } else if (event.key === 'Tab') {
        const focusable = Array.prototype.filter.call(
          dialog.querySelectorAll('button'),
          function (b) { return !b.disabled; }
        );
        if (!focusable.length) {
          event.preventDefault();
          return;
        }
        const first = focusable[0];
        const last = focusable[focusable.length - 1];
        if (event.shiftKey && (document.activeElement === first || document.activeElement === dialog)) {
          event.preventDefault();
          last.focus();
        } else if (!event.shiftKey && document.activeElement === last) {
          event.preventDefault();
          first.focus();
        }
      }
    });

    const returnFocus = document.activeElement;
    document.body.appendChild(backdrop);
    approve.focus();
    emit('fullscreenOverlayShown', {});

    return {
      busy: function (text) {
        status.textContent = text;
        dialog.setAttribute('aria-busy', 'true');
        Array.prototype.forEach.call(dialog.querySelectorAll('button'), function (b) {
          b.disabled = true;
        });
        dialog.focus();
      },
      remove: function () {
        if (backdrop.parentNode) {
          backdrop.parentNode.removeChild(backdrop);
        }
        if (returnFocus && typeof returnFocus.focus === 'function' && document.contains(returnFocus)) {
          returnFocus.focus();
        }
        emit('fullscreenOverlayHidden', {});
      },
    };
  }

  async function authorize(options, data, callback) {
    const a = args(options, data, callback);
    const failed = function (error, showForm) {
      answer(a.callback, { approved: false, show_form: showForm, error: error });
    };
    if (!state.clientToken) {
      failed({ invalid_fields: ['client_token'] }, false);
      return;
    }
    if (state.dialog) {
      failed({ message: 'An authorization is already in progress.' }, true);
      return;
    }
    const identifier = a.options.payment_method_category ||
      (state.loaded.length === 1 ? state.loaded[0] : null);
    state.dialog = 'opening';
    let session;
    try {
      session = await summary();
    } catch (error) {
      state.dialog = null;
      failed(error, true);
      return;
    }
    const category = identifier && categoryOf(session, identifier);
    if (!category) {
      state.dialog = null;
      failed({ invalid_fields: ['payment_method_category'] }, false);
      return;
    }
    const carried = Object.assign({}, state.data, a.data);
    let dialog = null;
    let asked = false;
    const finish = function (res) {
      dialog.remove();
      state.dialog = null;
      answer(a.callback, res);
    };
    const decide = async function (outcome) {
      if (asked) {
        return;
      }
      asked = true;
      dialog.busy('Asking the sandbox\u2026');
      try {
        const res = await post('/klarna/lib/v1/authorize', {
          client_token: state.clientToken,
          outcome: outcome,
          payment_method_category: category.identifier,
          billing_address: carried.billing_address,
          shipping_address: carried.shipping_address,
        });
        finish(res);
      } catch (error) {
        finish({ approved: false, show_form: true, error: error });
      }
    };
    // The shopper closed Klarna's popup: nothing was decided, the form stays.
    // Once the sandbox was asked, its answer decides.
    const abort = function () {
      if (!asked) {
        asked = true;
        finish({ approved: false, show_form: true });
      }
    };
    dialog = openDialog(session, category, decide, abort);
    state.dialog = dialog;
  }

  // -- the public API ---------------------------------------------------------------------

  const Payments = {
    init: function (options) {
      const token = options && options.client_token;
      const parts = typeof token === 'string' ? token.split('.') : [];
      let payload = null;
      try {
        payload = JSON.parse(atob(parts[1].replace(/-/g, '+').replace(/_/g, '/')));
      } catch (e) {
        payload = null;
      }
      if (parts.length !== 3 || !payload) {
        throw klarnaError('InvalidClientTokenError', 'options.client_token is not a valid JSON Web Token.');
      }
      state.clientToken = token;
      state.tokenBase = typeof payload.base_url === 'string' ? payload.base_url : null;
      state.loaded = [];
      state.data = {};
    },

    load: function (options, data, callback) {
      const a = args(options, data, callback);
      const failed = function (field) {
        answer(a.callback, { show_form: false, error: { invalid_fields: [field] } });
      };
      if (!state.clientToken) {
        failed('client_token');
        return;
      }
      const container = typeof a.options.container === 'string'
        ? document.querySelector(a.options.container)
        : a.options.container;
      if (!container || typeof container.appendChild !== 'function') {
        failed('container');
        return;
      }
      state.data = Object.assign({}, state.data, a.data);
      summary().then(function (session) {
        const category = categoryOf(session, a.options.payment_method_category);
        if (!category) {
          failed('payment_method_category');
          return;
        }
        renderWidget(container, session, category);
        if (state.loaded.indexOf(category.identifier) < 0) {
          state.loaded.push(category.identifier);
        }
        answer(a.callback, { show_form: true });
      }, function (error) {
        answer(a.callback, { show_form: false, error: error });
      });
    },

    authorize: function (options, data, callback) {
      authorize(options, data, callback);
    },

    // Like authorize: the shopper confirms again after the cart changed.
    reauthorize: function (options, data, callback) {
      authorize(options, data, callback);
    },

    // authorize() always answers finalize_required: false, so there is nothing to finalize.
    finalize: function (options, data, callback) {
      const a = args(options, data, callback);
      answer(a.callback, { approved: false, show_form: true });
    },

    // Registers a listener. Only fullscreenOverlayShown / fullscreenOverlayHidden (the
    // authorization dialog opening and closing) are ever emitted.
    on: function (event, callback) {
      if (typeof callback === 'function') {
        (state.listeners[event] = state.listeners[event] || []).push(callback);
      }
    },
  };

  window.Klarna = window.Klarna || {};
  window.Klarna.Payments = Payments;

  if (typeof window.klarnaAsyncCallback === 'function') {
    window.klarnaAsyncCallback();
  }
})();
