//! English, and the customer pages' language for any locale without its own.

use super::Msg;

pub fn text(msg: Msg) -> &'static str {
    match msg {
        Msg::Item => "Item",
        Msg::Quantity => "Quantity",
        Msg::Price => "Price",
        Msg::Total => "Total",
        Msg::OrderNumber => "Order",
        Msg::LinkNotFound => "Please check the link, or ask the shop.",
        Msg::LoadFailed => "Something went wrong. Please try again in a moment.",

        Msg::ReturnNotFound => "We could not find your order",
        Msg::PaidHeading => "Thank you for your order!",
        Msg::PaidNote => "Your payment was received.",
        Msg::AuthorizedNote => "Your payment is authorized: you are charged when your order ships.",
        Msg::CheckingHeading => "Thank you! We are confirming your payment",
        Msg::CheckingWaitNote => "We are waiting for the payment provider to confirm your payment…",
        Msg::CheckingReloadNote => "Your payment has not been confirmed yet. Reload this page in a moment to see the latest status.",
        Msg::PaymentCanceledHeading => "Your payment was canceled",
        Msg::PaymentExpiredHeading => "Your payment has expired",
        Msg::NothingChargedNote => "Nothing was charged. You can try again.",
        Msg::PaymentFailedHeading => "Your payment did not go through",
        Msg::PaymentFailedNote => "The payment failed and nothing was charged. You can try again, with another method if you like.",
        Msg::OrderCanceledHeading => "Your order was canceled",
        Msg::OrderExpiredHeading => "Your order has expired",
        Msg::NoPaymentNote => "No payment was made for this order.",
        Msg::KlarnaReviewHeading => "Thank you! Your order is placed",
        Msg::KlarnaReviewNote => "Your order is placed. Klarna is still checking it; the shop hears the outcome from Klarna.",
        Msg::KlarnaApprovedNote => "Your order is placed and Klarna approved the payment.",
        Msg::TryAgain => "Try again",
        Msg::ContactShop => "Please contact the shop to pay another way.",
        Msg::YourOrder => "Your order",

        Msg::BillingAddress => "Billing address",

        Msg::GivenName => "Given name",

        Msg::FamilyName => "Family name",

        Msg::Email => "Email",

        Msg::StreetAndNumber => "Street and number",

        Msg::PostalCode => "Postal code",

        Msg::City => "City",

        Msg::Country => "Country",

        Msg::CheckField => "{}: please check this field.",

        Msg::QuantityProblem => "Enter a whole number from 0 to 99.",

        Msg::NoProduct => "Choose at least one product.",

        Msg::KlarnaPayWith => "Pay with Klarna",

        Msg::KlarnaLoading => "Loading Klarna…",

        Msg::KlarnaWaiting => "Waiting for Klarna…",

        Msg::KlarnaPlacing => "Klarna approved. Placing your order…",

        Msg::KlarnaPlaced => "Your order is placed.",

        Msg::KlarnaDeclined => "Klarna declined this payment. You can try again, or choose another way to pay with Klarna.",

        Msg::KlarnaNotCompleted => "The Klarna payment was not completed. Press Pay with Klarna to continue.",

        Msg::KlarnaLoadingOptions => "Loading Klarna's payment options…",

        Msg::KlarnaUnavailable => "Klarna does not offer {} for this order. Choose another option.",

        Msg::KlarnaReload => "Reload the page",

        Msg::KlarnaNoCategories => "Klarna offers no way to pay this order. Please contact the shop.",

        Msg::KlarnaHowToPay => "How would you like to pay?",

        Msg::ChooseCountry => "Choose a country",

        Msg::PostalHint => "This does not look like a postal code in {}. Check the postal code and the country.",

        Msg::ShopHeading => "Shop",
        Msg::Products => "Products",
        Msg::PayWith => "Pay with",
        Msg::MollieCheckout => "Mollie's checkout (iDEAL, card, …)",
        Msg::KlarnaOnThisPage => "Klarna, on this page",
        Msg::Pay => "Pay",
        Msg::ContinueWithKlarna => "Continue with Klarna",
        Msg::Working => "Working…",
        Msg::ToPay => "To pay",
        Msg::ChangeOrder => "Change the order",

        Msg::PayLinkNotFound => "We could not open this payment link",
        Msg::PayLinkUnavailable => "This payment link cannot be paid right now. Please try again later, or ask the shop.",
        Msg::PayLinkExpired => "This payment link has expired; ask the shop for a new one.",
        Msg::AlreadyPaid => "This order is already paid.",
        Msg::SeeYourOrder => "See your order",
    }
}
