import type { Config } from '../../../config.js';
import { assetUrl } from '../../../http/assets.js';
import type { PageCtx } from '../../../http/context.js';
import { Layout } from '../../../http/views/layout.js';
import { formatDate } from '../../../platform/i18n/index.js';
import type { PlaceRow } from '../repo/nearby.js';
import { Assets } from './shared.js';
import { mapText, type MapKey } from './map-i18n.js';

export const mm = (ctx: PageCtx) => mapText.t(ctx.locale);

/** The map settings a page needs; `tiles` empty: no map at all (nothing third-party is loaded). */
export interface MapSettings {
  tiles: string;
  attribution: string;
  geocoder: boolean;
}

export const mapSettings = (
  config: Pick<Config, 'MAP_TILE_URL' | 'MAP_TILE_ATTRIBUTION' | 'MAP_GEOCODER_URL'>,
): MapSettings => ({
  tiles: config.MAP_TILE_URL ?? '',
  attribution: config.MAP_TILE_ATTRIBUTION,
  geocoder: Boolean(config.MAP_GEOCODER_URL),
});

/** Where the map opens without a pin: Huế's centre (the demo city). */
export const DEFAULT_CENTER = { lat: 16.4637, lon: 107.5909 };

/** Leaflet from our own hashed static URLs, before mailbox.js; nothing when no tiles are configured. */
export function MapAssets({ map }: { map: MapSettings }) {
  if (!map.tiles) return null;
  return (
    <>
      <link rel="stylesheet" href={assetUrl('vendor/leaflet.css')} />
      <script src={assetUrl('vendor/leaflet.js')} defer></script>
      <script src={assetUrl('mailbox/map.js')} defer></script>
    </>
  );
}

const msgs = (ctx: PageCtx, keys: MapKey[]) =>
  Object.fromEntries(keys.map((k) => [`data-msg-${k.replace(/^map\./, '').toLowerCase()}`, mm(ctx)(k)]));

/**
 * The pin picker of the report form. Without JavaScript (or without tiles) it is invisible and the ward and address
 * fields say where; with both, a slippy map with a draggable pin fills the hidden `lat`/`lon` fields.
 */
export function FormMap({ ctx, map, lat, lon }: { ctx: PageCtx; map: MapSettings; lat?: string; lon?: string }) {
  const t = mm(ctx);
  const pinned = /^-?\d/.test(lat ?? '') && /^-?\d/.test(lon ?? '');
  return (
    <>
      <input type="hidden" name="lat" id="f-lat" value={pinned ? lat : ''} />
      <input type="hidden" name="lon" id="f-lon" value={pinned ? lon : ''} />
      {map.tiles ? (
        <div
          class="mb-place"
          id="mb-place"
          hidden
          data-tiles={map.tiles}
          data-attribution={map.attribution}
          data-geocoder={map.geocoder ? '/mailbox/geocode.json' : ''}
          data-center={`${DEFAULT_CENTER.lat},${DEFAULT_CENTER.lon}`}
          {...msgs(ctx, [
            'map.denied',
            'map.unavailable',
            'map.locating',
            'map.located',
            'map.pinned',
            'map.searching',
            'map.noResult',
            'map.results',
            'map.geocoderDown',
            'map.badQuery',
            'map.label',
          ])}
        >
          <p class="hint" id="mb-map-hint">
            {t('map.hint')}
          </p>
          {map.geocoder ? (
            <div class="mb-geocode" role="search">
              <label for="f-geo_q">{t('map.search')}</label>
              <div class="mb-geocode-row">
                <input id="f-geo_q" type="search" maxLength={200} autocomplete="off" />
                <button type="button" class="secondary" id="mb-geo-find">
                  {t('map.searchButton')}
                </button>
              </div>
              <ul class="mb-geo-results" id="mb-geo-results" hidden></ul>
            </div>
          ) : null}
          <div id="mb-map" class="mb-map" aria-describedby="mb-map-hint"></div>
          <div class="mb-map-actions">
            <button type="button" class="secondary" id="mb-locate" hidden>
              {t('map.useLocation')}
            </button>
            <button type="button" class="secondary" id="mb-unpin" hidden>
              {t('map.clear')}
            </button>
          </div>
          <p class="hint mb-map-status" id="mb-map-status" role="status" aria-live="polite"></p>
        </div>
      ) : null}
    </>
  );
}

const tileOf = (tpl: string, z: number, x: number, y: number) =>
  tpl
    .replace('{z}', String(z))
    .replace('{x}', String(x))
    .replace('{y}', String(y))
    .replace('{s}', 'a')
    .replace('{r}', '');

/**
 * A small static map of a report's place: the tiles around it in an SVG (positions are attributes, so the strict CSP
 * needs no inline style) with a pin in the middle. With no tile URL or no pin: the ward name only.
 */
export function StaticMap({
  ctx,
  map,
  lat,
  lon,
  unit,
  zoom = 16,
}: {
  ctx: PageCtx;
  map: MapSettings;
  lat: number | null;
  lon: number | null;
  unit: string;
  zoom?: number;
}) {
  const t = mm(ctx);
  if (!map.tiles || lat == null || lon == null) return <p class="mb-place-name">{t('map.place', { unit })}</p>;
  const W = 320;
  const H = 180;
  const scale = 256 * 2 ** zoom;
  const px = ((lon + 180) / 360) * scale;
  const r = (lat * Math.PI) / 180;
  const py = ((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * scale;
  const ox = px - W / 2;
  const oy = py - H / 2;
  const tiles: { x: number; y: number; href: string }[] = [];
  for (let tx = Math.floor(ox / 256); tx * 256 < ox + W; tx++)
    for (let ty = Math.floor(oy / 256); ty * 256 < oy + H; ty++)
      tiles.push({ x: Math.round(tx * 256 - ox), y: Math.round(ty * 256 - oy), href: tileOf(map.tiles, zoom, tx, ty) });
  return (
    <figure class="mb-static-map">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        width={W}
        height={H}
        role="img"
        aria-label={t('map.static', { unit })}
        xmlns="http://www.w3.org/2000/svg"
      >
        {tiles.map((x) => (
          <image href={x.href} x={x.x} y={x.y} width="256" height="256" />
        ))}
        <path d={`M${W / 2} ${H / 2} l-9 -16 a10 10 0 1 1 18 0 z`} fill="#c0392b" stroke="#fff" stroke-width="2" />
        <circle cx={W / 2} cy={H / 2 - 20} r="3.5" fill="#fff" />
      </svg>
      <figcaption class="hint">
        {t('map.place', { unit })} · {map.attribution}
      </figcaption>
    </figure>
  );
}

export interface MapPageProps {
  ctx: PageCtx;
  map: MapSettings;
  places: PlaceRow[];
  staff?: boolean;
  /** where each point links (public page, or the staff report page) */
  href: (p: PlaceRow & { id?: number }) => string;
}

/** The reports map (public: public reports only; staff: open reports of their scope). The list is the no-JS fallback. */
export function MapPage({ ctx, map, places, staff, href }: MapPageProps) {
  const t = mm(ctx);
  const title = t(staff ? 'map.staffTitle' : 'map.title');
  const cat = (p: PlaceRow) => (ctx.locale === 'en' ? p.category_name_en : p.category_name);
  const unit = (p: PlaceRow) => (ctx.locale === 'en' ? (p.unit_name_en ?? p.unit_full_name) : p.unit_full_name);
  return (
    <Layout
      ctx={ctx}
      title={title}
      description={t(staff ? 'map.staffIntro' : 'map.intro')}
      staff={staff}
      head={
        <>
          <MapAssets map={map} />
          <Assets />
        </>
      }
    >
      <h1>{title}</h1>
      <p>{t(staff ? 'map.staffIntro' : 'map.intro')}</p>
      {map.tiles ? (
        <div
          id="mb-reports-map"
          class="mb-map mb-map-big"
          hidden
          data-tiles={map.tiles}
          data-attribution={map.attribution}
          data-center={`${DEFAULT_CENTER.lat},${DEFAULT_CENTER.lon}`}
          role="region"
          aria-label={title}
        ></div>
      ) : (
        <p class="muted">{t('map.noMap')}</p>
      )}
      <h2>{t('map.list', { n: places.length })}</h2>
      {places.length === 0 ? (
        <p>{t('map.none')}</p>
      ) : (
        <ul class="mb-place-list" id="mb-place-list">
          {places.map((p) => (
            <li
              data-lat={p.lat == null ? undefined : String(p.lat)}
              data-lon={p.lon == null ? undefined : String(p.lon)}
            >
              <a href={href(p)}>{p.title}</a>
              <span class="muted">
                {' '}
                · <span class="code">{p.code}</span> · {cat(p)} · {unit(p)} · {formatDate(ctx.locale, p.received_at)}
              </span>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}
