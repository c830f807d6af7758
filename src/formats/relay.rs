//! Stub: replaced by the real adapter.

use super::{Bucket, LineParser};
use crate::model::{Source, Tables};

#[derive(Default)]
pub struct RelayParser;

impl LineParser for RelayParser {
    fn line(&mut self, _line: &[u8], _src: Source, _out: &mut Tables) -> Bucket {
        Bucket::Skipped
    }
    fn finish(&mut self, _out: &mut Tables) {}
}
