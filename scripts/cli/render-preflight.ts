// What `npm run render` does before it loads the model (scripts/render.ts): when nothing the last render read or
// wrote has changed (render/last-render.ts), it says so and the command ends there; otherwise it notes the state
// of every input, before the model's modules read them, for the record the full render leaves
// (scripts/cli/render.ts). Help, usage errors, --check and --force always go to the full command.
import { writeSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { type PathStates, snapshotInputs, upToDate } from '../../render/last-render.ts';
import { RENDER_OPTIONS, upToDateMessage } from './render-io.ts';
import { utcToday } from '../../model/today.ts';

export type Preflight =
  | { upToDate: true }
  /** `inputs`: the state of the inputs before loading, when the full render is to record what it did. */
  | { upToDate: false; today: string; inputs?: PathStates };

export function preflight(argv: readonly string[], repoRoot: string, today = utcToday()): Preflight {
  let values;
  try {
    ({ values } = parseArgs({ args: [...argv], options: { ...RENDER_OPTIONS, help: { type: 'boolean', short: 'h' } }, strict: true }));
  } catch {
    return { upToDate: false, today };
  }
  if (values.help || values.check || values['stop-daemon']) return { upToDate: false, today };
  if (!values.force) {
    const summary = upToDate({ repoRoot, envs: values.env, today });
    if (summary) {
      // Straight to the file descriptor: the console's stream machinery costs more than this whole check's output.
      writeSync(1, upToDateMessage(summary));
      return { upToDate: true };
    }
  }
  return { upToDate: false, today, inputs: snapshotInputs(repoRoot) };
}
