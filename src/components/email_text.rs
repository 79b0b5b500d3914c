//! An e-mail address that wraps only at its natural seams: after the `@` and before each dot
//! of the domain (`<wbr>`), with `.email` turning off the page's break-anywhere rule, so
//! "piet.mondriaan@example.com" never splits as "piet.mondr / iaan@…".

use leptos::prelude::*;

#[component]
pub fn EmailText(email: String, #[prop(optional)] testid: Option<&'static str>) -> impl IntoView {
    let (local, domain) = match email.split_once('@') {
        Some((local, domain)) => (local.to_owned(), Some(domain.to_owned())),
        None => (email.clone(), None),
    };
    let domain = domain.map(|domain| {
        let parts: Vec<String> = domain.split('.').map(str::to_owned).collect();
        let last = parts.len().saturating_sub(1);
        view! {
            "@"
            <wbr/>
            {parts
                .into_iter()
                .enumerate()
                .map(|(i, part)| {
                    view! {
                        {part}
                        {(i < last).then(|| view! { <wbr/> "." })}
                    }
                })
                .collect_view()}
        }
    });
    view! {
        <span class="email" data-testid=testid>
            {local}
            {domain}
        </span>
    }
}
