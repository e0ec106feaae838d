// What the figures were measured with: library versions, Node, V8, CPU, and the core's git state.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';

const root = new URL('../', import.meta.url);

function version(name) {
  try {
    return JSON.parse(readFileSync(new URL(`node_modules/${name}/package.json`, root), 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

function git(args) {
  try {
    return execFileSync('git', args, {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return undefined;
  }
}

export function environment() {
  const cpus = os.cpus();
  const commit = git(['rev-parse', '--short', 'HEAD']);
  const dirty = git(['status', '--porcelain', '--', '../packages/core']);
  return {
    date: new Date().toISOString(),
    versions: {
      '@resilient/core': `${version('@resilient/core')}${commit ? ` (git ${commit}${dirty ? ', core has uncommitted changes' : ''})` : ''}`,
      cockatiel: version('cockatiel'),
      opossum: version('opossum'),
      mitata: version('mitata'),
    },
    node: process.version,
    v8: process.versions.v8,
    platform: `${process.platform} ${process.arch}`,
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
  };
}
