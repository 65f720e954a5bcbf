import type { PageCtx } from '../../../http/context.js';
import type { NearbyItem } from '../service/nearby.js';
import { mm } from './map.js';

/**
 * "Already reported?": open public reports near the pin or in the ward, so the resident can follow one instead of
 * filing the same thing. The box is always on the form (empty and hidden when nothing is near) so the script can
 * fill it as the pin moves; it is announced politely.
 */
export function NearbyBox({
  ctx,
  nearby,
  unitName,
}: {
  ctx: PageCtx;
  nearby: { items: NearbyItem[]; byUnit: boolean } | null;
  unitName?: string;
}) {
  const t = mm(ctx);
  const items = nearby?.items ?? [];
  return (
    <section
      class="mb-nearby notice"
      id="mb-nearby"
      aria-labelledby="mb-nearby-h"
      aria-live="polite"
      hidden={items.length === 0}
      data-title={t('nearby.title')}
      data-intro={t('nearby.intro', { n: '{n}' })}
      data-distance={t('nearby.distance', { m: '{m}' })}
      data-follow={t('nearby.follow')}
    >
      <h2 id="mb-nearby-h">{t('nearby.title')}</h2>
      <p id="mb-nearby-intro">
        {nearby?.byUnit && (unitName ?? items[0]?.unit)
          ? t('nearby.introUnit', { n: items.length, unit: (unitName ?? items[0]?.unit) as string })
          : t('nearby.intro', { n: items.length })}
      </p>
      <ul id="mb-nearby-list">
        {items.map((r) => (
          <li>
            <a href={r.url}>{r.title}</a>
            <span class="muted">
              {' '}
              · <span class="code">{r.code}</span> · {r.category}
              {r.distance_m != null ? ` · ${t('nearby.distance', { m: r.distance_m })}` : ''}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
