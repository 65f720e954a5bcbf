/** Organisers' campaigns: the list, a new campaign, its figures, editing and cancelling. */
import type { Hono } from 'hono';
import type { z } from 'zod';
import type { AppEnv, Ctx } from '../../../http/context.js';
import { pageCtx } from '../../../http/context.js';
import { formValues, type Refused, submit } from '../../../http/forms.js';
import { isPickerSearch, multiUnitPicker } from '../../../http/unit-picker.js';
import { actor, need, staff } from '../../../http/guard.js';
import type { Actor } from '../../../platform/auth/permissions.js';
import { type NetKey, nt } from '../i18n.js';
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
import { campaignCancelSchema, campaignEditSchema, campaignSchema } from '../service/forms.js';
import { id, notice } from './common.js';

type Values = Record<string, string>;
type Errors = Record<string, string>;

/** Editing and cancelling are the same kind of page: one form on one campaign the organiser runs. */
interface CampaignForm<S extends z.ZodType> {
  path: string;
  /** Refuses a campaign in a state the form cannot change. */
  check(camp: CampaignRow): void;
  page: typeof CampaignEditPage | typeof CampaignCancelPage;
  initial(camp: CampaignRow): Values | undefined;
  schema: S;
  /** The service's rules that need the campaign, shown with the schema's messages when the form is refused. */
  rules?(camp: CampaignRow, values: Values): Partial<Record<string, NetKey>>;
  save(deps: svc.NetDeps, a: Actor, id: number, input: z.infer<S>): Promise<void>;
  done: string;
}

function campaignFormRoutes<S extends z.ZodType>(app: Hono<AppEnv>, f: CampaignForm<S>): void {
  const organise = need('network.campaign');
  const render = async (c: Ctx, r?: Refused) => {
    const camp = await svc.organisedCampaign(c.get('deps').db, actor(c), id(c, 'id'));
    f.check(camp);
    const Page = f.page;
    const t = nt.t(c.get('locale'));
    const rules = r && f.rules ? Object.entries(f.rules(camp, r.values)).map(([k, key]) => [k, t(key!)]) : [];
    const errors = r && { ...Object.fromEntries(rules), ...r.errors };
    return c.html(<Page ctx={pageCtx(c)} campaign={camp} values={r?.values ?? f.initial(camp)} errors={errors} />);
  };
  app.get(f.path, organise, (c) => render(c));
  app.post(
    f.path,
    organise,
    submit(
      f.schema,
      render,
      async (c, input) => {
        await f.save(c.get('deps'), actor(c), id(c, 'id'), input);
        return c.redirect(`/network/manage/campaigns/${id(c, 'id')}?ok=${f.done}`, 303);
      },
      { catalog: nt },
    ),
  );
}

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
      multiUnitPicker(c, { name: 'units', within: scope, values: values ?? {} }),
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
  app.get('/network/manage/campaigns/new', organise, (c) =>
    newCampaign(c, isPickerSearch(c) ? formValues(c.req.queries()) : { links: c.req.query('link') ?? '' }),
  );
  // the page links are checked against this site's address
  app.post('/network/manage/campaigns', organise, (c) =>
    submit(
      campaignSchema(c.get('deps').config.baseUrl),
      (c, r) => newCampaign(c, r.values, r.errors),
      async (c, input) => {
        const r = await svc.createCampaign(c.get('deps').db, actor(c), input);
        return c.redirect(`/network/manage/campaigns/${r.id}?ok=campaign&n=${r.audience}`, 303);
      },
      // Enter in the unit search box (JavaScript off): the form again with the matches, nothing launched
      { catalog: nt, picker: { names: 'units', search: (c, values) => newCampaign(c, values) } },
    )(c),
  );
  app.get('/network/manage/campaigns/:id', need('network.lead'), async (c) => {
    const d = await svc.campaignDetail(c.get('deps').db, actor(c), id(c, 'id'));
    return c.html(<CampaignDetailPage ctx={pageCtx(c)} {...d} notice={notice(c)} />);
  });

  campaignFormRoutes(app, {
    path: '/network/manage/campaigns/:id/edit',
    check(camp) {
      const state = svc.campaignState(camp);
      if (state === 'ended' || state === 'cancelled') throw new svc.NetworkError(409, 'cm.err.notEditable');
    },
    page: CampaignEditPage,
    initial: svc.campaignValues,
    schema: campaignEditSchema,
    rules: (camp, values) => svc.campaignEndRules(camp, values.ends ?? ''),
    save: svc.editCampaign,
    done: 'campaignSaved',
  });
  campaignFormRoutes(app, {
    path: '/network/manage/campaigns/:id/cancel',
    check(camp) {
      if (camp.status === 'cancelled') throw new svc.NetworkError(409, 'cm.err.alreadyCancelled');
    },
    page: CampaignCancelPage,
    initial: () => undefined,
    schema: campaignCancelSchema,
    save: svc.cancelCampaign,
    done: 'cancelled',
  });
}
