// The part of docs/architecture.md that describes the repository itself: its layers and how to add to them.
export const LAYOUT_SECTION = `## How the repository is built

Data flows one way, and each stage is a folder. A file imports only from its own stage or a lower one;
\`scripts/ci/layers.test.ts\` fails on any import that points up.

| stage | folder | what it does |
|---|---|---|
| 0 | \`model/\` | The declarations (\`platform.ts\`, \`tenants/\`, \`topics.ts\`, \`datastores.ts\`, \`components.ts\`, \`policies.ts\`, \`externals.ts\`), their types (\`spec.ts\`), and the loader that validates them, applies the defaults and freezes the result. The loader receives the declarations; it never imports them. |
| 1 | \`environments/<env>/\` | Thin typed deltas: cluster, sizes, overrides, image digests. |
| 2 | \`policy-tests/rules/\` | The policy catalog, one rule per file; the Kyverno generator renders it into admission policies. |
| 3 | \`generators/<concern>/\` | Pure functions \`(model) => OutputFile[]\`, one per concern; \`core/\` is the contract they share; \`index.ts\` composes them and refuses conflicts. |
| 4 | \`render/\` | Binds the declarations to the loader (\`sources.ts\`), renders every environment in memory and is the one writer of \`rendered/\` and this document. |
| 5 | \`review/\`, \`policy-tests/lib/\` | What checks a rendered tree: the review diff and promotion, schema validation and the policy engine. |
| 6 | \`scripts/\` | Entry points (\`npm run …\`; their bodies in \`scripts/cli/\`), benchmarks, drills and the real-server test harness. |

The services in \`apps/\` are a world of their own: npm workspaces (\`apps/lib\` is the shared library,
\`@gamemetrics/service-kit\`; each service is a package that lists only what it uses), they import nothing
from the stages above, and their end-to-end tests boot them from \`rendered/dev\`.

## How to add a concern

- **A generator.** Create \`generators/<concern>/<name>.ts\` exporting a \`Generator\` (\`generators/core/types.ts\`):
  a pure function of the loaded model that returns one \`OutputFile\` per object, with its path under
  \`rendered/<env>/\` and the model path it derives from. Type core objects with \`kubernetes-types\`. Branch on
  the environment's values, never on its name. Register it in \`generators/index.ts\`, give it a golden pair
  (the tiny model in \`generators/testdata/\` in, \`generators/<concern>/testdata/<env>/\` out; \`npm run golden\`
  writes them) and assertions on the fields that matter, then \`npm run render\` and review the rendered diff.
  A new kind needs a strict schema: \`npm run validate\` says so, and \`npm run validators\` rebuilds the
  precompiled validators once it has one.
- **A model field.** Declare it in \`model/spec.ts\` with its documentation and \`@default\`, apply the
  default in \`model/load/defaults.ts\` (the only place defaults live) and derive it in the loader file of its
  concern (\`model/load/<concern>.ts\`), then \`npm run schema\` regenerates the model's JSON Schema.
- **A policy rule.** Create \`policy-tests/rules/<ruleset>/<name>.ts\` exporting a \`Rule\` (rationale,
  fix, the Kyverno side or why it is CI-only), list it in \`policy-tests/rules/index.ts\`, add its passing
  and failing fixture to \`policy-tests/fixtures/<ruleset>.ts\`, then \`npm run docs:policies\`.
- **A service.** Declare it in \`model/names.ts\` and its tenant's file, pin its digest in each
  \`environments/<env>/images.ts\`, and put its code in \`apps/<service>/\` as a workspace package that
  lists only what it uses.
- **A real-server test.** Start what it needs through \`scripts/harness/\` (Kafka, PostgreSQL, Redis on
  free loopback ports, stopped afterwards); never mock what runs here. In CI a missing server is a
  failure with a clear message, never a skip.
`;
