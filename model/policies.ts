/**
 * Platform policies. Waivers are accepted exceptions to a policy rule (see docs/POLICIES.md for rule ids):
 * each names who approved it, why, and when it ends; an expired waiver fails `npm run render`.
 */
import type { PoliciesSpec } from './spec.ts';

export const policies = {
  approvedRegistries: ['registry.gamemetrics.dev/'],
  waivers: [],
} satisfies PoliciesSpec;
