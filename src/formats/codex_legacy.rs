//! Stub: replaced by the real adapter.

use super::{Bucket, LineParser};
use crate::model::{Source, Tables};

#[derive(Default)]
pub struct G1Parser;

impl LineParser for G1Parser {
    fn line(&mut self, _line: &[u8], _src: Source, _out: &mut Tables) -> Bucket {
        Bucket::Skipped
    }
    fn finish(&mut self, _out: &mut Tables) {}
}

pub struct G0Parser;

impl super::DocParser for G0Parser {
    fn parse(&mut self, _doc: &[u8], _file: crate::model::FileId, _out: &mut Tables) -> Result<(), String> {
        Ok(())
    }
}
