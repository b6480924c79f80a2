import { describe, expect, it } from 'vitest';
import { DateParser, guessDateFormats, isPlausibleTime, parseDate } from '../../src/lib/data/dates';

// Reference values computed by hand from the calendar (and cross-checked with Date.UTC in the test).
describe('parseDate', () => {
  it('reads ISO dates; no zone means UTC', () => {
    expect(parseDate('2024-03-01', 'iso')).toBe(Date.UTC(2024, 2, 1));
    expect(parseDate('2024-03-01T10:06:00+02:00', 'iso')).toBe(Date.UTC(2024, 2, 1, 8, 6));
    expect(parseDate('2024-03-01T10:06:00-0130', 'iso')).toBe(Date.UTC(2024, 2, 1, 11, 36));
    expect(parseDate('2024-03-01 10:06:07.250Z', 'iso')).toBe(Date.UTC(2024, 2, 1, 10, 6, 7, 250));
    expect(parseDate('2024-03-01T10:06', 'iso')).toBe(Date.UTC(2024, 2, 1, 10, 6));
    expect(parseDate('2024-02-30', 'iso')).toBeNaN();
    expect(parseDate('2023-02-29', 'iso')).toBeNaN();
    expect(parseDate('2024-02-29', 'iso')).toBe(Date.UTC(2024, 1, 29));
    expect(parseDate('1900-03-01', 'iso')).toBe(-2203891200000);
  });

  it('reads unix seconds and milliseconds', () => {
    // u.data's first row: 881250949 s = 1997-12-04T15:55:49Z
    expect(parseDate('881250949', 'unix-s')).toBe(Date.UTC(1997, 11, 4, 15, 55, 49));
    expect(parseDate('881250949000', 'unix-ms')).toBe(Date.UTC(1997, 11, 4, 15, 55, 49));
    expect(parseDate('abc', 'unix-s')).toBeNaN();
  });

  it('reads YYYYMMDD', () => {
    expect(parseDate('19970101', 'yyyymmdd')).toBe(852076800000);
    expect(parseDate('19971301', 'yyyymmdd')).toBeNaN();
  });

  it('reads m/d/y and d/m/y with 2- or 4-digit years and optional time', () => {
    expect(parseDate('12/1/2010 8:26', 'mdy')).toBe(Date.UTC(2010, 11, 1, 8, 26));
    expect(parseDate('12/1/10 08:26:30', 'mdy')).toBe(Date.UTC(2010, 11, 1, 8, 26, 30));
    expect(parseDate('1/12/2010', 'dmy')).toBe(Date.UTC(2010, 11, 1));
    expect(parseDate('31.12.99', 'dmy')).toBe(Date.UTC(1999, 11, 31));
    expect(parseDate('3/4/2024 1:05 PM', 'mdy')).toBe(Date.UTC(2024, 2, 4, 13, 5));
    expect(parseDate('13/45/2010 8:35', 'mdy')).toBeNaN();
    expect(parseDate('13/1/2010', 'mdy')).toBeNaN();
  });

  it('DateParser trims and caches without mixing up values', () => {
    const p = new DateParser('iso');
    expect(p.parse(' 2024-03-01 ')).toBe(Date.UTC(2024, 2, 1));
    expect(p.parse(' 2024-03-01 ')).toBe(Date.UTC(2024, 2, 1));
    expect(p.parse('2024-03-02')).toBe(Date.UTC(2024, 2, 2));
    expect(p.parse('')).toBeNaN();
  });
});

describe('guessDateFormats', () => {
  it('recognises each format', () => {
    expect(guessDateFormats(['2024-03-01', '2024-03-02T10:00:00Z']).formats).toEqual(['iso']);
    expect(guessDateFormats(['881250949', '891717742']).formats).toEqual(['unix-s']);
    expect(guessDateFormats(['881250949000', '891717742000']).formats).toEqual(['unix-ms']);
    expect(guessDateFormats(['19970101', '19970112']).formats).toEqual(['yyyymmdd']);
    expect(guessDateFormats(['1', '2', '3']).formats).toEqual([]);
  });

  it('decides day/month order from a value above 12, and reports ambiguity otherwise', () => {
    expect(guessDateFormats(['12/1/2010 8:26', '12/13/2010 9:00']).formats).toEqual(['mdy']);
    expect(guessDateFormats(['1/12/2010', '13/12/2010']).formats).toEqual(['dmy']);
    expect(guessDateFormats(['01/02/2024', '03/04/2024']).formats).toEqual(['mdy', 'dmy']);
  });
});

describe('date fixes', () => {
  it('reads ISO dates with a one-digit hour (Excel yyyy-mm-dd h:mm)', () => {
    expect(parseDate('2024-03-04 3:03', 'iso')).toBe(Date.UTC(2024, 2, 4, 3, 3));
    expect(parseDate('2024-03-04T9:30:15', 'iso')).toBe(Date.UTC(2024, 2, 4, 9, 30, 15));
    expect(guessDateFormats(['2024-03-04 3:03', '2024-03-05 11:59']).formats).toEqual(['iso']);
    expect(parseDate('2024-03-04 3:3', 'iso')).toBeNaN();
  });

  it('detects and parses fractional Unix seconds', () => {
    // 1700000000 s = 2023-11-14T22:13:20Z
    expect(parseDate('1700000000.5', 'unix-s')).toBe(Date.UTC(2023, 10, 14, 22, 13, 20, 500));
    expect(guessDateFormats(['1700000000.5', '1700000001.25', '1700000002']).formats).toEqual(['unix-s']);
    expect(parseDate('1700000000.5.1', 'unix-s')).toBeNaN();
    expect(parseDate('0x10', 'unix-s')).toBeNaN();
  });

  it('knows which times are plausible (1900–2200)', () => {
    expect(isPlausibleTime(parseDate('1900-01-01', 'iso'))).toBe(true);
    expect(isPlausibleTime(parseDate('2200-12-31 23:59', 'iso'))).toBe(true);
    expect(isPlausibleTime(parseDate('1899-12-31', 'iso'))).toBe(false);
    expect(isPlausibleTime(parseDate('0001-01-01', 'iso'))).toBe(false);
    expect(isPlausibleTime(parseDate('9999-12-31', 'iso'))).toBe(false);
    expect(isPlausibleTime(parseDate('99999999999999', 'unix-s'))).toBe(false);
  });
});
