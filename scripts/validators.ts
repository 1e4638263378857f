// npm run validators [-- --check]: rebuild the precompiled schema validators in policy-tests/validators/ from the
// installed model packages and the schema code (~20 s). --check writes nothing: it rebuilds in memory and exits 1
// unless the committed files are exactly what the build produces.
import { relative } from 'node:path';
import { buildValidators } from '../policy-tests/lib/schema/build.ts';
import { currentInputs, REPO_ROOT } from '../policy-tests/lib/schema/inputs.ts';
import { parseCommand } from './cli/command.ts';
import { contentsOf, manifestOf, manifestText, readManifest, readPrecompiled, REGENERATE, VALIDATORS_DIR, writePrecompiled } from '../policy-tests/lib/schema/precompiled.ts';

const { values } = parseCommand({
  name: 'validators',
  usage: `Usage: npm run validators [-- --check]

Rebuilds the precompiled schema validators in policy-tests/validators/ from the installed model packages and
the schema code (~20 s); commit the result. A test fails while the committed ones are stale.
  --check       rebuild in memory and exit 1 unless the committed files are exactly what the build produces`,
  options: { check: { type: 'boolean' } },
});
const folder = relative(REPO_ROOT, VALIDATORS_DIR);
const inputs = currentInputs();
const built = await buildValidators();

if (values.check) {
  const problems: string[] = [];
  const committed = readManifest();
  if (!committed) problems.push(`${folder}/manifest.json is missing`);
  else if (manifestText(committed) !== manifestText(manifestOf(built, inputs))) problems.push(`${folder}/manifest.json differs from the build`);
  for (const [file, content] of contentsOf(built)) {
    let old: Buffer | null = null;
    try {
      old = readPrecompiled(file);
    } catch {
      // missing or unreadable: reported below
    }
    if (!old?.equals(content)) problems.push(`${folder}/${file}.br ${old ? 'differs from the build' : 'is missing or unreadable'}`);
  }
  if (problems.length) {
    console.error(`validators: ${folder}/ is not what the build produces:\n${problems.map((p) => `  - ${p}`).join('\n')}\nrun \`${REGENERATE}\` and commit ${folder}/`);
    process.exit(1);
  }
  console.log(`validators: ${folder}/ matches the build (${Object.keys(built.index).length} kinds, ${Object.keys(built.modules).length} modules)`);
} else {
  const sizes = writePrecompiled(built, inputs);
  const total = Object.values(sizes).reduce((a, b) => a + b, 0);
  const raw = [...contentsOf(built).values()].reduce((a, b) => a + b.length, 0);
  console.log(
    `validators: wrote ${folder}/ (${Object.keys(built.index).length} kinds in ${Object.keys(built.modules).length} modules; ${(raw / 1e6).toFixed(1)} MB of code and schemas, ${(total / 1e6).toFixed(2)} MB compressed)`,
  );
}
