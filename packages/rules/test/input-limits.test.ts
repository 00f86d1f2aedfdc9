import {
  DATE_LIMITS,
  day,
  fields,
  inputProblems,
  LIST_LIMITS,
  limits,
  listOf,
  text,
  TEXT_LIMITS,
  uuid,
  type FieldLimit,
} from '@xueji/rules';

const TODAY = '2026-09-01';
const problemsOf = (limit: FieldLimit, value: unknown) => inputProblems(limit, value, TODAY, 'input');
const fieldOf = (limit: FieldLimit, value: unknown) => problemsOf(limit, value)[0]?.field ?? null;

describe('input limits (issue 10: every input field has a limit, refused naming the field)', () => {
  const name = fields({ name: text('personName') });

  it('accepts realistic names of every script the schools see', () => {
    for (const ok of [
      '张三',
      '欧阳娜娜',
      '阿卜杜拉·买买提',
      '努尔艾力・吐尔逊',
      'Zhang San',
      "O'Neil-Smith",
      'Ṭashi Dorje',
    ]) {
      expect(problemsOf(name, { name: ok })).toEqual([]);
    }
  });

  it('refuses control characters, bidi overrides, zero-width characters and lone surrogates in names', () => {
    const bad = [
      '张\u0000三',
      '张\u0007三',
      '张\n三',
      '张\u0085三',
      '\u202Eabc',
      '张\u202A三',
      '张\u2066三',
      '张\u2069三',
      '张\u200B三',
      '张\u200C三',
      '张\u200D三',
      '\uFEFF张三',
      '张\uD800三',
      '张\uDC00',
      '张三1',
      '<script>',
    ];
    for (const value of bad) expect(fieldOf(name, { name: value })).toBe('input.name');
    expect(problemsOf(name, { name: '\u202Eabc' })[0]!.message.en).toMatch(/U\+202E/);
  });

  it('refuses NUL and controls in every text, but keeps line breaks and tabs in comments', () => {
    expect(fieldOf(fields({ address: text('address') }), { address: '长春市\u0000' })).toBe('input.address');
    expect(fieldOf(fields({ address: text('address') }), { address: '长春市\n南关区' })).toBe('input.address');
    expect(fieldOf(fields({ ref: text('reference') }), { ref: 'cert\u202E' })).toBe('input.ref');
    expect(fieldOf(fields({ ref: text('reference') }), { ref: 'cert\uDFFF' })).toBe('input.ref');
    expect(problemsOf(fields({ comment: text('comment') }), { comment: '第一行\n\t第二行\r\n' })).toEqual([]);
    expect(fieldOf(fields({ comment: text('comment') }), { comment: 'a\u0000b' })).toBe('input.comment');
    expect(fieldOf(fields({ code: text('code') }), { code: '09 01' })).toBe('input.code');
  });

  it('counts characters, not UTF-16 units, up to each field’s maximum', () => {
    const max = TEXT_LIMITS.personName.max;
    expect(problemsOf(name, { name: '张'.repeat(max) })).toEqual([]);
    expect(fieldOf(name, { name: '张'.repeat(max + 1) })).toBe('input.name');
    expect(problemsOf(name, { name: '𠀀'.repeat(max) })).toEqual([]);
    const comment = fields({ comment: text('comment') });
    expect(fieldOf(comment, { comment: 'x'.repeat(100_000) })).toBe('input.comment');
    expect(problemsOf(comment, { comment: 'x'.repeat(100_000) })[0]!.message.en).toMatch(/At most 500 characters/);
  });

  it('limits list sizes and names the item of a list', () => {
    const refs = fields({ evidenceRefs: listOf('evidenceRefs', text('reference')) });
    expect(problemsOf(refs, { evidenceRefs: Array(LIST_LIMITS.evidenceRefs).fill('ref') })).toEqual([]);
    expect(fieldOf(refs, { evidenceRefs: Array(10_000).fill('ref') })).toBe('input.evidenceRefs');
    expect(fieldOf(refs, { evidenceRefs: ['ok', 'bad\u0000'] })).toBe('input.evidenceRefs[1]');
    const nested = fields({
      correction: fields({ fields: listOf('correctionFields', fields({ newValue: text('fieldValue') })) }),
    });
    expect(fieldOf(nested, { correction: { fields: Array(10_000).fill({ newValue: 'x' }) } })).toBe(
      'input.correction.fields',
    );
    expect(fieldOf(nested, { correction: { fields: [{ newValue: 'x'.repeat(201) }] } })).toBe(
      'input.correction.fields[0].newValue',
    );
  });

  it('keeps dates real and within each field’s range', () => {
    const dates = fields({ birthDate: day('birthDate'), entryDate: day('entryDate') });
    expect(problemsOf(dates, { birthDate: '2010-09-01', entryDate: '2026-09-01' })).toEqual([]);
    expect(problemsOf(dates, { birthDate: DATE_LIMITS.birthDate.earliest, entryDate: '2028-09-01' })).toEqual([]);
    for (const bad of ['9999-12-31', '2025-02-30', '0000-01-01', '+12026-01-01', '1949-12-31', '2028-09-02']) {
      expect(fieldOf(dates, { entryDate: bad })).toBe('input.entryDate');
    }
    expect(fieldOf(dates, { birthDate: '2026-09-02' })).toBe('input.birthDate');
    expect(fieldOf(dates, { birthDate: '1899-12-31' })).toBe('input.birthDate');
  });

  it('refuses ids that are not UUIDs, empty ones included', () => {
    const ids = fields({ ids: listOf('entitlementIds', uuid) });
    expect(problemsOf(ids, { ids: ['8b0e5a7e-7b52-4d7e-9f3a-2b1c0d9e8f7a'] })).toEqual([]);
    expect(fieldOf(ids, { ids: [''] })).toBe('input.ids[0]');
  });

  it('passes absent optional fields and throws BAD_USER_INPUT naming the field', () => {
    expect(
      problemsOf(fields({ comment: text('comment'), arrival: fields({ arrivedOn: day('arrivalDate') }) }), {}),
    ).toEqual([]);
    const check = limits<{ reason: string }>(fields({ reason: text('reason') }));
    expect(() => check({ reason: '理由' }, TODAY)).not.toThrow();
    try {
      check({ reason: 'r'.repeat(501) }, TODAY);
      throw new Error('not refused');
    } catch (error) {
      expect((error as { extensions: unknown }).extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        details: { field: 'reason' },
      });
    }
  });
});
