//! Code splitting by route: each page's code can live in its own WebAssembly chunk, fetched
//! the first time that page is shown, so the first screen loads only the shell (router,
//! session, header) and its own page.
//!
//! A page is declared with [`lazy_page!`], which makes an `async fn() -> Result<AnyView,
//! ChunkError>` that builds the page, and a route shows it with [`LazyPage`]:
//!
//! - With the `split` feature on wasm32 (`cargo xtask` builds the app so, see
//!   docs/performance.md "Code splitting"), the function is a `wasm_split` split point: the
//!   build's split step (xtask/src/split.rs) moves its code, and whatever only it reaches, into
//!   a chunk; calling it fetches and instantiates that chunk first. A chunk that cannot be
//!   fetched (offline, or Kassa was redeployed and the old chunk is gone) is a
//!   [`ChunkError`], which [`LazyPage`] shows with a button to reload the page. The failure is
//!   not remembered: the next call tries again.
//! - Without it (`trunk serve`/`trunk build`, `wasm-pack test`, the host tests) it is a plain
//!   `async fn` that never fails, in the one wasm. Same pages, same routes.

use std::future::Future;

use leptos::prelude::*;

use crate::components::Loading;

/// A page's chunk could not be loaded (the browser console has the reason).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChunkError;

impl std::fmt::Display for ChunkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("this part of Kassa could not be loaded")
    }
}

impl std::error::Error for ChunkError {}

#[cfg(all(feature = "split", target_family = "wasm"))]
impl From<wasm_split_helpers::SplitLoaderError> for ChunkError {
    fn from(_: wasm_split_helpers::SplitLoaderError) -> Self {
        Self
    }
}

/// Declares `fn $name` building a page in chunk `$chunk` (see the module docs). The body is an
/// expression giving the page's view; it runs untracked, so signals the page reads while it is
/// built do not make the route rebuild it.
///
/// With `, preload $preload` it also declares `async fn $preload() -> Result<(), _>`, which
/// fetches the chunk without building the page, for a page the visitor is about to need (an
/// `Ok` at once in an unsplit build).
///
/// ```ignore
/// lazy_page!(pub fn login_page() in login { view! { <LoginPage/> } });
/// lazy_page!(pub fn orders() in orders, preload preload_orders { view! { <OrdersPage/> } });
/// ```
#[macro_export]
macro_rules! lazy_page {
    (
        $(#[$meta:meta])* $vis:vis fn $name:ident() in $chunk:ident
        $(, preload $preload:ident)? $body:block
    ) => {
        $(#[$meta])*
        #[cfg(all(feature = "split", target_family = "wasm"))]
        #[::wasm_split_helpers::wasm_split($chunk, fallible $(, preload($preload))?)]
        $vis fn $name() -> ::core::result::Result<
            ::leptos::prelude::AnyView,
            $crate::split::ChunkError,
        > {
            let build = move || $body;
            ::core::result::Result::Ok(::leptos::prelude::untrack(move || {
                ::leptos::prelude::IntoAny::into_any(build())
            }))
        }

        $(#[$meta])*
        #[cfg(not(all(feature = "split", target_family = "wasm")))]
        $vis async fn $name() -> ::core::result::Result<
            ::leptos::prelude::AnyView,
            $crate::split::ChunkError,
        > {
            let build = move || $body;
            ::core::result::Result::Ok(::leptos::prelude::untrack(move || {
                ::leptos::prelude::IntoAny::into_any(build())
            }))
        }

        $(
            #[cfg(not(all(feature = "split", target_family = "wasm")))]
            $vis async fn $preload() -> ::core::result::Result<(), $crate::split::ChunkError> {
                ::core::result::Result::Ok(())
            }
        )?
    };
}

/// Shows the page `load` builds (a function made by [`lazy_page!`]): "Loading…" while its
/// chunk is fetched, then the page, or [`ChunkFailed`] when the chunk could not be loaded.
#[component]
pub fn LazyPage<F, Fut>(load: F) -> impl IntoView
where
    F: Fn() -> Fut + Copy + Send + Sync + 'static,
    Fut: Future<Output = Result<AnyView, ChunkError>> + Send + 'static,
{
    view! {
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match load().await {
                    Ok(page) => page,
                    Err(error) => view! { <ChunkFailed error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// A page whose code could not be loaded. Reloading fetches the current build's page and its
/// chunks afresh (after a redeploy the old chunk names no longer exist).
#[component]
pub fn ChunkFailed(error: ChunkError) -> impl IntoView {
    view! {
        <article class="page">
            <div class="notice notice-error" role="alert" data-testid="chunk-error">
                <p>
                    {format!(
                        "Sorry, {error}. The connection may have dropped, or Kassa was updated since this page was opened.",
                    )}
                </p>
            </div>
            <button
                type="button"
                data-testid="chunk-reload"
                on:click=|_| {
                    if let Some(window) = web_sys::window() {
                        let _ = window.location().reload();
                    }
                }
            >
                "Reload the page"
            </button>
        </article>
    }
}
