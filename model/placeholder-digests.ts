/**
 * Image digests that stand in for one nobody has recorded yet: the image is mirrored by a job outside this
 * repository, and nothing here pulls images, so the real digest of the pinned tag is filled in when the mirror
 * records it. Policy rule platform/no-placeholder-digest refuses every image pinned by one of these in a
 * production-tier environment, so a placeholder reaches prod only through a waiver with a reason and an expiry.
 */
export interface PlaceholderDigest {
  digest: string;
  /** The image and tag the digest should name. */
  image: string;
  /** Where it is pinned, and what replaces it. */
  replaceWith: string;
}

/** The TimescaleDB operand image (model/datastores.ts), mirrored from ghcr.io/clevyr/cloudnativepg-timescale:15.13-ts2.21.3. */
export const TIMESCALEDB_DIGEST_PLACEHOLDER = 'sha256:4f6c1c3a0b9e8d7f2a5e6b1c0d9f8e7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e';

export const PLACEHOLDER_DIGESTS: readonly PlaceholderDigest[] = [
  {
    digest: TIMESCALEDB_DIGEST_PLACEHOLDER,
    image: 'registry.gamemetrics.dev/mirror/cloudnativepg-timescale:15.13-ts2.21.3',
    replaceWith: 'the digest the mirror job records for that tag, in datastores.timescaledb.cluster.image (model/datastores.ts); then delete this entry',
  },
];
