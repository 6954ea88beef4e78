//! The demo company (placeholder).
