import { checkCharacter, otherStatusIdProblem, readIdNumber } from '../src/domain/id-number';

const TODAY = '2026-12-02';

describe('ID-card numbers (GB 11643)', () => {
  it('computes the ISO 7064 MOD 11-2 check character', () => {
    expect(checkCharacter('11010519491231002')).toBe('X'); // the standard's own example
    expect(checkCharacter('22010220100901123')).toBe('3');
  });

  it('reads region, birth date and sex from a valid number', () => {
    expect(readIdNumber('11010519491231002x', TODAY)).toEqual({
      ok: true,
      facts: { regionCode: '110105', birthDate: '1949-12-31', sex: 'FEMALE' },
    });
    expect(readIdNumber('220102201009011233', TODAY)).toMatchObject({ ok: true, facts: { sex: 'MALE' } });
  });

  it.each([
    ['22010220100901123', 'LENGTH'],
    ['2201022010090112A3', 'CHARACTERS'],
    ['990102201009011233', 'REGION'],
    ['220102201002301236', 'BIRTH_DATE'],
    ['220102201009011234', 'CHECK_DIGIT'],
  ])('refuses %s (%s)', (id, problem) => {
    expect(readIdNumber(id, TODAY)).toEqual({ ok: false, problem });
  });

  // ENR-2, issue 10 (one clock): a birth date "in the future" is judged on the service clock's day,
  // not the machine's. Under a fixed past clock (XUEJI_CLOCK_DATE=2015-06-30), a card born on
  // 2015-07-01 is not yet valid, although that day is long past on the real clock.
  it('judges a future birth date on the given day (a fixed past clock), not the machine clock', () => {
    const first17 = '22010220150701123';
    const id = first17 + checkCharacter(first17);
    expect(readIdNumber(id, '2015-06-30')).toEqual({ ok: false, problem: 'BIRTH_DATE' });
    expect(readIdNumber(id, '2015-07-01')).toMatchObject({ ok: true, facts: { birthDate: '2015-07-01' } });
    expect(otherStatusIdProblem(id, '2015-06-30')).not.toBeNull();
    expect(otherStatusIdProblem(id, '2015-07-01')).toBeNull();
  });
});
