//! Raw lines read back from the files the worker holds, slice by slice, on demand.

use super::io::{Shared, js_text, read_slice};
use crate::query::raw::{RawLine, Reader};
use js_sys::Uint8Array;

/// Slices read when looking for a line: small enough to stop soon after it.
const RAW_SLICE: u64 = 1 << 20;

/// The line, masked by the current redaction.
pub async fn read_line(held: &Shared, file: &str, line: u32) -> Result<RawLine, String> {
    let raw = read_unmasked(held, file, line).await?;
    Ok(match held.borrow().engine.as_ref() {
        Some(engine) => engine.mask_raw(raw),
        None => raw,
    })
}

async fn read_unmasked(held: &Shared, file: &str, line: u32) -> Result<RawLine, String> {
    let (sample, handle) = {
        let h = held.borrow();
        (h.sample.iter().find(|(n, _)| n == file).map(|(_, b)| b.clone()), h.files.iter().find(|(n, _)| n == file).map(|(_, f)| f.clone()))
    };
    if let Some(bytes) = sample {
        let mut r = Reader::new(line, &bytes[..bytes.len().min(2)]);
        r.feed(&bytes);
        return r.finish(file).ok_or_else(|| format!("{file} has no line {line}"));
    }
    let handle = handle.ok_or_else(|| format!("{file} is not loaded"))?;
    let size = handle.size() as u64;
    let mut reader: Option<Reader> = None;
    let mut start = 0;
    let mut buf = Vec::new();
    while start < size {
        let end = (start + RAW_SLICE).min(size);
        let chunk = read_slice(&handle, start, end).await.map_err(js_text)?;
        let array = Uint8Array::new(&chunk);
        buf.resize(array.length() as usize, 0);
        array.copy_to(&mut buf);
        let r = reader.get_or_insert_with(|| Reader::new(line, &buf[..buf.len().min(2)]));
        r.feed(&buf);
        if r.done() {
            break;
        }
        start = end;
    }
    reader.and_then(|r| r.finish(file)).ok_or_else(|| format!("{file} has no line {line}"))
}
