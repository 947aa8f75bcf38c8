import type { z } from 'zod';

/**
 * A workflow is a list of named steps whose order is data. Each step is idempotent: it may run
 * again after a crash at any point, so it first looks for the effect of an earlier attempt.
 * Steps return an outcome; the runner persists the outcome's patch to the run's state (the
 * checkpoint) before anything moves on.
 */
export type StepContext<I, S> = {
  runId: string;
  input: I;
  state: S;
  /** 1 on the first execution, +1 after each failed execution of this step. */
  attempt: number;
  /** When this step was first started (for deadlines such as "creation never finished"). */
  stepStartedAt: Date;
  /** The step ran before in this run (a crash, an operator retry, a goto): look for what it did. */
  resumed: boolean;
  now: Date;
  signal: AbortSignal;
};

export type StepOutcome<S> =
  | { type: 'done'; patch?: Partial<S> }
  /** Not finished: checkpoint `patch` and run this step again after `afterMs`. */
  | { type: 'wait'; afterMs: number; patch?: Partial<S>; note?: string }
  /** Go back to an earlier step (e.g. the provider failed a creation in a retryable way). */
  | { type: 'goto'; step: string; afterMs: number; patch?: Partial<S>; note: string }
  /** Stop the run for an operator, with a classified reason and the action they should take. */
  | { type: 'fail'; code: string; message: string; action: OperatorAction; patch?: Partial<S> };

/** What an operator can do about a failed run. */
export type OperatorAction = 'retry' | 'abandon' | 'retry-or-abandon';

export type StepDefinition<I, S> = {
  name: string;
  /** The step may only run while holding one slot of this resource (e.g. account creation per provider). */
  slot?: (input: I, state: S) => string;
  /** Completing this step gives the run's slot back. */
  releasesSlot?: boolean;
  run: (context: StepContext<I, S>) => Promise<StepOutcome<S>>;
};

export type ErrorClass =
  /** Try again later; does not count toward the attempt limit (the provider asked us to slow down). */
  | { kind: 'throttled'; code: string; message: string }
  /** Try again later, up to the attempt limit. */
  | { kind: 'transient'; code: string; message: string }
  /** Stop; an operator decides (retry or abandon). */
  | { kind: 'permanent'; code: string; message: string; action: OperatorAction };

export type WorkflowDefinition<I, S> = {
  name: string;
  input: z.ZodType<I>;
  state: z.ZodType<S>;
  steps: StepDefinition<I, S>[];
  classify: (error: unknown) => ErrorClass;
  /** Called once when a run is abandoned by an operator, to undo reservations. */
  onAbandon?: (context: { runId: string; input: I; state: S }) => Promise<void>;
};

/** The runner's type-erased view of a workflow: JSON in, JSON patches out. */
export type RunnableWorkflow = {
  name: string;
  stepNames: string[];
  slotFor(step: string, input: unknown, state: unknown): string | undefined;
  releasesSlot(step: string): boolean;
  execute(step: string, context: Omit<StepContext<unknown, unknown>, 'input' | 'state'> & { input: unknown; state: unknown }): Promise<StepOutcome<Record<string, unknown>>>;
  classify(error: unknown): ErrorClass;
  abandon(runId: string, input: unknown, state: unknown): Promise<void>;
};

export function defineWorkflow<I, S extends Record<string, unknown>>(definition: WorkflowDefinition<I, S>): RunnableWorkflow {
  const names = definition.steps.map((s) => s.name);
  const duplicates = names.filter((n, i) => names.indexOf(n) !== i);
  if (duplicates.length > 0) throw new Error(`workflow ${definition.name} repeats steps: ${duplicates.join(', ')}`);
  const stepOf = (name: string) => {
    const step = definition.steps.find((s) => s.name === name);
    if (step === undefined) throw new Error(`workflow ${definition.name} has no step ${name}`);
    return step;
  };
  return {
    name: definition.name,
    stepNames: names,
    slotFor: (step, input, state) => stepOf(step).slot?.(definition.input.parse(input), definition.state.parse(state)),
    releasesSlot: (step) => stepOf(step).releasesSlot === true,
    async execute(step, context) {
      const outcome = await stepOf(step).run({
        ...context,
        input: definition.input.parse(context.input),
        state: definition.state.parse(context.state),
      });
      if (outcome.type === 'goto') stepOf(outcome.step);
      return outcome;
    },
    classify: definition.classify,
    async abandon(runId, input, state) {
      await definition.onAbandon?.({ runId, input: definition.input.parse(input), state: definition.state.parse(state) });
    },
  };
}

/** Inserts steps after a named one: how later features add steps without touching the runner. */
export function insertStepsAfter<I, S>(steps: StepDefinition<I, S>[], after: string, added: StepDefinition<I, S>[]): StepDefinition<I, S>[] {
  const index = steps.findIndex((s) => s.name === after);
  if (index < 0) throw new Error(`no step ${after} to insert after`);
  return [...steps.slice(0, index + 1), ...added, ...steps.slice(index + 1)];
}
