/** What every channel adapter turns a platform's webhook into, and what it sends back. */
import type { Locale } from '../../../../platform/i18n/index.js';
import type { OutboundOptions } from '../../../../platform/net/outbound.js';

export type ChannelName = 'zalo' | 'messenger' | 'telegram';
export const CHANNELS: readonly ChannelName[] = ['telegram', 'messenger', 'zalo'];

export interface Inbound {
  /** the platform's id of the event (update_id, mid, msg_id): a second delivery with the same id is a replay */
  eventId: string;
  /** the platform's id of the person (chat id, PSID, Zalo user id) */
  userId: string;
  locale?: Locale;
  kind: 'text' | 'image' | 'location' | 'payload' | 'follow' | 'unfollow' | 'unsupported';
  text?: string;
  payload?: string;
  /** a platform reference to download the picture (Telegram file_id, a CDN URL) */
  image?: { ref: string; size?: number; mime?: string };
  location?: { lat: number; lon: number };
  /** Telegram: the callback query to acknowledge */
  callbackId?: string;
}

export interface Button {
  title: string;
  payload: string;
}

export interface Outgoing {
  text: string;
  buttons?: Button[];
}

/** The rules of the platform's messaging window need to know when the person last wrote, and who is writing. */
export interface SendContext {
  lastInboundAt: Date | null;
  /** a staff member's reply (Messenger's HUMAN_AGENT tag allows 7 days) */
  staff: boolean;
}

/** Why a platform refused a message: the deliverer retries, falls back to e-mail/SMS, or gives up. */
export class ChannelError extends Error {
  constructor(
    readonly kind: 'window' | 'blocked' | 'token' | 'rate' | 'other',
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(`${kind}: ${message}`);
  }
}

export interface ChannelSettings {
  name: ChannelName;
  enabled: boolean;
  apiBase: string;
  /** bot token, page token, OA access token */
  token: string;
  /** webhook secret token, app secret, OA secret key */
  secret: string;
  /** Messenger's hub.verify_token */
  verifyToken: string;
  /** Zalo app id */
  appId: string;
  /** Zalo refresh token */
  refreshToken: string;
  /** This app's outbound guard (OUTBOUND_ALLOW_HOSTS, NODE_ENV): which hosts the adapters may call */
  outbound: OutboundOptions;
}

export interface RawRequest {
  headers: Headers;
  body: string;
}

export interface ChannelAdapter {
  name: ChannelName;
  /** True when the request carries a valid signature (or secret token) for this body. */
  verify(cfg: ChannelSettings, req: RawRequest): boolean;
  /** Events of a parsed, verified body. */
  parse(body: unknown): Inbound[];
  send(cfg: ChannelSettings, to: string, msg: Outgoing, ctx: SendContext): Promise<void>;
  download(cfg: ChannelSettings, ref: string, maxBytes: number): Promise<Buffer>;
  /**
   * The language the person's account uses, where the platform tells it only on request (Messenger's user profile):
   * asked once, on a person's first message. null when unknown or not allowed.
   */
  profileLocale?(cfg: ChannelSettings, userId: string): Promise<Locale | null>;
  /** Acknowledge a button tap where the platform needs it (Telegram). */
  ack?(cfg: ChannelSettings, callbackId: string): Promise<void>;
}
