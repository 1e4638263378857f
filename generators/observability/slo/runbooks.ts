// Where an alert's runbook is read: docs/runbooks/<alertname>.md in this repository, at the revision Argo CD tracks.
import type { LoadedModel } from '../../../model/loaded.ts';

/** The repository folder of the runbooks. */
export const RUNBOOKS_DIR = 'docs/runbooks';

/** `<repository web URL>/blob/<revision>/docs/runbooks/<alert>.md`. */
export function runbookUrl(model: LoadedModel, alert: string): string {
  const web = model.platform.git.repoURL.replace(/\.git$/, '');
  return `${web}/blob/${model.platform.git.targetRevision}/${RUNBOOKS_DIR}/${alert}.md`;
}
