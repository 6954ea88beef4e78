//! Typed values in text (placeholder).
