//! CSV, JSON, zip and Markdown exports (DESIGN.md section 4). Stub, being written.
