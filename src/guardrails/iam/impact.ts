import { eventMapper, type TrailEvent } from './activity.js';
import { evaluate, type Decision, type DecisionReason, type EvaluateOptions, type EvaluationPolicies } from './evaluate.js';
import { memoisedEvaluator, type MemoStats } from './memo.js';
import type { AuthorizationRequest } from './request.js';

/**
 * The impact report shown before a guardrail goes from `audit` to `enforce`: replay the activity log
 * against the proposed SCPs and RCPs and say "this would have denied N calls by these principals in
 * these accounts since DATE". A logged call that succeeded was allowed by IAM when it was made, so only
 * the organisation's guardrails are evaluated (see `evaluate` without identity policies). Calls that
 * failed with an access error, and calls the guardrails enforced today already deny, are not counted
 * against the proposal.
 */

/** The SCP chain and RCP chain an account sits under (root, each OU, the account). */
export type OrgPolicies = Pick<EvaluationPolicies, 'scps' | 'rcps'>;

/**
 * The chains of an account, or undefined when the account is outside the rollout. Return the same
 * chain arrays for accounts under the same OU path: decisions are memoised per chain.
 */
export type ChainLookup = (accountId: string) => OrgPolicies | undefined;

export type ImpactPolicies = {
  /** The chains with the proposed policies attached where they would be, on top of what is enforced. */
  proposed: ChainLookup;
  /** The chains as enforced today. */
  current?: ChainLookup;
};

export type ImpactOptions = EvaluateOptions & {
  managementAccountId?: string;
  /** Events before this time are not replayed. */
  since?: Date;
  /** How many denied events to keep as samples (default 10). */
  samples?: number;
  /** How many entries each breakdown keeps, most denied first (default 20). */
  top?: number;
  /** Memoise decisions (default true); off only to measure what the memo saves. */
  memo?: boolean;
};

export type Count = { key: string; count: number };

export type ImpactSample = { eventId?: string; eventTime: string; principal: string; accountId: string; action: string; region: string; reason: DecisionReason };

export type ImpactReport = {
  /** Events read, and those replayed against the proposal. */
  events: number;
  replayed: number;
  wouldDeny: number;
  /** How many distinct principals and accounts made the calls that would have been denied. */
  principals: number;
  accounts: number;
  /** The time range of the replayed events (ISO 8601), when there were any. */
  since?: string;
  until?: string;
  byPrincipal: Count[];
  byAccount: Count[];
  byAction: Count[];
  /** `policy/sid` (or `policy#statement`, or the level that allows nothing) that would have decided. */
  byStatement: Count[];
  samples: ImpactSample[];
  skipped: { failed: number; alreadyDenied: number; outsideRollout: number; unmapped: number; before: number };
  /** Replayed events whose resource was not known: only statements about every resource could match them. */
  unknownResource: number;
  memo: MemoStats;
};

const ACCESS_ERROR = /AccessDenied|UnauthorizedOperation|Unauthorized|Forbidden/i;
const MEMO_LIMIT = 1_000_000;

type Judge = (request: AuthorizationRequest) => Decision;

/**
 * The evaluator of each (principal account, resource account) pair: the chains their lookups give,
 * memoised per pair of chains (accounts under the same OU path share one memo), or null outside the
 * rollout. Kept per account pair, so an event costs two Map lookups to find its evaluator.
 */
function judges(lookup: ChainLookup, options: ImpactOptions, stats: MemoStats): (principalAccount: string, resourceAccount: string) => Judge | null {
  const byChains = new Map<OrgPolicies['scps'] | OrgPolicies['rcps'], Map<OrgPolicies['scps'] | OrgPolicies['rcps'], Judge>>();
  const byAccounts = new Map<string, Map<string, Judge | null>>();
  const judgeOf = (principalAccount: string, resourceAccount: string): Judge | null => {
    const scps = lookup(principalAccount)?.scps;
    const rcps = lookup(resourceAccount)?.rcps;
    if (scps === undefined && rcps === undefined) return null;
    const policies: OrgPolicies = { ...(scps === undefined ? {} : { scps }), ...(rcps === undefined ? {} : { rcps }) };
    if (options.memo === false) {
      return (request) => {
        stats.misses++;
        return evaluate(request, policies, options);
      };
    }
    let inner = byChains.get(scps);
    if (inner === undefined) byChains.set(scps, (inner = new Map()));
    let judge = inner.get(rcps);
    if (judge === undefined) inner.set(rcps, (judge = memoisedEvaluator(policies, { ...options, limit: MEMO_LIMIT, stats }).evaluate));
    return judge;
  };
  return (principalAccount, resourceAccount) => {
    let inner = byAccounts.get(principalAccount);
    if (inner === undefined) byAccounts.set(principalAccount, (inner = new Map()));
    let judge = inner.get(resourceAccount);
    if (judge === undefined) inner.set(resourceAccount, (judge = judgeOf(principalAccount, resourceAccount)));
    return judge;
  };
}

const bump = (counts: Map<string, number>, key: string): void => {
  counts.set(key, (counts.get(key) ?? 0) + 1);
};

const topOf = (counts: Map<string, number>, n: number): Count[] =>
  [...counts].map(([key, count]) => ({ key, count })).sort((a, b) => b.count - a.count || a.key.localeCompare(b.key)).slice(0, n);

const deciderNames = new WeakMap<DecisionReason, string>();
/** `policy/sid`; memoised decisions share their reason, so the name is built once per reason. */
const deciderOf = (reason: DecisionReason): string => {
  let name = deciderNames.get(reason);
  if (name === undefined) {
    name = reason.policy === undefined ? `${reason.stage} level ${reason.level ?? '?'}` : `${reason.policy}/${reason.sid ?? `#${reason.statement ?? '?'}`}`;
    deciderNames.set(reason, name);
  }
  return name;
};

/**
 * A replay fed in chunks (pages of the log, as they are read), so a long log is never held whole:
 * what it keeps is bounded by the breakdowns and the samples, not by the number of events.
 */
export type ImpactReplay = {
  feed(events: Iterable<TrailEvent>): void;
  report(): ImpactReport;
};

export function impactReplay(policies: ImpactPolicies, options: ImpactOptions = {}): ImpactReplay {
  const memo: MemoStats = { hits: 0, misses: 0 };
  const proposed = judges(policies.proposed, options, memo);
  const current = policies.current === undefined ? undefined : judges(policies.current, options, { hits: 0, misses: 0 });
  const since = options.since?.getTime();
  const toRequest = eventMapper(options.managementAccountId);
  const skipped = { failed: 0, alreadyDenied: 0, outsideRollout: 0, unmapped: 0, before: 0 };
  const byPrincipal = new Map<string, number>();
  const byAccount = new Map<string, number>();
  const byAction = new Map<string, number>();
  const byStatement = new Map<string, number>();
  const samples: ImpactSample[] = [];
  const sampleLimit = options.samples ?? 10;
  let read = 0;
  let replayed = 0;
  let wouldDeny = 0;
  let unknownResource = 0;
  let first = Infinity;
  let last = -Infinity;

  const feed = (events: Iterable<TrailEvent>): void => {
    for (const event of events) {
      read++;
      if (event.errorCode !== undefined && ACCESS_ERROR.test(event.errorCode)) {
        skipped.failed++;
        continue;
      }
      const time = typeof event.eventTime === 'string' ? Date.parse(event.eventTime) : event.eventTime.getTime();
      if (since !== undefined && time < since) {
        skipped.before++;
        continue;
      }
      const request = toRequest(event);
      if (typeof request === 'string') {
        skipped.unmapped++;
        continue;
      }
      const resourceAccount = request.resourceAccount ?? request.principal.accountId;
      const judge = proposed(request.principal.accountId, resourceAccount);
      if (judge === null) {
        skipped.outsideRollout++;
        continue;
      }
      replayed++;
      if (time < first) first = time;
      if (time > last) last = time;
      if (request.resources?.[0] === '*') unknownResource++;
      const decision = judge(request);
      if (decision.decision === 'allow') continue;
      const today = current?.(request.principal.accountId, resourceAccount);
      if (today !== undefined && today !== null && today(request).decision !== 'allow') {
        skipped.alreadyDenied++;
        continue;
      }
      wouldDeny++;
      const principal = request.principal.roleArn ?? request.principal.arn;
      bump(byPrincipal, principal);
      bump(byAccount, request.principal.accountId);
      bump(byAction, request.action);
      bump(byStatement, deciderOf(decision.reason));
      if (samples.length < sampleLimit) {
        samples.push({
          ...(event.eventId === undefined ? {} : { eventId: event.eventId }),
          eventTime: new Date(time).toISOString(),
          principal: request.principal.arn,
          accountId: request.principal.accountId,
          action: request.action,
          region: request.region,
          reason: decision.reason,
        });
      }
    }
  };

  const report = (): ImpactReport => {
    const top = options.top ?? 20;
    return {
      events: read,
      replayed,
      wouldDeny,
      principals: byPrincipal.size,
      accounts: byAccount.size,
      ...(replayed === 0 ? {} : { since: new Date(first).toISOString(), until: new Date(last).toISOString() }),
      byPrincipal: topOf(byPrincipal, top),
      byAccount: topOf(byAccount, top),
      byAction: topOf(byAction, top),
      byStatement: topOf(byStatement, top),
      samples: [...samples],
      skipped: { ...skipped },
      unknownResource,
      memo: { ...memo },
    };
  };
  return { feed, report };
}

export function impactOf(policies: ImpactPolicies, events: Iterable<TrailEvent>, options: ImpactOptions = {}): ImpactReport {
  const replay = impactReplay(policies, options);
  replay.feed(events);
  return replay.report();
}

/** The replay of a log read page by page (each chunk an iterable of events), never holding more than a page. */
export async function impactOfPages(policies: ImpactPolicies, pages: AsyncIterable<Iterable<TrailEvent>>, options: ImpactOptions = {}): Promise<ImpactReport> {
  const replay = impactReplay(policies, options);
  for await (const page of pages) replay.feed(page);
  return replay.report();
}

/** The report in one sentence, in English and Japanese. */
export function impactSummary(report: ImpactReport): { en: string; ja: string } {
  const since = report.since?.slice(0, 10) ?? '-';
  const n = (value: number): string => value.toLocaleString('en-US');
  const [denied, replayed, principals, accounts] = [report.wouldDeny, report.replayed, report.principals, report.accounts].map(n);
  if (report.wouldDeny === 0) {
    return {
      en: `This policy would have denied none of the ${replayed} calls replayed since ${since}.`,
      ja: `このポリシーは ${since} 以降に再生した ${replayed} 件の呼び出しを一件も拒否しませんでした。`,
    };
  }
  return {
    en: `This policy would have denied ${denied} of ${replayed} calls by ${principals} principal(s) in ${accounts} account(s) since ${since}.`,
    ja: `このポリシーは ${since} 以降、${accounts} アカウントの ${principals} プリンシパルによる呼び出し ${replayed} 件のうち ${denied} 件を拒否していました。`,
  };
}
