//! Survey and customer KPIs by their standard definitions, from mergeable counts.
