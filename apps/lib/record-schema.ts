/** Check a parsed Kafka record value against a JSON schema; every problem as `<path> <message>`. */
import { Ajv } from 'ajv';
import { addEventFormats } from './formats.ts';
import { toFieldErrors } from './errors.ts';

const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addEventFormats(ajv);

export function validateWith<T>(schema: object): (value: unknown) => { value: T } | { problems: string[] } {
  const validate = ajv.compile(schema);
  return (value) => (validate(value) ? { value: value as T } : { problems: toFieldErrors('value', validate.errors ?? []).map((e) => `${e.path} ${e.message}`) });
}
