import type { Clock } from '../../app/ports/clock.js';
import type { Lease, Transition, TransitionResult, WorkflowRun, WorkflowStore } from '../../app/ports/workflow-store.js';
import type { ErrorClass, RunnableWorkflow, StepOutcome } from './definition.js';

export type RetryPolicy = {
  /** Attempts of one step before a transient error becomes permanent. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** 0..1 source for jitter; injected so tests are deterministic. */
  random: () => number;
};

/** The shortest idle sleep after a claim that found nothing. */
const MIN_IDLE_MS = 5;

export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 8, baseDelayMs: 500, maxDelayMs: 60_000, random: Math.random };

/** Exponential backoff with "equal jitter": half fixed, half random, so retries spread but never bunch at 0. */
export function backoffMs(policy: RetryPolicy, attempt: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * policy.random());
}

export type RunnerOptions = {
  store: WorkflowStore;
  clock: Clock;
  workflows: RunnableWorkflow[];
  /** Unique per worker process; fences writes after a lost lease. */
  owner: string;
  /** Steps executed at once by this worker. */
  concurrency: number;
  /** Capacity per slot resource, e.g. { 'account-creation:simulated': 5 }. */
  slots: Record<string, number>;
  leaseMs?: number;
  /** Longest idle sleep; wake-ups usually come sooner through `subscribe`. */
  idlePollMs?: number;
  retry?: RetryPolicy;
  /** Subscribes to "there is new work" signals (LISTEN/NOTIFY); the payload names who sent it. */
  subscribe?: (wake: (sender: string) => void) => Promise<() => Promise<void>>;
  /** Tells every worker there is new work (a slot freed, a run became due now). */
  announce?: (sender: string) => Promise<void>;
  /** Test seam: called at step boundaries; throwing here simulates the process dying at that point. */
  onBoundary?: (event: { runId: string; step: string; at: 'before-step' | 'after-step' }) => void;
  onError?: (error: unknown) => void;
};

/**
 * Claims due runs, executes their current step, persists the outcome, and goes on. Several
 * runners (in one process or many) share the work through the store's leases and slots.
 */
export class WorkflowRunner {
  private readonly options: Required<Omit<RunnerOptions, 'subscribe' | 'announce' | 'onBoundary' | 'onError'>> & RunnerOptions;
  private readonly byName: Map<string, RunnableWorkflow>;
  private readonly inFlight = new Map<string, Promise<void>>();
  private running = false;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private pendingWake = false;
  private unsubscribe: (() => Promise<void>) | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private readonly abort = new AbortController();
  private readonly slotCapacity: number;

  constructor(options: RunnerOptions) {
    this.options = { leaseMs: 30_000, idlePollMs: 1_000, retry: defaultRetryPolicy, ...options };
    this.byName = new Map(options.workflows.map((w) => [w.name, w]));
    this.slotCapacity = Object.values(options.slots).reduce((a, b) => a + b, 0);
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    // Its own announcements reach this worker too; it has already looked, so it ignores them.
    this.unsubscribe = await this.options.subscribe?.((sender) => {
      if (sender !== this.options.owner) this.wake();
    });
    this.heartbeat = setInterval(() => {
      void this.options.store.extendLeases([...this.inFlight.keys()], this.lease()).catch((e: unknown) => this.options.onError?.(e));
    }, Math.max(50, Math.floor(this.options.leaseMs / 3)));
    this.heartbeat.unref();
    this.loop = this.run();
  }

  /** Stops claiming, lets in-flight steps finish, then returns. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
    await Promise.allSettled([...this.inFlight.values()]);
    if (this.heartbeat !== undefined) clearInterval(this.heartbeat);
    await this.unsubscribe?.();
  }

  /** Stops at once without finishing anything, as if the process died (leases stay until they expire). */
  async kill(): Promise<void> {
    this.running = false;
    this.abort.abort();
    this.wake();
    if (this.heartbeat !== undefined) clearInterval(this.heartbeat);
    await this.unsubscribe?.();
  }

  wake(): void {
    this.pendingWake = true;
    this.wakeUp?.();
  }

  private lease(): Lease {
    return { owner: this.options.owner, now: this.options.clock.now(), leaseMs: this.options.leaseMs };
  }

  private async run(): Promise<void> {
    while (this.running) {
      this.pendingWake = false;
      // Runs waiting for a slot may always come in, beyond the general concurrency, so that a free
      // provider slot never waits for this worker to finish other work.
      const room = this.options.concurrency - this.inFlight.size;
      const slotRoom = room + this.slotCapacity;
      let claimed: WorkflowRun[] = [];
      if (slotRoom > 0) {
        try {
          claimed = await this.options.store.claim(this.lease(), { general: Math.max(0, room), total: slotRoom }, this.options.slots);
        } catch (error) {
          this.options.onError?.(error);
        }
      }
      // launch() gives runs back if this worker began stopping meanwhile.
      for (const run of claimed) this.launch(run);
      if (!this.running) return;
      if (claimed.length > 0 && claimed.length >= room) continue;
      if (this.pendingWake) continue;
      await this.sleepUntilWork(room, slotRoom, claimed.length);
    }
  }

  /**
   * Sleeps until work may be there: the next due run this worker could take now (only slot work when
   * it has no general room), or a wake-up (a run of its own finished, a NOTIFY from elsewhere). Never
   * returns at once after an empty claim, so a due run that another worker holds locked cannot spin it.
   */
  private async sleepUntilWork(room: number, slotRoom: number, claimedNow: number): Promise<void> {
    const { clock, idlePollMs, store } = this.options;
    let delay = idlePollMs;
    if (slotRoom > 0) {
      const due = await store.nextDueAt({ slotHoldersOnly: room <= 0 }).catch(() => undefined);
      if (due !== undefined) delay = Math.min(delay, due.getTime() - clock.now().getTime());
    }
    delay = Math.max(claimedNow === 0 ? MIN_IDLE_MS : 0, delay);
    if (delay === 0 || this.pendingWake) return;
    const wakeSignal = new AbortController();
    this.wakeUp = () => wakeSignal.abort();
    await clock.sleep(delay, wakeSignal.signal);
    this.wakeUp = undefined;
  }

  /** Executes steps of one claimed run for as long as the store lets this worker go on with it. */
  private async drive(claimed: WorkflowRun): Promise<void> {
    let run: WorkflowRun | undefined = claimed;
    while (run !== undefined && this.running) {
      run = await this.executeCurrentStep(run);
    }
    // Stopping with a run still leased (it was going on to its next step): give it back now rather
    // than let another worker wait for the lease to run out. A killed worker gives nothing back.
    if (run !== undefined && !this.abort.signal.aborted) await this.options.store.releaseLeases([run.id], this.lease());
  }

  private async executeCurrentStep(run: WorkflowRun): Promise<WorkflowRun | undefined> {
    const workflow = this.byName.get(run.workflow);
    const step = run.currentStep;
    if (workflow === undefined || step === null) {
      return this.handOver(await this.options.store.transition(run.id, { kind: 'fail', step: step ?? '', failure: this.failure(step ?? '', { kind: 'permanent', code: 'unknown_workflow', message: `no workflow ${run.workflow} with step ${step ?? '-'}`, action: 'abandon' }) }, this.lease()));
    }
    this.options.onBoundary?.({ runId: run.id, step, at: 'before-step' });
    const started = await this.options.store.startStep(run.id, step, this.lease());
    if (started === undefined) return undefined;
    let transition: Transition;
    const now = this.options.clock.now();
    try {
      const outcome = await workflow.execute(step, {
        runId: run.id,
        input: run.input,
        state: run.state,
        attempt: started.attempt,
        stepStartedAt: started.startedAt,
        resumed: started.resumed,
        now,
        signal: this.abort.signal,
      });
      if (this.abort.signal.aborted) return undefined;
      transition = this.transitionFor(workflow, run, step, outcome, now);
    } catch (error) {
      if (this.abort.signal.aborted) return undefined;
      transition = this.transitionForError(workflow, step, started.attempt, workflow.classify(error));
    }
    this.options.onBoundary?.({ runId: run.id, step, at: 'after-step' });
    const next = this.handOver(await this.options.store.transition(run.id, transition, this.lease()));
    if (transition.kind === 'advance' || transition.kind === 'finish' || transition.kind === 'fail' || transition.kind === 'goto') {
      // A freed slot or a newly due run is work for whichever worker is free first. This worker looks
      // at once; the announcement to the others is not awaited, so it does not delay that look.
      this.wake();
      void this.options.announce?.(this.options.owner).catch((e: unknown) => this.options.onError?.(e));
    }
    return next;
  }

  /** Starts at once the runs a released slot passed to (already leased to this worker); returns `next`. */
  private handOver(result: TransitionResult): WorkflowRun | undefined {
    for (const heir of result.heirs) this.launch(heir);
    return result.next;
  }

  private launch(run: WorkflowRun): void {
    // The same run claimed twice by this worker (its own lease ran out meanwhile) is driven once.
    if (this.inFlight.has(run.id)) return;
    if (!this.running) {
      // Stopping gracefully: give the run straight back rather than let its lease run out. (A killed
      // worker gives nothing back: that is what a crash looks like.)
      if (!this.abort.signal.aborted) void this.options.store.releaseLeases([run.id], this.lease()).catch((e: unknown) => this.options.onError?.(e));
      return;
    }
    const task = this.drive(run)
      .catch((error: unknown) => this.options.onError?.(error))
      .finally(() => {
        this.inFlight.delete(run.id);
        this.wake();
      });
    this.inFlight.set(run.id, task);
  }

  /** `stepNow` is the `now` the step saw: waits count from it, so a step's own duration adds no lag. */
  private transitionFor(workflow: RunnableWorkflow, run: WorkflowRun, step: string, outcome: StepOutcome<Record<string, unknown>>, stepNow: Date): Transition {
    const patch = outcome.patch ?? {};
    const now = stepNow.getTime();
    if (outcome.type === 'fail') {
      return { kind: 'fail', step, patch, failure: this.failure(step, { kind: 'permanent', code: outcome.code, message: outcome.message, action: outcome.action }) };
    }
    if (outcome.type === 'wait') return { kind: 'wait', step, patch, runAt: new Date(now + outcome.afterMs), countAttempt: false };
    const state = { ...run.state, ...patch };
    if (outcome.type === 'goto') {
      return { kind: 'goto', step, patch, nextStep: outcome.step, nextNeedsSlot: workflow.slotFor(outcome.step, run.input, state) ?? null, runAt: new Date(now + outcome.afterMs), note: outcome.note };
    }
    const index = workflow.stepNames.indexOf(step);
    const nextStep = workflow.stepNames[index + 1];
    if (nextStep === undefined) return { kind: 'finish', step, patch };
    return {
      kind: 'advance',
      step,
      patch,
      nextStep,
      nextNeedsSlot: workflow.slotFor(nextStep, run.input, state) ?? null,
      releaseSlot: workflow.releasesSlot(step),
      continueNow: this.running && !workflow.releasesSlot(step),
    };
  }

  private transitionForError(workflow: RunnableWorkflow, step: string, attempt: number, error: ErrorClass): Transition {
    const { retry, clock } = this.options;
    if (error.kind === 'permanent' || (error.kind === 'transient' && attempt >= retry.maxAttempts)) {
      const final: ErrorClass =
        error.kind === 'permanent'
          ? error
          : { kind: 'permanent', code: 'retries_exhausted', message: `${error.code}: ${error.message} (after ${attempt} attempts)`, action: 'retry' };
      return { kind: 'fail', step, failure: this.failure(step, final) };
    }
    const delay = backoffMs(retry, attempt);
    // Throttling is the provider pacing us, not the step failing: it never uses up attempts.
    return { kind: 'wait', step, patch: {}, runAt: new Date(clock.now().getTime() + delay), error: { code: error.code, message: error.message }, countAttempt: error.kind === 'transient' };
  }

  private failure(step: string, error: ErrorClass) {
    return {
      step,
      code: error.code,
      message: error.message,
      action: error.kind === 'permanent' ? error.action : 'retry',
      at: this.options.clock.now().toISOString(),
    };
  }
}
