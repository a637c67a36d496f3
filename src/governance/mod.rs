//! Governance model (being written).
