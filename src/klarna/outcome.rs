//! Klarna's callback objects, and what the Klarna step makes of them: pure data, tested on the
//! host. Klarna's words: `approved` (an authorization token was issued), `show_form` (false:
//! this payment method cannot be offered, for now or for this customer), `error`
//! (`invalid_fields` the merchant sent wrong, or a message).

use serde::Deserialize;

use crate::api::ClientError;

/// What `Klarna.Payments.load` calls back with.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct LoadAnswer {
    #[serde(default)]
    pub show_form: bool,
    #[serde(default)]
    pub error: Option<KlarnaError>,
}

/// What `Klarna.Payments.authorize` calls back with.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct AuthorizeAnswer {
    #[serde(default)]
    pub approved: bool,
    #[serde(default)]
    pub show_form: bool,
    #[serde(default)]
    pub authorization_token: Option<String>,
    /// Only for categories that need `finalize` (multi-step flows Kassa does not use).
    #[serde(default)]
    pub finalize_required: bool,
    #[serde(default)]
    pub error: Option<KlarnaError>,
}

/// The `error` of a callback object.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct KlarnaError {
    #[serde(default)]
    pub invalid_fields: Vec<String>,
    #[serde(default)]
    pub message: Option<String>,
}

impl KlarnaError {
    fn describe(&self) -> String {
        if !self.invalid_fields.is_empty() {
            // The proxy set up the session, so a bad field is Kassa's fault, not the customer's.
            return format!(
                "Klarna could not use this payment's details ({}).",
                self.invalid_fields.join(", ")
            );
        }
        match self.message.as_deref().map(str::trim) {
            Some(message) if !message.is_empty() => format!("Klarna: {message}"),
            _ => "Klarna had a problem.".to_owned(),
        }
    }
}

/// How the category's form loaded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Loaded {
    Shown,
    /// Klarna does not offer this category now: choose another.
    Unavailable,
    Failed(String),
}

pub fn loaded(answer: &LoadAnswer) -> Loaded {
    match (&answer.error, answer.show_form) {
        (Some(error), _) => Loaded::Failed(error.describe()),
        (None, true) => Loaded::Shown,
        (None, false) => Loaded::Unavailable,
    }
}

/// What came of one `authorize`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Authorized {
    /// Approved: place the order with this token.
    Token(String),
    /// Klarna said no (`approved: false, show_form: false`).
    Declined,
    /// The customer closed Klarna's dialog (`approved: false, show_form: true`): nothing was
    /// decided, the form stays.
    NotCompleted,
    /// Klarna could not ask (unreachable, bad details); the message says why.
    Failed(String),
}

pub fn authorized(answer: &AuthorizeAnswer) -> Authorized {
    if answer.approved {
        return match answer.authorization_token.as_deref().map(str::trim) {
            Some(token) if !token.is_empty() && !answer.finalize_required => {
                Authorized::Token(token.to_owned())
            }
            _ => Authorized::Failed(
                "Klarna approved, but sent nothing Kassa can place the order with.".to_owned(),
            ),
        };
    }
    match (&answer.error, answer.show_form) {
        (Some(error), _) if !error.invalid_fields.is_empty() => {
            Authorized::Failed(error.describe())
        }
        (_, false) => Authorized::Declined,
        (Some(error), true) => Authorized::Failed(error.describe()),
        (None, true) => Authorized::NotCompleted,
    }
}

/// What to do after the proxy refused to place the order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AfterRefusal {
    /// The token is spent or refused (`provider`, `conflict`): authorize again for a new one.
    Authorize,
    /// The answer never came or the proxy was down: the same token may still work.
    SendAgain,
    /// The link expired (`expired`): nothing on this page can pay it any more.
    Stop,
}

pub fn after_refusal(error: &ClientError) -> AfterRefusal {
    match error {
        ClientError::Http { status: 410, .. } => AfterRefusal::Stop,
        _ if error.code() == Some("expired") => AfterRefusal::Stop,
        ClientError::Network(_) | ClientError::Http { status: 500.., .. } => {
            AfterRefusal::SendAgain
        }
        _ => AfterRefusal::Authorize,
    }
}

/// The customer's sentence for a refused placement: the proxy's message, and for an expired
/// link what to do about it.
pub fn refusal_message(error: &ClientError) -> String {
    match after_refusal(error) {
        AfterRefusal::Stop => EXPIRED.to_owned(),
        AfterRefusal::SendAgain => format!("{error} Your approval is kept: try again."),
        AfterRefusal::Authorize => format!("{error} Please pay with Klarna again."),
    }
}

/// What an expired pay link or Klarna session says.
pub const EXPIRED: &str = "This payment link has expired; ask the shop for a new one.";

#[cfg(test)]
mod tests {
    use super::*;
    use kassa_model::api::ApiError;

    fn answer(json: &str) -> AuthorizeAnswer {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn klarnas_four_answers_read_as_four_outcomes() {
        assert_eq!(
            authorized(&answer(
                r#"{"approved":true,"show_form":true,"authorization_token":"tok","finalize_required":false}"#
            )),
            Authorized::Token("tok".into())
        );
        assert_eq!(
            authorized(&answer(
                r#"{"approved":false,"show_form":false,"authorization_token":null}"#
            )),
            Authorized::Declined
        );
        assert_eq!(
            authorized(&answer(r#"{"approved":false,"show_form":true}"#)),
            Authorized::NotCompleted
        );
        assert_eq!(
            authorized(&answer(
                r#"{"approved":false,"show_form":true,"error":{"message":"The Klarna sandbox cannot be reached."}}"#
            )),
            Authorized::Failed("Klarna: The Klarna sandbox cannot be reached.".into())
        );
    }

    #[test]
    fn bad_fields_are_kassas_problem_not_a_decline() {
        let bad = answer(
            r#"{"approved":false,"show_form":false,"error":{"invalid_fields":["payment_method_category"]}}"#,
        );
        assert_eq!(
            authorized(&bad),
            Authorized::Failed(
                "Klarna could not use this payment's details (payment_method_category).".into()
            )
        );
        // Approved without a token (or needing `finalize`) cannot be placed.
        assert!(matches!(
            authorized(&answer(
                r#"{"approved":true,"show_form":true,"authorization_token":" "}"#
            )),
            Authorized::Failed(_)
        ));
        assert!(matches!(
            authorized(&answer(
                r#"{"approved":true,"authorization_token":"t","finalize_required":true,"extra":1}"#
            )),
            Authorized::Failed(_)
        ));
    }

    #[test]
    fn a_load_shows_the_form_or_says_why_not() {
        let read = |json: &str| loaded(&serde_json::from_str(json).unwrap());
        assert_eq!(read(r#"{"show_form":true}"#), Loaded::Shown);
        assert_eq!(read(r#"{"show_form":false}"#), Loaded::Unavailable);
        assert!(matches!(
            read(r#"{"show_form":false,"error":{"invalid_fields":["container"]}}"#),
            Loaded::Failed(_)
        ));
    }

    fn http(status: u16, code: &str) -> ClientError {
        ClientError::Http {
            status,
            error: ApiError {
                code: code.into(),
                message: format!("The proxy says {code}."),
                field: None,
            },
        }
    }

    #[test]
    fn refusals_say_what_to_do_next() {
        assert_eq!(
            after_refusal(&http(422, "provider")),
            AfterRefusal::Authorize
        );
        assert_eq!(
            after_refusal(&http(409, "conflict")),
            AfterRefusal::Authorize
        );
        assert_eq!(after_refusal(&http(410, "expired")), AfterRefusal::Stop);
        assert_eq!(
            after_refusal(&http(503, "provider_unavailable")),
            AfterRefusal::SendAgain
        );
        assert_eq!(
            after_refusal(&ClientError::Network("offline".into())),
            AfterRefusal::SendAgain
        );
        assert_eq!(refusal_message(&http(410, "expired")), EXPIRED);
        assert_eq!(
            refusal_message(&http(422, "provider")),
            "The proxy says provider. Please pay with Klarna again."
        );
    }
}
