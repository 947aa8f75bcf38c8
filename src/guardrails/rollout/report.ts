import { z } from 'zod';
import type { ImpactReport } from '../iam/impact.js';

/**
 * The stored form of an impact report's findings: what the replay counted (`impactOf`), without the
 * memo statistics, plus the scope it covered. Parsed with this schema wherever it is read back.
 */

const Count = z.object({ key: z.string(), count: z.number().int() });

const Reason = z.object({
  stage: z.string(),
  level: z.number().int().optional(),
  policy: z.string().optional(),
  sid: z.string().optional(),
  statement: z.number().int().optional(),
  message: z.string(),
});

export const ImpactFindings = z.object({
  /** Events read from the log, and those replayed (calls by principals of accounts in scope). */
  events: z.number().int(),
  replayed: z.number().int(),
  wouldDeny: z.number().int(),
  principals: z.number().int(),
  accounts: z.number().int(),
  /** The accounts under the target when the report was computed. */
  accountsInScope: z.number().int(),
  firstEvent: z.string().optional(),
  lastEvent: z.string().optional(),
  byPrincipal: z.array(Count),
  byAccount: z.array(Count),
  byAction: z.array(Count),
  byStatement: z.array(Count),
  samples: z.array(
    z.object({
      eventId: z.string().optional(),
      eventTime: z.string(),
      principal: z.string(),
      accountId: z.string(),
      action: z.string(),
      region: z.string(),
      reason: Reason,
    }),
  ),
  skipped: z.object({ failed: z.number().int(), alreadyDenied: z.number().int(), outsideRollout: z.number().int(), unmapped: z.number().int(), before: z.number().int() }),
  unknownResource: z.number().int(),
  /** The generated policies the replay measured. */
  policies: z.array(z.object({ name: z.string(), size: z.number().int(), controlIds: z.array(z.string()) })),
});
export type ImpactFindings = z.infer<typeof ImpactFindings>;

export function findingsOf(report: ImpactReport, scope: { accountsInScope: number; policies: ImpactFindings['policies'] }): ImpactFindings {
  return {
    events: report.events,
    replayed: report.replayed,
    wouldDeny: report.wouldDeny,
    principals: report.principals,
    accounts: report.accounts,
    accountsInScope: scope.accountsInScope,
    ...(report.since === undefined ? {} : { firstEvent: report.since }),
    ...(report.until === undefined ? {} : { lastEvent: report.until }),
    byPrincipal: report.byPrincipal,
    byAccount: report.byAccount,
    byAction: report.byAction,
    byStatement: report.byStatement,
    samples: report.samples,
    skipped: report.skipped,
    unknownResource: report.unknownResource,
    policies: scope.policies,
  };
}

/**
 * The headline, in Japanese and English: "this policy would have denied N calls by these principals
 * in these accounts since DATE". DATE is the start of the replayed window (the report's `since`).
 */
export function headline(findings: ImpactFindings, since: Date): { ja: string; en: string } {
  const date = since.toISOString().slice(0, 10);
  const n = findings.wouldDeny;
  if (findings.replayed === 0) {
    return {
      ja: `${date} 以降、再生できた呼び出しは 0 件です。このレポートでは影響を測れていません（これで適用するには --accept-empty-report と理由が必要です）`,
      en: `No calls were replayed since ${date}: this report measured nothing (enforcing on it needs --accept-empty-report and a reason)`,
    };
  }
  if (n === 0) {
    return {
      ja: `この方針は ${date} 以降の呼び出し ${findings.replayed} 件を一件も拒否しなかったはずです`,
      en: `This policy would have denied none of the ${findings.replayed} calls replayed since ${date}`,
    };
  }
  return {
    ja: `この方針は ${date} 以降、${findings.accounts} アカウントの ${findings.principals} プリンシパルによる ${n} 件の呼び出しを拒否していたはずです（再生 ${findings.replayed} 件中）`,
    en: `This policy would have denied ${n} calls by ${findings.principals} principal(s) in ${findings.accounts} account(s) since ${date} (of ${findings.replayed} replayed)`,
  };
}
