/**
 * apps/Dockerfile carried out on this machine's file system, for machines without a container
 * engine: each stage is a folder standing for its /app, COPY copies from the build context (filtered
 * by apps/Dockerfile.dockerignore) or from another stage, RUN runs what the recipe runs (npm ci with
 * the real lock; the SERVICE check; the entry symlink). The result is the runtime stage's folder,
 * ENV and CMD, so a test can boot the service from exactly what the image would hold.
 *
 * Only the instructions the recipe uses are understood; anything else throws, so a change to the
 * recipe cannot silently go unchecked. `npm cache clean` is not run (it touches the machine's cache,
 * not the image); npm ci gets --prefer-offline (a cache policy: the same packages, as locked).
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { basename, dirname, join, matchesGlob, relative } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The environment without what a parent npm (npm test) passes down, so npm ci reads only its flags. */
const cleanEnv = (): NodeJS.ProcessEnv => Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k) && k !== 'NODE_ENV'));

export interface ImageLayout {
  /** The runtime stage's /app. */
  root: string;
  /** The deps stage's /app (where npm ci ran). */
  depsRoot: string;
  env: Record<string, string>;
  /** CMD with /app mapped to `root`. */
  command: string[];
  user: string;
}

interface Instruction {
  op: string;
  args: string;
  line: number;
}

/** The Dockerfile's instructions, continuation lines joined, comments dropped. */
export function instructions(dockerfile: string): Instruction[] {
  const out: Instruction[] = [];
  const lines = dockerfile.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (/^\s*(#|$)/.test(lines[i])) continue;
    const start = i;
    let text = lines[i];
    while (text.endsWith('\\')) text = `${text.slice(0, -1)} ${lines[++i].trim()}`;
    const m = /^(\w+)\s+(.*)$/.exec(text.trim());
    if (!m) throw new Error(`apps/Dockerfile:${start + 1}: cannot read "${text}"`);
    out.push({ op: m[1].toUpperCase(), args: m[2], line: start + 1 });
  }
  return out;
}

/** Whether a build-context path passes the .dockerignore (the last matching pattern decides). */
function included(path: string, patterns: string[]): boolean {
  let keep = true;
  for (const p of patterns) {
    const negated = p.startsWith('!');
    if (matchesGlob(path, negated ? p.slice(1) : p)) keep = negated;
  }
  return keep;
}

function contextFiles(dir: string, context: string, patterns: string[]): string[] {
  const files: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files.push(...contextFiles(path, context, patterns));
    else if (included(relative(context, path), patterns)) files.push(path);
  }
  return files;
}

function envPairs(args: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const m of args.matchAll(/(\w+)=("([^"]*)"|\S+)/g)) env[m[1]] = m[3] ?? m[2];
  return env;
}

/**
 * Build the image's file system for `service` under `workDir` (one folder per stage).
 * `context` is the repository root (the documented build context).
 */
export async function buildImageLayout(context: string, service: string, workDir: string): Promise<ImageLayout> {
  const dockerfile = readFileSync(join(context, 'apps', 'Dockerfile'), 'utf8');
  const ignore = readFileSync(join(context, 'apps', 'Dockerfile.dockerignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const stages = new Map<string, string>();
  const args: Record<string, string> = { SERVICE: service };
  let stage = '';
  let env: Record<string, string> = {};
  let command: string[] = [];
  let user = '';
  const where = (i: Instruction) => `apps/Dockerfile:${i.line} (${i.op} ${i.args})`;
  const expand = (s: string) => s.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a, b) => args[a ?? b] ?? '');
  const inStage = (path: string, root = stages.get(stage) as string) => {
    if (path === '/app' || path.startsWith('/app/')) return join(root, path.slice('/app'.length));
    if (path.startsWith('/')) throw new Error(`only /app paths are understood, not ${path}`);
    return join(root, path);
  };

  for (const i of instructions(dockerfile)) {
    const text = expand(i.args);
    if (i.op === 'ARG') {
      const [name, value] = i.args.split('=');
      if (value !== undefined && !(name in args)) args[name] = value;
    } else if (i.op === 'FROM') {
      const m = /\bAS\s+(\w+)$/i.exec(text);
      if (!m) throw new Error(`${where(i)}: every stage needs a name`);
      stage = m[1];
      stages.set(stage, join(workDir, stage));
      mkdirSync(stages.get(stage) as string, { recursive: true });
      env = {};
    } else if (i.op === 'WORKDIR') {
      if (text !== '/app') throw new Error(`${where(i)}: only WORKDIR /app is understood`);
    } else if (i.op === 'COPY') {
      const parts = text.split(/\s+/);
      const from = parts[0].startsWith('--from=') ? (parts.shift() as string).slice('--from='.length) : undefined;
      if (parts.some((p) => p.startsWith('--') || p.includes('*'))) throw new Error(`${where(i)}: flags and globs are not understood`);
      const dest = parts.pop() as string;
      for (const src of parts) {
        const target = inStage(dest);
        if (from !== undefined) {
          const fromRoot = stages.get(from);
          if (!fromRoot) throw new Error(`${where(i)}: no stage ${from}`);
          // Directories are copied with their symlinks as symlinks, as COPY does.
          cpSync(inStage(src, fromRoot), target, { recursive: true, verbatimSymlinks: true });
          continue;
        }
        const source = join(context, src);
        if (!existsSync(source)) throw new Error(`${where(i)}: ${src} is not in the build context`);
        const files = statSync(source).isDirectory() ? contextFiles(source, context, ignore) : included(src, ignore) ? [source] : [];
        if (files.length === 0) throw new Error(`${where(i)}: .dockerignore leaves nothing of ${src}`);
        for (const file of files) {
          const to = statSync(source).isDirectory() ? join(target, relative(source, file)) : dest.endsWith('/') ? join(target, basename(file)) : target;
          mkdirSync(dirname(to), { recursive: true });
          cpSync(file, to);
        }
      }
    } else if (i.op === 'RUN') {
      for (const step of text.split(/\s+&&\s+/)) {
        if (/^node -e /.test(i.args)) {
          // The SERVICE check, run as the image would: a shell in the stage's /app with SERVICE set.
          await run('sh', ['-c', i.args], { cwd: stages.get(stage), env: { ...cleanEnv(), SERVICE: service } }).catch((e) => {
            throw new Error(`${where(i)}: refuses SERVICE=${service}: ${e.stderr}`);
          });
          break;
        } else if (/^npm ci\b/.test(step)) {
          await run('npm', [...step.split(/\s+/).slice(1), '--prefer-offline'], { cwd: stages.get(stage), env: cleanEnv() }).catch((e) => {
            throw new Error(`${where(i)}: ${step} failed (${e.code === 'ENOENT' ? 'npm is not on PATH' : e.stderr})`);
          });
        } else if (/^npm cache clean\b/.test(step)) {
          // The machine's cache, not the image.
        } else {
          const ln = /^ln -s (\S+) (\S+)$/.exec(step);
          if (!ln) throw new Error(`${where(i)}: apps/test/image-layout.ts does not understand "${step}"`);
          symlinkSync(inStage(ln[1]), inStage(ln[2]));
        }
      }
    } else if (i.op === 'ENV') {
      env = { ...env, ...envPairs(text) };
    } else if (i.op === 'CMD') {
      command = (JSON.parse(text) as string[]).map((a) => (a.startsWith('/app/') ? inStage(a) : a));
    } else if (i.op === 'USER') {
      user = text;
    } else if (i.op !== 'EXPOSE') {
      throw new Error(`${where(i)}: apps/test/image-layout.ts does not understand ${i.op}`);
    }
  }
  return { root: stages.get(stage) as string, depsRoot: stages.get('deps') as string, env, command, user };
}
