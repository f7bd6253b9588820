import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkKeyShape, crc32, generateKey, hashKey, KEY_LENGTH, KEY_PREFIX } from '../../src/keys/key-format';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

describe('API key format', () => {
  it('has a readable prefix, at least 128 random bits and a valid checksum', () => {
    const { key, hash, displayPrefix } = generateKey();
    expect(key.startsWith(KEY_PREFIX)).toBe(true);
    expect(key).toHaveLength(KEY_LENGTH);
    // 22 base62 characters of secret: log2(62^22) ≈ 131 bits.
    expect(22 * Math.log2(62)).toBeGreaterThanOrEqual(128);
    expect(checkKeyShape(key)).toBeUndefined();
    expect(hash).toBe(hashKey(key));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(key.startsWith(displayPrefix)).toBe(true);
    expect(displayPrefix.length).toBeLessThanOrEqual(12);
  });

  it('never repeats', () => {
    const keys = new Set(Array.from({ length: 2000 }, () => generateKey().key));
    expect(keys.size).toBe(2000);
  });

  it('computes the standard CRC-32', () => {
    expect(crc32('123456789')).toBe(0xcbf43926);
  });

  it('rejects any single mistyped character by its checksum or shape', () => {
    fc.assert(
      fc.property(fc.integer({ min: KEY_PREFIX.length, max: KEY_LENGTH - 1 }), fc.integer({ min: 1, max: 61 }), (position, shift) => {
        const { key } = generateKey();
        const replaced = BASE62[(BASE62.indexOf(key[position]!) + shift) % 62]!;
        const typo = key.slice(0, position) + replaced + key.slice(position + 1);
        expect(checkKeyShape(typo)).toBe('checksum');
      }),
      { numRuns: 300 },
    );
  });

  it('calls truncated, padded or foreign strings malformed', () => {
    const { key } = generateKey();
    for (const candidate of [key.slice(0, -1), `${key}x`, key.replace('kf_live_', 'kf_test_'), '', 'Bearer', 'sk_live_abc', key.replace(/.$/, '!')]) {
      expect(checkKeyShape(candidate)).toBe('malformed');
    }
  });
});
