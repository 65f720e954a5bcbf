import type { PageCtx } from '../../../http/context.js';
import type { PhotoState } from '../repo.js';
import { m } from './shared.js';
import { mm } from './map.js';

/**
 * A report's cleaned photos for residents: each thumbnail links to the medium size, and both say which photo it is
 * (alt text, so the link has a name). A photo still being cleaned is a placeholder; a failed one is shown only where
 * `failed` asks (the resident's own page).
 */
export function PhotoGallery({
  ctx,
  photos,
  base,
  failed,
}: {
  ctx: PageCtx;
  photos: { file_id: string; state: PhotoState }[];
  base: string;
  failed?: boolean;
}) {
  const shown = failed ? photos : photos.filter((p) => p.state !== 'failed');
  if (shown.length === 0) return null;
  const t = mm(ctx);
  const mt = m(ctx);
  return (
    <ul class="mb-photos">
      {shown.map((p, i) =>
        p.state === 'ready' ? (
          <li>
            <a href={`${base}/${p.file_id}/medium`} title={t('photo.open', { n: i + 1 })}>
              <img
                src={`${base}/${p.file_id}/thumb`}
                alt={t('photo.alt', { n: i + 1 })}
                loading="lazy"
                width="160"
                height="120"
              />
            </a>
          </li>
        ) : p.state === 'pending' ? (
          <li class="mb-photo-wait" data-photo={p.file_id}>
            <span role="status">{mt('photo.processing')}</span>
          </li>
        ) : (
          <li class="mb-photo-failed" data-photo={p.file_id}>
            <span class="error">{mt('photo.failed')}</span>
          </li>
        ),
      )}
    </ul>
  );
}
