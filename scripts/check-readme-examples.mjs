#!/usr/bin/env node
// Type-checks every TypeScript code block of the READMEs against the BUILT packages.
//
// Blocks: every fence whose info string starts with `ts` or `typescript`, in README.md,
// packages/*/README.md and apps/*/README.md. Each block is written to its own module and checked with
// `tsc --noEmit` (strict, the repository's tsconfig.base.json). `@resilient/*` resolves to each
// package's folder, so its `exports` (dist/*.d.ts) are what is checked: run `pnpm build` first (the
// turbo task `//#check:readmes` does). Provider SDKs (stripe, resend, @sendgrid/mail,
// @opentelemetry/*) resolve to the versions installed in the workspace.
//
// Conventions, in the README source (the HTML comments are invisible on GitHub and npm):
//   ```ts nocheck                       a deliberately partial block: not checked (keep it rare)
//   <!-- readme-examples:preamble       prepended to every block of this README: the free names a
//   declare const apiKey: string;       reader would infer (`declare const ...`), nothing that runs
//   -->
//   <!-- readme-examples:before         prepended to the next block only (must come right before it)
//   declare const user: { id: string };
//   -->
//
// Usage: node scripts/check-readme-examples.mjs [--list]
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// Packages not checked (yet): work in progress, no README. None at the moment.
const EXCLUDED_PACKAGES = new Set();

const readmes = ['README.md'];
for (const group of ['packages', 'apps']) {
  for (const name of readdirSync(join(root, group)).sort()) {
    if (group === 'packages' && EXCLUDED_PACKAGES.has(name)) continue;
    const file = join(group, name, 'README.md');
    if (existsSync(join(root, file))) readmes.push(file);
  }
}

/** @returns {{ file: string, line: number, code: string, preamble: string }[]} */
function extract(file) {
  const lines = readFileSync(join(root, file), 'utf8').split('\n');
  const blocks = [];
  let filePreamble = '';
  let pendingBefore = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const comment = /^\s*<!--\s*readme-examples:(preamble|before)\s*$/.exec(line);
    if (comment) {
      const body = [];
      while (++i < lines.length && !/^\s*-->\s*$/.test(lines[i])) body.push(lines[i]);
      if (comment[1] === 'preamble') filePreamble += `${body.join('\n')}\n`;
      else pendingBefore = `${body.join('\n')}\n`;
      continue;
    }
    const fence = /^(\s*)(`{3,}|~{3,})\s*(\S*)\s*(.*)$/.exec(line);
    if (!fence) {
      if (line.trim() !== '') pendingBefore = null;
      continue;
    }
    const [, indent, marker, lang, rest] = fence;
    const start = i;
    const body = [];
    while (
      ++i < lines.length &&
      !(lines[i].trim().startsWith(marker) && lines[i].trim().replace(/[`~]/g, '') === '')
    ) {
      body.push(lines[i].startsWith(indent) ? lines[i].slice(indent.length) : lines[i]);
    }
    const isTs = lang === 'ts' || lang === 'typescript';
    const skip = /\bnocheck\b/.test(rest);
    if (isTs && !skip) {
      blocks.push({
        file,
        line: start + 2,
        code: body.join('\n'),
        preamble: filePreamble + (pendingBefore ?? ''),
      });
    }
    pendingBefore = null;
  }
  return blocks;
}

const blocks = readmes.flatMap(extract);
if (process.argv.includes('--list')) {
  for (const b of blocks) console.log(`${b.file}:${b.line}`);
  process.exit(0);
}

// A scratch project inside the repository, so @types/node and typescript resolve from the root.
const work = join(root, 'node_modules', '.cache', 'readme-examples');
rmSync(work, { recursive: true, force: true });
mkdirSync(join(work, 'node_modules', '@resilient'), { recursive: true });

// @resilient/* -> packages/<name> (their package.json `exports` point at dist).
for (const name of readdirSync(join(root, 'packages'))) {
  if (EXCLUDED_PACKAGES.has(name)) continue;
  const pkgFile = join(root, 'packages', name, 'package.json');
  if (!existsSync(pkgFile)) continue;
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8'));
  if (!pkg.name?.startsWith('@resilient/')) continue;
  if (!existsSync(join(root, 'packages', name, 'dist'))) {
    console.error(`check-readme-examples: packages/${name}/dist is missing; run \`pnpm build\` first.`);
    process.exit(1);
  }
  symlinkSync(join(root, 'packages', name), join(work, 'node_modules', pkg.name), 'dir');
}
// Vendor SDKs: the first copy installed in any workspace package.
const linked = new Set();
for (const group of ['packages', 'apps']) {
  for (const name of readdirSync(join(root, group)).sort()) {
    const modules = join(root, group, name, 'node_modules');
    if (!existsSync(modules)) continue;
    for (const entry of readdirSync(modules)) {
      if (entry.startsWith('.') || entry === '@resilient') continue;
      const names = entry.startsWith('@')
        ? readdirSync(join(modules, entry)).map((sub) => `${entry}/${sub}`)
        : [entry];
      for (const dep of names) {
        if (linked.has(dep)) continue;
        linked.add(dep);
        mkdirSync(dirname(join(work, 'node_modules', dep)), { recursive: true });
        symlinkSync(join(modules, dep), join(work, 'node_modules', dep), 'dir');
      }
    }
  }
}

const sources = new Map();
for (const block of blocks) {
  const name = `${block.file.replace(/[/.]/g, '_')}_L${block.line}.ts`;
  const preambleLines = block.preamble === '' ? 0 : block.preamble.split('\n').length - 1;
  // `export {}` makes every block a module: top-level await works and names do not clash.
  writeFileSync(join(work, name), `${block.preamble}${block.code}\nexport {};\n`);
  sources.set(name, { ...block, preambleLines });
}
writeFileSync(
  join(work, 'tsconfig.json'),
  JSON.stringify(
    {
      extends: relative(work, join(root, 'tsconfig.base.json')),
      compilerOptions: { lib: ['ES2022', 'DOM'], types: ['node'], noEmit: true, declaration: false },
      include: ['*.ts'],
    },
    null,
    2,
  ),
);

const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
let output = '';
let failed = false;
try {
  execFileSync(process.execPath, [tsc, '-p', join(work, 'tsconfig.json'), '--pretty', 'false'], {
    cwd: work,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
} catch (error) {
  failed = true;
  output = `${error.stdout ?? ''}${error.stderr ?? ''}`;
}

if (!failed) {
  console.log(`README examples: ${blocks.length} TypeScript blocks in ${readmes.length} READMEs compile.`);
  process.exit(0);
}

// Map errors back to README lines: `name.ts(12,5): error TS...` -> `packages/x/README.md:40:5 error TS...`.
const failing = new Set();
for (const line of output.split('\n')) {
  const match = /^([^(\s]+\.ts)\((\d+),(\d+)\): (.*)$/.exec(line);
  const source = match && sources.get(match[1]);
  if (!source) {
    if (line.trim()) console.error(line);
    continue;
  }
  const codeLine = Number(match[2]) - source.preambleLines;
  failing.add(`${source.file}:${source.line}`);
  const where = codeLine >= 1 ? `${source.file}:${source.line + codeLine - 1}` : `${source.file} (preamble)`;
  console.error(`${where}:${match[3]} ${match[4]}`);
}
console.error(
  `\nREADME examples: ${failing.size} of ${blocks.length} TypeScript blocks do not compile. ` +
    'Fix the block, add what a reader would infer in a `<!-- readme-examples:before -->` comment, ' +
    'or mark a deliberately partial block `ts nocheck`.',
);
process.exit(1);
