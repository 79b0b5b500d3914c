//! One module per route.

mod new_order;
mod not_found;
mod order;
mod return_page;

pub use new_order::NewOrderPage;
pub use not_found::NotFound;
pub use order::OrderPage;
pub use return_page::ReturnPage;
