import type { PageCtx } from '../../../http/context.js';
import { formatDateTime } from '../../../platform/i18n/index.js';
import { dt } from '../i18n.js';
import type { ClusterReply } from '../repo.js';

/** The desk's free-text replies to the residents who asked, on a claim's status page (no staff names). */
export function ClaimReplies({ ctx, replies }: { ctx: PageCtx; replies?: ClusterReply[] }) {
  if (!replies?.length) return null;
  const t = dt.t(ctx.locale);
  return (
    <section class="card claim-replies" id="replies">
      <h2>{t('claim.replies')}</h2>
      <ul>
        {replies.map((r) => (
          <li>
            <p class="muted">{formatDateTime(ctx.locale, r.created_at)}</p>
            {r.body.split(/\n+/).map((line) => (
              <p>{line}</p>
            ))}
          </li>
        ))}
      </ul>
    </section>
  );
}
