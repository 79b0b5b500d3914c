//! Dutch (nl_NL, nl_BE).

use super::Msg;

pub fn text(msg: Msg) -> &'static str {
    match msg {
        Msg::Item => "Artikel",
        Msg::Quantity => "Aantal",
        Msg::Price => "Prijs",
        Msg::Total => "Totaal",
        Msg::OrderNumber => "Bestelling",
        Msg::LinkNotFound => "Controleer de link, of neem contact op met de winkel.",
        Msg::LoadFailed => "Er ging iets mis. Probeer het zo nog eens.",

        Msg::ReturnNotFound => "We konden je bestelling niet vinden",
        Msg::PaidHeading => "Bedankt voor je bestelling!",
        Msg::PaidNote => "We hebben je betaling ontvangen.",
        Msg::AuthorizedNote => "Je betaling is goedgekeurd: het bedrag wordt afgeschreven zodra je bestelling wordt verzonden.",
        Msg::CheckingHeading => "Bedankt! We controleren je betaling",
        Msg::CheckingWaitNote => "We wachten op de bevestiging van je betaling…",
        Msg::CheckingReloadNote => "Je betaling is nog niet bevestigd. Laad deze pagina zo opnieuw voor de laatste stand.",
        Msg::PaymentCanceledHeading => "Je betaling is geannuleerd",
        Msg::PaymentExpiredHeading => "Je betaling is verlopen",
        Msg::NothingChargedNote => "Er is niets afgeschreven. Je kunt het opnieuw proberen.",
        Msg::PaymentFailedHeading => "Je betaling is niet gelukt",
        Msg::PaymentFailedNote => "De betaling is mislukt en er is niets afgeschreven. Probeer het opnieuw, eventueel met een andere betaalmethode.",
        Msg::OrderCanceledHeading => "Je bestelling is geannuleerd",
        Msg::OrderExpiredHeading => "Je bestelling is verlopen",
        Msg::NoPaymentNote => "Voor deze bestelling is niet betaald.",
        Msg::KlarnaReviewHeading => "Bedankt! Je bestelling is geplaatst",
        Msg::KlarnaReviewNote => "Je bestelling is geplaatst. Klarna controleert haar nog; de winkel hoort de uitkomst van Klarna.",
        Msg::KlarnaApprovedNote => "Je bestelling is geplaatst en Klarna heeft de betaling goedgekeurd.",
        Msg::TryAgain => "Opnieuw proberen",
        Msg::ContactShop => "Neem contact op met de winkel om op een andere manier te betalen.",
        Msg::YourOrder => "Je bestelling",

        Msg::BillingAddress => "Factuuradres",

        Msg::GivenName => "Voornaam",

        Msg::FamilyName => "Achternaam",

        Msg::Email => "E-mail",

        Msg::StreetAndNumber => "Straat en huisnummer",

        Msg::PostalCode => "Postcode",

        Msg::City => "Plaats",

        Msg::Country => "Land",

        Msg::CheckField => "{}: controleer dit veld.",

        Msg::QuantityProblem => "Vul een heel getal van 0 tot 99 in.",

        Msg::NoProduct => "Kies minstens één product.",

        Msg::KlarnaPayWith => "Betalen met Klarna",

        Msg::KlarnaLoading => "Klarna wordt geladen…",

        Msg::KlarnaWaiting => "Wachten op Klarna…",

        Msg::KlarnaPlacing => "Klarna heeft goedgekeurd. Je bestelling wordt geplaatst…",

        Msg::KlarnaPlaced => "Je bestelling is geplaatst.",

        Msg::KlarnaDeclined => "Klarna heeft deze betaling geweigerd. Je kunt het opnieuw proberen of een andere manier van betalen met Klarna kiezen.",

        Msg::KlarnaNotCompleted => "De betaling met Klarna is niet afgerond. Klik op Betalen met Klarna om verder te gaan.",

        Msg::KlarnaLoadingOptions => "De betaalopties van Klarna worden geladen…",

        Msg::KlarnaUnavailable => "Klarna biedt {} niet aan voor deze bestelling. Kies een andere optie.",

        Msg::KlarnaReload => "Pagina opnieuw laden",

        Msg::KlarnaNoCategories => "Klarna biedt geen manier om deze bestelling te betalen. Neem contact op met de winkel.",

        Msg::KlarnaHowToPay => "Hoe wil je betalen?",

        Msg::ChooseCountry => "Kies een land",

        Msg::PostalHint => "Dit lijkt geen postcode in {}. Controleer de postcode en het land.",

        Msg::ShopHeading => "Winkel",
        Msg::Products => "Producten",
        Msg::PayWith => "Betalen met",
        Msg::MollieCheckout => "Mollie's betaalpagina (iDEAL, kaart, …)",
        Msg::KlarnaOnThisPage => "Klarna, op deze pagina",
        Msg::Pay => "Betalen",
        Msg::ContinueWithKlarna => "Verder met Klarna",
        Msg::Working => "Bezig…",
        Msg::ToPay => "Te betalen",
        Msg::ChangeOrder => "Bestelling wijzigen",

        Msg::PayLinkNotFound => "We konden deze betaallink niet openen",
        Msg::PayLinkUnavailable => "Deze betaallink kan nu niet worden betaald. Probeer het later nog eens, of neem contact op met de winkel.",
        Msg::PayLinkExpired => "Deze betaallink is verlopen; vraag de winkel om een nieuwe.",
        Msg::AlreadyPaid => "Deze bestelling is al betaald.",
        Msg::SeeYourOrder => "Bekijk je bestelling",
    }
}
