//! The priority of a customer request: a score with its explanation.
