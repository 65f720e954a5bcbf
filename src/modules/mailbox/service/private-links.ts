/** A report's links: the resident's private link (derived from the installation secret) and its public page. */
import { createHash, createHmac } from 'node:crypto';
import type { Deps } from '../../../http/context.js';
import { installationSecret } from '../../../platform/secrets.js';

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** The private status token of a report (from its random API token): unguessable without the installation secret. */
export async function privateToken(deps: Pick<Deps, 'db' | 'state'>, apiToken: string): Promise<string> {
  return createHmac('sha256', await installationSecret(deps, 'mailbox.secret'))
    .update(`mailbox-private:${apiToken}`)
    .digest('base64url');
}

export const privateUrl = (baseUrl: string, token: string) => `${baseUrl}/mailbox/s/${token}`;
export const publicUrl = (baseUrl: string, code: string) => `${baseUrl}/mailbox/r/${code}`;
