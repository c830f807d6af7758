//! Prices and costs (docs/formats.md section 5). Stub, being written.
