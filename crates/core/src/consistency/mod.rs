//! The consistency checker: finds every mention of the guideline's facts in the content of
//! every channel, and reports contradictions with the guideline, between channels, and
//! breaches of the tone rules.

pub mod tone;
pub mod value;
