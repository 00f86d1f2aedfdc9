import { checkCharacter, readIdNumber } from '../src/domain/id-number';

describe('ID-card numbers (GB 11643)', () => {
  it('computes the ISO 7064 MOD 11-2 check character', () => {
    expect(checkCharacter('11010519491231002')).toBe('X'); // the standard's own example
    expect(checkCharacter('22010220100901123')).toBe('3');
  });

  it('reads region, birth date and sex from a valid number', () => {
    expect(readIdNumber('11010519491231002x')).toEqual({
      ok: true,
      facts: { regionCode: '110105', birthDate: '1949-12-31', sex: 'FEMALE' },
    });
    expect(readIdNumber('220102201009011233')).toMatchObject({ ok: true, facts: { sex: 'MALE' } });
  });

  it.each([
    ['22010220100901123', 'LENGTH'],
    ['2201022010090112A3', 'CHARACTERS'],
    ['990102201009011233', 'REGION'],
    ['220102201002301236', 'BIRTH_DATE'],
    ['220102201009011234', 'CHECK_DIGIT'],
  ])('refuses %s (%s)', (id, problem) => {
    expect(readIdNumber(id)).toEqual({ ok: false, problem });
  });
});
