//! Audit checks over the normalized tables (DESIGN.md section 3). Stub, being written.
