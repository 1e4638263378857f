/**
 * CPU seconds used by the processes of a benchmark, from /proc (Linux). Wall-clock throughput on a
 * shared 2-core machine moves with whatever else runs; CPU seconds per event do not, so the bench
 * reports both, and the capacity the path would have on dedicated cores.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const TICKS = 100; // USER_HZ on Linux

interface Stat {
  ppid: number;
  /** utime + stime, and the reaped children's cutime + cstime. */
  own: number;
  reaped: number;
}

function stat(pid: number): Stat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // f[0] is field 3 (state): utime is field 14 → f[11].
    return { ppid: Number(f[1]), own: Number(f[11]) + Number(f[12]), reaped: Number(f[13]) + Number(f[14]) };
  } catch {
    return undefined;
  }
}

/** The pid listening on a TCP port of 127.0.0.1 (via `ss`). */
export function pidListeningOn(port: number): number {
  const out = execFileSync('ss', ['-ltnpH', `sport = :${port}`], { encoding: 'utf8' });
  const m = /pid=(\d+)/.exec(out);
  if (!m) throw new Error(`no process found listening on port ${port} (ss output: ${out.trim() || 'empty'})`);
  return Number(m[1]);
}

/** CPU seconds of `pid` and all its descendants, living or reaped. */
export function cpuSeconds(pid: number): number {
  const all = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number);
  const stats = new Map(all.map((p) => [p, stat(p)]));
  const tree = new Set([pid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [p, s] of stats)
      if (s && !tree.has(p) && tree.has(s.ppid)) {
        tree.add(p);
        grew = true;
      }
  }
  let ticks = 0;
  for (const p of tree) {
    const s = stats.get(p);
    if (s) ticks += s.own + (p === pid ? s.reaped : 0);
  }
  return ticks / TICKS;
}

/** Snapshot CPU seconds of named processes (each name may stand for several, summed); `delta()` gives the use since the snapshot. */
export function cpuMeter(pids: Record<string, number | number[]>): { delta(): Record<string, number> } {
  const total = (p: number | number[]) => (Array.isArray(p) ? p : [p]).reduce((n, pid) => n + cpuSeconds(pid), 0);
  const start = Object.fromEntries(Object.entries(pids).map(([k, p]) => [k, total(p)]));
  return {
    delta: () => Object.fromEntries(Object.entries(pids).map(([k, p]) => [k, total(p) - start[k]])),
  };
}
