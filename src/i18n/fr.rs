//! French (fr_FR, fr_BE).

use super::Msg;

pub fn text(msg: Msg) -> &'static str {
    match msg {
        Msg::Item => "Article",
        Msg::Quantity => "Quantité",
        Msg::Price => "Prix",
        Msg::Total => "Total",
        Msg::OrderNumber => "Commande",
        Msg::LinkNotFound => "Veuillez vérifier le lien ou contacter la boutique.",
        Msg::LoadFailed => "Une erreur s'est produite. Veuillez réessayer dans un instant.",

        Msg::ReturnNotFound => "Nous n'avons pas trouvé votre commande",
        Msg::PaidHeading => "Merci pour votre commande !",
        Msg::PaidNote => "Nous avons bien reçu votre paiement.",
        Msg::AuthorizedNote => "Votre paiement est autorisé : vous serez débité à l'expédition de votre commande.",
        Msg::CheckingHeading => "Merci ! Nous confirmons votre paiement",
        Msg::CheckingWaitNote => "Nous attendons la confirmation de votre paiement…",
        Msg::CheckingReloadNote => "Votre paiement n'est pas encore confirmé. Rechargez cette page dans un instant pour voir où il en est.",
        Msg::PaymentCanceledHeading => "Votre paiement a été annulé",
        Msg::PaymentExpiredHeading => "Votre paiement a expiré",
        Msg::NothingChargedNote => "Rien n'a été débité. Vous pouvez réessayer.",
        Msg::PaymentFailedHeading => "Votre paiement n'a pas abouti",
        Msg::PaymentFailedNote => "Le paiement a échoué et rien n'a été débité. Vous pouvez réessayer, avec un autre moyen de paiement si vous le souhaitez.",
        Msg::OrderCanceledHeading => "Votre commande a été annulée",
        Msg::OrderExpiredHeading => "Votre commande a expiré",
        Msg::NoPaymentNote => "Aucun paiement n'a été effectué pour cette commande.",
        Msg::KlarnaReviewHeading => "Merci ! Votre commande est passée",
        Msg::KlarnaReviewNote => "Votre commande est passée. Klarna la vérifie encore ; la boutique sera informée du résultat par Klarna.",
        Msg::KlarnaApprovedNote => "Votre commande est passée et Klarna a approuvé le paiement.",
        Msg::TryAgain => "Réessayer",
        Msg::ContactShop => "Veuillez contacter la boutique pour payer autrement.",
        Msg::YourOrder => "Votre commande",

        Msg::BillingAddress => "Adresse de facturation",

        Msg::GivenName => "Prénom",

        Msg::FamilyName => "Nom",

        Msg::Email => "E-mail",

        Msg::StreetAndNumber => "Rue et numéro",

        Msg::PostalCode => "Code postal",

        Msg::City => "Ville",

        Msg::Country => "Pays",

        Msg::CheckField => "{} : veuillez vérifier ce champ.",

        Msg::QuantityProblem => "Saisissez un nombre entier de 0 à 99.",

        Msg::NoProduct => "Choisissez au moins un produit.",

        Msg::KlarnaPayWith => "Payer avec Klarna",

        Msg::KlarnaLoading => "Chargement de Klarna…",

        Msg::KlarnaWaiting => "En attente de Klarna…",

        Msg::KlarnaPlacing => "Klarna a accepté. Votre commande est en cours…",

        Msg::KlarnaPlaced => "Votre commande est passée.",

        Msg::KlarnaDeclined => "Klarna a refusé ce paiement. Vous pouvez réessayer ou choisir un autre moyen de payer avec Klarna.",

        Msg::KlarnaNotCompleted => "Le paiement Klarna n'a pas été finalisé. Cliquez sur Payer avec Klarna pour continuer.",

        Msg::KlarnaLoadingOptions => "Chargement des options de paiement de Klarna…",

        Msg::KlarnaUnavailable => "Klarna ne propose pas {} pour cette commande. Choisissez une autre option.",

        Msg::KlarnaReload => "Recharger la page",

        Msg::KlarnaNoCategories => "Klarna ne propose aucun moyen de payer cette commande. Veuillez contacter la boutique.",

        Msg::KlarnaHowToPay => "Comment souhaitez-vous payer ?",

        Msg::ChooseCountry => "Choisissez un pays",

        Msg::PostalHint => "Cela ne ressemble pas à un code postal de {}. Vérifiez le code postal et le pays.",

        Msg::ShopHeading => "Boutique",
        Msg::Products => "Produits",
        Msg::PayWith => "Payer avec",
        Msg::MollieCheckout => "La page de paiement de Mollie (iDEAL, carte, …)",
        Msg::KlarnaOnThisPage => "Klarna, sur cette page",
        Msg::Pay => "Payer",
        Msg::ContinueWithKlarna => "Continuer avec Klarna",
        Msg::Working => "Un instant…",
        Msg::ToPay => "À payer",
        Msg::ChangeOrder => "Modifier la commande",

        Msg::PayLinkNotFound => "Nous n'avons pas pu ouvrir ce lien de paiement",
        Msg::PayLinkUnavailable => "Ce lien de paiement ne peut pas être payé pour le moment. Veuillez réessayer plus tard ou contacter la boutique.",
        Msg::PayLinkExpired => "Ce lien de paiement a expiré ; demandez-en un nouveau à la boutique.",
        Msg::AlreadyPaid => "Cette commande est déjà payée.",
        Msg::SeeYourOrder => "Voir votre commande",
    }
}
