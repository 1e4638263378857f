// npm run dashboards: build Grafana's dashboards with @grafana/grafana-foundation-sdk from the model and write
// generators/observability/dashboards/dashboards.json, which the render wraps in ConfigMaps.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { allDashboards } from './cli/dashboards.ts';
import { DASHBOARDS_FILE } from '../generators/observability/dashboards/config-maps.ts';
import { parseCommand } from './cli/command.ts';

parseCommand({
  name: 'dashboards',
  usage: `Usage: npm run dashboards

Builds the Grafana dashboards (generators/observability/dashboards/build.ts) for every environment of the
model and of the generators' tiny test model, and writes
generators/observability/dashboards/${DASHBOARDS_FILE}. Run it after a change to the dashboards or to the
services' SLOs, then npm run render; the dashboards test fails while the file is stale.`,
  options: {},
});

const file = join(import.meta.dirname, '..', 'generators', 'observability', 'dashboards', DASHBOARDS_FILE);
const built = allDashboards();
writeFileSync(file, `${JSON.stringify(built, null, 1)}\n`);
console.log(`dashboards: wrote ${Object.values(built).map((d) => Object.keys(d).length).join(' + ')} dashboards (${Object.keys(built).length} models) to ${file}`);
