/**
 * The page's stylesheet, inline: readable on screen, printed on A4 (GB/T 9704's 210 × 297 mm) with
 * table rows, charts and small blocks kept whole and headings kept with what follows them.
 */
import { FONT_STACK } from './fonts.js';

export const PAGE_CSS = `
:root { --ink: #1f2328; --muted: #59636e; --rule: #d0d7de; --head: #f3f5f7; --better: #1a7f37; --worse: #cf222e; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0 auto; max-width: 760px; padding: 24px 16px 48px; font-family: ${FONT_STACK};
  color: var(--ink); font-size: 14px; line-height: 1.6; background: #fff; }
header { border-bottom: 3px solid #c00; padding-bottom: 8px; margin-bottom: 16px; text-align: center; }
header h1 { font-size: 24px; margin: 0; letter-spacing: 0.05em; color: #c00; }
header p { margin: 4px 0 0; color: var(--muted); font-size: 13px; }
h2 { font-size: 18px; margin: 28px 0 10px; padding-left: 8px; border-left: 4px solid #c00; break-after: avoid; page-break-after: avoid; }
h3 { font-size: 15px; margin: 18px 0 8px; break-after: avoid; page-break-after: avoid; }
p.note { color: var(--muted); font-size: 12px; margin: 4px 0 8px; }
h2 + p.note { break-after: avoid; page-break-after: avoid; }
.cards { display: grid; grid-template-columns: repeat(3, 1fr); gap: 8px; margin: 8px 0 12px; }
.card { border: 1px solid var(--rule); border-radius: 6px; padding: 8px 10px; break-inside: avoid; }
.card .k { color: var(--muted); font-size: 12px; }
.card .v { font-size: 20px; font-weight: bold; }
table { width: 100%; border-collapse: collapse; margin: 6px 0 10px; font-size: 13px; }
caption { text-align: left; font-weight: bold; padding: 4px 0; caption-side: top; }
th, td { border: 1px solid var(--rule); padding: 4px 6px; text-align: center; vertical-align: middle; white-space: nowrap; }
th { background: var(--head); font-weight: bold; }
td.name, th.name { text-align: left; white-space: normal; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
thead { display: table-header-group; }
tr, img, svg, .card, li { break-inside: avoid; page-break-inside: avoid; }
.better { color: var(--better); }
.worse { color: var(--worse); }
.flat { color: var(--muted); }
.met { color: var(--better); font-weight: bold; }
.unmet { color: var(--worse); font-weight: bold; }
.grade { display: inline-block; min-width: 3.2em; padding: 0 4px; border-radius: 3px; font-weight: bold; }
.g-I { background: #cce9f9; } .g-II { background: #9dd2f5; } .g-III { background: #b7e4b1; }
.g-IV { background: #fff1a8; } .g-V { background: #ffc98b; } .g-劣V { background: #f4a0a0; } .g-none { background: #eee; }
.action { font-weight: bold; color: var(--worse); }
figure.chart { margin: 12px 0 18px; break-inside: avoid; page-break-inside: avoid; }
figure.chart svg { display: block; width: 100%; height: auto; max-width: 100%; }
figcaption { font-size: 13px; color: var(--muted); margin-bottom: 4px; }
ul.problems li { margin: 2px 0; }
footer { margin-top: 32px; border-top: 1px solid var(--rule); padding-top: 8px; color: var(--muted); font-size: 12px; }
@page { size: A4; margin: 16mm 14mm 18mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  header h1 { font-size: 20pt; }
  h2 { font-size: 14pt; }
  table { font-size: 9.5pt; }
  section.charts { break-before: page; page-break-before: always; }
}
`;
