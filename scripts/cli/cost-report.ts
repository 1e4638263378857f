// The cost report behind `npm run cost`: per tenant and environment, the CPU and memory the services
// request at minimum scale (HPA minReplicas, fixed replicas, cron jobs idle) and at maximum scale (HPA
// maxReplicas, a cron job's one running pod), in all of the environment's regions, priced monthly at the model's list prices.
import type { LoadedModel, LoadedService } from '../../model/loaded.ts';
import { floorReplicas, monthlyPrice, peakReplicas, requestedCapacity } from '../../model/load/quotas.ts';

export interface CostRow {
  env: string;
  tenant: string;
  /** Requested cores and GiB, and their monthly price, at minimum and maximum scale. */
  min: { cpu: number; memoryGiB: number; monthly: number };
  max: { cpu: number; memoryGiB: number; monthly: number };
}

/** Rows per tenant and environment; an environment in several regions runs every service in each (docs/regions.md). */
export function costRows(models: readonly LoadedModel[]): CostRow[] {
  const rows: CostRow[] = [];
  for (const model of models) {
    const regions = model.environment.regions.length;
    for (const tenant of model.tenants) {
      const services = model.services.filter((s) => s.tenant === tenant.name);
      const at = (replicas: (s: LoadedService) => number) => {
        const one = requestedCapacity(services, replicas);
        const all = { cpu: regions * one.cpu, memoryGiB: regions * one.memoryGiB };
        return { ...all, monthly: monthlyPrice(all, model.capacity.prices) };
      };
      rows.push({ env: model.environment.name, tenant: tenant.name, min: at(floorReplicas), max: at(peakReplicas) });
    }
  }
  return rows;
}

const round = (n: number, digits: number) => (Math.round(n * 10 ** digits) / 10 ** digits).toFixed(digits);
const money = (n: number) => round(n, 2);

function table(rows: CostRow[], currency: string): string[][] {
  const header = ['environment', 'tenant', 'CPU min (cores)', 'memory min (GiB)', `monthly min (${currency})`, 'CPU max (cores)', 'memory max (GiB)', `monthly max (${currency})`];
  const body = rows.map((r) => [r.env, r.tenant, round(r.min.cpu, 2), round(r.min.memoryGiB, 2), money(r.min.monthly), round(r.max.cpu, 2), round(r.max.memoryGiB, 2), money(r.max.monthly)]);
  const totals = [...new Set(rows.map((r) => r.env))].map((env) => {
    const of = rows.filter((r) => r.env === env);
    const sum = (f: (r: CostRow) => number) => of.reduce((s, r) => s + f(r), 0);
    return [env, '(all tenants)', round(sum((r) => r.min.cpu), 2), round(sum((r) => r.min.memoryGiB), 2), money(sum((r) => r.min.monthly)), round(sum((r) => r.max.cpu), 2), round(sum((r) => r.max.memoryGiB), 2), money(sum((r) => r.max.monthly))];
  });
  return [header, ...body, ...totals];
}

function pricesLine(model: LoadedModel): string {
  const p = model.capacity.prices;
  return `List prices: ${p.cpuCoreHour} ${p.currency} per requested core-hour, ${p.memoryGiBHour} ${p.currency} per requested GiB-hour, ${p.hoursPerMonth} hours a month.`;
}

export function costText(models: readonly LoadedModel[]): string {
  const rows = table(costRows(models), models[0].capacity.prices.currency);
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ').trimEnd();
  return [pricesLine(models[0]), '', line(rows[0]), ...rows.slice(1).map(line), ''].join('\n');
}

export function costMarkdown(models: readonly LoadedModel[]): string {
  const rows = table(costRows(models), models[0].capacity.prices.currency);
  const line = (r: string[]) => `| ${r.join(' | ')} |`;
  return ['## Requested capacity and monthly cost', '', pricesLine(models[0]), '', line(rows[0]), `|${rows[0].map((_, i) => (i < 2 ? '---' : '---:')).join('|')}|`, ...rows.slice(1).map(line), ''].join('\n');
}
