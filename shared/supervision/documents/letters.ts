/**
 * One letter per ladder action, as an editable .docx in the style of Party and government documents
 * (GB/T 9704-2012: A4, title in 2号小标宋, body in 3号仿宋 with a two-character indent, 28 pt fixed
 * line spacing, signature and date at the right, 抄送 at the foot). Blanks a clerk fills in (meeting
 * time and place, contact) are underlined spaces, not invented data.
 */
import {
  AlignmentType, BorderStyle, Document, Footer, LineRuleType, Packer, PageNumber, Paragraph, Table, TableCell,
  TableRow, TextRun, WidthType,
} from 'docx';
import { MAX_REASON_CHARS, MAX_SITE_NAME_CHARS } from '../../limits.js';
import type { Bulletin, MonthlySiteResult, TownResult } from '../bulletin.js';
import { dateZh, gradeText, limitText, monthZh, multipleText, paramZh, valueWithUnit } from './format.js';
import type { LetterAction } from './names.js';
import { basisText, type Finding, findings } from './findings.js';
import { isSection } from './labels.js';
import { cleanText } from './text.js';

export interface LetterOptions {
  /** The office that signs the letters (e.g. 高新区河长制办公室). */
  readonly issuer: string;
  /** The zone committee, copied on reminder letters (管委会). */
  readonly committee: string;
  /** The zone, as the letters name it. */
  readonly zoneName: string;
  /** Reply deadline, YYYY-MM-DD. */
  readonly replyBy: string;
  /** The letters' date, YYYY-MM-DD. */
  readonly issuedOn: string;
}

// GB/T 9704-2012 measures, in the units Word uses (twips = 1/20 pt; half-points for font sizes).
const MM = 56.7;
const PAGE = { width: 11906, height: 16838 };
const MARGIN = { top: Math.round(37 * MM), bottom: Math.round(35 * MM), left: Math.round(28 * MM), right: Math.round(26 * MM) };
const SIZE_TITLE = 44; // 2号 = 22 pt
const SIZE_BODY = 32; // 3号 = 16 pt
const SIZE_TABLE = 24; // 小4号 = 12 pt
const LINE = { line: 560, lineRule: LineRuleType.EXACT }; // 28 pt
const FONT_TITLE = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '方正小标宋简体' };
const FONT_BODY = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '仿宋_GB2312' };
const FONT_HEADING = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '黑体' };

const text = (s: string) => cleanText(s, MAX_SITE_NAME_CHARS);
const BLANK = '\u3000\u3000\u3000\u3000\u3000\u3000';
/** Marks where a paragraph has a fill-in blank. */
const BLANK_MARK = Symbol('blank');

const TITLES: Readonly<Record<LetterAction, (town: string, sections: string, month: string) => string>> = {
  'reminder-letter': (town, sections, month) => `关于${town}${sections}${month}水质超标的提醒函`,
  'interview-deputy': (town) => `关于约谈${town}分管负责人的通知`,
  'interview-principal': (town) => `关于约谈${town}主要负责人的通知`,
  'listed-supervision': (town, sections) => `关于对${town}${sections}水质超标问题挂牌督办的通知`,
};

function body(content: string, options: { indent?: boolean; bold?: boolean; font?: typeof FONT_BODY; align?: (typeof AlignmentType)[keyof typeof AlignmentType] } = {}): Paragraph {
  return new Paragraph({
    spacing: LINE,
    indent: options.indent === false ? undefined : { firstLine: SIZE_BODY * 20 },
    alignment: options.align ?? AlignmentType.JUSTIFIED,
    children: [new TextRun({ text: content, font: options.font ?? FONT_BODY, size: SIZE_BODY, bold: options.bold })],
  });
}

/** A paragraph with a fill-in blank (underlined ideographic spaces). */
function withBlanks(parts: readonly (string | typeof BLANK_MARK)[]): Paragraph {
  return new Paragraph({
    spacing: LINE,
    indent: { firstLine: SIZE_BODY * 20 },
    children: parts.map((p) => (p === BLANK_MARK
      ? new TextRun({ text: BLANK, font: FONT_BODY, size: SIZE_BODY, underline: {} })
      : new TextRun({ text: p, font: FONT_BODY, size: SIZE_BODY }))),
  });
}

function cell(content: string, header = false): TableCell {
  return new TableCell({
    children: [new Paragraph({
      alignment: AlignmentType.CENTER,
      children: [new TextRun({ text: content, font: header ? FONT_HEADING : FONT_BODY, size: SIZE_TABLE })],
    })],
  });
}

function exceedanceTable(rows: readonly { site: MonthlySiteResult; f: Finding }[], names: ReadonlyMap<string, string>): Table {
  const header = new TableRow({ tableHeader: true, cantSplit: true, children: ['点位', '超标指标', '依据', '监测值', '限值', '超标倍数'].map((h) => cell(h, true)) });
  const body = rows.map(({ site, f }) => new TableRow({
    cantSplit: true,
    children: [
      cell(names.get(site.site) ?? text(site.site)), cell(paramZh(f.exceedance.param)), cell(basisText(f)),
      cell(valueWithUnit(f.exceedance.param, f.exceedance.value)), cell(limitText(f.exceedance)), cell(multipleText(f.exceedance.multiple)),
    ],
  }));
  return new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, rows: [header, ...body] });
}

function findingSentence(s: MonthlySiteResult, name: string, month: string, zoneName: string): string {
  const fs = findings(s);
  const what = fs.map((f) => `${paramZh(f.exceedance.param)}${f.basis.kind === 'month' ? '月均值' : `（${f.basis.time}）`}${valueWithUnit(f.exceedance.param, f.exceedance.value)}（限值${limitText(f.exceedance)}，超标${multipleText(f.exceedance.multiple)}）`).join('，');
  if (s.effluent) {
    const e = s.effluent;
    return `根据${zoneName}水质监测结果，${month}，${name}共监测${e.samples}个样品，其中${e.compliantSamples}个达标，未能稳定达到出水${gradeText(s.target)}标准${what ? `，其中${what}` : ''}。`;
  }
  return `根据${zoneName}地表水环境质量监测结果，${month}，${name}水质为${gradeText(s.grade)}，未达到${gradeText(s.target)}水质目标${what ? `，其中${what}` : ''}。`;
}

const STATUS_ZH = { exceeded: '超标', compliant: '达标', 'insufficient-data': '数据不足' } as const;

/** The letter's paragraphs and table. */
function letterBody(b: Bulletin, t: TownResult & { action: LetterAction }, o: LetterOptions): (Paragraph | Table)[] {
  const names = new Map(b.sites.map((s) => [s.site, text(s.name || s.site)]));
  const own = b.sites.filter((s) => t.sites.includes(s.site));
  const exceeded = own.filter((s) => s.compliant === false);
  const sections = exceeded.length > 0 ? exceeded : own;
  const sectionNames = sections.map((s) => names.get(s.site) as string).join('、') || t.sites.map(text).join('、');
  const town = text(t.town);
  const noun = sections.every(isSection) ? '断面' : '点位';
  const month = monthZh(b.month);
  const run = t.history.filter((h) => h.status === 'exceeded').map((h) => monthZh(h.month));
  const recipients = t.recipients.length > 0 ? t.recipients.map((r) => `${text(r.role)}${text(r.name)}`).join('、') : town;

  const title = new Paragraph({
    alignment: AlignmentType.CENTER,
    spacing: { before: 240, after: 480, line: 700, lineRule: LineRuleType.EXACT },
    children: [new TextRun({ text: TITLES[t.action](town, sectionNames, month), font: FONT_TITLE, size: SIZE_TITLE })],
  });

  const found = sections.map((s) => body(findingSentence(s, names.get(s.site) as string, month, text(o.zoneName))));
  const rows = sections.flatMap((site) => findings(site).map((f) => ({ site, f })));

  const consecutive = body(`截至${month}，你镇（中心）负责的${noun}已连续${t.consecutive}个月水质超标（${run.join('、') || month}）。`);

  const decision: Paragraph[] = {
    'reminder-letter': [body(`按照${text(o.zoneName)}水污染防治督导考核要求，现予以提醒。请高度重视，立即组织排查，采取有效措施，确保${noun}水质尽快稳定达标。`)],
    'interview-deputy': [
      body(`按照${text(o.zoneName)}水污染防治督导考核要求，断面连续2个月超标的，约谈所在镇（中心）分管负责人及责任河长。`),
      withBlanks(['约谈时间：', BLANK_MARK, '；约谈地点：', BLANK_MARK, '。请你镇（中心）分管负责人、责任河长准时参加，并汇报超标原因及整改进展。']),
    ],
    'interview-principal': [
      body(`按照${text(o.zoneName)}水污染防治督导考核要求，断面连续3个月超标的，约谈所在镇（中心）主要负责人及责任河长。`),
      withBlanks(['约谈时间：', BLANK_MARK, '；约谈地点：', BLANK_MARK, '。请你镇（中心）主要负责人、责任河长准时参加，并汇报超标原因及整改进展。']),
    ],
    'listed-supervision': [body(`上述${noun}经提醒、约谈后水质仍未达标，问题整改不到位。按照${text(o.zoneName)}水污染防治督导考核要求，决定对该问题挂牌督办，直至${noun}水质稳定达标后销号。`)],
  }[t.action];

  const asks = [
    body(`请于${dateZh(o.replyBy)}前书面报送以下材料：`),
    body('一、超标原因分析。逐项分析超标指标的来源（沿线排口、入河排污口、生活污水、农业面源、上游来水等）。'),
    body('二、整改措施。针对主要贡献指标提出具体措施，明确责任单位和责任人。'),
    body('三、整改时限。列明各项措施的完成时限及断面水质达标的预期时间。'),
    withBlanks(['联系人：', BLANK_MARK, '；联系电话：', BLANK_MARK, '。']),
  ];

  const signature = [
    new Paragraph({ spacing: { before: 560, ...LINE }, alignment: AlignmentType.RIGHT, indent: { right: SIZE_BODY * 40 }, children: [new TextRun({ text: text(o.issuer), font: FONT_BODY, size: SIZE_BODY })] }),
    new Paragraph({ spacing: LINE, alignment: AlignmentType.RIGHT, indent: { right: SIZE_BODY * 40 }, children: [new TextRun({ text: dateZh(o.issuedOn), font: FONT_BODY, size: SIZE_BODY })] }),
  ];

  const copy = t.action === 'reminder-letter'
    ? [new Paragraph({
        spacing: { before: 1120, ...LINE },
        border: { top: { style: BorderStyle.SINGLE, size: 6, color: '000000', space: 4 }, bottom: { style: BorderStyle.SINGLE, size: 6, color: '000000', space: 4 } },
        indent: { left: SIZE_BODY * 20 / 2 },
        children: [new TextRun({ text: `抄送：${text(o.committee)}。`, font: FONT_BODY, size: 28 })],
      })]
    : [];

  return [
    title,
    body(`${recipients}：`, { indent: false }),
    ...found,
    ...(rows.length > 0 ? [exceedanceTable(rows, names)] : []),
    consecutive,
    ...(t.history.some((h) => h.status !== 'exceeded')
      ? [body(`近期逐月情况：${t.history.map((h) => `${monthZh(h.month)}${STATUS_ZH[h.status]}`).join('，')}。`)]
      : []),
    ...decision,
    ...asks,
    ...signature,
    ...copy,
  ];
}

/** One letter as .docx bytes. */
export async function renderLetter(b: Bulletin, town: TownResult & { action: LetterAction }, o: LetterOptions): Promise<Uint8Array> {
  const doc = new Document({
    creator: cleanText(o.issuer, MAX_REASON_CHARS),
    title: cleanText(`${town.town} ${b.month}`, MAX_REASON_CHARS),
    styles: { default: { document: { run: { font: FONT_BODY, size: SIZE_BODY } } } },
    sections: [{
      properties: { page: { size: PAGE, margin: MARGIN } },
      footers: {
        default: new Footer({
          children: [new Paragraph({
            alignment: AlignmentType.CENTER,
            children: [new TextRun({ children: ['— ', PageNumber.CURRENT, ' —'], font: FONT_BODY, size: 28 })],
          })],
        }),
      },
      children: letterBody(b, town, o),
    }],
  });
  return new Uint8Array(await Packer.toArrayBuffer(doc));
}
