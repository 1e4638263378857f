// Where the control catalog is read from: ../shared/requirements/controls.md next to the checkout, or
// $GM_CONTROLS_FILE. Apart from the report so that the render's up-to-date check can name it without loading it.
import { join, resolve } from 'node:path';

/** Where the catalog lives next to the repository's checkout. */
export const CONTROLS_FILE = join(resolve(import.meta.dirname, '..'), '..', 'shared', 'requirements', 'controls.md');

/** The catalog's path: $GM_CONTROLS_FILE, else ../shared/requirements/controls.md. */
export function controlsFile(): string {
  return process.env.GM_CONTROLS_FILE || CONTROLS_FILE;
}
