/** A Log that says nothing: the local runtime's default and the tests'. */
import type { Log } from '../ports/index.js';

export const silentLog: Log = { info: () => {}, warn: () => {}, error: () => {} };
