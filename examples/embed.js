// Loads the Kassa console into #kassa on this host page (README "Embedding").
//
// Kassa's built files have content hashes in their names, so they are read from Kassa's own
// index.html (served by the same proxy) rather than written here.

// Tell Kassa's start-up code that this page mounts the console itself: without the flag the
// module would mount the whole console over <body> as soon as it is initialised.
window.KASSA_EMBED = true;

/** The paths of Kassa's JS module, its wasm and its stylesheet, read from Kassa's index.html. */
async function kassaFiles(origin) {
  const response = await fetch(`${origin}/`, { headers: { Accept: 'text/html' } });
  if (!response.ok) throw new Error(`Kassa's index.html: HTTP ${response.status}`);
  const html = await response.text();
  // Trunk writes: import init, * as bindings from '/kassa-app-<hash>.js';
  //               const wasm = await init({ module_or_path: '/kassa-app-<hash>_bg.wasm' });
  const js = html.match(/import init, \* as bindings from '([^']+)'/);
  const wasm = html.match(/module_or_path: '([^']+)'/);
  const css = html.match(/<link rel="stylesheet" href="([^"]+)"/);
  if (!js || !wasm) throw new Error("Kassa's index.html has no module loader");
  return { js: origin + js[1], wasm: origin + wasm[1], css: css && origin + css[1] };
}

async function embedKassa() {
  const target = document.getElementById('kassa');
  // Where the Kassa proxy is: empty for this page's own origin (the proxy serves this
  // example), or e.g. `https://kassa.example.com` for a host page elsewhere on the same site,
  // whose origin the proxy lists in KASSA_EMBED_ORIGINS. Part of the page, never of its URL:
  // a link must not be able to choose where this page loads scripts from.
  const origin = (target.dataset.kassaOrigin || '').replace(/\/$/, '');
  try {
    const files = await kassaFiles(origin);
    if (files.css) {
      const link = document.createElement('link');
      link.rel = 'stylesheet';
      link.href = files.css;
      document.head.append(link);
    }
    const kassa = await import(files.js);
    // The default export initialises the wasm module (and runs its `main`, which sees
    // KASSA_EMBED and does nothing).
    await kassa.default({ module_or_path: files.wasm });
    target.textContent = '';
    // Open the new-order form. `base_path` keeps the console's routes under a prefix of this
    // site's URLs (e.g. '/admin/payments'); this page takes it from its own query string,
    // `embed.html?base_path=/examples/embed.html`, so the console's links stay on this page.
    const basePath = new URLSearchParams(window.location.search).get('base_path') || '';
    kassa.mount(target, { base_url: origin, route: '/orders/new', base_path: basePath });
  } catch (error) {
    target.textContent = `Kassa could not be loaded: ${error}`;
    throw error;
  }
}

embedKassa();
