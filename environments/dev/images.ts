/** Image digest per service in dev. `npm run promote` copies these between environments. */
import type { EnvironmentSpec } from '../../model/spec.ts';

export const images: EnvironmentSpec['images'] = {
  'event-ingestion': 'sha256:618dfa9efc54cfef268e2ebb993d0de4cf60a5980f582f636a5f3f6842e97552',
  'event-processor': 'sha256:de296106dc2ea8be969998aaf3cb4a96d1bf08a3d64cde046d3853059219efad',
  'analytics-api': 'sha256:916479463a09eee182ff71a962b8a0a0dc4238a220e1bf665cea717b778a6514',
  'recommendation-engine': 'sha256:0f8f76a6598991e9820729dbe28d223f87056289a7fba8e5fd7c6ac0fd2fa93a',
  'user-service': 'sha256:6a7099346b4f8c7a8cb99d14d7e55a21180ad7211ab771085d2ff84f0e546303',
  'notification-service': 'sha256:a569c7dd563abbef66d5a0ca7d9613404a9b60de164073c8e0055f21566362ca',
  'admin-dashboard': 'sha256:a0ea9ec524b67e21ffc34099f28bb5c23b44245a81ce9d3166f2cf77c18fe5d1',
  // apicurio/apicurio-registry 3.0.x mirrored into registry.gamemetrics.dev/mirror. A placeholder until the mirror job
  // records the mirrored digest (nothing on this machine pulls images).
  'schema-registry': 'sha256:5d1c3b7a9e2f4c6b8a0d2e4f6a8c0e2b4d6f8a0c2e4b6d8f0a2c4e6b8d0f2a4c',
  'data-retention': 'sha256:9a762961b016cdab49ce85fffa6e257766f1280b01889e7fd36ad24d02a2b768',
  'prediction-api': 'sha256:c64f6cc78a0f4f96b8792464e70f901e35d71bc6a97589ebc34099da3f3a4172',
  'model-training': 'sha256:326f256ebf7743d4fa12716eafdeada3142ac699487246a5237f9ec5a96bb6b1',
};
