import type { ScanReport, ScanResult } from './report.js';

/**
 * The human report: grouped by file, one line per finding with `file:line` (terminals and editors
 * open it), the control, its severity and title, then the explanation for what is not a plain
 * failure. Passing checks are shown only with `verbose`. Ends with one summary line.
 */

export type Lang = 'ja' | 'en';

const LABELS: Record<Lang, Record<ScanResult['result'] | 'suppressed', string>> = {
  ja: { pass: '適合', fail: '不適合', unresolvable: '判定不能', error: 'エラー', suppressed: '抑止' },
  en: { pass: 'PASS', fail: 'FAIL', unresolvable: 'UNRESOLVABLE', error: 'ERROR', suppressed: 'SUPPRESSED' },
};

const SEVERITY: Record<Lang, Record<ScanResult['severity'], string>> = {
  ja: { critical: '重大', high: '高', medium: '中', low: '低', informational: '情報' },
  en: { critical: 'critical', high: 'high', medium: 'medium', low: 'low', informational: 'info' },
};

export function formatText(report: ScanReport, options: { lang: Lang; verbose?: boolean }): string[] {
  const { lang } = options;
  const shown = report.results.filter((r) => options.verbose === true || r.result !== 'pass');
  const lines: string[] = [];
  const files = [...new Set(shown.map((r) => r.file))];
  for (const file of files) {
    lines.push(file);
    const rows = shown.filter((r) => r.file === file).sort((a, b) => a.line - b.line || a.control.localeCompare(b.control));
    for (const r of rows) {
      const label = r.suppressed === undefined ? LABELS[lang][r.result] : `${LABELS[lang].suppressed}:${LABELS[lang][r.result]}`;
      const marker = r.failing ? '✗' : r.result === 'pass' || r.suppressed !== undefined ? ' ' : '!';
      lines.push(`  ${marker} ${r.file}:${r.line}  ${label}  ${r.control}  ${SEVERITY[lang][r.severity]}  ${r.title[lang]}  (${r.name ?? r.logicalId} ${r.type})`);
      if (r.result === 'unresolvable' || r.result === 'error') lines.push(`      ${r.message[lang]}`);
      if (r.suppressed !== undefined) lines.push(`      ${lang === 'ja' ? '理由' : 'reason'}: ${r.suppressed.reason}`);
    }
  }
  if (files.length > 0) lines.push('');
  lines.push(summaryLine(report, lang));
  return lines;
}

export function summaryLine(report: ScanReport, lang: Lang): string {
  const c = report.counts;
  const threshold = SEVERITY[lang][report.settings.severityThreshold];
  if (lang === 'ja') {
    const verdict = report.problems.length > 0 ? '入力エラーあり' : c.failing > 0 ? `失敗（${threshold}以上の不適合 ${c.failing} 件）` : '成功';
    return `${c.files} ファイル、${c.resources} リソース、${c.checks} 件の判定: 不適合 ${c.fail}、判定不能 ${c.unresolvable}、エラー ${c.error}、抑止 ${c.suppressed}、適合 ${c.pass} — ${verdict}`;
  }
  const verdict = report.problems.length > 0 ? 'input errors' : c.failing > 0 ? `failed (${c.failing} failing at or above ${threshold})` : 'passed';
  return `${c.files} file(s), ${c.resources} resource(s), ${c.checks} check(s): ${c.fail} failed, ${c.unresolvable} unresolvable, ${c.error} error(s), ${c.suppressed} suppressed, ${c.pass} passed — ${verdict}`;
}
