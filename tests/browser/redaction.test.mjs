// Redaction as a person uses it, in Chromium: credentials typed into logs reach no download
// (every entry of the zip, which holds every other download, searched byte for byte); a custom
// rule is added, counted, saved to a file, loaded into a fresh browser and removed; a selection
// in a table is redacted in its occurrence, with its provenance in redaction.json, and undone.
// The secrets are made here (not taken from the Rust tests), so the two check each other.
//
// Run by scripts/test.sh after the release build: DIST=<dist folder> node --test
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { harness, show, download, waitReady as ready } from './harness.mjs';

const h = harness();
before(h.start);
after(h.stop);

// A fixed xorshift, so the values are the same on every run and are nobody's keys.
let state = 0x2545f491;
const pick = (alphabet, n) => Array.from({ length: n }, () => {
  state ^= state << 13; state ^= state >>> 17; state ^= state << 5; state >>>= 0;
  return alphabet[state % alphabet.length];
}).join('');
const AZ09 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const SECRETS = {
  openai: `sk-proj-${pick(AZ09, 48)}`,
  aws: `AKIA${pick('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16)}`,
  github: `ghp_${pick(AZ09, 36)}`,
  slack: `xoxb-${pick('0123456789', 12)}-${pick('0123456789', 12)}-${pick(AZ09, 24)}`,
  jwt: `eyJ${pick(AZ09, 24)}.eyJ${pick(AZ09, 40)}.${pick(AZ09, 43)}`,
  bearer: pick(AZ09, 32),
  password: pick(AZ09, 16),
  pem: pick(AZ09, 64),
};

/** A Codex rollout whose prompt, tool arguments and git remote hold the secrets. */
function seededFolder() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledger-redaction-'));
  const id = '0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5e';
  const line = (ts, type, payload) => JSON.stringify({ timestamp: ts, type, payload });
  const counts = (i, o) => ({ input_tokens: i, cached_input_tokens: 0, output_tokens: o, reasoning_output_tokens: 0, total_tokens: i + o });
  const lines = [
    line('2026-11-20T09:00:00.000Z', 'session_meta', { id, timestamp: '2026-11-20T09:00:00.000Z', cwd: '/home/ann/shop', originator: 'codex_cli_rs', cli_version: '0.104.0',
      git: { commit_hash: 'a'.repeat(40), branch: 'main', repository_url: `https://deploy:${SECRETS.password}@git.example.org/shop.git` } }),
    line('2026-11-20T09:00:01.000Z', 'turn_context', { cwd: '/home/ann/shop', approval_policy: 'never', model: 'gpt-5-codex', effort: 'high' }),
    line('2026-11-20T09:00:02.000Z', 'event_msg', { type: 'user_message', message: `Use ${SECRETS.openai} and ${SECRETS.jwt}; the customer is Ms Quintessa Farthingale.\n-----BEGIN RSA PRIVATE KEY-----\n${SECRETS.pem}\n-----END RSA PRIVATE KEY-----` }),
    // Tool arguments are kept as their first 200 characters: one secret per call.
    ...[`curl -H 'Authorization: Bearer ${SECRETS.bearer}' https://api.example.com`, `export AWS_ACCESS_KEY_ID=${SECRETS.aws}`,
      `export SLACK=${SECRETS.slack}`, `export GH_TOKEN=${SECRETS.github}`].map((command, i) =>
      line('2026-11-20T09:00:03.000Z', 'response_item', { type: 'function_call', name: 'shell', call_id: `c${i}`, arguments: JSON.stringify({ command: ['bash', '-lc', command] }) })),
    line('2026-11-20T09:00:04.000Z', 'event_msg', { type: 'token_count', info: { total_token_usage: counts(1200, 300), last_token_usage: counts(1200, 300), model_context_window: 272000 } }),
    line('2026-11-20T09:00:05.000Z', 'event_msg', { type: 'user_message', message: 'Thank Ms Quintessa Farthingale for the order.' }),
  ];
  const sub = path.join(dir, 'sessions', '2026', '11', '20');
  fs.mkdirSync(sub, { recursive: true });
  fs.writeFileSync(path.join(sub, `rollout-2026-11-20T09-00-00-${id}.jsonl`), lines.join('\n') + '\n');
  return dir;
}

/** Every entry of a zip, decompressed (Python's zipfile), as name → Buffer. */
function unzip(bytes) {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ledger-zip-')), 'x.zip');
  fs.writeFileSync(file, bytes);
  const out = execFileSync('python3', ['-c', 'import zipfile,sys,json,base64\nz=zipfile.ZipFile(sys.argv[1])\nprint(json.dumps({n: base64.b64encode(z.read(n)).decode() for n in z.namelist()}))', file], { maxBuffer: 1 << 28 });
  return Object.fromEntries(Object.entries(JSON.parse(out)).map(([n, b]) => [n, Buffer.from(b, 'base64')]));
}

test('no seeded credential reaches any download under the default rules, and totals stay', async () => {
  const { page, context, problems } = await h.openPage();
  await page.setInputFiles('#folder-input', seededFolder());
  await ready(page);
  const entries = unzip(await download(page, 'agent-ledger-export.zip'));
  assert.ok(Object.keys(entries).length >= 20, `the zip holds every download: ${Object.keys(entries)}`);
  for (const [name, bytes] of Object.entries(entries)) {
    for (const [kind, secret] of Object.entries(SECRETS)) {
      assert.ok(!bytes.includes(secret), `${kind} survives in ${name}`);
    }
  }
  // What was masked is counted per rule; the masked values are not in redaction.json either.
  const report = JSON.parse(entries['redaction.json'].toString('utf8'));
  const count = (id) => report.rules.find((r) => r.id === id)?.count ?? 0;
  for (const id of ['openai-api-key', 'jwt', 'private-key', 'authorization-header', 'aws-access-key-id', 'slack-token', 'github-token', 'url-password']) {
    assert.ok(count(id) >= 1, `${id} counted: ${count(id)}`);
  }
  // Usage is never redacted: 1,200 in and 300 out, as logged.
  const summary = JSON.parse(entries['summary.json'].toString('utf8'));
  assert.deepEqual([summary.totals.input_tokens, summary.totals.output_tokens, summary.totals.total_tokens], [1200, 300, 1500]);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a custom rule is added, counted, saved to a file, loaded elsewhere and removed', async () => {
  const folder = seededFolder();
  const { page, context, problems } = await h.openPage();
  await page.setInputFiles('#folder-input', folder);
  await ready(page);
  await page.click('details.redaction summary');
  // A pattern that does not compile is refused in words.
  await page.fill('#rule-pattern', 'Quintessa (');
  await page.click('#add-rule');
  await page.waitForSelector('details.redaction .error:not([hidden])');
  // So is one too big to search quickly (docs/fuzzing.md), saying what to change.
  await page.fill('#rule-pattern', '\\x00?{99265}8');
  await page.click('#add-rule');
  await page.waitForFunction(() => /too big to search quickly/.test(document.querySelector('details.redaction .error')?.textContent || ''));
  await page.fill('#rule-title', 'Customer name');
  await page.fill('#rule-pattern', 'Quintessa\\s+Farthingale');
  await page.fill('#rule-replacement', '[CUSTOMER]');
  await page.click('#add-rule');
  await page.waitForSelector('input[data-rule="custom-1"]:checked');
  await page.waitForFunction(() => /2 masked/.test(document.querySelector('input[data-rule="custom-1"]')?.closest('.rule')?.textContent || ''));
  const prompts = (await download(page, 'query_messages.csv')).toString('utf8');
  assert.ok(!prompts.includes('Quintessa') && (prompts.match(/\[CUSTOMER\]/g) || []).length === 2, prompts);
  const [file] = await Promise.all([page.waitForEvent('download'), page.click('#save-rules')]);
  assert.equal(file.suggestedFilename(), 'agent-ledger-redaction-rules.json');
  const saved = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ledger-rules-')), 'rules.json');
  fs.copyFileSync(await file.path(), saved);
  assert.equal(JSON.parse(fs.readFileSync(saved, 'utf8')).rules.find((r) => r.id === 'custom-1').pattern, 'Quintessa\\s+Farthingale');
  await context.close();

  // A fresh browser loads the rule file and gets the same masking.
  const fresh = await h.openPage();
  await fresh.page.setInputFiles('#folder-input', folder);
  await ready(fresh.page);
  await fresh.page.click('details.redaction summary');
  await fresh.page.setInputFiles('#load-rules', saved);
  await fresh.page.waitForSelector('input[data-rule="custom-1"]:checked');
  await fresh.page.waitForTimeout(300);
  assert.ok(!(await download(fresh.page, 'query_messages.csv')).toString('utf8').includes('Quintessa'));
  await fresh.page.click('button.remove-rule');
  await fresh.page.waitForFunction(() => !document.querySelector('input[data-rule="custom-1"]'));
  await fresh.page.waitForTimeout(300);
  assert.ok((await download(fresh.page, 'query_messages.csv')).toString('utf8').includes('Quintessa Farthingale'), 'removed: as logged again');
  assert.deepEqual([...problems, ...fresh.problems], []);
  await fresh.context.close();
});

test('text selected in a table is redacted in that occurrence, with who, when and why, and undone', async () => {
  const { page, context, problems } = await h.openPage();
  await page.setInputFiles('#folder-input', seededFolder());
  await ready(page);
  await show(page, 'sessions');
  // Select "Farthingale" in the second prompt's cell (the row that thanks her).
  const cell = page.locator('#queries-table td[data-col="text"]', { hasText: 'Thank Ms' });
  await cell.waitFor();
  await cell.evaluate((td) => {
    const text = td.firstChild;
    const at = text.textContent.indexOf('Farthingale');
    const range = document.createRange();
    range.setStart(text, at);
    range.setEnd(text, at + 'Farthingale'.length);
    getSelection().removeAllRanges();
    getSelection().addRange(range);
  });
  await page.waitForSelector('#redact-selection:not([hidden])');
  await page.click('#redact-selection');
  await page.waitForSelector('#redact-dialog[open]');
  assert.equal(await page.isChecked('input[name="redact-scope"][value="occurrence"]'), true, 'in a cell, this occurrence is offered first');
  await page.fill('#redact-replacement', '[NAME]');
  await page.fill('#redact-reason', 'customer name');
  await page.fill('#redact-actor', 'Ann Auditor');
  await page.click('#apply-redaction');
  await page.waitForSelector('#redact-dialog:not([open])', { state: 'attached' });
  await page.waitForSelector('li[data-manual="manual-1"]', { state: 'attached' });
  await page.waitForTimeout(300);
  const prompts = (await download(page, 'query_messages.csv')).toString('utf8');
  assert.ok(prompts.includes('Thank Ms Quintessa [NAME] for the order.'), prompts);
  assert.ok(prompts.includes('the customer is Ms Quintessa Farthingale'), 'the other prompt is untouched');
  const report = JSON.parse(await download(page, 'redaction.json'));
  const m = report.manual.find((x) => x.id === 'manual-1');
  assert.equal(m.count, 1);
  assert.equal(m.reason, 'customer name');
  assert.equal(m.actor, 'Ann Auditor');
  assert.ok(Math.abs(m.at_ms - Date.now()) < 10 * 60_000, `made just now: ${JSON.stringify(m)}`);
  assert.equal(m.scope.occurrence.field, 'text');
  assert.ok(!JSON.stringify(m).includes('Farthingale'), `the manual redaction's entry never holds the masked text: ${JSON.stringify(m)}`);
  await page.click('details.redaction summary');
  await page.click('li[data-manual="manual-1"] .undo-manual');
  await page.waitForFunction(() => !document.querySelector('li[data-manual="manual-1"]'));
  await page.waitForTimeout(300);
  assert.ok((await download(page, 'query_messages.csv')).toString('utf8').includes('Thank Ms Quintessa Farthingale'), 'undone');
  assert.deepEqual(problems, []);
  await context.close();
});
