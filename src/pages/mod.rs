//! One module per route.

mod expiring;
mod login;
mod new_order;
mod not_found;
mod order;
mod orders;
mod return_page;
mod shop;

pub use expiring::ExpiringPage;
pub use login::LoginPage;
pub use new_order::NewOrderPage;
pub use not_found::NotFound;
pub use order::OrderPage;
pub use orders::OrdersPage;
pub use return_page::ReturnPage;
pub use shop::ShopPage;
