/**
 * The figures each module reports for a unit subtree and a period (see issue 7). The reports module
 * calls `AppModule.figures(db, q)` and never reads another module's tables. Times are hours.
 * Every count is for items whose defining event (received, published, sent…) falls in [from, to).
 */
export interface FigureQuery {
  /** ltree path of the unit; its whole subtree counts. */
  unitPath: string;
  from: Date;
  /** exclusive */
  to: Date;
}

export interface Breakdown {
  key: string;
  label: string;
  values: Record<string, number | null>;
}

export interface MailboxFigures {
  received: number;
  accepted: number;
  answered: number;
  answeredOnTime: number;
  /** answeredOnTime / answered, null when nothing was answered */
  onTimeRate: number | null;
  medianHoursToAnswer: number | null;
  /** open and past deadline at `to` (or now, if `to` is in the future) */
  overdueNow: number;
  reopened: number;
  ratingAverage: number | null;
  ratingCount: number;
  byCategory: Breakdown[];
  byAgency: Breakdown[];
  /** outcomes recorded in the period (issue 15); a merged report counts as a duplicate */
  closedFixed?: number;
  closedNotFixed?: number;
  notOurs?: number;
  duplicates?: number;
}

export interface DeskFigures {
  articles: number;
  videos: number;
  factchecks: number;
  claimsReceived: number;
  clusters: number;
  claimsAnswered: number;
  medianHoursToAnswer: number | null;
  /** claims sent in by network members, for the network's report */
  claimsFromMembers: number;
}

export interface NetworkFigures {
  members: number;
  activeMembers: number;
  campaigns: number;
  clicks: number;
  reportedShares: number;
  clicksPer100Members: number | null;
  /** courses assigned to members in the period (one per member and course) */
  trainingAssigned: number;
  /** assigned courses completed (certificate issued) in the period, whenever they were assigned */
  trainingCompleted: number;
  /** quiz attempts passed / quiz attempts made in the period */
  trainingPassRate: number | null;
  /** in-person training sessions held in the period, and their participants counted by the participants' units */
  sessions?: number;
  sessionParticipants?: number;
  /** awards decided in the period */
  awards?: number;
  /** members of the groups members share into, as the members declared by the period's end */
  groupReach?: number;
}

export interface CrisisFigures {
  incidents: number;
  statements: number;
  deliveries: number;
  delivered: number;
  deliverySuccessRate: number | null;
}

export interface TiplineFigures {
  /** "is this true?" questions asked in the chats */
  questionsReceived: number;
  answeredInstantly: number;
  answeredLater: number;
  /** for questions answered later: hours from the question to the pushed answer */
  medianHoursToAnswer: number | null;
  byChannel: Breakdown[];
  /** crisis-alert subscribers now, per ward */
  subscribersByUnit: Breakdown[];
  subscribers: number;
}

export interface ModuleFigures {
  mailbox?: MailboxFigures;
  desk?: DeskFigures;
  network?: NetworkFigures;
  crisis?: CrisisFigures;
  tipline?: TiplineFigures;
}

const DAY_MS = 86_400_000;
/** Vietnam keeps UTC+7 all year. */
const VN_OFFSET_MS = 7 * 3600_000;
/** True when `d` is midnight in Vietnam: a period bounded by such instants can be read from daily rollups. */
export const isVnMidnight = (d: Date): boolean => (d.getTime() + VN_OFFSET_MS) % DAY_MS === 0;
/** The Vietnam calendar date of `d`, YYYY-MM-DD (the day of the modules' daily rollups, SQL vn_day()). */
export const vnDate = (d: Date): string => new Date(d.getTime() + VN_OFFSET_MS).toISOString().slice(0, 10);
