//! `--timings`: the wall and CPU time of each phase, on stderr, to see where a run goes (the
//! benchmark prints them). CPU time is the whole process's, every thread, from `/proc/self/stat`
//! (Linux; elsewhere only wall times are shown). Off unless asked for: [`mark`] then does nothing.

use std::sync::Mutex;
use std::time::Instant;

struct State {
    last_wall: Instant,
    last_cpu: Option<f64>,
    /// Phase, wall seconds, CPU seconds.
    rows: Vec<(&'static str, f64, Option<f64>)>,
}

static STATE: Mutex<Option<State>> = Mutex::new(None);

/// Start timing from now.
pub fn enable() {
    let state = State { last_wall: Instant::now(), last_cpu: process_cpu_seconds(), rows: Vec::new() };
    *STATE.lock().unwrap_or_else(|e| e.into_inner()) = Some(state);
}

/// The phase `name` ends now.
pub fn mark(name: &'static str) {
    let mut guard = STATE.lock().unwrap_or_else(|e| e.into_inner());
    let Some(st) = guard.as_mut() else { return };
    let (wall, cpu) = (Instant::now(), process_cpu_seconds());
    let cpu_spent = cpu.zip(st.last_cpu).map(|(now, before)| now - before);
    st.rows.push((name, (wall - st.last_wall).as_secs_f64(), cpu_spent));
    (st.last_wall, st.last_cpu) = (wall, cpu);
}

/// Print the phases (when enabled).
pub fn report() {
    let guard = STATE.lock().unwrap_or_else(|e| e.into_inner());
    let Some(st) = guard.as_ref() else { return };
    eprintln!("{:<22} {:>8} {:>8}", "phase", "wall s", "cpu s");
    for (name, wall, cpu) in &st.rows {
        let cpu = cpu.map(|c| format!("{c:.2}")).unwrap_or_else(|| "?".into());
        eprintln!("{name:<22} {wall:>8.2} {cpu:>8}");
    }
}

/// User plus system time of this process so far. The kernel reports it in USER_HZ ticks, 100 a
/// second on every Linux ABI.
fn process_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which may hold spaces, so split after its closing paren):
    // state is field 3, utime 14, stime 15.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split(' ').collect();
    let ticks = |i: usize| fields.get(i - 3)?.parse::<f64>().ok();
    Some((ticks(14)? + ticks(15)?) / 100.0)
}
