/**
 * bulletin.html in a real browser: every chart drawn with a size, Chinese in a real CJK font (no
 * tofu), no console error, no request beyond the file itself, rows kept whole in print; writes a
 * full-page screenshot, the first two screens (docs/bulletin-example.png) and an A4 PDF to the OS
 * temp dir and prints their paths.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderSupervisionDocuments } from '../../shared/supervision/documents/index.js';
import { FONT_STACK } from '../../shared/supervision/documents/fonts.js';
import { FIXTURE_OPTIONS, fixtureBulletin } from '../helpers/bulletin-fixture.js';
import { launchChromium } from '../helpers/browser.js';

// The functions given to page.evaluate run in the browser. The project compiles without the DOM lib
// (its code runs in Node), so the browser globals they use are declared here, for this file only.
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;
declare function getComputedStyle(element: unknown): any;

/** A4 at 96 dpi, less the page's print margins (14 mm each side): the width the content has on paper. */
const A4_CONTENT_PX = Math.floor(((210 - 28) / 25.4) * 96);
const CJK_FONT = /Noto Sans CJK|Source Han Sans|Microsoft YaHei|PingFang/;

describe('bulletin.html in headless Chromium', () => {
  // Kept after the run on purpose: the screenshot and the PDF are what a reviewer looks at.
  const out = mkdtempSync(join(tmpdir(), 'bishui-bulletin-'));
  const htmlPath = join(out, 'bulletin.html');
  const url = pathToFileURL(htmlPath).href;
  let browser: Browser;
  let page: Page;
  const requests: string[] = [];
  const errors: string[] = [];

  beforeAll(async () => {
    const { files } = await renderSupervisionDocuments(fixtureBulletin(), FIXTURE_OPTIONS);
    writeFileSync(htmlPath, files.find((f) => f.name === 'bulletin.html')?.body as string);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 820, height: 1100 } });
    page.on('request', (r) => requests.push(r.url()));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url, { waitUntil: 'load' });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('draws every chart with a non-zero size', async () => {
    const charts = await page.$$eval('figure.chart', (figs) => figs.map((f) => {
      const svg = f.querySelector('svg');
      const box = svg?.getBoundingClientRect();
      const label = svg?.querySelector('text');
      return { id: f.getAttribute('data-chart'), w: box?.width ?? 0, h: box?.height ?? 0, textWidth: label ? label.getBBox().width : 0 };
    }));
    expect(charts.map((c) => c.id)).toEqual(['cwqi-history', 'contributions', 'trend-sixinhe-TN', 'flood-daily']);
    for (const c of charts) {
      expect(c.w, c.id as string).toBeGreaterThan(300);
      expect(c.h, c.id as string).toBeGreaterThan(100);
      expect(c.textWidth, c.id as string).toBeGreaterThan(0);
    }
  });

  it('shows Chinese in a CJK font: two different characters draw different pixels (tofu boxes would not)', async () => {
    const result = await page.evaluate((font) => {
      const draw = (ch: string) => {
        const c = document.createElement('canvas');
        c.width = 64; c.height = 64;
        const ctx = c.getContext('2d');
        ctx.font = `48px ${font}`;
        ctx.fillStyle = '#000';
        ctx.fillText(ch, 4, 52);
        return Array.from(ctx.getImageData(0, 0, 64, 64).data as ArrayLike<number>);
      };
      const a = draw('水');
      const b = draw('质');
      return { inkA: a.filter((v, i) => i % 4 === 3 && v > 0).length, differing: a.filter((v, i) => v !== b[i]).length, bodyFont: getComputedStyle(document.body).fontFamily };
    }, FONT_STACK);
    expect(result.bodyFont).toContain('Noto Sans CJK SC');
    expect(result.inkA).toBeGreaterThan(50);
    expect(result.differing).toBeGreaterThan(50);
  });

  it('renders the title and the chart legends with a CJK font the page names (as Chromium reports it)', async () => {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root } = await cdp.send('DOM.getDocument', { depth: -1 });
    for (const selector of ['h1', 'figure[data-chart="cwqi-history"] .role-legend-label text', 'table.rank-cwqi td.name']) {
      const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector });
      expect(nodeId, selector).toBeGreaterThan(0);
      const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
      expect(fonts.length, selector).toBeGreaterThan(0);
      expect(fonts.every((f) => CJK_FONT.test(f.familyName)), `${selector}: ${fonts.map((f) => f.familyName).join(', ')}`).toBe(true);
    }
    await cdp.detach();
  });

  it('logs no console error and requests nothing beyond the file itself', () => {
    expect(errors).toEqual([]);
    expect(requests).toEqual([url]);
  });

  it('prints on A4: charts fit the width, table rows and charts are not split, no horizontal overflow', async () => {
    await page.emulateMedia({ media: 'print' });
    await page.setViewportSize({ width: A4_CONTENT_PX, height: 1100 });
    const layout = await page.evaluate(() => ({
      overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      widest: Math.max(...[...document.querySelectorAll('figure.chart svg')].map((s: any) => s.getBoundingClientRect().width as number)),
      rowBreaks: [...new Set([...document.querySelectorAll('tr')].map((r: unknown) => getComputedStyle(r).breakInside as string))],
      figureBreaks: [...new Set([...document.querySelectorAll('figure')].map((f: unknown) => getComputedStyle(f).breakInside as string))],
    }));
    expect(layout.overflow).toBeLessThanOrEqual(0);
    expect(layout.widest).toBeLessThanOrEqual(A4_CONTENT_PX);
    expect(layout.rowBreaks).toEqual(['avoid']);
    expect(layout.figureBreaks).toEqual(['avoid']);

    const pdfPath = join(out, 'bulletin-A4.pdf');
    await page.pdf({ path: pdfPath, preferCSSPageSize: true, printBackground: true });
    const pdf = readFileSync(pdfPath);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const pages = pdf.toString('latin1').match(/\/Type\s*\/Page\b/g)?.length ?? 0;
    expect(pages).toBeGreaterThanOrEqual(3);
    console.log(`A4 PDF (${pages} pages): ${pdfPath}`);
  });

  it('writes a full-page screenshot and the first two screens', async () => {
    await page.emulateMedia({ media: 'screen' });
    await page.setViewportSize({ width: 820, height: 1100 });
    const full = join(out, 'bulletin-full.png');
    const first = join(out, 'bulletin-first-screens.png');
    await page.screenshot({ path: full, fullPage: true });
    await page.screenshot({ path: first, clip: { x: 0, y: 0, width: 820, height: 1480 }, fullPage: true });
    for (const p of [full, first]) expect(readFileSync(p).subarray(1, 4).toString('latin1')).toBe('PNG');
    console.log(`screenshot: ${full}\nfirst screens (docs/bulletin-example.png): ${first}\npage: ${htmlPath}`);
  });
});
