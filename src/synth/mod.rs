//! Deterministic generator (synthetic corpus) of realistic agent logs. Stub, being written.
