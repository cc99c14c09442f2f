/**
 * `npm run bench [-- --json] [-- --only domain,parse,xlsx]`: bishui's performance figures (sections: domain,
 * parse, evaluate-json, xlsx, bundle, ingest, continuation, rss, supervision). Speed goals
 * are reported as ratios to a baseline measured in the same run, since the machine is shared.
 * Children: `node main.mjs child <what> <file>` measures one thing in a fresh process: `bare:<candidate>`
 * (bench/candidates.ts), `ours` (parse + evaluate as the pipeline ships), `xlsx`, `exceljs`.
 */
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { benchDomain } from './domain.js';
import { hj212Log, wideCsv, wideCsvCompliant, wideCsvRows, wideXlsx } from './files.js';
import { CANDIDATES, type Candidate } from './candidates.js';
import { bareCandidate, bareExcelJs, parseAndEvaluate, replay, xlsxRowsRead, type RunFigures } from './parse.js';
import { evaluateJsonChild, type EvaluateJsonFigures } from './evaluate-json.js';
import { BENCH_MONTH, supervisionChild, supervisionFigures } from './supervision.js';

const self = process.argv[1] as string;

/**
 * The ingest figures' module (emulators, the local pipeline, the AWS SDK), loaded only where they
 * run: loaded in a parse child, its module graph alone doubled the garbage collector's work there
 * (3.5 s of a 7 s parse + evaluate, against 0.5 s without it).
 */
const ingest = () => import('./ingest.js');

function child(what: string, file: string, nodeFlags: readonly string[] = ['--max-old-space-size=4096']): RunFigures {
  const out = execFileSync(process.execPath, [...nodeFlags, self, 'child', what, file], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split('\n').pop() as string) as RunFigures;
}

function numberArg(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  const v = i >= 0 ? Number(args[i + 1]) : fallback;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`${name} wants a positive number`);
  return v;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

async function run(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === 'child' && args[1] === 'handler') {
    const [, , bundle, key] = args as [string, string, string, string];
    await (await ingest()).handlerChild(bundle, key);
    return;
  }
  if (args[0] === 'child' && args[1] === 'evaluate-json') {
    process.stdout.write(`${JSON.stringify(await evaluateJsonChild(args[2] as string))}\n`);
    return;
  }
  if (args[0] === 'child' && args[1] === 'supervision') {
    const [, , bundle, month] = args as [string, string, string, string];
    await supervisionChild(bundle, month);
    return;
  }
  if (args[0] === 'child') {
    const [, what, file] = args as [string, string, string];
    const r = what.startsWith('bare:') ? await bareCandidate(what.slice(5) as Candidate, file)
      : what === 'xlsx' ? await xlsxRowsRead(file)
      : what === 'exceljs' ? await bareExcelJs(file)
      : await parseAndEvaluate(file);
    process.stdout.write(`${JSON.stringify(r)}\n`);
    return;
  }
  const json = args.includes('--json');
  const onlyAt = args.indexOf('--only');
  const only = onlyAt >= 0 ? new Set((args[onlyAt + 1] ?? '').split(',')) : undefined;
  const want = (s: string) => !only || only.has(s);
  const results: Record<string, unknown> = {};
  const say = (s: string) => { if (!json) console.log(s); };

  if (want('domain')) {
    say('domain: grading + CWQI (full evaluateSample) of 1,000,000 in-memory samples …');
    const runs = [benchDomain(), benchDomain(), benchDomain()];
    const seconds = median(runs.map((r) => r.seconds));
    results.domain = { samples: 1_000_000, medianSeconds: seconds, runs: runs.map((r) => r.seconds), goalSeconds: 1 };
    say(`  median ${seconds.toFixed(3)} s (runs: ${runs.map((r) => r.seconds.toFixed(3)).join(', ')}); goal < 1 s`);
  }

  if (want('parse')) {
    say('parse: generating inputs (bench/data, cached) …');
    const big = await wideCsv(100);
    const small = await wideCsv(25);
    const runs = numberArg(args, '--parse-runs', 2);
    const times = <T>(f: () => T): T[] => Array.from({ length: runs }, f);
    const mb = statSync(big).size / 1e6;
    say(`  candidates: bare parse of the same ${mb.toFixed(0)} MB wide CSV, each run in a fresh process, ${runs} rounds of all of them, median:`);
    // `--candidates csv-parse,csv-rows`: some of them only (csv-parse is always run: the pairs need it).
    const pick = args.indexOf('--candidates');
    const names = (Object.keys(CANDIDATES) as Candidate[]).filter((c) => pick < 0 || (args[pick + 1] ?? '').split(',').includes(c));
    // Round after round rather than one candidate's runs back to back: a busy minute then falls on all.
    const byCandidate = new Map<Candidate, RunFigures[]>(names.map((c) => [c, []]));
    for (let round = 0; round < runs; round++) for (const c of names) byCandidate.get(c)?.push(child(`bare:${c}`, big));
    const candidates: Record<string, unknown> = {};
    for (const c of names) {
      const rs = byCandidate.get(c) as RunFigures[];
      const sec = median(rs.map((r) => r.seconds));
      const cpu = median(rs.map((r) => r.cpuSeconds));
      const records = (rs[0] as RunFigures).records;
      const rss = Math.max(...rs.map((r) => r.maxRssMB));
      candidates[c] = {
        medianSeconds: sec, runs: rs.map((r) => r.seconds), medianCpuSeconds: cpu, MBps: mb / sec, rowsPerSecond: records / sec,
        records, peakRssMB: rss, what: CANDIDATES[c],
      };
      say(`    ${c.padEnd(11)} ${(mb / sec).toFixed(1).padStart(6)} MB/s ${Math.round(records / sec).toLocaleString('en').padStart(11)} rows/s  CPU ${cpu.toFixed(2)} s  peak RSS ${rss.toFixed(0)} MB  (runs ${rs.map((r) => r.seconds.toFixed(2)).join(', ')} s)`);
    }
    // Parse + evaluate as the pipeline ships it (csv-rows under the row code), each run next to a
    // bare csv-parse run of its own: the load of the shared machine changes from minute to minute,
    // so each ratio is taken within a pair, then the median.
    const pairs = times(() => ({ bare: child('bare:csv-parse', big), ours: child('ours', big) }));
    const oursSmall = child('ours', small);
    // V8's own heap sizing on this 24 GiB machine lets garbage pile up when the machine is busy; as a
    // 256 MB Lambda function starts Node.js, the heap is sized to the function.
    const lambda = (await ingest()).lambdaNodeFlags(256);
    const rssLambda = [child('ours', small, lambda), child('ours', big, lambda)];
    const ours = pairs.map((p) => p.ours);
    const ratio = (by: 'seconds' | 'cpuSeconds') => median(pairs.map((p) => p.bare[by] / p.ours[by]));
    const oursS = median(ours.map((r) => r.seconds));
    const first = ours[0] as RunFigures;
    const rss100 = Math.max(...ours.map((r) => r.maxRssMB));
    results.parse = {
      fileMB: mb, records: first.records, rejected: first.rejected, candidates,
      pairs: pairs.map((p) => ({ csvParseBare: p.bare.seconds, parseEvaluate: p.ours.seconds, cpu: { csvParseBare: p.bare.cpuSeconds, parseEvaluate: p.ours.cpuSeconds } })),
      parseEvaluateSeconds: oursS, parseEvaluateMBps: mb / oursS, throughputRatio: ratio('seconds'), cpuRatio: ratio('cpuSeconds'), goalRatio: 2,
      peakRssMB: { file100MB: rss100, file25MB: oursSmall.maxRssMB }, goalPeakRssMB: 200,
      peakRssMBAsLambda256: { nodeFlags: lambda, file25MB: rssLambda[0]?.maxRssMB, file100MB: rssLambda[1]?.maxRssMB },
    };
    say(`  parse + evaluate as shipped, ${first.records.toLocaleString('en')} samples, each run paired with a bare csv-parse run (median of ${runs} pairs):`);
    say(`    ${oursS.toFixed(2)} s, ${(mb / oursS).toFixed(1)} MB/s → ${ratio('seconds').toFixed(2)}× csv-parse's bare parse (goal ≥ 2); by CPU time ${ratio('cpuSeconds').toFixed(2)}×`);
    say(`    pairs (csv-parse bare / parse + evaluate): ${pairs.map((p) => `${p.bare.seconds.toFixed(2)} / ${p.ours.seconds.toFixed(2)} s`).join('; ')}`);
    say(`  peak RSS: ${rss100.toFixed(0)} MB on 100 MB, ${oursSmall.maxRssMB.toFixed(0)} MB on 25 MB; as a 256 MB Lambda starts it (${lambda.join(' ')}): ${rssLambda[1]?.maxRssMB.toFixed(0)} MB on 100 MB, ${rssLambda[0]?.maxRssMB.toFixed(0)} MB on 25 MB (goal: flat, < 200 MB)`);

    const n = 200_000;
    const log = await hj212Log(n);
    const hj = [child('ours', log), child('ours', log)];
    const hjS = median(hj.map((r) => r.seconds));
    results.hj212 = { packets: hj[0]?.records, seconds: hjS, packetsPerSecond: (hj[0]?.records ?? 0) / hjS, peakRssMB: Math.max(...hj.map((r) => r.maxRssMB)) };
    say(`  HJ 212: ${hj[0]?.records} hourly packets in ${hjS.toFixed(2)} s → ${Math.round((hj[0]?.records ?? 0) / hjS)} packets/s, peak RSS ${Math.max(...hj.map((r) => r.maxRssMB)).toFixed(0)} MB`);
  }

  if (want('evaluate-json')) {
    say('evaluate-json: `bishui evaluate FILE --json` on the wide CSVs, output to /dev/null, each in a fresh process …');
    const runs: Record<string, EvaluateJsonFigures & { fileMB: number }> = {};
    for (const mb of [25, 100]) {
      const figures = child('evaluate-json', await wideCsv(mb)) as unknown as EvaluateJsonFigures;
      runs[`file${mb}MB`] = { fileMB: mb, ...figures };
      say(`  ${mb} MB: ${figures.seconds.toFixed(1)} s (${figures.cpuSeconds.toFixed(1)} s CPU), ${(figures.outputBytes / 1e6).toFixed(0)} MB of JSON, peak RSS ${figures.maxRssMB.toFixed(0)} MB`);
    }
    const [small, big] = [runs.file25MB!.maxRssMB, runs.file100MB!.maxRssMB];
    results.evaluateJson = { ...runs, rssGrowth25to100MB: big - small, goal: 'flat: peak RSS on 100 MB within 25 % of that on 25 MB' };
    say(`  peak RSS 25 MB → 100 MB: ${small.toFixed(0)} → ${big.toFixed(0)} MB (goal: flat)`);
  }

  if (want('xlsx')) {
    const n = numberArg(args, '--xlsx-rows', 100_000);
    say(`xlsx: a ${n.toLocaleString('en')}-row workbook (exceljs WorkbookWriter, bench/data, cached) …`);
    const book = await wideXlsx(n);
    const runs = numberArg(args, '--parse-runs', 2);
    const ours = Array.from({ length: runs }, () => child('xlsx', book));
    const bare = Array.from({ length: runs }, () => child('exceljs', book));
    const oursS = median(ours.map((r) => r.seconds));
    const bareS = median(bare.map((r) => r.seconds));
    const rows = (ours[0] as RunFigures).records;
    results.xlsx = {
      rows, fileMB: statSync(book).size / 1e6, xlsxRowsSeconds: oursS, rowsPerSecond: rows / oursS, runs: ours.map((r) => r.seconds),
      peakRssMB: Math.max(...ours.map((r) => r.maxRssMB)), exceljsReaderSeconds: bareS, exceljsRowsPerSecond: rows / bareS,
    };
    say(`  xlsx-rows ${Math.round(rows / oursS).toLocaleString('en')} rows/s (${oursS.toFixed(2)} s, peak RSS ${Math.max(...ours.map((r) => r.maxRssMB)).toFixed(0)} MB); exceljs's own WorkbookReader ${Math.round(rows / bareS).toLocaleString('en')} rows/s (${bareS.toFixed(2)} s); median of ${runs}`);
  }

  if (want('bundle')) {
    const b = await (await ingest()).bundleFigures();
    const init = median(b.coldInitMs);
    const sdk = median(b.sdkOnlyInitMs);
    const engine = median(b.xlsxEngineLoadMs);
    results.bundle = {
      bytes: b.bytes, kB: b.bytes / 1024, goalKB: 300, coldInitMs: b.coldInitMs, medianColdInitMs: init,
      sdkOnlyInitMs: b.sdkOnlyInitMs, medianSdkOnlyInitMs: sdk, ownInitMs: init - sdk, goalColdInitMs: 150,
      xlsxEngine: { bytes: b.lazyBytes, kB: b.lazyBytes / 1024, loadMs: b.xlsxEngineLoadMs, medianLoadMs: engine },
    };
    say(`bundle: ingest function ${(b.bytes / 1024).toFixed(0)} KB minified without the AWS SDK (goal < 300 KB); beside it, loaded with the first workbook, the Excel engine ${(b.lazyBytes / 1024).toFixed(0)} KB (its load: median ${engine.toFixed(0)} ms)`);
    say(`  cold init, median of 5 fresh processes: ${init.toFixed(0)} ms in all, of which loading the S3 and DynamoDB SDK clients alone takes ${sdk.toFixed(0)} ms → bishui's own ${(init - sdk).toFixed(0)} ms (goal < 150 ms)`);
  }

  if (want('ingest')) {
    const n = numberArg(args, '--ingest-samples', 1_000_000);
    say(`ingest: ${n.toLocaleString('en')}-sample file through the local pipeline vs dynalite's bare BatchWriteItem (this takes a while) …`);
    const csv = await wideCsvRows(n);
    const { bareDynaliteWrites, localEndToEnd } = await ingest();
    const bare = await bareDynaliteWrites(n);
    const e2e = await localEndToEnd(csv, n);
    const ratio = e2e.samplesPerSecond / bare.itemsPerSecond;
    results.ingest = {
      samples: n, endToEndSamplesPerSecond: e2e.samplesPerSecond, endToEndSeconds: e2e.seconds,
      dynaliteBatchWriteItemsPerSecond: bare.itemsPerSecond, ratio, goalRatio: 0.8,
      writesPerSample: e2e.writesPerSample, itemBytes: e2e.itemBytes, goalItemBytes: 1024,
    };
    say(`  end to end ${Math.round(e2e.samplesPerSecond)} samples/s, dynalite bare ${Math.round(bare.itemsPerSecond)} items/s → ratio ${ratio.toFixed(2)} (goal ≥ 0.8)`);
    say(`  DynamoDB writes per sample: ${e2e.writesPerSample.toFixed(3)} (goal 1); item size mean ${e2e.itemBytes.mean.toFixed(0)} B, max ${e2e.itemBytes.max} B (goal < 1 KB)`);
  }

  if (want('continuation')) {
    const n = numberArg(args, '--continuation-samples', 1_000_000);
    const budget = numberArg(args, '--continuation-budget-ms', 30_000);
    say(`continuation: a ${n.toLocaleString('en')}-sample file through the local pipeline in one invocation, then with ${budget / 1000} s per invocation (handed on from one to the next; this takes a while) …`);
    const csv = await wideCsvRows(n);
    const r = await (await ingest()).continuationFigures(csv, n, budget);
    const ratio = r.continuedSeconds / r.onePassSeconds;
    // What each continuation spends before it goes on: the whole file read again and counted off, at worst.
    const skip = await replay(csv);
    // A workbook the same way: unzipped again (its sheets spooled before the shared strings they need), rows counted off.
    const rows = numberArg(args, '--xlsx-rows', 100_000);
    const skipBook = await replay(await wideXlsx(rows));
    results.continuation = {
      samples: n, budgetMs: budget, invocations: r.invocations, onePassSeconds: r.onePassSeconds, continuedSeconds: r.continuedSeconds, ratio,
      fullReplaySeconds: skip.seconds, replayEventsPerSecond: skip.events / skip.seconds,
      xlsx: { rows, fullReplaySeconds: skipBook.seconds, replayEventsPerSecond: skipBook.events / skipBook.seconds },
    };
    say(`  one invocation ${r.onePassSeconds.toFixed(0)} s; ${r.invocations} invocations of ${budget / 1000} s ${r.continuedSeconds.toFixed(0)} s → ${ratio.toFixed(2)}× the time of one pass`);
    say(`  reading the whole file again and counting its ${skip.events.toLocaleString('en')} events off (a continuation near its end): ${skip.seconds.toFixed(1)} s (${Math.round(skip.events / skip.seconds).toLocaleString('en')} events/s)`);
    say(`  the same for a ${rows.toLocaleString('en')}-row workbook: ${skipBook.seconds.toFixed(1)} s (${Math.round(skipBook.events / skipBook.seconds).toLocaleString('en')} events/s)`);
  }

  if (want('rss')) {
    const mb = numberArg(args, '--rss-mb', 500);
    const realMb = numberArg(args, '--rss-dynalite-mb', 25);
    const memory = numberArg(args, '--rss-function-mib', 256);
    const { handlerPeakRss, lambdaNodeFlags } = await ingest();
    const lambda = lambdaNodeFlags(memory);
    say(`rss: the ingest function (bundled as CDK builds it, in its own process; S3 and DynamoDB in another) on a ${mb} MB compliant file into a null DynamoDB sink, and a ${realMb} MB one into dynalite …`);
    const runs = [];
    // As Lambda's Node.js runtime starts a ${memory} MB function (its heap flags), and once with V8's
    // own sizing on this 24 GiB machine — which lets garbage pile up far beyond what is alive.
    for (const [size, sink, flags] of [[realMb, 'dynalite', lambda], [mb, 'null', lambda], [mb, 'null', []]] as const) {
      const r = await handlerPeakRss(await wideCsvCompliant(size), self, sink, flags);
      const how = flags.length ? `as a ${memory} MB Lambda function (${flags.join(' ')})` : "V8's default heap sizing";
      runs.push({ fileMB: size, sink, nodeFlags: flags, samples: r.samples, alertsPublished: r.published, seconds: r.seconds, peakRssMB: r.maxRssMB });
      say(`  ${size} MB into ${sink}, ${how}: ${r.samples.toLocaleString('en')} samples in ${r.seconds.toFixed(0)} s, peak RSS ${r.maxRssMB.toFixed(0)} MB (goal < 256 MB)`);
    }
    results.rss = { functionMemoryMiB: memory, runs, goalPeakRssMB: 256 };
  }

  if (want('supervision')) {
    say(`supervision: the function as bundled, in its own process as a Lambda function of its memory starts it, reporting ${BENCH_MONTH} over the shipped samples …`);
    const f = await supervisionFigures(self);
    results.supervision = f;
    say(`  bundle ${(f.bundleBytes / 1024).toFixed(0)} KB minified without the AWS SDK; cold init ${f.coldInitMs.toFixed(0)} ms`);
    say(`  two runs (${f.documents} documents and one message each; ${f.published} messages in all): ${f.runSeconds.map((x) => x.toFixed(2)).join(' s, ')} s; peak RSS ${f.peakRssMB.toFixed(0)} MB as a ${f.memoryMiB} MB function (${f.nodeFlags.join(' ')})`);
  }

  if (json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
}

await run();
