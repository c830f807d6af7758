//! Stub: replaced by the real adapter.

use super::{Bucket, LineParser};
use crate::model::{Source, Tables};

#[derive(Default)]
pub struct CodexParser;

impl LineParser for CodexParser {
    fn line(&mut self, _line: &[u8], _src: Source, _out: &mut Tables) -> Bucket {
        Bucket::Skipped
    }
    fn finish(&mut self, _out: &mut Tables) {}
}

pub fn reconcile_forks(_tables: &mut Tables, _moved: &mut Vec<Source>) {}
