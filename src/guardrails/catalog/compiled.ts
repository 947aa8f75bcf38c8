import type { Issue } from '../../domain/errors.js';
import { compileRule, type CompiledRule, type ResourceShape, type RuleOutcome } from '../rules/rule.js';
import type { Control } from './schema.js';

/** A control whose rule (if it has one) is compiled once, ready for the proactive and detective moments. */
export type CompiledControl = Control & { rule?: CompiledRule };

/**
 * Compiles every control's rule and checks it against its own worked examples, so a catalog whose
 * rule does not say what its author meant is refused on load. `at` is the location of the controls
 * list (a file and a path) for the issues.
 */
export function compileControls(controls: Control[], at: (string | number)[] = []): { controls: CompiledControl[]; issues: Issue[] } {
  const issues: Issue[] = [];
  const compiled: CompiledControl[] = [];
  controls.forEach((control, index) => {
    const where = [...at, index, 'implementations', 'rule'];
    const spec = control.implementations.rule;
    if (spec === undefined) {
      compiled.push(control);
      return;
    }
    const result = compileRule(spec.expression, [...where, 'expression']);
    if ('issues' in result) {
      issues.push(...result.issues);
      return;
    }
    issues.push(...checkExamples(control, result.rule, where));
    compiled.push({ ...control, rule: result.rule });
  });
  return { controls: compiled, issues };
}

function checkExamples(control: Control, rule: CompiledRule, where: (string | number)[]): Issue[] {
  const spec = control.implementations.rule;
  if (spec === undefined) return [];
  const type = control.resourceTypes[0] ?? 'Hatoba::Account';
  const issues: Issue[] = [];
  for (const expected of ['pass', 'fail'] as const) {
    spec.examples[expected].forEach((properties, i) => {
      const outcome: RuleOutcome = rule.evaluate({ type, properties });
      if (outcome.result !== expected) {
        const got = outcome.result === 'error' ? `error (${outcome.message})` : outcome.result;
        issues.push({ path: [...where, 'examples', expected, i], message: `${control.id}: this example should ${expected} but the rule gives ${got}` });
      }
    });
  }
  if (control.resourceTypes.length === 0) issues.push({ path: [...where], message: `${control.id}: a control with a rule names the resource types it applies to` });
  return issues;
}

/** Controls by the resource type their rule applies to: what a scan or a sweep looks up per resource. */
export function indexByResourceType(controls: readonly CompiledControl[]): Map<string, CompiledControl[]> {
  const index = new Map<string, CompiledControl[]>();
  for (const control of controls) {
    if (control.rule === undefined) continue;
    for (const type of control.resourceTypes) index.set(type, [...(index.get(type) ?? []), control]);
  }
  return index;
}

/** Evaluates every applicable rule on one resource. */
export function evaluateResource(index: Map<string, CompiledControl[]>, resource: ResourceShape): { control: CompiledControl; outcome: RuleOutcome }[] {
  return (index.get(resource.type) ?? []).flatMap((control) => (control.rule === undefined ? [] : [{ control, outcome: control.rule.evaluate(resource) }]));
}
