// SARIF 2.1.0 (code scanning): a rule per id, a result per finding; waived findings carry a suppression.
import { sortFindings, type Report } from '../findings.ts';

export function formatSarif(r: Report): string {
  const ruleIds = [...new Set(r.findings.map((f) => f.ruleId))].sort();
  const known = new Map(r.rules.map((x) => [x.id, x]));
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: `gamemetrics-${r.tool}`,
            rules: ruleIds.map((id) => {
              const k = known.get(id);
              return {
                id,
                shortDescription: { text: k?.title ?? id },
                ...(k ? { fullDescription: { text: k.rationale }, help: { text: k.fix } } : {}),
                defaultConfiguration: { level: k?.severity === 'warning' ? 'warning' : 'error' },
              };
            }),
          },
        },
        results: sortFindings(r.findings).map((f) => ({
          ruleId: f.ruleId,
          ruleIndex: ruleIds.indexOf(f.ruleId),
          level: f.severity === 'error' ? 'error' : 'warning',
          message: { text: `${f.object} ${f.path}: ${f.message}` },
          locations: [
            {
              physicalLocation: { artifactLocation: { uri: f.file.replace(/\\/g, '/') }, region: { startLine: f.line } },
              logicalLocations: [{ fullyQualifiedName: `${f.object}#${f.path}`, kind: 'object' }],
            },
          ],
          ...(f.waiver ? { suppressions: [{ kind: 'external', status: 'accepted', justification: `${f.waiver.reason} (${f.waiver.where})` }] } : {}),
        })),
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}
