//! The HTTP side of Touchpoints.
