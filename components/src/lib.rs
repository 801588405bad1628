//! Pure models shared by the browser app and the site generator. Nothing here touches the web,
//! so all of it is tested natively with `cargo test`.

pub mod chart;
pub mod diagram;
pub mod learn;
pub mod registry;
pub mod search;
pub mod sim;
pub mod theme;
pub mod viz;
