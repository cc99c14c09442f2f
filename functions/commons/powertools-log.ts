/** Powertools' structured JSON logger behind the Log port. */
import { Logger } from '@aws-lambda-powertools/logger';
import type { Log } from '../../shared/ports/index.js';

export function powertoolsLog(serviceName: string): Log & { logger: Logger } {
  const logger = new Logger({ serviceName });
  return {
    logger,
    info: (m, extra) => logger.info(m, extra ?? {}),
    warn: (m, extra) => logger.warn(m, extra ?? {}),
    error: (m, extra) => logger.error(m, extra ?? {}),
  };
}
