//! Property tests of the money arithmetic and Mollie amount formats.
use crate::common::address;
use kassa_model::mollie::{CreateLine, CreateOrder, MollieAmount};
use kassa_model::{validate, Currency, LineAmounts, Money, VatRate};
use proptest::prelude::*;

fn currency() -> impl Strategy<Value = Currency> {
    prop::sample::select(Currency::ALL.to_vec())
}

fn vat_rate() -> impl Strategy<Value = VatRate> {
    prop_oneof![
        prop::sample::select(vec![0u32, 600, 900, 2100, 2500, 2700]),
        0u32..=10_000,
    ]
    .prop_map(|bp| VatRate::from_basis_points(bp).unwrap())
}

proptest! {
    /// Part of a discounted line: the share Kassa sends is always inside the range Mollie
    /// accepts, `[max(0, rest − unit × (available − q)), min(unit × q, rest)]`.
    #[test]
    fn a_share_of_a_discounted_line_is_within_mollies_range(
        unit in 0i64..10_000_000,
        available in 1u32..1_000,
        discount_per_mille in 0i64..=1_000,
        q_seed in any::<u32>(),
    ) {
        let full = unit * i64::from(available);
        let rest = full - full * discount_per_mille / 1_000;
        let q = 1 + q_seed % available;
        let share = kassa_model::line::share_of_rest(Money::new(rest, Currency::EUR), q, available)
            .unwrap()
            .minor;
        let lo = (rest - unit * i64::from(available - q)).max(0);
        let hi = (unit * i64::from(q)).min(rest);
        prop_assert!(lo <= share && share <= hi, "{share} not in {lo}..={hi}");
    }

    #[test]
    fn provider_strings_round_trip(minor in -10_000_000_000_000i64..10_000_000_000_000, c in currency()) {
        let m = Money::new(minor, c);
        let printed = m.to_major_string();
        prop_assert_eq!(Money::parse_exact(&printed, c), Ok(m));
        prop_assert_eq!(Money::parse_major(&printed, c), Ok(m));
        let decimals = printed.split_once('.').map(|(_, f)| f.len()).unwrap_or(0);
        prop_assert_eq!(decimals as u32, c.exponent());
        let wire = MollieAmount::from(m);
        prop_assert_eq!(wire.to_money(), Ok(m));
    }

    #[test]
    fn vat_is_the_nearest_minor_unit(total in -100_000_000_000i64..100_000_000_000, rate in vat_rate(), c in currency()) {
        let vat = rate.vat_included_in(Money::new(total, c)).minor;
        let r = i128::from(rate.basis_points());
        let d = 10_000 + r;
        // |vat − total·r/d| ≤ ½, i.e. |vat·d − total·r| ≤ d/2
        let err = (i128::from(vat) * d - i128::from(total) * r).abs();
        prop_assert!(2 * err <= d, "vat {vat} of {total} at {r}");
        // a tie goes away from zero
        if 2 * err == d {
            prop_assert!(i128::from(vat).abs() * d > (i128::from(total) * r).abs());
        }
        prop_assert!(vat.abs() <= total.abs());
        prop_assert!(vat == 0 || vat.signum() == total.signum());
    }

    #[test]
    fn line_total_is_exact(unit in -1_000_000_000i64..1_000_000_000, qty in 1u32..10_000, discount in 0i64..1_000_000_000, rate in vat_rate(), c in currency()) {
        let discount = (discount > 0).then(|| Money::new(discount, c));
        let line = LineAmounts::compute(Money::new(unit, c), qty, discount, rate).unwrap();
        let expected = i128::from(unit) * i128::from(qty) - i128::from(discount.map_or(0, |d| d.minor));
        prop_assert_eq!(i128::from(line.total.minor), expected);
        prop_assert_eq!(line.vat, rate.vat_included_in(line.total));
    }

    #[test]
    fn validation_accepts_what_the_arithmetic_computes_and_names_an_off_vat(
        lines in prop::collection::vec((1i64..500_000, 1u32..20, 0i64..1_000, vat_rate()), 1..6),
        c in currency(),
        wrong in any::<prop::sample::Index>(),
    ) {
        let mut req = order(c);
        let mut sum = Money::zero(c);
        for (i, (unit, qty, discount, rate)) in lines.iter().enumerate() {
            let unit = Money::new(*unit, c);
            let discount = Money::new((*discount).min(unit.minor), c);
            let amounts = LineAmounts::compute(unit, *qty, Some(discount), *rate).unwrap();
            sum = sum.checked_add(amounts.total).unwrap();
            req.lines.push(CreateLine {
                name: Some(format!("line {i}")),
                quantity: Some((*qty).into()),
                unit_price: Some(unit.into()),
                discount_amount: Some(discount.into()),
                total_amount: Some(amounts.total.into()),
                vat_rate: Some(rate.to_string()),
                vat_amount: Some(amounts.vat.into()),
                ..CreateLine::default()
            });
        }
        req.amount = Some(sum.into());
        let valid = validate::create_order(&req).unwrap();
        prop_assert_eq!(valid.amount, sum);

        let i = wrong.index(req.lines.len());
        let vat = req.lines[i].vat_amount.as_ref().unwrap().to_money().unwrap();
        req.lines[i].vat_amount = Some(Money::new(vat.minor + 1, c).into());
        let err = validate::create_order(&req).unwrap_err();
        prop_assert_eq!(err.field, format!("lines.{i}.vatAmount"));
        let expected_prefix = format!("Order line {i} is invalid. VAT amount is off.");
        prop_assert!(err.message.starts_with(&expected_prefix));
    }
}

fn order(c: Currency) -> CreateOrder {
    CreateOrder {
        order_number: Some("1".into()),
        locale: Some("en_US".into()),
        redirect_url: Some("https://example.org".into()),
        billing_address: Some(address()),
        amount: Some(MollieAmount::from(Money::zero(c))),
        ..CreateOrder::default()
    }
}
