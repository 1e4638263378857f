// Command-line tools built once from the Go module proxy into the harness cache (next to the Kafka jars),
// `go install <package>@v<version>`: actionlint (the workflow checker) and gitleaks (the secret scanner).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { cacheRoot } from './kafka-jars.ts';

export interface GoTool {
  /** The binary's name. */
  name: string;
  /** The package `go install` builds (the module, or a command under it). */
  pkg: string;
  version: string;
}

export const ACTIONLINT: GoTool = { name: 'actionlint', pkg: 'github.com/rhysd/actionlint/cmd/actionlint', version: '1.7.12' };
export const GITLEAKS: GoTool = { name: 'gitleaks', pkg: 'github.com/zricethezav/gitleaks/v8', version: '8.30.1' };
export const GO_TOOLS = [ACTIONLINT, GITLEAKS];

/** Where a built tool lives: <cache root>/<name>-<version>/<name>. */
export function goToolPath(tool: GoTool): string {
  return join(cacheRoot(), `${tool.name}-${tool.version}`, tool.name);
}

/** The binary, built first when missing; throws with what to do when Go is missing or the build fails. */
export function ensureGoTool(tool: GoTool): string {
  const binary = goToolPath(tool);
  if (existsSync(binary)) return binary;
  const go = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (go.error || go.status !== 0) {
    throw new Error(`${tool.name} ${tool.version} is built from the Go module proxy and needs Go 1.25 or newer on PATH (or Go 1.21+ with GOTOOLCHAIN=auto) (https://go.dev/dl/; in CI actions/setup-go): ${go.error?.message ?? go.stderr.trim()}`);
  }
  const work = mkdtempSync(join(cacheRoot(), `.${tool.name}-build-`));
  try {
    const built = spawnSync('go', ['install', `${tool.pkg}@v${tool.version}`], {
      encoding: 'utf8',
      env: { ...process.env, GOBIN: join(work, 'bin'), GOFLAGS: '-mod=mod', CGO_ENABLED: '0' },
    });
    if (built.status !== 0) throw new Error(`go install ${tool.pkg}@v${tool.version} failed (is the Go module proxy reachable?):\n${built.stderr.trim().split('\n').slice(-15).join('\n')}`);
    mkdirSync(join(binary, '..'), { recursive: true });
    renameSync(join(work, 'bin', tool.name), binary);
    return binary;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
