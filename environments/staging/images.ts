/** Image digest per service in staging. `npm run promote` copies these between environments. */
import type { EnvironmentSpec } from '../../model/spec.ts';

export const images: EnvironmentSpec['images'] = {
  'event-ingestion': 'sha256:31533e49e1aeb07b61023acbb933f44c610fd52d799c4a85606307296f371096',
  'event-processor': 'sha256:a07da355a9d6f4a0763491c8b4a80830964c88e04ab54b8a772d9e5bc3e640e9',
  'analytics-api': 'sha256:23b348d1eba51c7e3243387f2faafe2c5511c38b352e9ca6c84620845e190c18',
  'recommendation-engine': 'sha256:374778e79ab0b2a78d3ecea9ec33cc41486cd95e05ad2ab98e403c92106fecd8',
  'user-service': 'sha256:3994b532f377099f5777c0e29eea9da1c43b45490d84e05ea2af2add60f98e7f',
  'notification-service': 'sha256:addd14a37e8de38020d9e26cdf80de6612ad17bc7159294b548bd94fd7dcd44c',
  'admin-dashboard': 'sha256:13bf082db3dbfd74fa8e1e931bba477708bf329b6925ba206476d63cfb7efb95',
  // apicurio/apicurio-registry 3.0.x mirrored into registry.gamemetrics.dev/mirror. A placeholder until the mirror job
  // records the mirrored digest (nothing on this machine pulls images).
  'schema-registry': 'sha256:5d1c3b7a9e2f4c6b8a0d2e4f6a8c0e2b4d6f8a0c2e4b6d8f0a2c4e6b8d0f2a4c',
  'data-retention': 'sha256:f3fb673ac29630d0568ab0b133fd1ceb34fe7f70a7eb2afa47fad53088eaaa02',
  'prediction-api': 'sha256:f54b81301b5b7f0cd50e9852c820f9b47ed7cf5ab6283a8b1bda8af03b0a86bd',
  'model-training': 'sha256:6d14f72914a8ca4700e30d4019ad157fdc8b85a84e867d27bc6129dd951b443b',
};
