import { perDocument, type Rule } from '../../lib/rule.ts';

export const rule: Rule = {
  id: 'platform/no-plaintext-secrets',
  ruleset: 'platform',
  severity: 'error',
  title: 'No Secret with data in Git: secrets come from External Secrets',
  rationale: 'Base64 is not encryption: a Secret in the repository is readable by everyone who can read the repository, forever.',
  fix: 'Delete the Secret and declare an ExternalSecret that reads the value from the secret store (in the model: secretEnv).',
  kyverno: { ciOnly: 'the cluster legitimately creates Secrets (External Secrets, Strimzi, cert-manager); only Git must not hold them' },
  check: perDocument((doc) => {
    if (doc.data.kind !== 'Secret' || doc.data.apiVersion !== 'v1') return [];
    return (['data', 'stringData'] as const)
      .filter((k) => doc.data[k] && Object.keys(doc.data[k] as object).length)
      .map((k) => ({ path: [k], message: `Secret ${doc.data.metadata?.name} carries ${k} (keys: ${Object.keys(doc.data[k] as object).join(', ')}) in plain text` }));
  }),
};
