// Findings issue #11 still leaves on rendered/ while its parts are merged, each with what will resolve it. The
// rules that consult this list report these as warnings and everything else as errors;
// policy-tests/rendered.test.ts asserts that each environment's warnings are exactly this list, so an entry must
// be removed in the change that resolves it. Merging #11's platform, datastore and secrets work empties it; then
// this file and the warning path go.

const ISSUE = '#11';
const PLATFORM = `${ISSUE}: rendered by the platform components (namespaces, Istio ingress, cert-manager issuers, the CloudNativePG operator)`;
const STORAGE = `${ISSUE}: the storage classes are rendered and every claim names one`;

const danglingEverywhere: Record<string, string> = {
  'ClusterIssuer letsencrypt': PLATFORM,
  'IngressClass istio': PLATFORM,
  'Namespace cnpg-system': PLATFORM,
  'Namespace istio-ingress': PLATFORM,
  'Namespace monitoring': PLATFORM,
  'StorageClass fast-ssd': STORAGE,
};
const timescaledb = { 'Cluster data/timescaledb': STORAGE };

/** Per rule and environment: the finding's target (`Kind namespace/name`) → what will resolve it. */
export const PENDING: Record<string, Record<string, Readonly<Record<string, string>>>> = {
  // Targets are the dangling references (the objects named).
  'platform/references-resolve': {
    dev: danglingEverywhere,
    staging: danglingEverywhere,
    prod: danglingEverywhere,
  },
  // Targets are the objects whose storage names no class, or a class not rendered yet.
  'platform/storage-class': {
    dev: { 'KafkaNodePool kafka/combined': STORAGE, ...timescaledb },
    staging: { 'KafkaNodePool kafka/combined': STORAGE, ...timescaledb },
    prod: { 'KafkaNodePool kafka/brokers': STORAGE, 'KafkaNodePool kafka/controllers': STORAGE, ...timescaledb },
  },
};

/** Why `target` may still be found by `ruleId` in `env`, or undefined when it must not. */
export function pendingFinding(ruleId: string, env: string | null, target: string): string | undefined {
  return env ? PENDING[ruleId]?.[env]?.[target] : undefined;
}
