//! The login form. Like [`super::OrderForm`] it only collects and checks input: what happens to
//! the credentials is the caller's business (`on_submit`), so a test can drive it without a
//! proxy and show it any error the proxy could answer.

use kassa_model::api::Credentials;
use leptos::html;
use leptos::prelude::*;

use crate::api::ClientError;

#[component]
pub fn LoginForm(
    /// Called with trimmed, non-empty credentials; never called while `busy`.
    #[prop(into)]
    on_submit: Callback<Credentials>,
    /// True while the caller is logging in: the button says "Logging in…" and is disabled.
    #[prop(into, optional)]
    busy: Signal<bool>,
    /// The caller's error for the last submit (401, 429, network...).
    #[prop(into, optional)]
    error: Signal<Option<ClientError>>,
) -> impl IntoView {
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    // A local message ("enter your email") wins over the server's, and a valid submit clears it
    // so the answer to *that* submit is what shows.
    let local_error = RwSignal::new(None::<String>);
    let message = move || {
        local_error
            .get()
            .or_else(|| error.with(|e| e.as_ref().map(login_error_message)))
    };
    let email_ref = NodeRef::<html::Input>::new();
    let password_ref = NodeRef::<html::Input>::new();

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let credentials = Credentials {
            email: email.get_untracked().trim().to_owned(),
            password: password.get_untracked(),
        };
        // Send keyboard focus to what is missing, so the user lands on what to fix.
        let missing = if credentials.email.is_empty() {
            Some((email_ref, "Enter your email address."))
        } else if credentials.password.is_empty() {
            Some((password_ref, "Enter your password."))
        } else {
            None
        };
        if let Some((input, text)) = missing {
            if let Some(input) = input.get_untracked() {
                let _ = input.focus();
            }
            local_error.set(Some(text.to_owned()));
            return;
        }
        local_error.set(None);
        on_submit.run(credentials);
    };

    view! {
        <form class="login-form" on:submit=submit novalidate aria-describedby="login-error">
            <div class="field">
                <label>
                    <span class="label">"Email address"</span>
                    <input
                        type="email"
                        name="email"
                        data-testid="login-email"
                        autocomplete="username"
                        autocapitalize="off"
                        spellcheck="false"
                        required
                        autofocus
                        node_ref=email_ref
                        prop:value=move || email.get()
                        on:input:target=move |ev| email.set(ev.target().value())
                    />
                </label>
            </div>
            <div class="field">
                <label>
                    <span class="label">"Password"</span>
                    <input
                        type="password"
                        name="password"
                        data-testid="login-password"
                        autocomplete="current-password"
                        required
                        node_ref=password_ref
                        prop:value=move || password.get()
                        on:input:target=move |ev| password.set(ev.target().value())
                    />
                </label>
            </div>
            // Always in the DOM, so screen readers announce a message when it appears.
            <div id="login-error" role="alert" aria-live="assertive">
                {move || {
                    message()
                        .map(|text| {
                            view! {
                                <p class="form-error" data-testid="login-error">
                                    {text}
                                </p>
                            }
                        })
                }}
            </div>
            <div class="form-actions">
                <button
                    type="submit"
                    class="primary"
                    data-testid="login-submit"
                    disabled=move || busy.get()
                    aria-busy=move || busy.get().then_some("true")
                >
                    {move || if busy.get() { "Logging in…" } else { "Log in" }}
                </button>
            </div>
        </form>
    }
}

/// What the login form says about a failed attempt. Wrong credentials never say which part
/// was wrong (the proxy does not tell either).
pub fn login_error_message(error: &ClientError) -> String {
    if error.is_unauthorized() {
        "That email address and password do not match. Check both and try again.".to_owned()
    } else if error.is_rate_limited() {
        "Too many login attempts. Wait a few minutes, then try again.".to_owned()
    } else {
        error.to_string()
    }
}

#[cfg(test)]
mod tests {
    use kassa_model::api::ApiError;

    use super::*;

    fn http(status: u16, code: &str) -> ClientError {
        ClientError::Http {
            status,
            error: ApiError {
                code: code.into(),
                message: "from the proxy".into(),
                field: None,
            },
        }
    }

    #[test]
    fn wrong_credentials_and_rate_limits_get_their_own_words() {
        assert!(login_error_message(&http(401, "unauthorized")).contains("do not match"));
        assert!(login_error_message(&http(429, "rate_limited")).contains("Too many"));
        assert_eq!(
            login_error_message(&http(500, "internal")),
            "from the proxy"
        );
        assert!(login_error_message(&ClientError::Network("offline".into()))
            .contains("Could not reach"));
    }
}
