import type { Objective, Relationship, Severity } from './schema.js';

/**
 * The catalog's controlled words with their labels in Japanese and English, for the API, the CLI
 * and the portal. Zod-free and without the rule engine, so browser code can import it.
 */
type Label = { ja: string; en: string };

/**
 * How a control acts: `preventive` (an SCP or RCP denies the action), `proactive` (its rule checks a
 * template before deployment) and `detective` (the same rule checks what is deployed). One rule
 * serves both proactive and detective.
 */
export const CONTROL_TYPES = ['preventive', 'proactive', 'detective'] as const;
export type ControlType = (typeof CONTROL_TYPES)[number];

export const CONTROL_TYPE_LABELS: Record<ControlType, Label> = {
  preventive: { ja: '予防的', en: 'Preventive' },
  proactive: { ja: 'プロアクティブ', en: 'Proactive' },
  detective: { ja: '発見的', en: 'Detective' },
};

export const OBJECTIVE_LABELS: Record<Objective, Label> = {
  encryption: { ja: '暗号化', en: 'Encryption' },
  logging: { ja: 'ログ記録', en: 'Logging' },
  monitoring: { ja: '監視', en: 'Monitoring' },
  'network-exposure': { ja: 'ネットワーク露出', en: 'Network exposure' },
  'identity-and-access': { ja: 'ID とアクセス管理', en: 'Identity and access' },
  'data-protection': { ja: 'データ保護', en: 'Data protection' },
  resilience: { ja: '回復性', en: 'Resilience' },
  cost: { ja: 'コスト', en: 'Cost' },
  governance: { ja: 'ガバナンス', en: 'Governance' },
  'vulnerability-management': { ja: '脆弱性管理', en: 'Vulnerability management' },
};

export const SEVERITY_LABELS: Record<Severity, Label> = {
  critical: { ja: '重大', en: 'Critical' },
  high: { ja: '高', en: 'High' },
  medium: { ja: '中', en: 'Medium' },
  low: { ja: '低', en: 'Low' },
  informational: { ja: '情報', en: 'Informational' },
};

export const RELATIONSHIP_LABELS: Record<Relationship | 'part-of', Label> = {
  equivalent: { ja: '同等', en: 'equivalent to' },
  subset: { ja: '部分集合', en: 'subset of' },
  superset: { ja: '上位集合', en: 'superset of' },
  intersects: { ja: '重なる', en: 'intersects' },
  implements: { ja: '実装する', en: 'implements' },
  'derived-from': { ja: '由来する', en: 'derived from' },
  'part-of': { ja: '一部', en: 'part of' },
};

export const FRAMEWORK_KIND_LABELS: Record<'law' | 'regulation' | 'guideline' | 'framework', Label> = {
  law: { ja: '法令', en: 'Law' },
  regulation: { ja: '規程・統一基準', en: 'Regulation' },
  guideline: { ja: 'ガイドライン', en: 'Guideline' },
  framework: { ja: 'フレームワーク', en: 'Framework' },
};
