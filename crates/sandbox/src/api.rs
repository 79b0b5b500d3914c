//! Which provider's API a request speaks, told by its path. The shared layers (faults,
//! idempotency, the request log, fallbacks) answer in that provider's own error shape and
//! follow its own rules, so a Klarna client never sees a Mollie error body and the other way
//! round.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::klarna::KlarnaError;
use crate::MollieError;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Api {
    /// `/v2/…`: Mollie's Orders API.
    Mollie,
    /// `/payments/v1/…` (Klarna Payments) and `/ordermanagement/v1/…` (Order Management).
    Klarna,
}

impl Api {
    /// The API a path (without the sandbox's mount path) belongs to, if any.
    pub fn of(path: &str) -> Option<Self> {
        if path.starts_with("/v2/") {
            Some(Self::Mollie)
        } else if path.starts_with("/payments/v1/") || path.starts_with("/ordermanagement/v1/") {
            Some(Self::Klarna)
        } else {
            None
        }
    }

    /// The API of a path, Mollie's for everything outside both (the hosted checkout, the
    /// tester's controls): the sandbox's own pages answer in Mollie's shape, as they always did.
    pub fn of_or_mollie(path: &str) -> Self {
        Self::of(path).unwrap_or(Self::Mollie)
    }

    /// An error answer in this API's shape.
    pub fn error(self, status: StatusCode, message: &str) -> Response {
        match self {
            Self::Mollie => MollieError::new(status, message).into_response(),
            Self::Klarna => KlarnaError::for_status(status, message).into_response(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_choose_the_api() {
        assert_eq!(Api::of("/v2/orders"), Some(Api::Mollie));
        assert_eq!(Api::of("/payments/v1/sessions"), Some(Api::Klarna));
        assert_eq!(
            Api::of("/ordermanagement/v1/orders/x/captures"),
            Some(Api::Klarna)
        );
        assert_eq!(Api::of("/checkout/abc"), None);
        assert_eq!(Api::of("/v2"), None);
        assert_eq!(Api::of_or_mollie("/_sandbox/clock"), Api::Mollie);
    }
}
