//! A customer page (return page, pay link) that could not load: a heading and what to do, in
//! the browser's language, since without the order there is no order locale to go by. The
//! staff console's [`super::LoadError`] speaks English and names server errors; a customer
//! only needs to know whether the link is wrong or to try again.

use leptos::prelude::*;

use crate::api::ClientError;
use crate::i18n::{Lang, Msg};

#[component]
pub fn CustomerLoadError(
    error: ClientError,
    /// The page's heading for a failed load.
    heading: Msg,
    /// The heading's `data-testid`: the one the page's loaded heading has.
    testid: &'static str,
) -> impl IntoView {
    let lang = Lang::of_browser();
    let advice = if error.is_not_found() {
        Msg::LinkNotFound
    } else {
        Msg::LoadFailed
    };
    view! {
        <div lang=lang.code()>
            <h1 data-testid=testid>{lang.t(heading)}</h1>
            <div class="notice notice-error" role="alert" data-testid="load-error">
                <p>{lang.t(advice)}</p>
            </div>
        </div>
    }
}
