import type { ReportRow } from '../repo.js';
import type { ReportView } from '../service.js';
import { outcomeJson } from '../service/outcomes.js';

/** A report as the public JSON API shows it: never contact details, the name only when allowed. */
export function publicJson(baseUrl: string, r: ReportRow, view?: ReportView) {
  return {
    code: r.code,
    url: `${baseUrl}/mailbox/r/${r.code}`,
    title: r.title,
    description: r.description,
    category: { code: r.category_code, name: r.category_name, name_en: r.category_name_en },
    unit: { code: r.unit_code, name: r.unit_full_name, name_en: r.unit_name_en },
    agency: r.agency_name,
    status: r.status,
    address: r.address,
    lat: r.lat,
    lon: r.lon,
    sender_name: r.show_name ? r.contact_name : null,
    received_at: r.received_at,
    deadline_at: r.deadline_at,
    answered_at: r.answered_at,
    answer: r.answer,
    rating: r.rating,
    outcome: outcomeJson(r),
    ...(view
      ? {
          photos: view.photos.map((p) => `${baseUrl}/mailbox/photos/${p.file_id}`),
          timeline: view.events.map((e) => ({ at: e.at, kind: e.kind, text: e.body })),
        }
      : {}),
  };
}
