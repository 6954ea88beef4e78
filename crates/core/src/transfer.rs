//! Import and export of touchpoints (placeholder).
