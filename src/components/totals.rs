//! The order total and its VAT, live. Order-wide amount errors ("The order total must be more
//! than zero") appear here.

use leptos::prelude::*;

use super::FieldErrorMsg;
use crate::draft::OrderDraft;

#[component]
pub fn Totals(draft: RwSignal<OrderDraft>) -> impl IntoView {
    let totals = Memo::new(move |_| draft.with(OrderDraft::order_text));
    view! {
        <section class="totals" aria-label="Order total">
            <dl>
                <div>
                    <dt>"Order total"</dt>
                    <dd class="amount" data-testid="order-total">
                        {move || totals.get().total}
                    </dd>
                </div>
                <div>
                    <dt>"of which VAT"</dt>
                    <dd data-testid="order-vat">{move || totals.get().vat}</dd>
                </div>
            </dl>
            <FieldErrorMsg at="lines"/>
        </section>
    }
}
