//! Rollups for summary.json and the views. Stub, being written.
