//! Stub: replaced by the real adapter.

use super::{Bucket, LineParser};
use crate::model::{Source, Tables};

#[derive(Default)]
pub struct GeminiJsonlParser;

impl LineParser for GeminiJsonlParser {
    fn line(&mut self, _line: &[u8], _src: Source, _out: &mut Tables) -> Bucket {
        Bucket::Skipped
    }
    fn finish(&mut self, _out: &mut Tables) {}
}

pub struct GeminiJsonParser;

impl super::DocParser for GeminiJsonParser {
    fn parse(&mut self, _doc: &[u8], _file: crate::model::FileId, _out: &mut Tables) -> Result<(), String> {
        Ok(())
    }
}
