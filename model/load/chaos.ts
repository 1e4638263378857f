// Chaos experiments: each names a service and one of its SLOs, lists environments that allow chaos (an
// experiment aimed at any other is refused, prod included), and gets a weekly slot an hour after the one before.
import type { LoadedChaosExperiment, LoadedDatastore, LoadedService } from '../loaded.ts';
import { unknownNameHint } from '../problems.ts';
import { type LoadContext, report } from './context.ts';
import { DEFAULT_CHAOS_DURATION, DEFAULT_CHAOS_SCHEDULE } from './defaults.ts';

/** The weekly slot of the i-th experiment: the environment's first slot, `i` hours later (wrapping at midnight). */
function slot(first: string, i: number): string {
  const [minute, hour, ...rest] = first.split(/\s+/);
  return [minute, String((Number(hour) + i) % 24), ...rest].join(' ');
}

export function loadChaosExperiments(context: LoadContext, services: LoadedService[], datastores: LoadedDatastore[]): LoadedChaosExperiment[] {
  const { env } = context;
  const allowed = env.chaos !== undefined;
  const first = env.chaos?.schedule ?? DEFAULT_CHAOS_SCHEDULE;
  if (!/^\d+ \d+ /.test(first)) report(context, [...context.envPath, 'chaos', 'schedule'], `schedule "${first}" must start with a fixed minute and hour`, "experiments run an hour apart from this slot, e.g. '0 10 * * 2'");
  const experiments: LoadedChaosExperiment[] = [];
  const names = new Set<string>();
  (context.platform.chaosExperiments ?? []).forEach((spec, i) => {
    const path = ['chaosExperiments', i];
    const service = services.find((s) => s.name === spec.service);
    if (!service) return report(context, [...path, 'service'], `unknown service "${spec.service}"`, unknownNameHint(spec.service, services.map((s) => s.name)));
    if (!service.slos.some((s) => s.name === spec.slo)) {
      report(context, [...path, 'slo'], `service "${service.name}" has no SLO "${spec.slo}"`, service.slos.length > 0 ? unknownNameHint(spec.slo, service.slos.map((s) => s.name)) : `declare the SLO the experiment must not break on ${service.modelPath}.slos`);
    }
    let datastore: LoadedChaosExperiment['datastore'] = null;
    if (spec.scenario === 'database-failover') {
      const store = datastores.find((d) => d.name === spec.datastore);
      if (!store || store.engine !== 'postgresql' || !service.datastores.some((d) => d.name === store.name)) {
        report(context, [...path, 'datastore'], `a database failover needs "datastore": a PostgreSQL datastore that ${service.name} uses`, unknownNameHint(spec.datastore ?? '', service.datastores.map((d) => d.name)));
      } else datastore = { name: store.name, namespace: store.namespace };
    } else if (spec.datastore) report(context, [...path, 'datastore'], `only database-failover experiments name a datastore`, 'remove it');
    if (spec.scenario === 'broker-kill' && !service.kafka) {
      report(context, [...path, 'service'], `a broker kill must not break an SLO of a service that uses Kafka; "${service.name}" neither produces nor consumes`, 'name a service with produces or consumes');
    }
    if (service.kind === 'cron-job') report(context, [...path, 'service'], `cron job "${service.name}" has no steady state to break`, 'target a long-running service');
    const name = `${service.name}-${spec.scenario}`;
    if (names.has(name)) report(context, path, `"${name}" is declared twice`, 'one experiment per service and scenario');
    names.add(name);
    if (!spec.environments.includes(env.name)) return;
    if (!allowed) {
      return report(context, [...path, 'environments'], `experiment "${name}" targets ${env.name}, which does not allow chaos`, `remove "${env.name}" from its environments, or declare chaos in environments/${env.name}/index.ts`);
    }
    experiments.push({
      name,
      scenario: spec.scenario,
      service: service.name,
      tenant: service.tenant,
      namespace: service.namespace,
      slo: spec.slo,
      duration: spec.duration ?? DEFAULT_CHAOS_DURATION,
      datastore,
      schedule: slot(first, experiments.length),
      modelPath: `chaosExperiments.${i}`,
    });
  });
  if (allowed && experiments.length === 0) {
    report(context, [...context.envPath, 'chaos'], `${env.name} allows chaos, but no experiment in model/chaos.ts lists it`, `add "${env.name}" to an experiment's environments, or remove chaos from the environment`);
  }
  return experiments;
}
