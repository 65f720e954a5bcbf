import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../../config.js';
import { confidence } from './calibrate.js';
import { MatchIndex } from './index.js';

const doc = (claim: string, expl = '') => ({ claim, title: '', short: '', expl });

describe('confidence', () => {
  it('is in [0, 1], grows with how much of the query matches and how far the match stands out, falls with unknown words', () => {
    const c = (ratio: number, lead: number, unknown = 0) => confidence({ ratio, lead, unknown });
    for (const x of [c(0, 0), c(1, 1), c(0.5, 0.3, 0.5)]) expect(x >= 0 && x <= 1).toBe(true);
    expect(c(0.6, 0.5)).toBeGreaterThan(c(0.3, 0.5));
    expect(c(0.4, 0.6)).toBeGreaterThan(c(0.4, 0.05));
    expect(c(0.4, 0.3, 0.6)).toBeLessThan(c(0.4, 0.3, 0));
  });
});

describe('the BM25F index', () => {
  it('scores a document below the query maximum, forgets a removed one and finds a replaced one by its new words', () => {
    const ix = new MatchIndex<{ k: string }>();
    ix.build([
      { ref: 'a', text: doc('giá điện tăng 20% từ tháng sau'), meta: { k: 'a' } },
      { ref: 'b', text: doc('học phí tăng gấp đôi'), meta: { k: 'b' } },
    ]);
    const r = ix.search('giá điện tăng 20%', { limit: 5 });
    expect(r.hits[0].ref).toBe('a');
    expect(r.hits[0].score).toBeLessThan(r.selfScore);
    ix.remove('a');
    expect(ix.search('giá điện tăng 20%', { limit: 5 }).hits.map((h) => h.ref)).not.toContain('a');
    ix.upsert('b', doc('vé xe buýt miễn phí cho người cao tuổi'), { k: 'b2' });
    const bus = ix.search('xe buýt miễn phí', { limit: 5 });
    expect(bus.hits[0]).toMatchObject({ ref: 'b', meta: { k: 'b2' } });
    expect(ix.search('học gấp đôi', { limit: 5 }).hits).toHaveLength(0);
  });
});

describe('settings', () => {
  it('takes the thresholds from the environment (the answer one unset by default: measured per language), refusing values outside [0, 1]', () => {
    const c = loadConfig({ MATCH_ANSWER_THRESHOLD: '0.6', MATCH_CLUSTER_THRESHOLD: '0.8' });
    expect(c.MATCH_ANSWER_THRESHOLD).toBe(0.6);
    expect(c.MATCH_CLUSTER_THRESHOLD).toBe(0.8);
    expect(loadConfig({}).MATCH_ANSWER_THRESHOLD).toBeUndefined();
    expect(() => loadConfig({ MATCH_ANSWER_THRESHOLD: '1.5' })).toThrow(
      /MATCH_ANSWER_THRESHOLD: must be a number from 0 to 1/,
    );
  });
});
