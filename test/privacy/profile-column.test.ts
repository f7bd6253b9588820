import { describe, expect, it } from 'vitest';
import { ColumnProfiler } from '../../src/privacy/index';
import { createRng, syntheticMobile, syntheticPersonName, syntheticResidentId } from '../../src/privacy/synthetic';

function profile(column: string, values: unknown[]) {
  const profiler = new ColumnProfiler(column);
  for (const value of values) profiler.add(value);
  return profiler.result();
}

describe('ColumnProfiler', () => {
  it('detects a resident ID column with counts, share, confidence and masked samples', () => {
    const rng = createRng(1);
    const ids = Array.from({ length: 20 }, () => syntheticResidentId(rng));
    const result = profile('身份证号', [...ids, '', null]);
    expect(result.cells).toBe(22);
    expect(result.nonEmptyCells).toBe(20);
    expect(result.suggestedType).toBe('resident_id');
    const [top] = result.detected;
    expect(top).toMatchObject({ type: 'resident_id', wholeCellHits: 20, embeddedHits: 0, share: 1, confidence: 1 });
    expect(top!.samples).toHaveLength(3);
    for (const sample of top!.samples) {
      expect(sample).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
      expect(ids).not.toContain(sample);
    }
  });

  it('finds names only under a name-like header', () => {
    const rng = createRng(2);
    const names = Array.from({ length: 10 }, () => syntheticPersonName(rng));
    expect(profile('联系人', names).suggestedType).toBe('person_name');
    expect(profile('city', ['合肥', '芜湖', '蚌埠']).detected).toEqual([]);
    const unlabeled = profile('备注2', names);
    expect(unlabeled.detected.find((d) => d.type === 'person_name')).toBeUndefined();
  });

  it('treats identifiers inside text as free text and never exposes them', () => {
    const rng = createRng(3);
    const mobiles = Array.from({ length: 5 }, () => syntheticMobile(rng));
    const result = profile(
      '备注',
      mobiles.map((mobile, i) => `第${i}次来电，联系人张三，回电${mobile}，已处理完毕。`),
    );
    expect(result.suggestedType).toBe('free_text');
    const mobile = result.detected.find((d) => d.type === 'mobile')!;
    expect(mobile.embeddedHits).toBe(5);
    for (const sample of [...mobile.samples, ...result.detected.flatMap((d) => d.samples)]) {
      expect(sample).toMatch(/\*/);
      for (const raw of mobiles) expect(sample).not.toContain(raw);
    }
  });

  it('suggests declared types from header and value shape, and plain otherwise', () => {
    expect(profile('出生日期', ['1990-03-07', '1985-11-30', '2001-01-01']).suggestedType).toBe('birth_date');
    expect(profile('年龄', ['34', '56', '78']).suggestedType).toBe('age');
    expect(profile('纬度', ['31.820591', '31.861', '31.7']).suggestedType).toBe('coordinates');
    expect(profile('数量', ['1', '2', '3']).suggestedType).toBe('plain');
    expect(profile('empty', []).suggestedType).toBe('plain');
  });

  it('ranks by confidence and the header raises it', () => {
    const values = ['0551-62345678', '13800138000', '13900139000'];
    const hinted = profile('联系电话', values);
    const plain = profile('字段7', values);
    expect(hinted.detected[0]!.type).toBe('mobile');
    expect(hinted.detected[0]!.confidence).toBeGreaterThan(plain.detected[0]!.confidence);
  });
});
