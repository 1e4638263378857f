/** The fast `date-time` and `uuid` checks accept exactly what ajv-formats' full formats accept. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Ajv } from 'ajv';
import { fullFormats } from 'ajv-formats/dist/formats.js';
import { addEventFormats, dateTimeFormat, isCanonicalUtcDateTime, isPlainUuid, uuidFormat } from '../formats.ts';

const fullDateTime = (fullFormats['date-time'] as { validate: (s: string) => boolean }).validate;
const fullUuid = fullFormats.uuid as RegExp;

/** Date-times around every boundary the checks look at. */
function dateTimes(): string[] {
  const out: string[] = [];
  for (const date of ['2024-02-29', '2023-02-29', '1900-02-29', '2000-02-29', '2026-04-31', '2026-12-31', '2026-13-01', '2026-00-10', '2026-01-00', '2026-1-01', '20x6-01-01', '0000-01-01'])
    for (const sep of ['T', 't', ' ', 'x', 'TT'])
      for (const time of ['00:00:00', '23:59:59', '23:59:60', '24:00:00', '12:60:00', '12:00:60', '1:00:00', '12:00'])
        for (const frac of ['', '.5', '.123456789', '.', '.1a'])
          for (const zone of ['Z', 'z', '+01:00', '-00:30', '+0100', '+24:00', ''])
            out.push(`${date}${sep}${time}${frac}${zone}`);
  return [...out, '', 'Z', '2026-11-22T05:00:00.000Z ', ' 2026-11-22T05:00:00Z', '２０２６-11-22T05:00:00Z', '2026-11-22T05:00:00.000ZZ'];
}

describe('fast date-time and uuid formats', () => {
  test('date-time: the same answer as ajv-formats for every boundary case; the fast path says yes only when the full check does', () => {
    let fast = 0;
    for (const s of dateTimes()) {
      assert.equal(dateTimeFormat.validate(s), fullDateTime(s), JSON.stringify(s));
      if (isCanonicalUtcDateTime(s)) {
        fast++;
        assert.ok(fullDateTime(s), `fast path accepted ${s}`);
      }
    }
    assert.equal(fast, 24, 'the fast path takes every canonical UTC form in the list');
    assert.ok(isCanonicalUtcDateTime(new Date().toISOString()));
    assert.ok(!isCanonicalUtcDateTime('2026-11-22T05:00:00+01:00') && dateTimeFormat.validate('2026-11-22T05:00:00+01:00'), 'offsets go to the full check');
    assert.ok(!dateTimeFormat.validate('2026-02-30T00:00:00Z'));
  });

  test('uuid: the same answer as ajv-formats; urn:uuid: and odd forms go to the full check', () => {
    const base = '0b7e6c1e-4a7b-4c1e-9a56-1f2e3d4c5b6a';
    const cases = [base, base.toUpperCase(), `urn:uuid:${base}`, base.replace(/-/g, ''), base.slice(1), `${base}0`, base.replace('0', 'g'), base.replace('-', '_'), `{${base}}`, '', base.replace('4a7b', '4a7B')];
    for (const s of cases) {
      assert.equal(uuidFormat(s), fullUuid.test(s), s);
      if (isPlainUuid(s)) assert.ok(fullUuid.test(s), s);
    }
  });

  test('in a schema: invalid values are reported under the format names', () => {
    const ajv = addEventFormats(new Ajv({ allErrors: true }));
    const validate = ajv.compile({ type: 'object', properties: { at: { type: 'string', format: 'date-time' }, id: { type: 'string', format: 'uuid' } } });
    assert.equal(validate({ at: '2026-11-22T05:00:00Z', id: '0b7e6c1e-4a7b-4c1e-9a56-1f2e3d4c5b6a' }), true);
    assert.equal(validate({ at: '2026-11-22T25:00:00Z', id: 'nope' }), false);
    assert.deepEqual(validate.errors?.map((e) => [e.instancePath, e.params.format]), [['/at', 'date-time'], ['/id', 'uuid']]);
  });
});
