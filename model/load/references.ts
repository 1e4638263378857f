// The environment's overrides must name services, topics and tenants the model declares.
import { unknownNameHint } from '../problems.ts';
import { type LoadContext, report } from './context.ts';

export function checkEnvironmentReferences(context: LoadContext, serviceNames: string[]): void {
  const { env, envPath, platform } = context;
  const known = { services: serviceNames, topics: Object.keys(platform.topics), tenants: Object.keys(platform.tenants) };
  for (const name of Object.keys(env.services ?? {})) {
    if (!known.services.includes(name)) report(context, [...envPath, 'services', name], `unknown service "${name}"`, unknownNameHint(name, known.services));
  }
  for (const name of Object.keys(env.topics ?? {})) {
    if (!known.topics.includes(name)) report(context, [...envPath, 'topics', name], `unknown topic "${name}"`, unknownNameHint(name, known.topics));
  }
  for (const name of Object.keys(env.images ?? {})) {
    if (!known.services.includes(name)) report(context, [...envPath, 'images', name], `digest for unknown service "${name}"`, unknownNameHint(name, known.services));
  }
  for (const name of Object.keys(env.quotas ?? {})) {
    if (!known.tenants.includes(name)) report(context, [...envPath, 'quotas', name], `unknown tenant "${name}"`, unknownNameHint(name, known.tenants));
  }
}
