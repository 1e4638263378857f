// The references rendered/ still leaves dangling while issue #11 is in progress, each with what will provide it.
// platform/references-resolve reports these as warnings and every other dangling reference as an error;
// policy-tests/rendered.test.ts asserts that each environment's warnings are exactly this list, so an entry
// must be removed in the change that resolves it. Merging #11's platform, datastore and secrets work drives
// the list to empty; then this file and the warning path go.

const ISSUE = '#11';
const PLATFORM = `${ISSUE}: rendered by the platform components (namespaces, Istio ingress, cert-manager issuers)`;
const SECRETS = `${ISSUE}: an ExternalSecret renders it`;
const MIRROR = `${ISSUE}: Strimzi creates the mirror-maker KafkaUser Secret in gamemetrics, MirrorMaker 2 runs in kafka; an ExternalSecret or a copy renders it there`;

const everywhere: Record<string, string> = {
  'ClusterIssuer letsencrypt': PLATFORM,
  'IngressClass istio': PLATFORM,
  'Namespace data': PLATFORM,
  'Namespace istio-ingress': PLATFORM,
  'Namespace monitoring': PLATFORM,
  'Secret kyverno/cosign-public-key': SECRETS,
  ...Object.fromEntries([
    'gamemetrics/analytics-api-redis', 'gamemetrics/analytics-api-timescaledb', 'gamemetrics/data-retention-minio',
    'gamemetrics/data-retention-timescaledb', 'gamemetrics/event-ingestion-api-keys', 'gamemetrics/event-processor-redis',
    'gamemetrics/event-processor-timescaledb', 'gamemetrics/notification-service-redis', 'gamemetrics/recommendation-engine-qdrant',
    'gamemetrics/recommendation-engine-redis', 'gamemetrics/user-service-timescaledb', 'geo-climate/model-training-minio',
    'geo-climate/prediction-api-api-keys', 'geo-climate/prediction-api-minio', 'geo-climate/prediction-api-redis',
  ].map((s) => [`Secret ${s}`, SECRETS])),
};

/** Per environment: dangling target (`Kind namespace/name`) → what will provide it. */
export const PENDING_REFERENCES: Record<string, Readonly<Record<string, string>>> = {
  dev: everywhere,
  staging: everywhere,
  prod: {
    ...everywhere,
    'Secret kafka/gm-dr-cluster-ca-cert': SECRETS,
    'Secret kafka/gamemetrics-mirror-maker-2-gm-dr': SECRETS,
    'Secret kafka/gamemetrics-mirror-maker-2': MIRROR,
  },
};

/** Why `target` may still dangle in `env`, or undefined when it must resolve. */
export function pendingReference(env: string, target: string): string | undefined {
  return PENDING_REFERENCES[env]?.[target];
}
