// The matrices as text or Markdown: one line per connection (`from → to  ports`) and per grant.
import { type Grant } from './access.ts';
import type { Reachability } from './index.ts';
import type { Edge } from './network.ts';
import { formatPorts } from './ports.ts';

export const REPORT_FORMATS = ['text', 'markdown'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const edgeKey = (e: Edge) => `${e.from} → ${e.to} ${formatPorts(e.ports).join(',')}`;
const sortEdges = (edges: readonly Edge[]) => [...edges].sort((a, b) => (a.from + a.to < b.from + b.to ? -1 : 1));

function textSection(title: string, rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return `${title}\n${rows.map((r) => `  ${r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()}`).join('\n')}\n`;
}

function markdownSection(title: string, rows: string[][]): string {
  const [head, ...body] = rows;
  const line = (r: string[]) => `| ${r.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
  return `## ${title}\n\n${line(head)}\n${line(head.map(() => '---'))}\n${body.map(line).join('\n')}\n`;
}

export function formatReachability(env: string, r: Reachability, format: ReportFormat): string {
  const edgeRows = (edges: readonly Edge[]) => [['from', 'to', 'ports'], ...sortEdges(edges).map((e) => [e.from, e.to, formatPorts(e.ports).join(', ')])];
  const grantRows = (grants: readonly Grant[]) => [['who', 'where', 'resource', 'verb'], ...grants.map((g) => [g.subject, g.scope, g.resource, g.verb])];
  const sections: Array<[string, string[][]]> = [
    [`Network (NetworkPolicies): ${r.network.length} connections a tenant workload takes part in`, edgeRows(r.network)],
    [`Mesh (PeerAuthentications, AuthorizationPolicies; destinations with a sidecar): ${r.mesh.length} connections`, edgeRows(r.mesh)],
    [`Outside the cluster (NetworkPolicy egress to ipBlocks or to anywhere): ${r.external.length} connections of tenant workloads`, edgeRows(r.external)],
    [`Access (RBAC, Argo CD): ${r.access.length} grants to people`, grantRows(r.access)],
  ];
  const header = `Reachability of ${env}, computed from rendered/${env}/ alone (\`*\` in an id: any other pod of that namespace; \`*\` as ports: every port).`;
  if (format === 'markdown') return `# ${header}\n\n${sections.map(([t, rows]) => markdownSection(t, rows)).join('\n')}`;
  return `${header}\n\n${sections.map(([t, rows]) => textSection(t, rows)).join('\n')}`;
}
