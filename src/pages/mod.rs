//! One module per route, and for each routed page a [`crate::lazy_page!`] function that
//! builds it in its own wasm chunk (see [`crate::split`]): the routes in [`crate::Console`]
//! show these, so a page's code is fetched when the page is first shown.

mod expiring;
mod login;
mod new_order;
mod not_found;
mod order;
mod orders;
mod pay;
mod return_page;
mod shop;

use leptos::prelude::*;

pub use expiring::ExpiringPage;
pub use login::LoginPage;
pub use new_order::NewOrderPage;
pub use not_found::NotFound;
pub use order::OrderPage;
pub use orders::OrdersPage;
pub use pay::{PayLinkDetails, PayPage};
pub use return_page::{ReturnDetails, ReturnPage};
pub use shop::ShopPage;

crate::lazy_page!(
    /// `/login`, in chunk `login`.
    pub fn login() in login { view! { <LoginPage/> } }
);
crate::lazy_page!(
    /// `/`, in chunk `orders`; [`preload_orders`] fetches it ahead, while a login is checked.
    pub fn orders() in orders, preload preload_orders { view! { <OrdersPage/> } }
);
crate::lazy_page!(
    /// `/expiring`, in chunk `expiring`.
    pub fn expiring() in expiring { view! { <ExpiringPage/> } }
);
crate::lazy_page!(
    /// `/orders/:id`, in chunk `order`.
    pub fn order() in order { view! { <OrderPage/> } }
);
crate::lazy_page!(
    /// `/orders/new`, in chunk `new_order`.
    pub fn new_order() in new_order { view! { <NewOrderPage/> } }
);
crate::lazy_page!(
    /// `/shop`, in chunk `shop`.
    pub fn shop() in shop { view! { <ShopPage/> } }
);
crate::lazy_page!(
    /// `/return/:ref`, in chunk `return_page`.
    pub fn return_page() in return_page { view! { <ReturnPage/> } }
);
crate::lazy_page!(
    /// `/pay/:reference`, in chunk `pay`.
    pub fn pay() in pay { view! { <PayPage/> } }
);
