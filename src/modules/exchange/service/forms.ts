/** The exchange admin page's form schemas (messages are keys of the exchange or the common catalog). */
import { z } from 'zod';
import { cleanUrl } from './claimreview.js';
import { normalizeFingerprint } from './keys.js';

const text = z.preprocess((v) => (typeof v === 'string' ? v : ''), z.string());
const checkbox = z.preprocess((v) => v === '1', z.boolean());
const address = text.pipe(
  z
    .string()
    .trim()
    .refine((v) => cleanUrl(v) !== null, 'err.url'),
);

/** Step one of adding a partner: its address, whose key is read and shown. */
export const partnerCheckSchema = z.object({ url: address });

/** Step two: the address and the fingerprint compared with the partner's own page (pinned). */
export const partnerSchema = z.object({
  url: address,
  pin: text.pipe(z.string().refine((v) => normalizeFingerprint(v) !== null, 'err.pinFormat')),
});

/** An unsigned publisher: its kind, a name, and a DataFeed address or article addresses (checked by the service). */
export const unsignedSchema = z.object({
  kind: z.enum(['feed', 'pages'], { message: 'err.kind' }),
  name: text,
  feedUrl: text,
  pages: text,
});

/** What a source shares with this office's early warnings and receives from them. */
export const sharingSchema = z.object({ share: checkbox, receive: checkbox });

/** A button on a source (pull, resume, remove): nothing to read but the CSRF token. */
export const buttonSchema = z.object({});
