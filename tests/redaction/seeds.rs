//! The seeded credential set of issue 16: values of 14 credential shapes, generated here by a
//! small deterministic generator (nothing is a real key, nothing is copied from anywhere), typed
//! into prompts, tool arguments, tool outputs, git remotes, a tool-audit log and an API error,
//! as log lines of the formats the ledger reads. Every placement says whether the tables keep
//! that text (tool outputs are measured, not kept), which gives each rule's expected count.

use serde_json::json;

/// splitmix64: a few lines, fixed seed, the same values on every run.
pub struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn pick(&mut self, alphabet: &str, n: usize) -> String {
        let chars: Vec<char> = alphabet.chars().collect();
        (0..n).map(|_| chars[(self.next() % chars.len() as u64) as usize]).collect()
    }
}

pub const ALNUM: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const HEX: &str = "0123456789abcdef";

/// One seeded value: the rule that must mask it, and how many of its placements the tables keep.
pub struct Seed {
    pub rule: &'static str,
    pub value: String,
    pub kept: u64,
}

pub struct Seeded {
    pub files: Vec<(String, Vec<u8>)>,
    pub seeds: Vec<Seed>,
    /// Texts that look like ids and hashes and must come out unchanged.
    pub lookalikes: Vec<String>,
}

pub const CODEX_A: &str = "sessions/2026/11/20/rollout-2026-11-20T09-00-00-0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b.jsonl";
pub const CODEX_B: &str = "sessions/2026/11/20/rollout-2026-11-20T10-00-00-0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c.jsonl";
pub const TOOL_AUDIT: &str = "tool_audit/2026-11-20.jsonl";
pub const RELAY: &str = "relay-calls.ndjson";

fn line(ts: &str, kind: &str, payload: serde_json::Value) -> String {
    json!({ "timestamp": ts, "type": kind, "payload": payload }).to_string()
}

fn usage(ts: &str, input: i64, output: i64, total_in: i64, total_out: i64) -> String {
    let counts = |i: i64, o: i64| json!({ "input_tokens": i, "cached_input_tokens": 0, "output_tokens": o, "reasoning_output_tokens": 0, "total_tokens": i + o });
    line(ts, "event_msg", json!({ "type": "token_count", "info": {
        "total_token_usage": counts(total_in, total_out), "last_token_usage": counts(input, output), "model_context_window": 272000 } }))
}

pub fn seeded() -> Seeded {
    let mut g = Gen(16);
    let openai = format!("sk-proj-{}", g.pick(ALNUM, 48));
    let openai_2 = format!("sk-proj-{}", g.pick(ALNUM, 48));
    let anthropic = format!("sk-ant-api03-{}AA", g.pick(&format!("{ALNUM}_-"), 80));
    let aws_id = format!("AKIA{}", g.pick("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16));
    let aws_secret = g.pick(&format!("{ALNUM}/+"), 40);
    let ghp = format!("ghp_{}", g.pick(ALNUM, 36));
    let gh_fine = format!("github_pat_{}_{}", g.pick(ALNUM, 22), g.pick(ALNUM, 59));
    let slack = format!("xoxb-{}-{}-{}", g.pick("0123456789", 12), g.pick("0123456789", 12), g.pick(ALNUM, 24));
    let webhook = format!("T{}/B{}/{}", g.pick("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 8), g.pick("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 8), g.pick(ALNUM, 24));
    let google = format!("AIza{}", g.pick(&format!("{ALNUM}_-"), 35));
    let stripe = format!("sk_live_{}", g.pick(ALNUM, 24));
    let jwt = format!("eyJ{}.eyJ{}.{}", g.pick(ALNUM, 24), g.pick(ALNUM, 40), g.pick(&format!("{ALNUM}_-"), 43));
    let b64 = format!("{ALNUM}+/");
    let pem_body = [g.pick(&b64, 64), g.pick(&b64, 64), g.pick(&b64, 40)];
    let pem = format!("-----BEGIN RSA PRIVATE KEY-----\n{}\n-----END RSA PRIVATE KEY-----", pem_body.join("\n"));
    let bearer = g.pick(ALNUM, 32);
    let password = g.pick(ALNUM, 16);
    let marker = format!("launch code {}", g.pick(ALNUM, 16));
    let commit = g.pick(HEX, 40);
    let sha256 = g.pick(HEX, 64);
    let uuid = "5f0c2a1e-8b7d-4c3a-9e21-7d6b5a4c3b2a".to_string();

    let a = "0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
    let codex_a = [
        line("2026-11-20T09:00:00.000Z", "session_meta", json!({ "id": a, "timestamp": "2026-11-20T09:00:00.000Z", "cwd": "/home/ana/shop",
            "originator": "codex_cli_rs", "cli_version": "0.104.0", "source": "cli",
            "git": { "commit_hash": commit, "branch": "main", "repository_url": format!("https://deploy:{password}@git.example.org/team/shop.git") } })),
        line("2026-11-20T09:00:01.000Z", "turn_context", json!({ "cwd": "/home/ana/shop", "approval_policy": "never", "model": "gpt-5-codex", "effort": "high" })),
        line("2026-11-20T09:00:02.000Z", "event_msg", json!({ "type": "user_message", "message": format!(
            "Use {openai} and the Anthropic key {anthropic} for the test; write to ana.lima@example.org from 203.0.113.7 \
             or 2001:db8::8a2e:370:7334. [redact {marker}] Commit {commit}, run {uuid}, image sha256:{sha256}.") })),
        line("2026-11-20T09:00:03.000Z", "response_item", json!({ "type": "function_call", "name": "shell", "call_id": "call_1",
            "arguments": json!({ "command": ["bash", "-lc", format!("curl -H 'Authorization: Bearer {bearer}' https://api.example.com/v1")] }).to_string() })),
        line("2026-11-20T09:00:04.000Z", "response_item", json!({ "type": "function_call_output", "call_id": "call_1",
            "output": json!({ "output": format!("GOOGLE_API_KEY={google}\nSLACK={slack}"), "metadata": { "exit_code": 0, "duration_seconds": 0.5 } }).to_string() })),
        line("2026-11-20T09:00:05.000Z", "response_item", json!({ "type": "function_call", "name": "shell", "call_id": "call_2",
            "arguments": json!({ "command": ["bash", "-lc", format!("export AWS_ACCESS_KEY_ID={aws_id} AWS_SECRET_ACCESS_KEY={aws_secret}")] }).to_string() })),
        line("2026-11-20T09:00:06.000Z", "response_item", json!({ "type": "function_call", "name": "shell", "call_id": "call_3",
            "arguments": json!({ "cmd": format!("git push https://{ghp}@github.com/org/shop.git") }).to_string() })),
        usage("2026-11-20T09:00:07.000Z", 1200, 300, 1200, 300),
        line("2026-11-20T09:00:08.000Z", "event_msg", json!({ "type": "user_message", "message": format!("The deploy key:\n{pem}\nand the session token {jwt}") })),
        usage("2026-11-20T09:00:09.000Z", 800, 100, 2000, 400),
    ];
    let b = "0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c";
    let codex_b = [
        line("2026-11-20T10:00:00.000Z", "session_meta", json!({ "id": b, "timestamp": "2026-11-20T10:00:00.000Z", "cwd": "C:\\Users\\ana\\blog",
            "originator": "codex_cli_rs", "cli_version": "0.104.0", "source": "cli",
            "git": { "commit_hash": commit, "branch": "main", "repository_url": format!("https://x-access-token:{gh_fine}@github.com/org/blog.git") } })),
        line("2026-11-20T10:00:01.000Z", "turn_context", json!({ "cwd": "C:\\Users\\ana\\blog", "approval_policy": "never", "model": "gpt-5", "effort": "low" })),
        line("2026-11-20T10:00:02.000Z", "event_msg", json!({ "type": "user_message", "message": format!(
            "Post to https://hooks.slack.com/services/{webhook} and geocode with {google}") })),
        usage("2026-11-20T10:00:03.000Z", 500, 50, 500, 50),
    ];
    let audit = [
        json!({ "ts": "2026-11-20T11:00:00Z", "user": "ana", "engine": "openai", "model": "gpt-5", "tool": "bash",
            "args": { "command": format!("stripe charges list --api-key {stripe}") }, "status": "ok", "result_chars": 60,
            "result_snippet": format!("token={slack}") }),
        json!({ "ts": "2026-11-20T11:01:00Z", "user": "ana", "engine": "openai", "model": "gpt-5", "tool": "read_file",
            "args": { "path": "/Users/ana/.aws/credentials" }, "status": "error", "result_chars": 17, "result_snippet": "permission denied" }),
    ];
    let relay = [json!({ "ts": 1_795_165_200_000_i64, "install_id": "i-1", "tier": "pro", "pipeline": "chat", "backend": "openai",
        "model": "gpt-5", "status": "error", "credit_charged": 0, "duration_ms": 120, "input_tokens": 0, "output_tokens": 0,
        "thinking_tokens": 0, "cost_usd": 0, "job_id": "j-1", "error": format!("401 Incorrect API key provided: {openai_2}") })];

    let join = |lines: &[String]| (lines.join("\n") + "\n").into_bytes();
    let files = vec![
        (CODEX_A.to_string(), join(&codex_a)),
        (CODEX_B.to_string(), join(&codex_b)),
        (TOOL_AUDIT.to_string(), join(&audit.map(|l| l.to_string()))),
        (RELAY.to_string(), join(&relay.map(|l| l.to_string()))),
    ];
    let seed = |rule, value: &String, kept| Seed { rule, value: value.clone(), kept };
    let seeds = vec![
        seed("openai-api-key", &openai, 1),             // prompt
        seed("openai-api-key", &openai_2, 1),           // API error
        seed("anthropic-api-key", &anthropic, 1),       // prompt
        seed("aws-access-key-id", &aws_id, 1),          // tool arguments
        seed("aws-secret-access-key", &aws_secret, 1),  // tool arguments
        seed("github-token", &ghp, 1),                  // tool arguments
        seed("github-token", &gh_fine, 1),              // git remote (as the URL's password: github-token comes first)
        seed("slack-token", &slack, 1),                 // tool-audit result (the Codex tool output is not kept)
        seed("slack-webhook-url", &webhook, 1),         // prompt
        seed("google-api-key", &google, 1),             // prompt (the Codex tool output is not kept)
        seed("stripe-key", &stripe, 1),                 // tool-audit arguments
        seed("jwt", &jwt, 1),                           // prompt
        seed("private-key", &pem_body[0], 1),           // prompt: the whole block is one hit,
        seed("private-key", &pem_body[1], 0),           // so its other lines add nothing
        seed("private-key", &pem_body[2], 0),
        seed("authorization-header", &bearer, 1),       // tool arguments
        seed("url-password", &password, 1),             // git remote
        seed("redact-marker", &marker, 1),              // prompt
    ];
    Seeded { files, seeds, lookalikes: vec![commit, sha256, uuid, a.to_string(), b.to_string()] }
}
