//! Deterministic generator of realistic agent logs. Stub, being written.
