// The shape of a policy rule. Each rule lives in its own file under policy-tests/rules/<ruleset>/.
import type { Doc } from './documents.ts';
import type { Severity } from './findings.ts';
import type { ExternalObject } from './references.ts';

export const RULESETS = ['pss-baseline', 'pss-restricted', 'best-practices', 'platform'] as const;
export type RuleSet = (typeof RULESETS)[number];

/** What a rule knows about the environment a document belongs to. */
export interface DocEnv {
  /** Environment name (`prod`), or null for YAML outside `rendered/<env>/` with no `--env`. */
  name: string | null;
  tier: 'development' | 'staging' | 'production';
  approvedRegistries: string[];
  /** Namespace of the platform's ingress gateway (model platform.ingressGateway), the one place for external Services. */
  ingressNamespace?: string;
  /** The environment's mesh mTLS mode (model environment.mesh.mtls); absent means STRICT. */
  mtls?: 'STRICT' | 'PERMISSIVE';
  /**
   * The further region a document belongs to (`rendered/<env>/regions/<region>/`), or null for the primary region's
   * tree (and single-region environments). Cross-resource rules look within one region: each is its own cluster.
   */
  region?: string | null;
  /** The clusters the environment declares (model `environment.regions[].cluster.name`), primary first. */
  clusters?: string[];
  /** What the environment relies on and does not create (model externals of this environment). */
  externals?: ExternalObject[];
  /**
   * The run holds every file of the environment's rendered/<env>/ folder: checks that need the whole
   * environment (does the referenced object exist anywhere?) apply only then.
   */
  complete?: boolean;
}

export interface RuleContext {
  /** Every document given to the run: cross-resource rules look across all of them. */
  docs: Doc[];
  envOf(doc: Doc): DocEnv;
}

export interface Violation {
  doc: Doc;
  path: Array<string | number>;
  message: string;
}

/** The Kyverno side of a rule: rendered into a ClusterPolicy, or enforced only in CI (and why). */
export type KyvernoSupport =
  | { policy: string; render: (input: KyvernoInput) => Record<string, unknown> }
  | { ciOnly: string };

export interface KyvernoInput {
  approvedRegistries: string[];
  /** Namespace Kyverno runs in. */
  kyvernoNamespace: string;
  /** The OIDC identity that signs the platform's images (cosign keyless). */
  imageSigning: { issuer: string; subject: string };
}

export interface Rule {
  /** `<ruleset>/<name>`, also the waiver key. */
  id: string;
  ruleset: RuleSet;
  severity: Severity;
  /** One line: what the rule requires. */
  title: string;
  /** Why it matters. */
  rationale: string;
  /** How to fix a finding. */
  fix: string;
  kyverno: KyvernoSupport;
  check(ctx: RuleContext): Violation[];
}

/** A rule that looks at one document at a time. */
export function perDocument(fn: (doc: Doc, env: DocEnv) => Array<Omit<Violation, 'doc'>>): Rule['check'] {
  return (ctx) => ctx.docs.flatMap((doc) => fn(doc, ctx.envOf(doc)).map((v) => ({ ...v, doc })));
}
