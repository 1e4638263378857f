// PeerAuthentication: each enrolled namespace's mTLS mode is the environment's (STRICT unless it says
// PERMISSIVE). One exception per CloudNativePG cluster under STRICT: its status port accepts the operator,
// which runs outside the mesh, in plaintext (its NetworkPolicy admits only the operator there).
import type { IPeerAuthentication } from '@kubernetes-models/istio/security.istio.io/v1beta1/PeerAuthentication';
import type { LoadedModel } from '../../model/loaded.ts';
import { MESH_COMPONENT } from '../../model/platform-components.ts';
import { platformLabels } from '../core/labels.ts';
import { customObject } from '../core/plain-object.ts';
import type { Generator, OutputFile } from '../core/types.ts';
import { CNPG_STATUS_PORT, releaseSelector } from '../data/network-policies.ts';
import { MTLS_EXCEPTION_ANNOTATION } from '../../policy-tests/rules/platform/strict-mtls.ts';
import { meshNamespaces } from './identity.ts';


function peerAuthentication(model: LoadedModel, namespace: string, name: string, spec: IPeerAuthentication['spec'], annotations?: Record<string, string>) {
  return customObject<IPeerAuthentication>({
    apiVersion: 'security.istio.io/v1beta1',
    kind: 'PeerAuthentication',
    metadata: { name, namespace, labels: platformLabels(model, MESH_COMPONENT), ...(annotations ? { annotations } : {}) },
    spec,
  });
}

export const peerAuthentications: Generator = ({ model }) => {
  const mode = model.environment.mesh.mtls;
  const enrolled = meshNamespaces(model);
  if (enrolled.length === 0) return [];
  const files: OutputFile[] = enrolled.map((namespace) => ({
    path: `platform/${MESH_COMPONENT}/${namespace}/peerauthentication-default.yaml`,
    source: 'environment.mesh.mtls',
    object: peerAuthentication(model, namespace, 'default', { mtls: { mode } }),
  }));
  if (mode !== 'STRICT') return files;
  for (const store of model.datastores) {
    if (!store.cluster) continue;
    const name = `${store.name}-operator-status`;
    files.push({
      path: `platform/${MESH_COMPONENT}/${store.namespace}/peerauthentication-${name}.yaml`,
      source: `${store.modelPath}.cluster.operator`,
      object: peerAuthentication(
        model,
        store.namespace,
        name,
        { selector: { matchLabels: releaseSelector(store) }, mtls: { mode }, portLevelMtls: { [String(CNPG_STATUS_PORT)]: { mode: 'PERMISSIVE' } } },
        { [MTLS_EXCEPTION_ANNOTATION]: `The CloudNativePG operator (${store.cluster.operator.namespace}) runs outside the mesh and polls the instance manager's status port; the NetworkPolicy admits only the operator's pods there.` },
      ),
    });
  }
  return files;
};
