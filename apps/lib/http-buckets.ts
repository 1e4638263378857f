/**
 * Bucket boundaries (seconds) of `http_request_duration_seconds`, the histogram every service exports.
 * A latency SLO's threshold must be one of them: the SLI reads the bucket `le="<threshold>"`, and the model
 * loader refuses any other threshold. 0.3 serves analytics-api's 300 ms latency SLO.
 */
export const HTTP_DURATION_BUCKETS_SECONDS: readonly number[] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.3, 0.5, 1, 2.5, 5, 10];

/** Where the buckets are declared, for messages. */
export const HTTP_DURATION_BUCKETS_SOURCE = 'apps/lib/http-buckets.ts';
