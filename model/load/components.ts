// Platform components: one Argo CD Application each, with their network defaults applied.
import type { LoadedComponent } from '../loaded.ts';
import { type LoadContext, dnsLabel, report, sortByName } from './context.ts';
import { DEFAULT_CHAOS, DEFAULT_COMPONENT_NETWORK, DEFAULT_POD_SECURITY_LEVEL } from './defaults.ts';

/** The components installed in this environment: those without `onlyWhere`, and `chaos` ones where chaos is allowed. */
export function loadComponents(context: LoadContext): LoadedComponent[] {
  const chaosAllowed = context.env.chaos?.allowed ?? DEFAULT_CHAOS.allowed;
  const installed = Object.entries(context.platform.components).filter(([, c]) => c.onlyWhere !== 'chaos' || chaosAllowed);
  return sortByName(installed.map(([name, c]) => {
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
        egressPorts: [...(c.network?.egressPorts ?? DEFAULT_COMPONENT_NETWORK.egressPorts)],
      },
      crdGroups: [...(c.crdGroups ?? [])].sort(),
      podSecurity: c.podSecurity ? { level: c.podSecurity.level, reason: c.podSecurity.reason } : { level: DEFAULT_POD_SECURITY_LEVEL, reason: null },
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
