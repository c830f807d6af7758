//! The command line: what `agent-ledger` accepts, parsed with `lexopt` into [`Options`].

use crate::model::Millis;
use crate::rollup::Zone;
use std::path::PathBuf;

pub const USAGE: &str = "\
agent-ledger: audit the session logs of AI coding agents, without a browser.

Usage: agent-ledger --out DIR [OPTIONS] [PATH...]
       agent-ledger --json [OPTIONS] [PATH...]

Reads every file under each PATH (folders recursively; gzip, any supported format, sniffed per
file) and writes the page's downloads into DIR: the nine CSV datasets, summary.json, audit.json,
catalog.json, report.md and agent-ledger-export.zip, byte for byte what the page makes of the
same folder but for the generation time. A file is named as the page names a dropped folder's
files: the folder's own name, then the path inside it (`sessions/2025/10/01/rollout-….jsonl`);
a file given by itself is named by its file name.

With no PATH, reads the agents' default log folders that exist: $CODEX_HOME/sessions and
$CODEX_HOME/archived_sessions (CODEX_HOME defaults to ~/.codex), the projects folder of each
directory in $CLAUDE_CONFIG_DIR (comma-separated; default ~/.config/claude and ~/.claude),
~/.gemini/tmp and ~/.copilot/session-state.

Options:
  -o, --out DIR            write every export file into DIR (created if missing)
      --json               print summary.json's totals on stdout
      --since YYYY-MM-DD   keep records from this UTC day on (the page's \"From\" filter)
      --until YYYY-MM-DD   keep records up to and including this UTC day (the page's \"To\")
      --tz NAME            IANA time zone of the day and hour rollups (default UTC)
      --redaction-rules FILE
                           the redaction rules and manual redactions to apply to every export
                           (the page's rule file; default: the built-in rules, secrets masked)
      --machine NAME       this machine's name for the team view, written into catalog.json and
                           the database's meta table; other machines' exports (an
                           agent-ledger-export.zip given as a PATH) are merged, each under
                           the name it was exported with (docs/team-view.md)
      --fail-on-findings   exit with status 1 when any audit check fails (for CI)
      --generated-at TIME  the generation time written into report.md and the zip
                           (RFC 3339, e.g. 2025-10-01T12:00:00Z; default: now)
  -j, --threads N          read with N threads (default: one per core)
  -q, --quiet              no progress on stderr (it is shown only on a terminal anyway)
      --timings            print the wall and CPU time of each phase on stderr
  -h, --help               this help
  -V, --version            the version

Exit status: 0 done; 1 an audit check failed and --fail-on-findings was given; 2 bad arguments,
no input, or the outputs could not be written.";

/// What the command line asked for.
#[derive(Debug, Default, Clone)]
pub struct Options {
    pub out: Option<PathBuf>,
    pub json: bool,
    /// The first UTC day kept, `YYYY-MM-DD` (checked).
    pub since: Option<String>,
    /// The last UTC day kept, inclusive.
    pub until: Option<String>,
    pub tz: Option<String>,
    pub redaction_rules: Option<PathBuf>,
    pub fail_on_findings: bool,
    /// This machine's name for the team view (`--machine`).
    pub machine: Option<String>,
    pub generated_at_ms: Option<Millis>,
    pub threads: Option<usize>,
    pub quiet: bool,
    pub timings: bool,
    pub paths: Vec<PathBuf>,
}

/// What to do.
#[derive(Debug)]
pub enum Command {
    /// Boxed: the options are large beside the other variants (clippy's `large_enum_variant`).
    Run(Box<Options>),
    Help,
    Version,
}

pub fn parse<I>(args: I) -> Result<Command, String>
where
    I: IntoIterator,
    I::Item: Into<std::ffi::OsString>,
{
    use lexopt::prelude::*;
    let mut o = Options::default();
    let mut p = lexopt::Parser::from_args(args);
    let err = |e: lexopt::Error| e.to_string();
    while let Some(arg) = p.next().map_err(err)? {
        match arg {
            Short('o') | Long("out") => o.out = Some(p.value().map_err(err)?.into()),
            Long("json") => o.json = true,
            Long("since") => o.since = Some(day(text(&mut p, "--since")?, "--since")?),
            Long("until") => o.until = Some(day(text(&mut p, "--until")?, "--until")?),
            Long("tz") => {
                let name = text(&mut p, "--tz")?;
                Zone::named(&name).map_err(|e| format!("--tz: {e}"))?;
                o.tz = Some(name);
            }
            Long("redaction-rules") => o.redaction_rules = Some(p.value().map_err(err)?.into()),
            Long("fail-on-findings") => o.fail_on_findings = true,
            Long("machine") => {
                let name = text(&mut p, "--machine")?.trim().to_string();
                if name.is_empty() || name.chars().any(char::is_control) {
                    return Err("--machine: give a name without control characters, such as laptop".into());
                }
                o.machine = Some(name);
            }
            Long("generated-at") => {
                let t = text(&mut p, "--generated-at")?;
                let ms = crate::timefmt::parse_iso(&t)
                    .ok_or_else(|| format!("--generated-at: {t:?} is not an RFC 3339 time such as 2025-10-01T12:00:00Z"))?;
                o.generated_at_ms = Some(ms);
            }
            Short('j') | Long("threads") => {
                let n = text(&mut p, "--threads")?;
                match n.parse::<usize>() {
                    Ok(n) if n > 0 => o.threads = Some(n),
                    _ => return Err(format!("--threads: {n:?} is not a positive whole number")),
                }
            }
            Short('q') | Long("quiet") => o.quiet = true,
            Long("timings") => o.timings = true,
            Short('h') | Long("help") => return Ok(Command::Help),
            Short('V') | Long("version") => return Ok(Command::Version),
            Value(path) => o.paths.push(path.into()),
            _ => return Err(arg.unexpected().to_string()),
        }
    }
    // Days in this form sort as text in time order.
    if let (Some(since), Some(until)) = (&o.since, &o.until)
        && since > until
    {
        return Err("--since is after --until: nothing would be kept".into());
    }
    if o.out.is_none() && !o.json {
        return Err("nothing to do: give --out DIR (the export files) or --json (the totals)".into());
    }
    Ok(Command::Run(Box::new(o)))
}

fn text(p: &mut lexopt::Parser, flag: &str) -> Result<String, String> {
    let v = p.value().map_err(|e| e.to_string())?;
    v.into_string().map_err(|v| format!("{flag}: {v:?} is not valid UTF-8"))
}

/// A `YYYY-MM-DD` day that exists, as the page's date inputs give it (the page's filter turns it
/// into UTC midnights: `query::analysis::filter_of`).
fn day(day: String, flag: &str) -> Result<String, String> {
    let well_formed = day.len() == 10
        && day.bytes().enumerate().all(|(i, b)| if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() });
    match well_formed && crate::timefmt::parse_iso(&format!("{day}T00:00:00Z")).is_some() {
        true => Ok(day),
        false => Err(format!("{flag}: {day:?} is not a day in the form YYYY-MM-DD")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(args: &[&str]) -> Result<Options, String> {
        match parse(args.iter().copied())? {
            Command::Run(o) => Ok(*o),
            other => Err(format!("{other:?}")),
        }
    }

    #[test]
    fn days_must_exist() {
        let o = run(&["--out", "x", "--since", "2024-02-29", "--until", "2024-02-29"]).unwrap();
        assert_eq!((o.since.as_deref(), o.until.as_deref()), (Some("2024-02-29"), Some("2024-02-29")));
        for bad in ["2025-02-29", "2025-1-01", "2025-10-01T00:00:00Z", "20251001"] {
            assert!(run(&["--out", "x", "--since", bad]).is_err(), "{bad}");
        }
    }

    #[test]
    fn paths_and_flags() {
        let o = run(&["a", "--json", "-q", "b/c", "--tz", "Europe/Berlin", "-j", "3"]).unwrap();
        assert_eq!(o.paths, [PathBuf::from("a"), PathBuf::from("b/c")]);
        assert!(o.json && o.quiet && o.out.is_none());
        assert_eq!(o.tz.as_deref(), Some("Europe/Berlin"));
        assert_eq!(o.threads, Some(3));
        assert!(matches!(parse(["--help"]), Ok(Command::Help)));
    }

    #[test]
    fn bad_arguments_say_what_is_wrong() {
        let e = |args: &[&str]| run(args).unwrap_err();
        assert!(e(&["--out", "x", "--since", "2025-13-01"]).contains("--since"));
        assert!(e(&["--out", "x", "--since", "1.10.2025"]).contains("YYYY-MM-DD"));
        assert!(e(&["--out", "x", "--tz", "Mars/Olympus"]).contains("Mars/Olympus"));
        assert!(e(&["--out", "x", "--since", "2025-10-02", "--until", "2025-10-01"]).contains("after"));
        assert!(e(&["--out", "x", "--threads", "0"]).contains("--threads"));
        assert!(e(&["--bogus"]).contains("--bogus"));
        assert!(e(&["somewhere"]).contains("--out"));
        assert!(e(&["--out"]).contains("--out"));
    }
}
