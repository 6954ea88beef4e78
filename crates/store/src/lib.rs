//! Persistence of Touchpoints.
