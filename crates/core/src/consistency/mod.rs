//! The consistency checker: finds every mention of the guideline's facts in the content of
//! every channel, and reports contradictions with the guideline, between channels, and
//! breaches of the tone rules.

mod blocks;
pub mod check;
pub mod guideline;
pub mod keywords;
pub mod library;
pub mod text;
pub mod tone;
pub mod value;

pub use check::{Checker, Content, Finding, FindingKind, GuidelineTooLarge, Mention, Place};
pub use guideline::{Fact, Guideline, TermRule, Tone};
