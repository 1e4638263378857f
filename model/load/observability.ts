// Observability: the exporters the alert rules may read (each with at least one metric name or prefix; that
// their components exist is model/checks/observability.ts) and the alert catalog's thresholds, defaults applied.
import type { LoadedAlertThresholds, LoadedObservability } from '../loaded.ts';
import { type LoadContext, report, sortByName } from './context.ts';
import { DEFAULT_ALERT_THRESHOLDS, defaultRunbookBaseUrl } from './defaults.ts';

export function loadObservability(context: LoadContext, git: { repoURL: string; targetRevision: string }): LoadedObservability {
  const spec = context.platform.observability;
  const exporters = Object.entries(spec?.exporters ?? {}).map(([name, exporter]) => {
    const path = ['observability', 'exporters', name];
    const metrics = [...(exporter.metrics ?? [])].sort();
    const prefixes = [...(exporter.prefixes ?? [])].sort();
    if (metrics.length + prefixes.length === 0) report(context, path, `exporter "${name}" names no metric`, 'list the metric names it provides in metrics, or their common start in prefixes');
    return { name, description: exporter.description, component: exporter.component ?? null, metrics, prefixes, modelPath: `observability.exporters['${name}']` };
  });
  const runbookBaseUrl = (spec?.runbookBaseUrl ?? defaultRunbookBaseUrl(git)).replace(/\/+$/, '');
  if (!/^https?:\/\/\S+$/.test(runbookBaseUrl)) report(context, ['observability', 'runbookBaseUrl'], `"${runbookBaseUrl}" is not an http(s) URL`, 'the base URL the repository is browsed at, e.g. https://git.example.com/org/repo/blob/main');
  return { runbookBaseUrl, exporters: sortByName(exporters), alerts: alertThresholds(context) };
}

/** The platform alert catalog's thresholds: the model's `observability.alerts` over the defaults. */
export function alertThresholds(context: LoadContext): LoadedAlertThresholds {
  return { ...DEFAULT_ALERT_THRESHOLDS, ...context.platform.observability?.alerts };
}
