//! The query engine compiled to wasm, for `scripts/bench-engine-wasm.sh`: Node (the V8 of
//! Chromium) hands it a corpus's files, it grows the usage table to the rows asked, and each of
//! the shared page questions (`benches/shared/page_questions.rs`) is timed in JavaScript around
//! one call, as the page's engine worker answers it (one thread, wasm SIMD). The native bench
//! (`benches/actions.rs`, `ACTIONS_PROFILE=pages`) asks the same questions of the same rows.

#[cfg(target_arch = "wasm32")]
#[path = "../../benches/shared/page_questions.rs"]
mod page_questions;

#[cfg(target_arch = "wasm32")]
mod bench {
    use agent_ledger::ingest::Ingest;
    use agent_ledger::query::{Engine, Request, Response, Settings};
    use wasm_bindgen::prelude::*;

    /// Files in, then an engine over them, then questions, one at a time.
    #[wasm_bindgen]
    pub struct EngineBench {
        ingest: Option<Ingest>,
        engine: Option<Engine>,
    }

    #[wasm_bindgen]
    impl EngineBench {
        #[wasm_bindgen(constructor)]
        pub fn new() -> EngineBench {
            EngineBench { ingest: Some(Ingest::new()), engine: None }
        }

        #[wasm_bindgen(js_name = addFile)]
        pub fn add_file(&mut self, name: String, bytes: &[u8]) {
            if let Some(ingest) = &mut self.ingest {
                ingest.add_file(name, bytes);
            }
        }

        /// The load finished, the usage table grown to `usage_rows` and the first analysis
        /// made (default settings, as after a load). Returns the usage rows.
        pub fn finish(&mut self, usage_rows: usize) -> usize {
            let Some(ingest) = self.ingest.take() else { return 0 };
            let mut ledger = ingest.finish();
            agent_ledger::synth::grow::grow_usage(&mut ledger.tables, usage_rows);
            let rows = ledger.tables.usage.len();
            self.engine = Some(Engine::new(ledger, Settings::default()));
            rows
        }

        /// The baseline, timed around this call: sorting `n` random `u64` (`sort_unstable`),
        /// the least a sort of that many rows can cost, as the native bench's baseline.
        pub fn baseline(n: usize) -> u64 {
            let mut keys = super::page_questions::random_keys(n);
            keys.sort_unstable();
            keys.first().copied().unwrap_or(0)
        }

        /// The names of the questions, in order.
        pub fn questions() -> Vec<String> {
            super::page_questions::questions().into_iter().map(|(name, _)| name).collect()
        }

        /// Forget every answer kept, so that the next question is answered anew.
        pub fn forget(&mut self) {
            if let Some(engine) = &mut self.engine {
                engine.forget_pages();
            }
        }

        /// Ask question `index`; the rows it matched, or an error's message.
        pub fn ask(&mut self, index: usize) -> Result<usize, String> {
            let engine = self.engine.as_mut().ok_or("no engine yet: call finish first")?;
            let (_, question) = super::page_questions::questions().into_iter().nth(index).ok_or("no such question")?;
            match engine.answer(Request::Page(question)) {
                Response::Page(page) => Ok(page.matched),
                Response::Error { message } => Err(message),
                _ => Err("not a page".into()),
            }
        }
    }

    #[wasm_bindgen]
    impl EngineBench {
        /// The export zip as the page's engine worker builds it when a second worker compresses
        /// (its entries' bytes built and sent to a relay, here one that only counts them), or,
        /// with `compress`, built and compressed here. Returns the bytes sent, or the zip's.
        pub fn zip(&mut self, compress: bool) -> Result<f64, String> {
            use agent_ledger::export::bundle::Bundle;
            use agent_ledger::export::paced::{self, Pieces, Straight, run_now};
            use agent_ledger::export::relay::{Op, Relay};
            use std::cell::{Cell, RefCell};
            use std::rc::Rc;
            let engine = self.engine.as_mut().ok_or("no engine yet: call finish first")?;
            let (analysis, meta) = (engine.snapshot(), engine.export_meta(0));
            let input = analysis.export_input(&meta);
            if compress {
                let parts = run_now(paced::zip_parts(&input, &mut Straight, Pieces::PAGE)).ok_or("stopped")?;
                return Ok(parts.iter().map(Vec::len).sum::<usize>() as f64);
            }
            let sent = Rc::new(Cell::new(0usize));
            let relay: Relay = {
                let sent = sent.clone();
                Rc::new(RefCell::new(move |op: Op<'_>| {
                    if let Op::Write { bytes, .. } | Op::AfterHead { bytes, .. } | Op::EndDatabase { head: bytes, .. } | Op::ParquetBegin { head: bytes, .. } | Op::ParquetRows { bytes, .. } = op {
                        sent.set(sent.get() + bytes.len());
                    }
                }))
            };
            let mut bundle = Bundle::relaying(relay);
            run_now(paced::zip_into(&input, &mut Straight, Pieces::PAGE, &mut bundle)).ok_or("stopped")?;
            Ok(sent.get() as f64)
        }
    }

    impl Default for EngineBench {
        fn default() -> Self {
            Self::new()
        }
    }
}

fn main() {}
