import { vnDate } from '../../../platform/figures.js';
import type { Ctx } from '../../../http/context.js';
import { rt } from '../i18n.js';
import type { ReportData } from '../service.js';
import type { OfficialHeader } from '../views/report.js';

/** "Thành phố Huế" → "Huế": the place in the date line of an administrative document. */
export const placeName = (fullName: string) =>
  fullName.replace(/^(Thành phố|Tỉnh|Phường|Xã|Đặc khu|Quận|Huyện|Thị xã|Thị trấn)\s+/iu, '');

/** The PDF header from the query (`office`, `number`), dated today in Vietnam. */
export function officialHeader(c: Ctx, r: ReportData): OfficialHeader | { error: string } {
  const t = rt.t(c.get('locale'));
  const office = (c.req.query('office') ?? '').trim() || c.get('deps').config.ORG_NAME;
  const number = (c.req.query('number') ?? '').trim();
  if (office.length > 200) return { error: `${t('pdf.office')}: ${t('pdf.tooLong', { max: 200 })}` };
  if (number.length > 50) return { error: `${t('pdf.number')}: ${t('pdf.tooLong', { max: 50 })}` };
  const date = vnDate(new Date());
  const place =
    c.get('locale') === 'en' && r.unit.nameEn
      ? r.unit.nameEn.replace(/\s+(City|Province|Ward|Commune)$/i, '')
      : placeName(r.unit.name);
  return { office, number, place, date };
}
