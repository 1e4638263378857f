// npm run reachability -- --env <env> [--format text|markdown]
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { environmentNames } from '../render/sources.ts';
import { loadDocuments } from '../policy-tests/lib/documents.ts';
import { reachability } from '../review/reachability/index.ts';
import { formatReachability, REPORT_FORMATS, type ReportFormat } from '../review/reachability/report.ts';
import { runCommand, UsageError } from './cli/command.ts';

const usage = `Usage: npm run reachability -- --env <env> [--format text|markdown]

Computes from rendered/<env>/ alone (run npm run render first) who can reach whom on which port, by the
NetworkPolicies and by the mesh's PeerAuthentications and AuthorizationPolicies, for every connection a
tenant's workload takes part in, what tenant workloads may reach outside the cluster, and who may do
what by RBAC and Argo CD. See docs/zero-trust.md.

  --env <env>      the environment (rendered/<env>/)
  --format <f>     text (default) or markdown
  -h, --help       show this help

Exit codes: 0 printed, 2 usage error.`;

const options = { env: { type: 'string' }, format: { type: 'string', default: 'text' } } as const;

await runCommand({ name: 'reachability', usage, options }, async ({ values }) => {
  const problems: string[] = [];
  const envs = environmentNames();
  if (!values.env) problems.push('--env is required');
  else if (!envs.includes(values.env)) problems.push(`--env: unknown environment "${values.env}"; known: ${envs.join(', ')}`);
  const format = values.format as ReportFormat;
  if (!REPORT_FORMATS.includes(format)) problems.push(`unknown --format "${values.format}": use ${REPORT_FORMATS.join(', ')}`);
  const folder = join(resolve(import.meta.dirname, '..'), 'rendered', values.env ?? '');
  if (values.env && envs.includes(values.env) && !existsSync(folder)) problems.push(`rendered/${values.env}/ does not exist: run npm run render`);
  if (problems.length > 0) throw new UsageError(...problems);
  const { docs } = loadDocuments([folder]);
  process.stdout.write(formatReachability(values.env!, reachability(docs), format));
  return 0;
});
