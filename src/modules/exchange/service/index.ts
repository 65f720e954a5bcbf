/** The exchange's rules, by capability. Routes, jobs and the CLI import from here. */
import type { Config } from '../../../config.js';
import { outboundOptions, type OutboundOptions } from '../../../platform/net/outbound.js';

export * from './sources.js';
export { pullSource, pullDue, type PullResult, type PullEnv, backoffMs, PULL_INTERVAL_MS } from './pull.js';
export {
  feedPage,
  clustersPage,
  parseBefore,
  FEED_PATH,
  CLUSTERS_PATH,
  DEFAULT_PAGE,
  MAX_PAGE,
  type Site,
} from './publish.js';
export { mayReadClusters, warnings } from './early-warning.js';

export const outboundFor = (config: Config): OutboundOptions =>
  outboundOptions(config as Config & { OUTBOUND_ALLOW_HOSTS?: string });
