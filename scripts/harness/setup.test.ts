// scripts/harness/setup.sh, which `npm test` runs first: a no-op on a prepared machine; without root and
// with something missing, one line naming the command to run.
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { execa } from 'execa';
import { isRoot, requireCommand } from './process.ts';

const SETUP = join(import.meta.dirname, 'setup.sh');

describe('harness setup (scripts/harness/setup.sh)', () => {
  it('on a prepared machine only checks, and says so', async () => {
    const r = await execa('bash', [SETUP], { reject: false });
    assert.equal(r.exitCode, 0, r.stderr);
    assert.match(r.stdout, /Kafka [\d.]+ jars ready in /);
    assert.match(r.stdout, /^harness setup: ok$/m);
    assert.doesNotMatch(r.stdout, /installing/);
  });

  it('without root, names the missing packages and the command that installs them, in one line', async (t) => {
    // A PATH with every command the script needs except promtool and amtool.
    const bin = mkdtempSync(join(tmpdir(), 'gm-setup-path-'));
    t.after(() => rmSync(bin, { recursive: true, force: true }));
    chmodSync(bin, 0o755);
    for (const command of ['bash', 'dirname', 'sort', 'id', 'java', 'javac', 'mvn', 'redis-server', 'setpriv']) symlinkSync(requireCommand(command, 'setup.sh needs it'), join(bin, command));
    const bash = requireCommand('bash', '');
    // As root, the script runs as nobody (a real unprivileged user), not with a faked id.
    const argv = isRoot() ? [requireCommand('setpriv', ''), '--reuid', '65534', '--regid', '65534', '--clear-groups', bash, SETUP] : [bash, SETUP];
    const r = await execa(argv[0], argv.slice(1), { reject: false, env: { PATH: bin }, extendEnv: false });
    assert.equal(r.exitCode, 1);
    assert.equal(r.stdout, '');
    assert.equal(
      r.stderr,
      'harness setup: missing Debian packages prometheus prometheus-alertmanager: run sudo bash scripts/harness/setup.sh (or sudo apt-get install -y prometheus prometheus-alertmanager), then npm test again',
    );
  });
});
