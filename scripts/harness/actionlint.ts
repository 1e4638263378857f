// actionlint, the GitHub Actions workflow checker, built once from the Go module proxy into the harness
// cache (next to the Kafka jars): `go install github.com/rhysd/actionlint/cmd/actionlint@v<version>`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { cacheRoot } from './kafka-jars.ts';

export const ACTIONLINT_MODULE = 'github.com/rhysd/actionlint';
export const ACTIONLINT_VERSION = '1.7.12';

/** Where the built binary lives: <cache root>/actionlint-<version>/actionlint. */
export function actionlintPath(): string {
  return join(cacheRoot(), `actionlint-${ACTIONLINT_VERSION}`, 'actionlint');
}

/** The binary, built first when missing; throws with what to do when Go is missing or the build fails. */
export function ensureActionlint(): string {
  const binary = actionlintPath();
  if (existsSync(binary)) return binary;
  const go = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (go.error || go.status !== 0) {
    throw new Error(`actionlint ${ACTIONLINT_VERSION} is built from the Go module proxy and needs Go 1.25 or newer on PATH (or Go 1.21+ with GOTOOLCHAIN=auto) (https://go.dev/dl/; in CI actions/setup-go): ${go.error?.message ?? go.stderr.trim()}`);
  }
  const work = mkdtempSync(join(cacheRoot(), '.actionlint-build-'));
  try {
    const built = spawnSync('go', ['install', `${ACTIONLINT_MODULE}/cmd/actionlint@v${ACTIONLINT_VERSION}`], {
      encoding: 'utf8',
      env: { ...process.env, GOBIN: join(work, 'bin'), GOFLAGS: '-mod=mod', CGO_ENABLED: '0' },
    });
    if (built.status !== 0) throw new Error(`go install ${ACTIONLINT_MODULE}@v${ACTIONLINT_VERSION} failed (is the Go module proxy reachable?):\n${built.stderr.trim().split('\n').slice(-15).join('\n')}`);
    mkdirSync(join(binary, '..'), { recursive: true });
    renameSync(join(work, 'bin', 'actionlint'), binary);
    return binary;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
