import { loadConfig, type Config } from '../../src/config.js';

/**
 * The configuration every test app starts from; the demo snapshot is seeded with exactly this. The page cache is off
 * (a test may change rows directly); test/platform/page-cache.test.ts turns it on.
 */
export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: '/tmp/caunoi-unused',
    LOG_LEVEL: 'silent',
    BASE_URL: 'http://test.local',
    MAIL_OUTBOX: 'off',
    PAGE_CACHE_TTL_SECONDS: '0',
    ...env,
  });
}
