/**
 * How every bishui function is bundled — one home for the esbuild options, used by the stack
 * (NodejsFunction, local esbuild: no Docker engine) and by the bench (which measures the bundle as
 * the stack builds it). Plain data: importing it loads no CDK.
 */

/**
 * A module loaded on demand that is bundled on its own and shipped beside the handler's bundle, not
 * inside it: esbuild cannot split a single-file bundle, and inlined, such a module would weigh on
 * every cold start. The handler's bundle leaves the import as written (`specifier`, external), and
 * finds the file of that name beside it at run time.
 */
export interface LazyModule {
  /**
   * The import path as the code writes it; also the file's name beside the handler. `.mjs` (its
   * source `.mts`): an ES module wherever it lies, whatever package.json is or is not beside it.
   */
  readonly specifier: `./${string}.mjs`;
  /** Its source, from the project root. */
  readonly entry: string;
}

/** The Excel reader's engine (exceljs, unzipper: ~1 MB minified), loaded with the first workbook. */
export const XLSX_ENGINE: LazyModule = { specifier: './xlsx-engine.mjs', entry: 'shared/parsers/xlsx-engine.mts' };

export const LAZY_MODULES: readonly LazyModule[] = [XLSX_ENGINE];

export const FUNCTION_BUNDLE = {
  target: 'node22',
  format: 'esm',
  minify: true,
  sourcemap: true,
  /** In the Node.js 22 runtime already; the lazy modules ship beside the handler. */
  external: ['@aws-sdk/*', ...LAZY_MODULES.map((m) => m.specifier)],
  /** ESM bundles of CommonJS dependencies call require(): give them one. */
  banner: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
} as const;

/** How a lazy module's own bundle is built: as the handler's, without lazy modules of its own. */
export const LAZY_MODULE_BUNDLE = { ...FUNCTION_BUNDLE, external: ['@aws-sdk/*'] } as const;

/** The file a lazy module is written to, beside the handler: its specifier without `./`. */
export const lazyModuleFile = (m: LazyModule): string => m.specifier.slice(2);
