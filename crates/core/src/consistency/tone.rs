//! Form of address (placeholder).
