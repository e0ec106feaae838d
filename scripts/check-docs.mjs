#!/usr/bin/env node
// Every public export of every published package has a doc comment.
// Runs TypeDoc (typedoc.json: validation.notDocumented, per package) without emitting anything, and
// fails on any "does not have any documentation" warning or any TypeDoc error. TypeDoc's own
// `treatWarningsAsErrors` is not used: TypeDoc 0.28.8 warns that TypeScript 5.9 is "unsupported" on
// every run, which would fail it regardless of the docs.
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const typedoc = join(root, 'node_modules', 'typedoc', 'bin', 'typedoc');
const run = spawnSync(process.execPath, [typedoc, '--emit', 'none', '--logLevel', 'Warn'], {
  cwd: root,
  encoding: 'utf8',
  env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
});
// biome-ignore lint/suspicious/noControlCharactersInRegex: strips ANSI colours
const output = `${run.stdout}${run.stderr}`.replace(/\u001b\[[0-9;]*m/g, '');
const missing = output
  .split('\n')
  .filter((line) => line.includes('does not have any documentation'))
  .map((line) => line.replace(/^\s*\[warning\]\s*/, ''));
// A top-level export is named without a dot; `Interface.member` lines are members (the signature of a
// function-typed property, for instance), reported but not failing: the rule is one comment per export.
const undocumented = missing.filter((line) => !line.split(' ')[0].includes('.'));
const members = missing.length - undocumented.length;
if (members > 0)
  console.log(
    `API docs: ${members} members (call signatures of documented exports) have no comment of their own.`,
  );
const errors = output.split('\n').filter((line) => /^\[error\]/.test(line.trim()));
for (const line of [...undocumented, ...errors]) console.error(line.replace(/^\[(warning|error)\]\s*/, ''));
if (run.status !== 0 || undocumented.length > 0 || errors.length > 0) {
  console.error(
    `\nAPI docs: ${undocumented.length} public exports without a doc comment, ${errors.length} TypeDoc errors.`,
  );
  process.exit(1);
}
console.log('API docs: every public export of the published packages has a doc comment.');
