//! The page: mounts the Leptos app. Natively, the same binary is its command-line twin
//! (`agent-ledger --out DIR PATH...`, see `agent_ledger::cli`).

#[cfg(target_arch = "wasm32")]
fn main() {
    agent_ledger::ui::panic::install_hook();
    leptos::mount::mount_to_body(agent_ledger::ui::App);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    agent_ledger::cli::main()
}
