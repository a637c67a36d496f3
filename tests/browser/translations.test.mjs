// The theme's interface strings: every key a template asks `trans` for must
// exist in Swedish ([translations.sv] of the theme's theme.toml) and in
// English ([translations.en]), and the two tables must have the same keys
// (a missing key is a build error in Swedish and a warning in English).

import { it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const theme = path.join(root, 'themes', 'handbok');

// The keys of one TOML table (flat `key = "value"` lines only).
function tableKeys(text, header) {
  const keys = new Map();
  let inside = false;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('[')) { inside = line === `[${header}]`; continue; }
    if (!inside || !line || line.startsWith('#')) continue;
    const m = line.match(/^([A-Za-z0-9_-]+)\s*=\s*"(.*)"\s*$/);
    if (m) keys.set(m[1], m[2]);
  }
  return keys;
}

function templateFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? templateFiles(p) : p.endsWith('.html') ? [p] : [];
  });
}

it('every translation key the theme uses exists in Swedish and English', () => {
  const strings = fs.readFileSync(path.join(theme, 'theme.toml'), 'utf8');
  const sv = tableKeys(strings, 'translations.sv');
  const en = tableKeys(strings, 'translations.en');
  assert.ok(sv.size > 100, `[translations.sv] has ${sv.size} keys`);

  const used = new Set();
  for (const file of templateFiles(path.join(theme, 'templates'))) {
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(/trans\(key=["']([A-Za-z0-9_]+)["']\s*[,)]/g)) used.add(m[1]);
  }
  // Keys built at run time.
  for (let i = 1; i <= 12; i += 1) used.add(`month_${i}`);
  for (const k of ['policy', 'riktlinje', 'anvisning', 'rutin', 'plan', 'metod', 'villkor', 'analys', 'genomgang']) used.add(`kind_${k}`);
  for (const k of ['certified', 'not_certified', 'in_progress', 'expired']) used.add(`training_${k}`);
  // Keys the engine reads to word history pages (src/render/reader_text.rs).
  for (const k of ['history_editorial', 'history_changed_to', 'field_changed', 'field_title', 'field_weight']) used.add(k);
  const themeToml = fs.readFileSync(path.join(theme, 'theme.toml'), 'utf8');
  const menu = themeToml.slice(themeToml.indexOf('menu = ['), themeToml.indexOf(']', themeToml.indexOf('menu = [')));
  for (const m of menu.matchAll(/key = "([a-z_]+)"/g)) used.add(m[1]);
  const topics = themeToml.slice(themeToml.indexOf('start_topics = ['));
  for (const m of topics.slice(0, topics.indexOf(']')).matchAll(/key = "([a-z_]+)"/g)) { used.add(m[1]); used.add(`${m[1]}_desc`); }

  const missingSv = [...used].filter((k) => !sv.has(k)).sort();
  const missingEn = [...used].filter((k) => !en.has(k)).sort();
  assert.deepEqual(missingSv, [], 'keys missing in [translations.sv]');
  assert.deepEqual(missingEn, [], 'keys missing in [translations.en]');
  const onlySv = [...sv.keys()].filter((k) => !en.has(k));
  const onlyEn = [...en.keys()].filter((k) => !sv.has(k));
  assert.deepEqual([onlySv, onlyEn], [[], []], 'Swedish and English have the same keys');
  const unused = [...sv.keys()].filter((k) => !used.has(k));
  assert.deepEqual(unused, [], 'keys no template uses');
});
