import { describe, expect, it } from 'vitest';
import { parseCircle, parsePolygon, capDateTime } from './cap.js';
import { parseVnDateTime } from './forms.js';
import {
  canonicalForm,
  hashText,
  newKeyPair,
  normalizeCode,
  normalizeText,
  signCanonical,
  textHashes,
  verificationCode,
  verifyCanonical,
} from './signing.js';

describe('statement signing', () => {
  const fields = {
    number: '2026-001',
    releasedAt: '2026-11-23T01:02:03.456Z',
    title: 'Tiêu đề',
    titleEn: null,
    body: 'Nội dung  thông báo\n\nđoạn hai',
    bodyEn: null,
    incidentId: 7,
  };

  it('signs the canonical form; any change to a signed field fails verification', () => {
    const k = newKeyPair();
    const sig = signCanonical(k.privateKeyPem, canonicalForm(fields));
    expect(verifyCanonical(k.publicKeyPem, canonicalForm(fields), sig)).toBe(true);
    for (const change of [
      { body: 'Nội dung thông báo đoạn ba' },
      { number: '2026-002' },
      { incidentId: 8 },
      { releasedAt: '2026-11-23T01:02:04.456Z' },
      { titleEn: 'Title' },
    ]) {
      expect(verifyCanonical(k.publicKeyPem, canonicalForm({ ...fields, ...change }), sig)).toBe(false);
    }
    expect(verifyCanonical(newKeyPair().publicKeyPem, canonicalForm(fields), sig)).toBe(false);
    expect(verifyCanonical(k.publicKeyPem, canonicalForm(fields), 'not base64 at all')).toBe(false);
  });

  it('normalises Unicode form and whitespace, but not words', () => {
    expect(normalizeText(' Nội\u00A0dung\r\n\t thông\u200B báo ')).toBe('Nội dung thông báo');
    expect(normalizeText('Nội dung'.normalize('NFD'))).toBe('Nội dung');
    expect(hashText('a  b')).toBe(hashText('a b'));
    expect(hashText('Thuận Hoá')).not.toBe(hashText('Thuận Hóa'));
    expect(textHashes({ title: 'T', titleEn: null, body: 'B', bodyEn: null })).toHaveLength(2);
  });

  it('makes short codes that residents can type in any case', () => {
    const code = verificationCode('c2lnbmF0dXJl');
    expect(code).toMatch(/^[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}$/);
    expect(verificationCode('c2lnbmF0dXJl', 1)).not.toBe(code);
    expect(normalizeCode(code.toLowerCase().replace('-', ' '))).toBe(code);
    expect(normalizeCode('abc')).toBeNull();
  });
});

describe('CAP geometry and time', () => {
  it('accepts closed polygons of 4+ valid points and lat,lon radius circles', () => {
    expect(parsePolygon('16.5,107.5 16.5,107.6 16.4,107.6 16.5,107.5')).toBe(
      '16.5,107.5 16.5,107.6 16.4,107.6 16.5,107.5',
    );
    expect(parsePolygon('16.5,107.5 16.5,107.6 16.5,107.5')).toBeNull();
    expect(parsePolygon('16.5,107.5 16.5,107.6 16.4,107.6 16.4,107.5')).toBeNull();
    expect(parsePolygon('96.5,107.5 16.5,107.6 16.4,107.6 96.5,107.5')).toBeNull();
    expect(parseCircle(' 16.46,107.59   5 ')).toBe('16.46,107.59 5');
    expect(parseCircle('16.46,107.59')).toBeNull();
    expect(parseCircle('16.46,190 5')).toBeNull();
  });
  it('writes CAP times in Vietnam time with an explicit offset', () => {
    expect(capDateTime(new Date('2026-12-31T20:30:00.999Z'))).toBe('2027-01-01T03:30:00+07:00');
  });
});

describe('times typed by staff (key leaks)', () => {
  it('reads Vietnam local time with a space or a T, and ISO 8601 with an offset; rejects impossible dates', () => {
    expect(parseVnDateTime('2026-11-23 08:00')?.toISOString()).toBe('2026-11-23T01:00:00.000Z');
    expect(parseVnDateTime(' 2026-11-23T08:00:30 ')?.toISOString()).toBe('2026-11-23T01:00:30.000Z');
    expect(parseVnDateTime('2026-11-23T01:02:03.456Z')?.toISOString()).toBe('2026-11-23T01:02:03.456Z');
    expect(parseVnDateTime('2026-11-23T08:00+07:00')?.toISOString()).toBe('2026-11-23T01:00:00.000Z');
    for (const bad of ['2026-02-30 08:00', '2026-11-23 25:00', 'hôm qua', '2026-11-23', ''])
      expect(parseVnDateTime(bad)).toBeNull();
  });
});
