//! The 24/7 chat's bot: reading words ([`words`]), the lists it reads them with
//! ([`lexicon`]), and answering from the company's own sources ([`bot`]).

pub mod bot;
#[rustfmt::skip]
pub mod lexicon;
pub mod words;

pub use bot::{Bot, Citation, LeftOut, LibraryText, Reply};
