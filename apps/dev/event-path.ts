/**
 * `npm run apps:dev`: the whole event path on this machine, for people. Starts Kafka, PostgreSQL
 * and Redis, provisions them as rendered/dev says (topics, SCRAM users, ACLs, database roles),
 * boots event-ingestion, event-processor and analytics-api with their rendered configuration, and
 * prints where they listen and an API key. Ctrl-C stops everything.
 */
import { parseCommand } from '../../scripts/cli/command.ts';
import { EVENT_PATH, startService, startStack, type RunningService } from '../test/stack.ts';

parseCommand({
  name: 'apps:dev',
  usage: `Usage: npm run apps:dev

Starts Kafka, PostgreSQL and Redis, provisions them as rendered/dev says, boots event-ingestion,
event-processor and analytics-api with their rendered configuration, and prints where they listen and
an API key. Ctrl-C stops everything.`,
  options: {},
});

const stack = await startStack();
const running: RunningService[] = [];
let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping the services and servers...`);
  await Promise.allSettled(running.map((s) => s.process.stop(15_000)));
  await stack.stop();
  process.exit(0);
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));

try {
  for (const name of EVENT_PATH) running.push(await startService(stack, name));
} catch (e) {
  console.error((e as Error).message);
  await stop('startup failed');
}
const url = (name: string) => running.find((s) => s.name === name)?.url;
console.log(
  [
    '',
    'The event path is running (configuration from rendered/dev):',
    ...running.map((s) => `  ${s.name.padEnd(16)} ${s.url}   log: ${s.logFile}`),
    `  kafka            ${stack.broker.bootstrap}   admin ${stack.broker.admin.username} / ${stack.broker.admin.password}`,
    `  postgresql       ${stack.databaseAdmin().connectionString} (schema ${stack.database.schema})`,
    `  redis            ${stack.redis.host}:${stack.redis.port}`,
    '',
    `API key (tenant ${stack.apiKeyTenant}): ${stack.apiKey}`,
    '',
    'Try:',
    `  curl -s -X POST ${url('event-ingestion')}/v1/events -H 'content-type: application/json' -H 'x-api-key: ${stack.apiKey}' \\`,
    `    -d '{"eventId":"'$(cat /proc/sys/kernel/random/uuid)'","playerId":"ann","gameId":"g1","type":"score","timestamp":"'$(date -u +%FT%TZ)'","payload":{"score":5}}'`,
    `  curl -s -H 'x-api-key: ${stack.apiKey}' ${url('analytics-api')}/v1/players/ann/stats?window=1h`,
    `  curl -sN -H 'x-api-key: ${stack.apiKey}' ${url('analytics-api')}/v1/games/g1/live`,
    '',
    'Ctrl-C stops everything.',
  ].join('\n'),
);
