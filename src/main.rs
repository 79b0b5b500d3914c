//! Browser entry point: everything else lives in the library so tests can mount it.
//!
//! A host page that embeds the console (see `kassa_app::embed`) sets `window.KASSA_EMBED` or
//! `<body data-kassa-embed>` before loading the module; then nothing is mounted here and the
//! host calls `mount` itself.

fn main() {
    console_error_panic_hook::set_once();
    if kassa_app::embed::host_mounts_itself() {
        return;
    }
    leptos::mount::mount_to_body(kassa_app::App);
}
