/**
 * How every bishui function is bundled — one home for the esbuild options, used by the stack
 * (NodejsFunction, local esbuild: no Docker engine) and by the bench (which measures the bundle as
 * the stack builds it). Plain data: importing it loads no CDK.
 */
export const FUNCTION_BUNDLE = {
  target: 'node22',
  format: 'esm',
  minify: true,
  sourcemap: true,
  /** In the Node.js 22 runtime already. */
  external: ['@aws-sdk/*'],
  /** ESM bundles of CommonJS dependencies call require(): give them one. */
  banner: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
} as const;
