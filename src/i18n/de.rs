//! German (de_DE, de_AT, de_CH).

use super::Msg;

pub fn text(msg: Msg) -> &'static str {
    match msg {
        Msg::Item => "Artikel",
        Msg::Quantity => "Menge",
        Msg::Price => "Preis",
        Msg::Total => "Gesamt",
        Msg::OrderNumber => "Bestellung",
        Msg::LinkNotFound => "Bitte prüfen Sie den Link oder wenden Sie sich an den Shop.",
        Msg::LoadFailed => "Etwas ist schiefgelaufen. Bitte versuchen Sie es gleich noch einmal.",

        Msg::ReturnNotFound => "Wir konnten Ihre Bestellung nicht finden",
        Msg::PaidHeading => "Vielen Dank für Ihre Bestellung!",
        Msg::PaidNote => "Ihre Zahlung ist eingegangen.",
        Msg::AuthorizedNote => "Ihre Zahlung ist autorisiert: Der Betrag wird belastet, sobald Ihre Bestellung versandt wird.",
        Msg::CheckingHeading => "Vielen Dank! Wir bestätigen Ihre Zahlung",
        Msg::CheckingWaitNote => "Wir warten auf die Bestätigung Ihrer Zahlung…",
        Msg::CheckingReloadNote => "Ihre Zahlung ist noch nicht bestätigt. Laden Sie diese Seite gleich neu, um den aktuellen Stand zu sehen.",
        Msg::PaymentCanceledHeading => "Ihre Zahlung wurde abgebrochen",
        Msg::PaymentExpiredHeading => "Ihre Zahlung ist abgelaufen",
        Msg::NothingChargedNote => "Es wurde nichts belastet. Sie können es erneut versuchen.",
        Msg::PaymentFailedHeading => "Ihre Zahlung ist fehlgeschlagen",
        Msg::PaymentFailedNote => "Die Zahlung ist fehlgeschlagen, es wurde nichts belastet. Bitte versuchen Sie es erneut, gern auch mit einer anderen Zahlungsart.",
        Msg::OrderCanceledHeading => "Ihre Bestellung wurde storniert",
        Msg::OrderExpiredHeading => "Ihre Bestellung ist abgelaufen",
        Msg::NoPaymentNote => "Für diese Bestellung wurde nichts bezahlt.",
        Msg::KlarnaReviewHeading => "Vielen Dank! Ihre Bestellung ist aufgegeben",
        Msg::KlarnaReviewNote => "Ihre Bestellung ist aufgegeben. Klarna prüft sie noch; der Shop erfährt das Ergebnis von Klarna.",
        Msg::KlarnaApprovedNote => "Ihre Bestellung ist aufgegeben und Klarna hat die Zahlung genehmigt.",
        Msg::TryAgain => "Erneut versuchen",
        Msg::ContactShop => "Bitte wenden Sie sich an den Shop, um anders zu bezahlen.",
        Msg::YourOrder => "Ihre Bestellung",

        Msg::BillingAddress => "Rechnungsadresse",

        Msg::GivenName => "Vorname",

        Msg::FamilyName => "Nachname",

        Msg::Email => "E-Mail",

        Msg::StreetAndNumber => "Straße und Hausnummer",

        Msg::PostalCode => "Postleitzahl",

        Msg::City => "Ort",

        Msg::Country => "Land",

        Msg::CheckField => "{}: Bitte prüfen Sie diese Angabe.",

        Msg::QuantityProblem => "Geben Sie eine ganze Zahl von 0 bis 99 ein.",

        Msg::NoProduct => "Wählen Sie mindestens ein Produkt.",

        Msg::KlarnaPayWith => "Mit Klarna bezahlen",

        Msg::KlarnaLoading => "Klarna wird geladen…",

        Msg::KlarnaWaiting => "Warten auf Klarna…",

        Msg::KlarnaPlacing => "Klarna hat zugestimmt. Ihre Bestellung wird aufgegeben…",

        Msg::KlarnaPlaced => "Ihre Bestellung ist aufgegeben.",

        Msg::KlarnaDeclined => "Klarna hat diese Zahlung abgelehnt. Sie können es erneut versuchen oder eine andere Zahlungsart von Klarna wählen.",

        Msg::KlarnaNotCompleted => "Die Zahlung mit Klarna wurde nicht abgeschlossen. Klicken Sie auf „Mit Klarna bezahlen“, um fortzufahren.",

        Msg::KlarnaLoadingOptions => "Die Zahlungsarten von Klarna werden geladen…",

        Msg::KlarnaUnavailable => "Klarna bietet {} für diese Bestellung nicht an. Wählen Sie eine andere Option.",

        Msg::KlarnaReload => "Seite neu laden",

        Msg::KlarnaNoCategories => "Klarna bietet für diese Bestellung keine Zahlungsart an. Bitte wenden Sie sich an den Shop.",

        Msg::KlarnaHowToPay => "Wie möchten Sie bezahlen?",

        Msg::ChooseCountry => "Land wählen",

        Msg::PostalHint => "Das sieht nicht nach einer Postleitzahl in {} aus. Prüfen Sie Postleitzahl und Land.",

        Msg::ShopHeading => "Shop",
        Msg::Products => "Produkte",
        Msg::PayWith => "Bezahlen mit",
        Msg::MollieCheckout => "Mollies Bezahlseite (iDEAL, Karte, …)",
        Msg::KlarnaOnThisPage => "Klarna, auf dieser Seite",
        Msg::Pay => "Bezahlen",
        Msg::ContinueWithKlarna => "Weiter mit Klarna",
        Msg::Working => "Einen Moment…",
        Msg::ToPay => "Zu zahlen",
        Msg::ChangeOrder => "Bestellung ändern",

        Msg::PayLinkNotFound => "Wir konnten diesen Zahlungslink nicht öffnen",
        Msg::PayLinkUnavailable => "Dieser Zahlungslink kann gerade nicht bezahlt werden. Bitte versuchen Sie es später erneut oder wenden Sie sich an den Shop.",
        Msg::PayLinkExpired => "Dieser Zahlungslink ist abgelaufen; bitten Sie den Shop um einen neuen.",
        Msg::AlreadyPaid => "Diese Bestellung ist bereits bezahlt.",
        Msg::SeeYourOrder => "Ihre Bestellung ansehen",
    }
}
