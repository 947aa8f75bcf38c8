-- Preventive rollout fixes (issue 3 review).
--
-- A stage change claims the rollout's version first and converges the provider after, so the record
-- may briefly (or, after a crash, until the request is repeated) say a stage the provider does not
-- show yet. `converged` says whether the provider was last seen matching the record. Rows written
-- before this migration were written after their convergence: they are converged.
ALTER TABLE guardrail_rollouts ADD COLUMN converged boolean NOT NULL DEFAULT true;

-- Enforcing on an impact report that replayed no calls needs the operator's explicit acceptance,
-- recorded with the stage change (its reason says why).
ALTER TABLE guardrail_rollout_history ADD COLUMN accepted_empty_report boolean NOT NULL DEFAULT false;

-- CloudTrail's `resources` of an event: [{ "ARN": …, "accountId": …, "type": … }], the resources the
-- call touched and the accounts that own them (what RCPs and the impact replay judge).
ALTER TABLE twin_events ADD COLUMN resources jsonb;
