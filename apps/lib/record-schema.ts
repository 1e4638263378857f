/** Kafka record values checked against a JSON schema; every problem as `<path> <message>`. */
import { Ajv, type ValidateFunction } from 'ajv';
import { addEventFormats } from './formats.ts';
import { toFieldErrors } from './errors.ts';

// One validator for every record schema, consumed (validateWith) or produced (contracts.ts): same formats, same options.
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addEventFormats(ajv);

/** Compile a record schema with the shared options and formats; throws when the schema is not usable. */
export function compileRecordSchema(schema: object): ValidateFunction {
  return ajv.compile(schema);
}

export function validateWith<T>(schema: object): (value: unknown) => { value: T } | { problems: string[] } {
  const validate = compileRecordSchema(schema);
  return (value) => (validate(value) ? { value: value as T } : { problems: toFieldErrors('value', validate.errors ?? []).map((e) => `${e.path} ${e.message}`) });
}

/** A record value as JSON validated by `check`, or the reason it is not (for `x-dlq-reason`); `what` names the expected record. */
export function parseRecord<T>(value: Buffer | null, check: (value: unknown) => { value: T } | { problems: string[] }, what: string): { value: T } | { reason: string } {
  if (value === null || value.length === 0) return { reason: 'empty record (no value)' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.toString('utf8'));
  } catch (e) {
    return { reason: `not JSON: ${(e as Error).message}` };
  }
  const result = check(parsed);
  return 'value' in result ? result : { reason: `not ${what}: ${result.problems.join('; ')}` };
}
