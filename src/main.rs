//! The page: mounts the Leptos app. Natively this binary only points at the real commands.

#[cfg(target_arch = "wasm32")]
fn main() {
    agent_ledger::ui::panic::install_hook();
    leptos::mount::mount_to_body(agent_ledger::ui::App);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("agent-ledger is a web page: run ./scripts/serve.sh to build and serve it.");
}
