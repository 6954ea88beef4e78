//! Response-time targets counted in business hours: the SLA clock.
