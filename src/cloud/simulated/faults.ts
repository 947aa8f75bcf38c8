import { CloudError, type CreateAccountFailureReason } from '../../app/ports/cloud.js';
import { CallFaultRule, CreationFaultRule, FaultConfig } from './config.js';

/**
 * Fault injection for one driver instance.
 *
 * Rules live in memory, in the instance that was configured with them: a `times: 3` rule fails the
 * next three matching calls *made through this instance*. That keeps the hot path free of extra
 * queries and makes tests exact. What a fault decides about shared state is persisted, though: a
 * creation outcome (FAILED with a reason, or never finishing) is written on the request row when
 * the request is accepted, so every process observing the twin sees the same result.
 *
 * `rate` rules draw from a generator seeded by `faults.seed`: the same seed and the same sequence of
 * calls give the same faults, so tests never flake.
 */

type Trigger = { remaining: number | undefined; rate: number | undefined };
type ActiveCallRule = Trigger & { operation: string; error: CallFaultRule['error'] };
type ActiveCreationRule = Trigger & { outcome: CreationFaultRule['outcome']; emails: Set<string> | undefined };

export type CreationOutcome = { reason: CreateAccountFailureReason } | { neverCompletes: true };

const MESSAGES: Record<CallFaultRule['error'], string> = {
  ServiceException: 'The request processing has failed because of an unknown error, exception or failure. (injected)',
  TooManyRequestsException: 'Rate exceeded (injected)',
  // The wording operators see from Control Tower and Organizations when another change holds the target.
  ConcurrentModificationException: 'Another operation is in progress. Try again later. (injected)',
};

export class FaultInjector {
  private callRules: ActiveCallRule[] = [];
  private creationRules: ActiveCreationRule[] = [];
  private nextRandom: () => number;

  constructor(config: FaultConfig = {}) {
    const parsed = FaultConfig.parse(config);
    this.nextRandom = mulberry32(parsed.seed);
    for (const rule of parsed.calls) this.injectCall(rule);
    for (const rule of parsed.creations) this.injectCreation(rule);
  }

  /** Adds a rule that makes matching calls throw instead of running. */
  injectCall(rule: CallFaultRule): void {
    const parsed = CallFaultRule.parse(rule);
    this.callRules.push({ operation: parsed.operation, error: parsed.error, remaining: parsed.times, rate: parsed.rate });
  }

  /** Adds a rule that decides how matching accepted CreateAccount requests end. */
  injectCreation(rule: CreationFaultRule): void {
    const parsed = CreationFaultRule.parse(rule);
    const emails = parsed.emails === undefined ? undefined : new Set(parsed.emails.map((e) => e.toLowerCase()));
    this.creationRules.push({ outcome: parsed.outcome, emails, remaining: parsed.times, rate: parsed.rate });
  }

  /** Removes every rule; the seeded generator keeps its position. */
  clear(): void {
    this.callRules = [];
    this.creationRules = [];
  }

  /** The error to throw for this call, if a rule fires. */
  callFault(operation: string): CloudError | undefined {
    const rule = this.fire(this.callRules, (r) => r.operation === '*' || r.operation === operation);
    if (rule === undefined) return undefined;
    return new CloudError(rule.error, MESSAGES[rule.error], {
      retryable: true,
      ...(rule.error === 'ConcurrentModificationException' ? { reason: 'OPERATION_IN_PROGRESS' } : {}),
    });
  }

  /** How an accepted request for this e-mail should end, if a rule fires. */
  creationOutcome(email: string): CreationOutcome | undefined {
    const lower = email.toLowerCase();
    const rule = this.fire(this.creationRules, (r) => r.emails === undefined || r.emails.has(lower));
    if (rule === undefined) return undefined;
    return rule.outcome === 'NEVER_COMPLETES' ? { neverCompletes: true } : { reason: rule.outcome };
  }

  /** First matching rule that fires; `times` rules count down and retire at zero. */
  private fire<R extends Trigger>(rules: R[], matches: (rule: R) => boolean): R | undefined {
    for (const [index, rule] of rules.entries()) {
      if (!matches(rule)) continue;
      if (rule.remaining !== undefined) {
        rule.remaining -= 1;
        if (rule.remaining <= 0) rules.splice(index, 1);
        return rule;
      }
      if (rule.rate === undefined || this.nextRandom() < rule.rate) return rule;
    }
    return undefined;
  }
}

/** A small, well-known seeded generator (uniform in [0, 1)); cryptographic quality is not needed. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
