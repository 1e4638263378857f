// Platform components: one Argo CD Application each, with their network defaults applied.
import type { LoadedComponent } from '../loaded.ts';
import { type LoadContext, dnsLabel, report, sortByName } from './context.ts';
import { DEFAULT_COMPONENT_NETWORK, DEFAULT_METRICS_PATH, DEFAULT_POD_SECURITY_LEVEL } from './defaults.ts';

/** Whether the environment sets the part of its spec a component's `installWhen` names. */
function installed(context: LoadContext, when: string | undefined): boolean {
  if (when === undefined) return true;
  let value: unknown = context.env;
  for (const key of when.split('.')) value = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  return value !== undefined && value !== null;
}

export function loadComponents(context: LoadContext): LoadedComponent[] {
  return sortByName(Object.entries(context.platform.components).filter(([, c]) => installed(context, c.installWhen)).map(([name, c]) => {
    if (!dnsLabel.test(name)) report(context, ['components', name], `component name "${name}" is not a DNS label`);
    const ingressPorts: readonly number[] = c.network?.ingressPorts ?? DEFAULT_COMPONENT_NETWORK.ingressPorts;
    if (c.metrics && !ingressPorts.includes(c.metrics.port)) {
      report(context, ['components', name, 'metrics', 'port'], `metrics port ${c.metrics.port} is not among network.ingressPorts, so the namespace's default deny refuses the scrape`, `add ${c.metrics.port} to network.ingressPorts`);
    }
    return {
      name,
      description: c.description,
      namespace: c.namespace,
      wave: c.wave,
      chart: c.chart ? { ...c.chart } : null,
      clusterResources: (c.clusterResources ?? []).map((r) => ({ ...r })),
      network: {
        apiServer: c.network?.apiServer ?? DEFAULT_COMPONENT_NETWORK.apiServer,
        ingressPorts: [...(c.network?.ingressPorts ?? DEFAULT_COMPONENT_NETWORK.ingressPorts)],
        egressPorts: [...(c.network?.egressPorts ?? DEFAULT_COMPONENT_NETWORK.egressPorts)],
      },
      crdGroups: [...(c.crdGroups ?? [])].sort(),
      podSecurity: c.podSecurity ? { level: c.podSecurity.level, reason: c.podSecurity.reason } : { level: DEFAULT_POD_SECURITY_LEVEL, reason: null },
      metrics: c.metrics ? { podSelector: { ...c.metrics.podSelector }, port: c.metrics.port, path: c.metrics.path ?? DEFAULT_METRICS_PATH } : null,
      modelPath: `components.${name}`,
    };
  }));
}

/** A CRD group is installed by one component only, and only a chart installs CRDs. */
export function checkCrdGroups(context: LoadContext, components: LoadedComponent[]): void {
  const provider = new Map<string, string>();
  for (const component of components) {
    component.crdGroups.forEach((group) => {
      const path = ['components', component.name, 'crdGroups'];
      if (!component.chart) report(context, path, `component "${component.name}" declares CRD groups but installs no chart`, 'declare crdGroups on the component whose chart installs the CRDs');
      const other = provider.get(group);
      if (other) report(context, path, `CRD group "${group}" is already provided by component "${other}"`, 'each CRD group has one provider');
      provider.set(group, component.name);
    });
  }
}
