import type { PageCtx } from '../../../http/context.js';
import { dt } from '../i18n.js';
import type { ItemImage } from '../repo.js';

/** A piece's images with their captions and credits (served from /desk/media/ID, cleaned on upload). */
export function ItemImages({ ctx, images }: { ctx: PageCtx; images?: ItemImage[] | null }) {
  if (!images?.length) return null;
  const t = dt.t(ctx.locale);
  return (
    <div class="item-images">
      {images.map((img) => (
        <figure>
          <img src={`/desk/media/${img.id}`} alt={img.caption} loading="lazy" style="max-width:100%;height:auto" />
          <figcaption>
            {img.caption} <small class="muted">{t('img.credit', { credit: img.credit })}</small>
          </figcaption>
        </figure>
      ))}
    </div>
  );
}
