import { randomBytes } from 'node:crypto';
import type { Db } from '../../db/client.js';
import { recordAudit } from '../audit/audit.js';
import { send } from '../notify/notify.js';
import type { TemplateTable } from '../notify/templates.js';
import type { Principal } from './permissions.js';
import * as repo from './repo.js';
import { sha256 } from './service.js';

/** How long an invitation link works: a week, since a new colleague may not read mail the same day. */
export const INVITATION_DAYS = 7;

export const invitationTemplates: TemplateTable = {
  'auth.invitation': {
    vi: {
      subject: 'Mời bạn tham gia Cầu Nối — đặt mật khẩu',
      text: 'Xin chào {name},\n\n{by} đã tạo cho bạn tài khoản cán bộ trên Cầu Nối ({email}).\nMở liên kết sau để đặt mật khẩu (dùng được một lần, trong {days} ngày, đến {until}):\n{url}\n\nNếu bạn không chờ thư này, hãy bỏ qua nó.',
    },
    en: {
      subject: 'You are invited to Cầu Nối — set your password',
      text: 'Hello {name},\n\n{by} created a staff account for you on Cầu Nối ({email}).\nOpen this link to set your password (it works once, for {days} days, until {until}):\n{url}\n\nIf you did not expect this message, ignore it.',
    },
  },
};

/**
 * A single-use link to set the password, sent to a new account (inside the transaction that creates it, or again
 * later); earlier links of the account stop working. The link is the password-reset page's, valid longer.
 */
export async function sendInvitation(
  tx: Db,
  who: Principal,
  user: { id: number; email: string; name: string; locale: string },
  baseUrl: string,
  ip?: string | null,
): Promise<Date> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + INVITATION_DAYS * 86400_000);
  await repo.expirePasswordResetsOf(tx, user.id);
  await repo.insertPasswordReset(tx, sha256(token), user.id, expiresAt);
  const locale = user.locale === 'en' ? 'en' : 'vi';
  const until = expiresAt.toLocaleString(locale === 'en' ? 'en-GB' : 'vi-VN', {
    timeZone: 'Asia/Ho_Chi_Minh',
    dateStyle: 'medium',
    timeStyle: 'short',
  });
  await send(tx, [
    {
      channel: 'email',
      recipient: user.email,
      template: 'auth.invitation',
      locale,
      vars: {
        name: user.name,
        email: user.email,
        by: who.name,
        days: INVITATION_DAYS,
        until,
        url: `${baseUrl}/reset/${token}`,
      },
      refType: 'user',
      refId: user.id,
    },
  ]);
  await recordAudit(tx, {
    actorId: who.userId,
    actorLabel: who.email,
    action: 'user.invite',
    entityType: 'user',
    entityId: user.id,
    ip,
    data: { email: user.email, expiresAt: expiresAt.toISOString() },
  });
  return expiresAt;
}
