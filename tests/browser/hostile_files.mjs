// The hostile folder of trust.test.mjs, made here (nothing committed) the way tests/hostile_files.rs
// makes its files natively, with what the page must report for each: its buckets
// [lines, parsed, skipped, duplicates, malformed], its note, and the reason of its first malformed
// line. The expected values are the native test's (worked out there by hand from the relay
// fixture: 9 lines, 5 calls, 4 malformed), so the page and the core must agree with them.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

/** Text a log may carry that a page must never turn into markup or behaviour. Each payload would
 * set window.__pwned if it ran. ESC starts a terminal colour; U+202E/U+202C reverse text. */
export const HOSTILE_PIECES = [
  '<script>window.__pwned = "script"</script>',
  '<img src=x onerror="window.__pwned = \'img\'">',
  '<a href="javascript:window.__pwned = \'link\'">click me</a>',
  'invoice\u202Etxt.exe\u202C',
  '\u001b[31mred alert\u001b[0m',
];
export const HOSTILE_TEXT = HOSTILE_PIECES.join(' ');
/** How the page must show a piece: bidi controls as `⟦U+202E⟧`, ESC as its control picture ␛, so
 * nothing reorders or recolours the text around it unseen. */
export const AS_SHOWN = (s) => s
  .replace(/[\u200E\u200F\u061C\u202A-\u202E\u2066-\u2069]/g, (c) => `⟦U+${c.codePointAt(0).toString(16).toUpperCase().padStart(4, '0')}⟧`)
  .replace(/\u001b/g, '\u241B');

/** A Codex rollout whose prompt, tool call, tool output and answer are all the hostile text, with one
 * model request of known tokens (input 10, cached 4, output 2, reasoning 1). */
function hostileSession() {
  const t = (s) => `2026-11-21T10:00:0${s}.000Z`;
  const line = (s, type, payload) => JSON.stringify({ timestamp: t(s), type, payload });
  const usage = { input_tokens: 10, cached_input_tokens: 4, output_tokens: 2, reasoning_output_tokens: 1, total_tokens: 12 };
  return [
    line(0, 'session_meta', { id: 'hostile-text-1', timestamp: t(0), cwd: '/home/ann/hostile', originator: 'codex_cli_rs', cli_version: '0.104.0' }),
    line(1, 'event_msg', { type: 'user_message', message: `Please print ${HOSTILE_TEXT}` }),
    line(2, 'turn_context', { cwd: '/home/ann/hostile', model: 'gpt-5-codex' }),
    line(3, 'response_item', { type: 'function_call', name: 'shell', arguments: JSON.stringify({ command: ['echo', HOSTILE_TEXT] }), call_id: 'call_h1' }),
    line(4, 'response_item', { type: 'function_call_output', call_id: 'call_h1', output: JSON.stringify({ output: HOSTILE_TEXT, metadata: { exit_code: 0, duration_seconds: 0.1 } }) }),
    line(5, 'event_msg', { type: 'token_count', info: { total_token_usage: usage, last_token_usage: usage, model_context_window: 258400 } }),
    line(6, 'event_msg', { type: 'agent_message', message: `Printed ${HOSTILE_TEXT}` }),
  ].join('\n') + '\n';
}

/** Deterministic bytes that are no text at all (xorshift32), with no NUL at the start. */
function noise(n) {
  const out = Buffer.alloc(n);
  let x = 2463534242;
  for (let i = 0; i < n; i++) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    out[i] = (x & 0xff) | 0x80; // high bytes: never ASCII, never valid UTF-8 for long
  }
  return out;
}

/**
 * Write the folder under `root` and answer what the page must show.
 * `relay` is the relay fixture's bytes; `codexFixtures` the paths of good Codex rollouts.
 */
export function writeHostileFolder(root, relay, codexFixtures) {
  fs.rmSync(root, { recursive: true, force: true });
  const put = (name, bytes) => {
    const file = path.join(root, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, bytes);
    return file;
  };
  const first = relay.toString('utf8').split('\n')[0];
  const good = [put('good/relay-before.ndjson', relay), put('good/relay-after.ndjson', relay)];
  const codex = codexFixtures.map((f) => put(`good/codex/${path.basename(f)}`, fs.readFileSync(f)));
  const session = put('hostile/hostile-text.jsonl', hostileSession());

  // The relay fixture as one gzip member, then 2,000 members of 1 MiB of zeros: about 2 MB that
  // would inflate to 2 GiB. The core stops at 64 MiB (past 200:1) and keeps the relay lines.
  const zeros = zlib.gzipSync(Buffer.alloc(1 << 20), { level: 9 });
  const bomb = Buffer.concat([zlib.gzipSync(relay), ...Array(2000).fill(zeros)]);
  const nested = '['.repeat(100_000) + ']'.repeat(100_000);

  // [name, bytes, buckets, format, note (RegExp), first malformed line's reason (or '')]
  const cases = [
    ['bomb.ndjson.gz', bomb, [10, 5, 0, 0, 5], 'relay-calls',
      /^gzip stopped at 6\d\.\d MiB inflated from \d+ bytes \(more than 200:1, a decompression bomb\?\)/, ''],
    ['long-line.ndjson', Buffer.concat([Buffer.from(`${first}\n`), Buffer.alloc(100_000_000, 'a'), Buffer.from('\n'), relay]),
      [11, 6, 0, 0, 5], 'relay-calls', /^malformed lines listed/, 'line longer than 64 MiB'],
    ['nul.jsonl', Buffer.alloc(5000), [1, 0, 1, 0, 0], 'unknown', /^binary data \(starts with NUL bytes\)/, ''],
    ['utf16.jsonl', Buffer.from(`\ufeff${first}\n`, 'utf16le'), [2, 0, 2, 0, 0], 'unknown', /^UTF-16 text, not UTF-8/, ''],
    ['deep.ndjson', Buffer.from(`${first}\n${nested}\n`), [2, 1, 0, 0, 1], 'relay-calls', /^malformed lines listed/,
      'valid JSON but not an object'],
    ['huge-float.ndjson', Buffer.from(`${first}\n${first.replace('"input_tokens":1000', '"input_tokens":1e400')}\n`),
      [2, 1, 0, 0, 1], 'relay-calls', /^malformed lines listed/, '`input_tokens` is not a whole number: 1e400'],
    ['huge-int.ndjson', Buffer.from(`${first}\n${first.replace('"input_tokens":1000', '"input_tokens":123456789012345678901234567890')}\n`),
      [2, 1, 0, 0, 1], 'relay-calls', /^malformed lines listed/, 'is not a whole number: 123456789012345678901234567890'],
    // No line end in either: one line, skipped; the note quotes the first 24 characters.
    ['noise.jsonl', noise(65536), [1, 0, 1, 0, 0], 'unknown', /^not a JSON log \(starts with "\uFFFD/, ''],
    ['saved-page.html', Buffer.from(`<!doctype html><html><body><script>window.__pwned = "html file"</script>${HOSTILE_TEXT}</body></html>`),
      [1, 0, 1, 0, 0], 'unknown', /^not a JSON log \(starts with "<!doctype html><html><bo"\)$/, ''],
  ];
  const hostile = cases.map(([name, bytes, buckets, format, note, reason]) => {
    put(`hostile/${name}`, bytes);
    return { name: `hostile/${name}`, buckets, format, note, reason };
  });

  // 10,000 tiny files of one relay call each: each its own report row, [1, 1, 0, 0, 0].
  const tinyDir = path.join(root, 'tiny');
  fs.mkdirSync(tinyDir);
  for (let i = 0; i < 10_000; i++) fs.writeFileSync(path.join(tinyDir, `${String(i).padStart(5, '0')}.ndjson`), first);

  return { good, codex, session, hostile, tiny: 10_000 };
}
