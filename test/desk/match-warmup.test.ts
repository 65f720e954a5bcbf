/**
 * Start-up warm-up of the claim-matching index: built in the background, a question asked meanwhile is answered at
 * once (nothing matched yet: "not checked yet"), and once built the same question is answered from the index.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deskModule } from '../../src/modules/desk/index.js';
import { matchClaim } from '../../src/modules/desk/public.js';
import { forgetIndexes, indexesReady, warmIndexes } from '../../src/modules/desk/service/match/sync.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { fixture } from './fixtures/match-fixture.js';

let t: TestApp;
beforeAll(async () => {
  t = await testApp({ demo: false });
  for (const f of fixture) {
    await t.db.query(
      `INSERT INTO desk_items (kind, title, slug, summary, body, claim, verdict, status, published_at, sources)
       VALUES ('factcheck', $1, $2, $3, $4, $5, $6, 'published', now(), '[{"title":"Nguồn"}]')`,
      [f.title, f.key, f.summary, f.body, f.claim, f.verdict],
    );
  }
});
afterAll(async () => {
  await t?.close();
});

const ask = async () =>
  (
    await t
      .client()
      .json('/api/v1/factchecks/match?text=' + encodeURIComponent('Cầu Trường Tiền bị nứt dầm sắp sập, cấm xe máy'))
  ).body;

describe('index warm-up', () => {
  it('the desk module builds the index at start-up, in the background', () => {
    expect(typeof deskModule.warmUp).toBe('function');
  });

  it('a question asked while the index builds is answered without waiting; afterwards it is matched', async () => {
    forgetIndexes(t.deps);
    const warming = warmIndexes(t.deps);
    expect(indexesReady(t.deps)).toBe(false);
    // the desk's public matcher (what the API and the tipline call), asked before the build can have finished
    const during = await matchClaim(t.deps, 'Cầu Trường Tiền bị nứt dầm sắp sập, cấm xe máy');
    expect(during).toMatchObject({ answered: false, results: [] });
    // a second warm-up joins the running build
    const [ms] = await Promise.all([warming, warmIndexes(t.deps)]);
    expect(ms).toBeGreaterThan(0);
    expect(indexesReady(t.deps)).toBe(true);
    const after = await ask();
    expect(after.answered).toBe(true);
    expect(after.results[0].title).toBe('Cầu Trường Tiền không bị nứt dầm');
  });

  it('without a warm-up (a fresh process, the CLI) the first question builds the index and waits for it', async () => {
    forgetIndexes(t.deps);
    const r = await ask();
    expect(r.answered).toBe(true);
    expect(indexesReady(t.deps)).toBe(true);
  });
});
