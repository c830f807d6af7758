//! The API-calls view's rollups by model and by hour against `api_calls.csv`, counted here.

#[path = "common/query_cases.rs"]
mod cases;

use agent_ledger::query::{Request, Response, Settings};
use cases::*;
use std::collections::BTreeMap;

#[test]
fn api_calls_by_model_and_by_hour_count_the_csv_rows() {
    for (load, files) in corpora() {
        let csv = &csvs(&downloads(&files, ""))["api_calls.csv"];
        let mut e = engine(&files);
        for (zone, offset_h) in [("", 0), ("Asia/Kolkata", 5)] {
            e.answer(Request::Configure { settings: Settings { zone: zone.into(), ..Settings::default() } });
            let Response::Overview(o) = e.answer(Request::Overview) else { panic!("{load}: no overview") };
            let (mut models, mut hours) = (BTreeMap::<String, (u64, u64)>::new(), BTreeMap::<String, u64>::new());
            for r in &csv.rows {
                let m = models.entry(r[csv.col("model")].clone()).or_default();
                m.0 += 1;
                m.1 += u64::from(r[csv.col("status")] == "error");
                let ts = &r[csv.col("ts_utc")];
                // Kolkata is UTC+5:30 all year: the hour moves by 5 or 6 with the minutes.
                let hour = match ts.get(11..13).and_then(|h| h.parse::<u32>().ok()) {
                    None => "(no time)".to_string(),
                    Some(h) => {
                        let minutes: u32 = ts[14..16].parse().unwrap();
                        let shifted = if offset_h == 0 { h } else { (h + 5 + u32::from(minutes >= 30)) % 24 };
                        format!("{shifted:02}")
                    }
                };
                *hours.entry(hour).or_default() += 1;
            }
            let got_models: BTreeMap<String, (u64, u64)> = o.api_by_model.iter().map(|l| (l.key.clone(), (l.rows, l.errors))).collect();
            assert_eq!(got_models, models, "{load} {zone}: by model");
            let got_hours: Vec<(String, u64)> = o.api_by_hour.iter().map(|l| (l.key.clone(), l.rows)).collect();
            let mut want: Vec<(String, u64)> = hours.into_iter().collect();
            want.sort_by_key(|(k, _)| (k.starts_with('('), k.clone()));
            assert_eq!(got_hours, want, "{load} {zone}: by hour, in hour order");
        }
    }
}
