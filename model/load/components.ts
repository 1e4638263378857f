// Platform components: one Argo CD Application each, with their network defaults applied.
import type { LoadedComponent } from '../loaded.ts';
import { type LoadContext, dnsLabel, report, sortByName } from './context.ts';
import { DEFAULT_COMPONENT_NETWORK } from './defaults.ts';

export function loadComponents(context: LoadContext): LoadedComponent[] {
  return sortByName(Object.entries(context.platform.components).map(([name, c]) => {
    if (!dnsLabel.test(name)) report(context, ['components', name], `component name "${name}" is not a DNS label`);
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
      },
      modelPath: `components.${name}`,
    };
  }));
}
