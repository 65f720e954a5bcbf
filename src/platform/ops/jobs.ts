import type { Config } from '../../config.js';
import { auditAnchorJobs } from '../audit/anchors.js';
import type { AnchorSigner } from '../audit/signer.js';
import { mergeJobs, type ModuleJobs } from '../jobs/registry.js';

/**
 * `ops.delay`: waits `ms` milliseconds (at most ten minutes) and records nothing else. Operators use it
 * to check that the worker runs (`npm run cli -- enqueue-job ops.delay --payload '{"ms":1000}'`) and that a
 * SIGTERM lets a running job finish before the process exits.
 */
export function opsJobs(
  config?: Pick<Config, 'AUDIT_ANCHOR_EMAIL' | 'baseUrl' | 'ORG_NAME'>,
  signer: AnchorSigner | null = null,
): ModuleJobs {
  return mergeJobs(
    // `audit.anchor`, daily: records the audit chain's head in audit_anchors (and mails it to AUDIT_ANCHOR_EMAIL).
    auditAnchorJobs({ email: config?.AUDIT_ANCHOR_EMAIL, site: config?.baseUrl, org: config?.ORG_NAME, signer }),
    {
      handlers: {
        'ops.delay': async (payload: { ms?: number }) => {
          const ms = Math.min(Math.max(Number(payload?.ms) || 0, 0), 600_000);
          await new Promise((resolve) => setTimeout(resolve, ms));
        },
      },
    },
  );
}
