//! The tables of the dashboard: thin views over the analysis. Every string from a log is rendered
//! as a text node (Leptos escapes it), never as HTML.

use super::fmt;
use super::pager::{self, PAGE_ROWS};
use super::state::{Analysis, use_state};
use crate::audit::CheckStatus;
use crate::timefmt::format_opt;
use leptos::prelude::*;

/// Render a view from the analysis, or nothing before anything is loaded.
fn with_analysis<V: IntoView + 'static>(f: impl Fn(&Analysis) -> V + Send + Sync + 'static) -> impl IntoView {
    let state = use_state();
    move || state.analysis.with(|a| a.as_ref().map(|a| f(a)))
}

#[component]
pub fn Totals() -> impl IntoView {
    with_analysis(|a| {
        let t = &a.summary.totals;
        let cards = vec![
            ("Sessions", fmt::int(t.sessions as i64)),
            ("Queries", fmt::int(t.queries as i64)),
            ("Tool calls", fmt::int(t.tool_calls as i64)),
            ("Usage rows", fmt::int(t.usage.usage_rows as i64)),
            ("Input tokens", fmt::int(t.usage.input_tokens)),
            ("Cached input", fmt::int(t.usage.cached_input_tokens)),
            ("Output tokens", fmt::int(t.usage.output_tokens)),
            ("Total tokens", fmt::int(t.usage.total_tokens)),
            ("Cost", fmt::usd(t.usage.cost_usd)),
            ("Unpriced rows", fmt::int(t.usage.unpriced_rows as i64)),
        ];
        view! {
            <section class="totals" id="totals">
                {cards
                    .into_iter()
                    .map(|(label, value)| view! { <div class="card"><div class="label">{label}</div><div class="value">{value}</div></div> })
                    .collect_view()}
            </section>
        }
    })
}

/// Every file read: its format and what became of its lines, a page at a time; "only files with
/// problems" keeps those with malformed lines, a note (not a log, cut short…) or no known format.
#[component]
pub fn IngestTable() -> impl IntoView {
    let page = pager::page_signal();
    let only_problems = RwSignal::new(false);
    let table = with_analysis(move |a| {
        let problems = only_problems.get();
        let files: Vec<_> = a.ledger.report.files.iter().filter(|f| !problems || has_problem(f)).collect();
        let rows = files[pager::rows(files.len(), page.get())]
            .iter()
            .map(|f| {
                let issues = f
                    .issues
                    .iter()
                    .take(5)
                    .map(|i| format!("line {}: {}", i.line, i.reason))
                    .collect::<Vec<_>>()
                    .join("\n");
                view! {
                    <tr class:bad=has_problem(f)>
                        <td class="path">{f.file.clone()}</td>
                        <td>{f.format_label()}</td>
                        <td class="num">{fmt::bytes(f.bytes)}</td>
                        <td class="num">{fmt::int(f.lines as i64)}</td>
                        <td class="num">{fmt::int(f.parsed as i64)}</td>
                        <td class="num">{fmt::int(f.skipped as i64)}</td>
                        <td class="num">{fmt::int(f.duplicates as i64)}</td>
                        <td class="num">{fmt::int(f.malformed as i64)}</td>
                        <td class="note-cell">{f.note.clone()}<pre>{issues}</pre></td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <p class="hint" id="files-by-format">{formats_line(&a.ledger.report.files)}</p>
            <div class="scroll"><table>
                <thead><tr><th>"File"</th><th>"Format"</th><th>"Size"</th><th>"Lines"</th><th>"Parsed"</th><th>"Skipped"</th><th>"Duplicates"</th><th>"Malformed"</th><th>"Note"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table></div>
            {pager::controls(files.len(), page)}
        }
    });
    view! {
        <section id="ingest-report">
            <h2>"Files read"</h2>
            <p class="hint">"Every line of every file lands in exactly one bucket."</p>
            <label class="toggle">
                <input id="only-problem-files" type="checkbox" prop:checked=move || only_problems.get()
                    on:change=move |ev| { only_problems.set(event_target_checked(&ev)); page.set(0); }/>
                " Only files with problems (malformed lines, a note, or no known format)"
            </label>
            {table}
        </section>
    }
}

/// "codex: 1,698 files, 829.5 MB · claude-code: 1,314 files, 450.3 MB · …", most files first.
fn formats_line(files: &[crate::ingest::FileReport]) -> String {
    let mut by_format: std::collections::BTreeMap<&str, (usize, u64)> = Default::default();
    for f in files {
        let e = by_format.entry(f.format_label()).or_default();
        *e = (e.0 + 1, e.1 + f.bytes);
    }
    let mut formats: Vec<_> = by_format.into_iter().collect();
    formats.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(a.0.cmp(b.0)));
    formats
        .iter()
        .map(|(format, (n, bytes))| {
            let noun = if *n == 1 { "file" } else { "files" };
            format!("{format}: {} {noun}, {}", fmt::int(*n as i64), fmt::bytes(*bytes))
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

fn has_problem(f: &crate::ingest::FileReport) -> bool {
    f.malformed > 0 || !f.note.is_empty() || f.format_label() == "unknown"
}

#[component]
pub fn ChecksTable() -> impl IntoView {
    with_analysis(|a| {
        let checks = a
            .audit
            .checks
            .iter()
            .map(|c| {
                let pass = c.status == CheckStatus::Pass;
                let findings = c
                    .findings
                    .iter()
                    .take(50)
                    .map(|f| view! { <li><code>{format!("{}:{}", f.file, f.line)}</code>" "{f.message.clone()}</li> })
                    .collect_view();
                view! {
                    <tr class:fail=!pass data-check=c.id.clone()>
                        <td>{c.id.clone()}</td>
                        <td>
                            <details>
                                <summary>{c.title.clone()}</summary>
                                <p class="hint">{c.explanation.clone()}</p>
                                <ul class="findings">{findings}</ul>
                            </details>
                        </td>
                        <td class="num">{fmt::int(c.rows_checked as i64)}</td>
                        <td class="num">{fmt::int(c.violations as i64)}</td>
                        <td class=if pass { "pass" } else { "fail" }>{if pass { "pass" } else { "fail" }}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <section id="audit-checks">
                <h2>"Audit checks"</h2>
                <table>
                    <thead><tr><th>"Id"</th><th>"Check"</th><th>"Rows checked"</th><th>"Violations"</th><th>"Status"</th></tr></thead>
                    <tbody>{checks}</tbody>
                </table>
            </section>
        }
    })
}

#[component]
pub fn UsageTable() -> impl IntoView {
    let page = pager::page_signal();
    with_analysis(move |a| {
        let t = a.tables();
        let shown = pager::rows(t.usage.len(), page.get());
        let rows = t.usage[shown.clone()]
            .iter()
            .zip(&a.usage_costs[shown.start.min(a.usage_costs.len())..])
            .map(|(u, cost)| {
                view! {
                    <tr>
                        <td>{format_opt(u.ts_ms)}</td>
                        <td class="path">{u.session_id.clone()}</td>
                        <td>{u.model.clone()}</td>
                        <td class="num">{fmt::int(u.input_tokens)}</td>
                        <td class="num">{fmt::int(u.cached_input_tokens)}</td>
                        <td class="num">{fmt::int(u.output_tokens)}</td>
                        <td class="num">{fmt::int(u.reasoning_output_tokens)}</td>
                        <td class="num">{fmt::int(u.total_tokens)}</td>
                        <td class="num">{fmt::cost(*cost)}</td>
                        <td class="path">{t.locate(u.source)}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <section id="usage">
                <h2>"Usage"</h2>
                <div class="scroll"><table>
                    <thead><tr><th>"Time (UTC)"</th><th>"Session"</th><th>"Model"</th><th>"Input"</th><th>"Cached"</th><th>"Output"</th><th>"Reasoning"</th><th>"Total"</th><th>"Cost"</th><th>"Where"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table></div>
                {pager::controls(t.usage.len(), page)}
            </section>
        }
    })
}

#[component]
pub fn ModelsTable() -> impl IntoView {
    with_analysis(|a| {
        let rows = a
            .summary
            .by_model
            .iter()
            .map(|g| {
                let cost = if g.sums.unpriced_rows == g.sums.usage_rows { "unpriced".to_string() } else { fmt::usd(g.sums.cost_usd) };
                view! {
                    <tr>
                        <td>{g.key.label()}</td>
                        <td class="num">{fmt::int(g.sums.usage_rows as i64)}</td>
                        <td class="num">{fmt::int(g.sums.input_tokens)}</td>
                        <td class="num">{fmt::int(g.sums.cached_input_tokens)}</td>
                        <td class="num">{fmt::int(g.sums.output_tokens)}</td>
                        <td class="num">{fmt::int(g.sums.total_tokens)}</td>
                        <td class="num">{cost}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <section id="by-model">
                <h2>"By model"</h2>
                <table>
                    <thead><tr><th>"Model"</th><th>"Rows"</th><th>"Input"</th><th>"Cached"</th><th>"Output"</th><th>"Total"</th><th>"Cost"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </section>
        }
    })
}

#[component]
pub fn ToolsTable() -> impl IntoView {
    with_analysis(|a| {
        let rows = a
            .summary
            .by_tool
            .iter()
            .take(PAGE_ROWS)
            .map(|g| {
                view! {
                    <tr>
                        <td>{g.tool.clone()}</td>
                        <td class="num">{fmt::int(g.calls as i64)}</td>
                        <td class="num">{fmt::int(g.errors as i64)}</td>
                        <td class="num">{fmt::int(g.denied as i64)}</td>
                        <td class="num">{fmt::int(g.unanswered as i64)}</td>
                        <td class="num">{fmt::ms(g.avg_duration_ms)}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <section id="by-tool">
                <h2>"Tool calls"</h2>
                <table>
                    <thead><tr><th>"Tool"</th><th>"Calls"</th><th>"Errors"</th><th>"Denied"</th><th>"No output"</th><th>"Avg duration"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </section>
        }
    })
}
