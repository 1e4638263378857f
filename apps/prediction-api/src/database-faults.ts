/**
 * Which PostgreSQL failures a client may retry. The database unreachable, restarting, out of connections or
 * a transaction that lost a race: 503 DATABASE_UNAVAILABLE with Retry-After. The server answering that our
 * statement is wrong (a missing grant, table or column, a broken constraint): a fault of this service,
 * which retrying does not cure, so it is left to the error handler's coded 500 (INTERNAL, nothing of the
 * SQL or the stack in the answer; the error is logged).
 */
import pg from 'pg';

/** SQLSTATE classes and codes that mean "not now" rather than "never" (PostgreSQL appendix A). */
const TRANSIENT_CLASSES = ['08', '53', '57P'];
const TRANSIENT_CODES = new Set(['40001', '40P01', '55P03', '57014']);
/** What node-postgres says when there is no usable connection (socket errors carry `syscall` instead). */
const CONNECTION_MESSAGE = /^Connection terminated|timeout exceeded when trying to connect|encountered a connection error|is not queryable|pool after calling end/;

export function databaseUnavailable(error: unknown): boolean {
  if (error instanceof pg.DatabaseError) {
    const code = error.code ?? '';
    return TRANSIENT_CODES.has(code) || TRANSIENT_CLASSES.some((c) => code.startsWith(c));
  }
  if (!(error instanceof Error)) return false;
  const system = error as NodeJS.ErrnoException;
  return system.syscall !== undefined || error.name === 'AggregateError' || CONNECTION_MESSAGE.test(error.message);
}
