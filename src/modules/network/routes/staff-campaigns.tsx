/** Organisers' campaigns: the list, a new campaign, its figures, editing and cancelling. */
import type { Hono } from 'hono';
import type { AppEnv, Ctx } from '../../../http/context.js';
import { pageCtx } from '../../../http/context.js';
import { formValues } from '../../../http/forms.js';
import { need, staff } from '../../../http/guard.js';
import type { Principal } from '../../../platform/auth/permissions.js';
import type { Locale } from '../../../platform/i18n/index.js';
import type { CampaignRow } from '../repo.js';
import * as repo from '../repo.js';
import * as svc from '../service.js';
import {
  CampaignCancelPage,
  CampaignDetailPage,
  CampaignEditPage,
  CampaignFormPage,
  CampaignListPage,
} from '../views/manage.js';
import { id, notice } from './common.js';

type Values = Record<string, string>;
type Errors = Record<string, string>;

/** Editing and cancelling are the same kind of page: one form on one campaign the organiser runs. */
interface CampaignForm {
  path: string;
  /** Refuses a campaign in a state the form cannot change. */
  check(camp: CampaignRow): void;
  page: typeof CampaignEditPage | typeof CampaignCancelPage;
  initial(camp: CampaignRow): Values | undefined;
  save(deps: svc.NetDeps, p: Principal, id: number, form: Values, locale: Locale): Promise<svc.Outcome<unknown>>;
  done: string;
}

const FORMS: CampaignForm[] = [
  {
    path: '/network/manage/campaigns/:id/edit',
    check(camp) {
      const state = svc.campaignState(camp);
      if (state === 'ended' || state === 'cancelled') throw new svc.NetworkError(409, 'cm.err.notEditable');
    },
    page: CampaignEditPage,
    initial: svc.campaignValues,
    save: svc.editCampaign,
    done: 'campaignSaved',
  },
  {
    path: '/network/manage/campaigns/:id/cancel',
    check(camp) {
      if (camp.status === 'cancelled') throw new svc.NetworkError(409, 'cm.err.alreadyCancelled');
    },
    page: CampaignCancelPage,
    initial: () => undefined,
    save: svc.cancelCampaign,
    done: 'cancelled',
  },
];

export function staffCampaignRoutes(app: Hono<AppEnv>): void {
  const organise = need('network.campaign');

  app.get('/network/manage/campaigns', need('network.lead'), async (c) => {
    const scope = svc.leaderScope(staff(c));
    return c.html(
      <CampaignListPage
        ctx={pageCtx(c)}
        rows={await repo.campaignsInPaths(c.get('deps').db, scope)}
        notice={notice(c)}
      />,
    );
  });

  const newCampaign = async (c: Ctx, values?: Values, errors?: Errors) => {
    const scope = svc.leaderScope(staff(c), 'network.campaign');
    const db = c.get('deps').db;
    const [choices, units, groups] = await Promise.all([
      svc.contentChoices(db),
      repo.unitsInPaths(db, scope),
      repo.groupsInPaths(db, scope),
    ]);
    if (errors) c.status(422);
    return c.html(
      <CampaignFormPage
        ctx={pageCtx(c)}
        choices={choices}
        units={units}
        groups={groups}
        values={values}
        errors={errors}
      />,
    );
  };
  app.get('/network/manage/campaigns/new', organise, (c) => newCampaign(c, { links: c.req.query('link') ?? '' }));
  app.post('/network/manage/campaigns', organise, async (c) => {
    const body = (await c.req.parseBody({ all: true })) as Record<string, unknown>;
    const { db, config } = c.get('deps');
    const r = await svc.createCampaign(db, staff(c), body, config.baseUrl, c.get('locale'));
    if (!r.ok) return newCampaign(c, r.values, r.errors);
    return c.redirect(`/network/manage/campaigns/${r.value.id}?ok=campaign&n=${r.value.audience}`, 303);
  });
  app.get('/network/manage/campaigns/:id', need('network.lead'), async (c) => {
    const d = await svc.campaignDetail(c.get('deps').db, staff(c), id(c, 'id'));
    return c.html(<CampaignDetailPage ctx={pageCtx(c)} {...d} notice={notice(c)} />);
  });

  for (const f of FORMS) {
    const render = async (c: Ctx, values?: Values, errors?: Errors) => {
      const camp = await svc.organisedCampaign(c.get('deps').db, staff(c), id(c, 'id'));
      f.check(camp);
      if (errors) c.status(422);
      const Page = f.page;
      return c.html(<Page ctx={pageCtx(c)} campaign={camp} values={values ?? f.initial(camp)} errors={errors} />);
    };
    app.get(f.path, organise, (c) => render(c));
    app.post(f.path, organise, async (c) => {
      const form = formValues(await c.req.parseBody());
      const r = await f.save(c.get('deps'), staff(c), id(c, 'id'), form, c.get('locale'));
      return r.ok
        ? c.redirect(`/network/manage/campaigns/${id(c, 'id')}?ok=${f.done}`, 303)
        : render(c, r.values, r.errors);
    });
  }
}
